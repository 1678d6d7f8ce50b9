"""The parameter impact preview over every active studio of a tenant (what the job runs), timed.

DATABASE_URL=... python bench/impact.py --tenant shenyang --param sy.funding.studio --value 30000 --year 2025
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.db import default_database_url, make_engine, make_session_factory
from mingshi.core.plugins import Jurisdictions
from mingshi.core.services.parameters import impact
from mingshi.core.tenancy import bind_tenant


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tenant", required=True)
    ap.add_argument("--param", required=True)
    ap.add_argument("--value", required=True)
    ap.add_argument("--kind", default="annual", choices=["annual", "cycle"])
    ap.add_argument("--year", type=int, default=2025)
    args = ap.parse_args()
    engine = make_engine(default_database_url())
    session = make_session_factory(engine)()
    tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == args.tenant))
    bind_tenant(session, tenant.id)
    t0 = time.perf_counter()
    result = impact(
        session,
        Jurisdictions.load(),
        param_id=args.param,
        raw=args.value,
        kind=args.kind,
        year=args.year if args.kind == "annual" else None,
    )
    elapsed = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "tenant": args.tenant,
                "param": args.param,
                "value": args.value,
                "seconds": round(elapsed, 1),
                "totals": result["totals"],
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            ensure_ascii=False,
        )
    )
    session.close()
    engine.dispose()


if __name__ == "__main__":
    main()
