"""Every GET route of the URL map as a tenant administrator, at two data sizes: statements and bytes.

    python bench/route_statements.py [--small 10] [--large 200] [--tenant shenyang]

Two fresh SQLite databases get ``--small`` and ``--large`` synthetic studios per tenant
(``mingshi synth``); each GET route under ``/<tenant>/`` is requested as the tenant's synthetic
administrator with its row variables filled from the tenant's first rows. Prints one line per
route and the routes whose statement count or page size grows. A report at any size; the test
that fails on growth is ``tests/core/test_growth.py``.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from sqlalchemy import event, select

from mingshi.core import models as m
from mingshi.core.db import make_engine, make_session_factory
from mingshi.core.demo import DEMO_PASSWORD
from mingshi.core.migrate import upgrade
from mingshi.core.plugins import Jurisdictions
from mingshi.core.synth import SYNTH_TODAY, synth
from mingshi.core.tenancy import bind_tenant
from mingshi.web import create_app

ROWS = {
    "studio_id": m.Studio,
    "membership_id": m.Membership,
    "person_id": m.Person,
    "school_id": m.School,
    "activity_id": m.Activity,
    "output_id": m.Output,
    "award_id": m.StudentAward,
    "expense_id": m.Expense,
    "allocation_id": m.FundAllocation,
    "assessment_id": m.AssessmentRecord,
    "job_id": m.Job,
}
PLAIN = {"year": "2025", "kind": "annual", "fmt": "xlsx", "format": "xlsx", "period": "2025"}


def measure(url: str, per_tenant: int, tenant: str, jurisdictions: Jurisdictions) -> dict[str, tuple[int, int, int]]:
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    synth(factory, jurisdictions, studios=per_tenant * len(jurisdictions.codes()), seed=1)
    ids: dict[str, int] = {}
    with factory() as session:
        tid = session.scalar(select(m.Tenant.id).where(m.Tenant.code == tenant))
        bind_tenant(session, tid)
        for name, model in ROWS.items():
            stmt = select(model.id).order_by(model.id).limit(1)
            if model is m.Studio:
                stmt = stmt.where(m.Studio.status == "active")
            row = session.scalar(stmt)
            if row is not None:
                ids[name] = row
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "JURISDICTIONS": jurisdictions,
            "SECRET_KEY": "bench",
            "MINGSHI_TODAY": SYNTH_TODAY,
        }
    )
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": f"{tenant}-admin", "password": DEMO_PASSWORD, "csrf_token": token})
    count = 0

    def before(*_a):
        nonlocal count
        count += 1

    app_engine = app.extensions["mingshi"]["engine"]
    event.listen(app_engine, "before_cursor_execute", before)
    out: dict[str, tuple[int, int, int]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()) or "tenant" not in rule.arguments:
            continue
        values = {"tenant": tenant}
        missing = False
        for arg in rule.arguments - {"tenant"}:
            if arg in ids:
                values[arg] = ids[arg]
            elif arg in PLAIN:
                values[arg] = PLAIN[arg]
            else:
                missing = True
        if missing:
            out[rule.endpoint] = (-1, -1, -1)
            continue
        with app.test_request_context():
            from flask import url_for

            path = url_for(rule.endpoint, **values)
        count = 0
        response = client.get(path)
        out[rule.endpoint] = (count, len(response.get_data()), response.status_code)
    app_engine.dispose()
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", type=int, default=10)
    ap.add_argument("--large", type=int, default=200)
    ap.add_argument("--tenant", default="shenyang")
    args = ap.parse_args()
    jurisdictions = Jurisdictions.load()
    with tempfile.TemporaryDirectory() as tmp:
        small = measure(f"sqlite:///{Path(tmp) / 'small.db'}", args.small, args.tenant, jurisdictions)
        large = measure(f"sqlite:///{Path(tmp) / 'large.db'}", args.large, args.tenant, jurisdictions)
    print(f"{'endpoint':<40} {'stmts':>7} {'stmts':>7} {'bytes':>9} {'bytes':>9}  status")
    print(f"{'':<40} {args.small:>7} {args.large:>7} {args.small:>9} {args.large:>9}")
    growing = []
    for endpoint in sorted(small):
        s, lg = small[endpoint], large.get(endpoint, (-1, -1, -1))
        flag = ""
        if s[0] >= 0 and (lg[0] > s[0] or lg[1] > 1.5 * s[1] + 2048):
            flag = "GROWS"
            growing.append(endpoint)
        print(f"{endpoint:<40} {s[0]:>7} {lg[0]:>7} {s[1]:>9} {lg[1]:>9}  {s[2]}/{lg[2]} {flag}")
    print(f"\n{len(growing)} routes grow with the tenant: {', '.join(growing)}")


if __name__ == "__main__":
    main()
