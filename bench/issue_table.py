"""The per-request rows of issue 15's table, through the application: time, statements, bytes.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/mingshi_q1000 \\
        python bench/issue_table.py [--tenant shenyang] [--repeat 5] [--year 2025]

Connects as the database's application role (row-level security applies, as in a deployment),
signs in as the tenant's synthetic administrator and as a central user (``bench-central``, created
if missing), and requests each page ``--repeat`` times: the central comparison and every export,
the person with the most attendance rows, the studio with the most members (its members tab), the
assessments table, the dashboard and the studio list. Prints the median and the largest time, the
statements and the bytes of each. Nothing is asserted: a report for ``docs/benchmarks.md``; the
tests that fail on growth are ``tests/core/test_growth.py`` and ``tests/central/``.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics

from central import PASSWORD, TABLES, USER, app_url, ensure_user, sign_in, timed
from sqlalchemy import event, func, select

from mingshi.core import models as m
from mingshi.core.db import make_engine, make_session_factory
from mingshi.core.demo import DEMO_PASSWORD
from mingshi.core.synth import SYNTH_TODAY
from mingshi.core.tenancy import bind_tenant
from mingshi.web import create_app


def pick(owner_url: str, tenant: str) -> tuple[int, int, int]:
    """The tenant's count of studios, its busiest person (attendance rows), its largest studio."""
    engine = make_engine(owner_url)
    factory = make_session_factory(engine)
    with factory() as session:
        tid = session.scalar(select(m.Tenant.id).where(m.Tenant.code == tenant))
        bind_tenant(session, tid)
        studios = session.scalar(select(func.count()).select_from(m.Studio))
        person = session.scalar(
            select(m.Attendance.person_id)
            .group_by(m.Attendance.person_id)
            .order_by(func.count().desc(), m.Attendance.person_id)
            .limit(1)
        )
        studio = session.scalar(
            select(m.Membership.studio_id)
            .join(m.Studio, m.Studio.id == m.Membership.studio_id)
            .where(m.Studio.status == "active")
            .group_by(m.Membership.studio_id)
            .order_by(func.count().desc(), m.Membership.studio_id)
            .limit(1)
        )
    engine.dispose()
    return studios, person, studio


def main() -> None:
    logging.getLogger("mingshi.request").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenant", default="shenyang")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    owner = os.environ["DATABASE_URL"]
    ensure_user(owner)
    studios, person, studio = pick(owner, args.tenant)
    app = create_app({"DATABASE_URL": app_url(owner), "SECRET_KEY": "bench", "MINGSHI_TODAY": SYNTH_TODAY})
    engine = app.extensions["mingshi"]["engine"]
    count = [0]
    event.listen(engine, "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))
    staff = sign_in(app, USER, PASSWORD)
    admin = sign_in(app, f"{args.tenant}-admin", DEMO_PASSWORD)
    t, y = args.tenant, args.year
    pages = [
        ("central comparison", f"/central/?year={y}", staff),
        *((f"central export {n}", f"/central/export/{n}.csv?year={y}", staff) for n in TABLES),
        ("central export funds.xlsx", f"/central/export/funds.xlsx?year={y}", staff),
        ("a person's page (most attendance)", f"/{t}/people/{person}", admin),
        ("a studio's members tab (most members)", f"/{t}/studios/{studio}/members", admin),
        ("assessments (all studios)", f"/{t}/assessments", admin),
        ("dashboard", f"/{t}/", admin),
        ("studio list", f"/{t}/studios", admin),
    ]
    print(f"tenant {t}: {studios} studios; person {person}; studio {studio}")
    print("| page | median s | max s | statements | bytes |")
    print("| --- | --- | --- | --- | --- |")
    for name, path, client in pages:
        times, statements, size = timed(client, path, args.repeat, count)
        print(f"| {name} | {statistics.median(times):.3f} | {max(times):.3f} | {statements} | {size:,} |", flush=True)
    engine.dispose()


if __name__ == "__main__":
    main()
