"""A tenant's annual run of every studio as the background job does it (``assessment_proposal``).

    DATABASE_URL=postgresql+psycopg://… python bench/assess_all_job.py --tenant shenyang --year 2025

Creates the job row as the tenant's synthetic administrator asks it, then runs it the way a worker
does (:func:`mingshi.core.jobs.run`), printing the progress it records and the time it took.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

from sqlalchemy import select

from mingshi.core import jobs
from mingshi.core import models as m
from mingshi.core.db import make_engine, make_session_factory
from mingshi.core.plugins import Jurisdictions
from mingshi.core.services.access import actor_for
from mingshi.core.synth import SYNTH_TODAY
from mingshi.core.tenancy import bind_tenant


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tenant", default="shenyang")
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--confirm", action="store_true", help="then store it (the confirmation job)")
    args = ap.parse_args()
    factory = make_session_factory(make_engine(os.environ["DATABASE_URL"]))
    jobs.configure(factory, Jurisdictions.load())
    params = {"kind": "annual", "year": args.year, "today": SYNTH_TODAY.isoformat()}
    seen = run_job(factory, args.tenant, "assessment_proposal", params)
    if args.confirm and seen:
        run_job(factory, args.tenant, "assessment_confirm", params | {"seen": seen})


def run_job(factory, code: str, kind: str, params: dict) -> str | None:
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == code))
        bind_tenant(session, tenant.id)
        user = session.scalar(select(m.User).where(m.User.username == f"{code}-admin"))
        actor = actor_for(session, user, today=SYNTH_TODAY)
        job = m.Job(kind=kind, state="queued", done=0, attempts=0, requested_by_id=actor.user_id, params=params)
        session.add(job)
        session.commit()
        tenant_id, job_id = tenant.id, job.id
    start = time.perf_counter()
    jobs.run(tenant_id, job_id)
    elapsed = time.perf_counter() - start
    with factory() as session:
        bind_tenant(session, tenant_id)
        job = session.get(m.Job, job_id)
        print(
            f"job {job_id}: {job.state} {job.done}/{job.total} in {elapsed:.1f} s ({dt.datetime.now(dt.UTC):%H:%M} UTC)"
        )
        if job.state != "done":
            print(job.error)
            return None
        r = job.result
        if kind == "assessment_proposal":
            print(f"studios {r['studios']}, storable {r['storable']}, result {len(str(r)) / 1e6:.1f} MB")
            return r["seen"]
        print(f"stored {r['stored']}")
        return None


if __name__ == "__main__":
    main()
