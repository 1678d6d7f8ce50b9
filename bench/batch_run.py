"""A tenant-year evaluation beside a hand-written SQL aggregate over the same rows.

    DATABASE_URL=... python bench/batch_run.py --tenant shenyang --year 2025 [--repeat 3] [--single]

Measures, in one run and on the same database:

* ``batch``: :func:`mingshi.core.services.evaluation.evaluate_many` over every active studio of
  the tenant (the batch loader + the plugin's rules), with its number of SQL statements;
* ``sql``: one GROUP BY statement reading the same rows (activities, attendance, outputs and
  expenses of each studio in the same window), the lower bound of any evaluation that reads them;
* ``single`` (with ``--single``): :func:`evaluate` studio by studio, the road before the batch loader.

Prints one JSON line per measurement (median of ``--repeat`` runs) and the ratio batch / sql.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time

from sqlalchemy import case, event, func, select
from sqlalchemy.orm import aliased

from mingshi.core import models as m
from mingshi.core.db import default_database_url, make_engine, make_session_factory
from mingshi.core.plugins import Jurisdictions
from mingshi.core.services.evaluation import EvaluationSpec, evaluate, evaluate_many, facts_request
from mingshi.core.services.facts import tenant_parameter_values
from mingshi.core.tenancy import bind_tenant


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tenant", required=True)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--kind", default="annual", choices=["annual", "cycle"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--single", action="store_true", help="also evaluate studio by studio (slow)")
    args = ap.parse_args()

    url = default_database_url()
    engine = make_engine(url)
    factory = make_session_factory(engine)
    jurisdictions = Jurisdictions.load()
    statements = 0

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_a):
        nonlocal statements
        statements += 1

    spec = EvaluationSpec(args.kind, year=args.year if args.kind == "annual" else None)
    studios = select(m.Studio).where(m.Studio.status == "active")

    def session_():
        session = factory()
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == args.tenant))
        if tenant is None:
            raise SystemExit(f"no tenant {args.tenant!r}")
        bind_tenant(session, tenant.id)
        return session, tenant

    def run_batch():
        session, _t = session_()
        try:
            grades: dict[str, int] = {}
            n = 0
            for outcome in evaluate_many(session, jurisdictions, studios, spec):
                n += 1
                g = str(outcome.evaluation.grade)
                grades[g] = grades.get(g, 0) + 1
            return n, grades
        finally:
            session.close()

    def run_single():
        session, _t = session_()
        try:
            n = 0
            for studio in list(session.scalars(studios.order_by(m.Studio.id))):
                evaluate(session, jurisdictions, studio, spec, apply_removals=False)
                n += 1
            return n, None
        finally:
            session.rollback()
            session.close()

    def run_sql():
        """One statement: per studio, in each studio's window, the counts and sums the rules need."""
        session, tenant = session_()
        try:
            jurisdiction = jurisdictions.get(tenant.jurisdiction)
            params = jurisdiction.paramset(tenant_parameter_values(session))
            first = session.scalars(studios.order_by(m.Studio.id).limit(1)).first()
            request = facts_request(jurisdiction, first, spec, params)
            since = request.since
            until = request.as_of  # the period's end
            S, A, AT, X = m.Studio, m.Activity, aliased(m.Attendance), m.Expense
            acts = (
                select(
                    A.studio_id.label("sid"),
                    func.count(func.distinct(A.id)).label("activities"),
                    func.count(AT.id).label("attendance"),
                    func.sum(case((AT.status == "absent", 1), else_=0)).label("absent"),
                )
                .join(S, S.id == A.studio_id)
                .outerjoin(AT, AT.activity_id == A.id)
                .where(S.status == "active", A.date <= until, A.date >= func.coalesce(S.cycle_start, since))
                .group_by(A.studio_id)
                .subquery()
            )
            outs = (
                select(m.Output.studio_id.label("sid"), func.count().label("outputs"))
                .where(m.Output.date <= until)
                .group_by(m.Output.studio_id)
                .subquery()
            )
            spent = (
                select(X.studio_id.label("sid"), func.sum(X.amount_fen).label("spent"))
                .where(X.date <= until, X.date >= since)
                .group_by(X.studio_id)
                .subquery()
            )
            stmt = (
                select(S.id, acts.c.activities, acts.c.attendance, acts.c.absent, outs.c.outputs, spent.c.spent)
                .outerjoin(acts, acts.c.sid == S.id)
                .outerjoin(outs, outs.c.sid == S.id)
                .outerjoin(spent, spent.c.sid == S.id)
                .where(S.status == "active")
            )
            rows = session.execute(stmt).all()
            return len(rows), None
        finally:
            session.close()

    results = {}
    for name, fn in [("sql", run_sql), ("batch", run_batch)] + ([("single", run_single)] if args.single else []):
        times = []
        n = None
        extra = None
        count = 0
        for _i in range(args.repeat if name != "single" else 1):
            statements = 0
            t0 = time.perf_counter()
            n, extra = fn()
            times.append(time.perf_counter() - t0)
            count = statements
        median = statistics.median(times)
        results[name] = median
        line = {
            "measure": name,
            "tenant": args.tenant,
            "kind": args.kind,
            "year": args.year,
            "studios": n,
            "median_s": round(median, 3),
            "runs": len(times),
            "statements": count,
            # the process's peak resident memory so far (Linux: KiB)
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        if extra:
            line["grades"] = extra
        print(json.dumps(line, ensure_ascii=False), flush=True)
    if results.get("sql"):
        print(json.dumps({"ratio_batch_to_sql": round(results["batch"] / results["sql"], 1)}))
        if "single" in results:
            print(json.dumps({"ratio_single_to_sql": round(results["single"] / results["sql"], 1)}))
    engine.dispose()


if __name__ == "__main__":
    main()
