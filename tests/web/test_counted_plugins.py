"""Every city's criteria say which records they counted (issue 17), and stored results keep it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.rules.records import parse_ref
from mingshi.core.services import assessments
from mingshi.core.services.access import Actor
from mingshi.core.tenancy import bind_tenant

#: per city, a criterion whose value is the number of records it counted, and the assessment it is in
COUNTING = {
    "lianyungang": ("lyg.assess.c6", "cycle"),
    "shenyang": ("sy.task.activities", "annual"),
    "wenzhou": ("wz.ops.offline", "cycle"),
    "wushen": ("ws.ops.filing", "cycle"),
}


def _outcome(session, jurisdictions, code: str, kind: str):
    tenant_id = session.scalar(select(m.Tenant.id).where(m.Tenant.code == code))
    bind_tenant(session, tenant_id)
    studio = session.scalars(select(m.Studio).where(m.Studio.cycle_start.is_not(None)).order_by(m.Studio.id)).first()
    spec = assessments.spec_for(kind, 2026 if kind == "annual" else None)
    return studio, spec, assessments.run(session, jurisdictions, studio, spec)


@pytest.mark.parametrize("code", sorted(COUNTING))
def test_a_counting_criterion_names_exactly_the_records_it_counted(app, jurisdictions, code) -> None:
    rule, kind = COUNTING[code]
    with app.extensions["mingshi"]["sessions"]() as session:
        studio, spec, outcome = _outcome(session, jurisdictions, code, kind)
        criterion = outcome.evaluation.criterion(rule)
        counted = criterion.counted
        assert counted, f"{rule} counted no record in the demo"
        measured = criterion.target if rule == "ws.ops.filing" else criterion.value
        assert measured == len(counted)
        kinds_ids = [parse_ref(ref) for ref in counted]
        assert {k for k, _i in kinds_ids} == {"activity"}
        rows = session.scalars(select(m.Activity).where(m.Activity.id.in_([i for _k, i in kinds_ids]))).all()
        assert len(rows) == len(counted) and {r.studio_id for r in rows} == {studio.id}
        # the other side: a record withdrawn is no longer counted, and the number follows
        first = rows[0]
        first.withdrawn_at, first.withdrawal_reason = dt.datetime.now(dt.UTC), "记错了"
        session.flush()
        again = assessments.run(session, jurisdictions, studio, spec).evaluation.criterion(rule)
        assert f"activity:{first.id}" not in again.counted
        assert len(again.counted) == len(counted) - 1
        session.rollback()


def test_a_stored_result_keeps_what_each_criterion_counted(app, jurisdictions) -> None:
    with app.extensions["mingshi"]["sessions"]() as session:
        studio, _spec, outcome = _outcome(session, jurisdictions, "lianyungang", "annual")
        admin = Actor(user_id=None, name="t", tenant_id=studio.tenant_id, roles=frozenset({"admin"}))
        record = assessments.store(session, admin, outcome, today=dt.date(2027, 1, 10))
        session.flush()
        stored = {c["id"]: c.get("counted", []) for c in record.result["criteria"]}
        live = {c.id: list(c.counted) for c in outcome.evaluation.criteria}
        assert stored == live and any(stored.values())
        assert {c["id"]: c.get("counted", []) for c in record.result["en"]["criteria"]} == live
        session.rollback()
