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


def _withdraw_activity(session, ref: str) -> None:
    row = session.get(m.Activity, parse_ref(ref)[1])
    row.withdrawn_at, row.withdrawal_reason = dt.datetime.now(dt.UTC), "记错了"
    session.flush()


def test_wushen_quotas_name_the_records_behind_each_progress_bar(app, jurisdictions) -> None:
    """The progress bars (mingshi_quotas) count activities and outputs: each names exactly those it counted."""
    from mingshi.core.periods import Period
    from mingshi.core.services.facts import load_studio_facts, tenant_parameter_values
    from mingshi.core.services.workspace import jurisdiction_of
    from mingshi_wushen.rules import STUDY_TYPES

    with app.extensions["mingshi"]["sessions"]() as session:
        studio, _spec, _run = _outcome(session, jurisdictions, "wushen", "cycle")
        jurisdiction = jurisdiction_of(session, jurisdictions)
        period = Period(studio.cycle_start, dt.date(2026, 11, 20), "cycle", f"cycle:{studio.cycle_start}")

        def quotas():
            params = jurisdiction.paramset(tenant_parameter_values(session))
            facts = load_studio_facts(session, studio, jurisdiction="wushen", as_of=period.end, params=params)
            return {c.id: c for c in jurisdiction.quotas(facts=facts, period=period)}, facts

        found, facts = quotas()
        # ws.ops.study counts the study activities of the period, uncapped in what it names
        study = found["ws.ops.study"]
        expected = [a.record for a in facts.activities if a.type in STUDY_TYPES and a.date in period]
        assert study.counted and list(study.counted) == expected
        assert study.value == min(len(expected), study.target)
        # every quota that counts records names only records of this studio; those that count people none
        assert not found["ws.team.backbone"].counted and not found["ws.team.pairing"].counted
        mine = {a.record for a in facts.activities} | {o.record for o in facts.outputs}
        for c in found.values():
            assert set(c.counted) <= mine, c.id
        assert any(parse_ref(r)[0] == "output" for c in found.values() for r in c.counted)
        # the other side: a withdrawn study activity drops out of what the bar counted
        _withdraw_activity(session, study.counted[0])
        again, _facts = quotas()
        assert study.counted[0] not in again["ws.ops.study"].counted
        assert len(again["ws.ops.study"].counted) == len(study.counted) - 1
        session.rollback()


def test_wushen_advisory_criteria_name_what_they_counted(app, jurisdictions) -> None:
    """ws.member.lecture names the lectures and open classes members gave; ws.host.reward what the
    individual items of the people who passed counted."""
    with app.extensions["mingshi"]["sessions"]() as session:
        tenant_id = session.scalar(select(m.Tenant.id).where(m.Tenant.code == "wushen"))
        bind_tenant(session, tenant_id)
        studio = session.scalars(
            select(m.Studio).where(m.Studio.cycle_start.is_not(None)).order_by(m.Studio.id)
        ).first()
        spec = assessments.spec_for("annual", 2026)
        outcome = assessments.run(session, jurisdictions, studio, spec)
        lecture = outcome.evaluation.criterion("ws.member.lecture")
        assert lecture.counted, "the demo's members gave no lecture"
        acts = {a.record: a for a in outcome.facts.activities}
        members = {ms.person.key for ms in outcome.facts.memberships if ms.role == "member"}
        for ref in lecture.counted:
            assert acts[ref].type in ("lecture", "open_class") and set(acts[ref].led_by) & members
        # a lecture the host gave alone is not a member's
        host_only = [
            a.record
            for a in outcome.facts.activities
            if a.type in ("lecture", "open_class") and a.led_by and not set(a.led_by) & members
        ]
        assert not set(host_only) & set(lecture.counted)

        reward = outcome.evaluation.criterion("ws.host.reward")
        passed = [r for r in outcome.evaluation.members if r.grade == "pass"]
        failed = [r for r in outcome.evaluation.members if r.grade != "pass"]
        assert passed and reward.value == len(passed)
        of_passed = {ref for r in passed for c in r.criteria for ref in c.counted}
        assert reward.counted and set(reward.counted) == of_passed
        only_failed = {ref for r in failed for c in r.criteria for ref in c.counted} - of_passed
        assert not only_failed & set(reward.counted)

        # the other side: a withdrawn lecture is no longer counted
        _withdraw_activity(session, lecture.counted[0])
        again = assessments.run(session, jurisdictions, studio, spec).evaluation.criterion("ws.member.lecture")
        assert lecture.counted[0] not in again.counted
        session.rollback()


def _matching(session, studio, year: int, fen: int, source: str = "school_matching", reverses=None):
    row = m.FundAllocation(
        studio_id=studio.id, year=year, source=source, amount_fen=fen, basis="test", reverses_id=reverses
    )
    session.add(row)
    session.flush()
    return row


def _unfunded(session, jurisdictions, kind: str):
    """The demo's first running studio has school matching funds, the next none: that one, and its outcome."""
    tenant_id = session.scalar(select(m.Tenant.id).where(m.Tenant.code == "lianyungang"))
    bind_tenant(session, tenant_id)
    studios = session.scalars(select(m.Studio).where(m.Studio.cycle_start.is_not(None)).order_by(m.Studio.id)).all()
    spec = assessments.spec_for(kind, 2026 if kind == "annual" else None)
    return studios[1], spec, assessments.run(session, jurisdictions, studios[1], spec)


def test_the_demo_shows_the_matching_funds_a_criterion_counted(app, jurisdictions) -> None:
    with app.extensions["mingshi"]["sessions"]() as session:
        studio, spec, outcome = _outcome(session, jurisdictions, "lianyungang", "annual")
        c10 = outcome.evaluation.criterion("lyg.assess.c10")
        fa = m.FundAllocation
        ids = session.scalars(
            select(fa.id)
            .where(fa.studio_id == studio.id, fa.source == "school_matching", fa.year == spec.year)
            .order_by(fa.id)
        ).all()
        assert ids and c10.status == "met" and c10.counted == tuple(f"allocation:{i}" for i in ids)
        session.rollback()


def test_lianyungang_matching_funds_name_the_allocations_they_counted(app, jurisdictions) -> None:
    """lyg.assess.c10 counts the school's matching-fund allocations: it names them (``allocation:<id>``)."""
    with app.extensions["mingshi"]["sessions"]() as session:
        studio, spec, outcome = _unfunded(session, jurisdictions, "annual")
        year = spec.year
        before = outcome.evaluation.criterion("lyg.assess.c10")
        assert before.counted == () and before.status == "unmet"
        # a grant, and matching funds of another year, are not this year's matching funds
        _matching(session, studio, year, 100_000, source="grant")
        _matching(session, studio, year - 1, 200_000)
        funds = _matching(session, studio, year, 500_000)
        c10 = assessments.run(session, jurisdictions, studio, spec).evaluation.criterion("lyg.assess.c10")
        assert c10.status == "met" and c10.counted == (f"allocation:{funds.id}",)
        # a reversal is counted too: the amount (now nothing) is the sum of both
        back = _matching(session, studio, year, -500_000, reverses=funds.id)
        c10 = assessments.run(session, jurisdictions, studio, spec).evaluation.criterion("lyg.assess.c10")
        assert c10.status == "unmet" and c10.counted == (f"allocation:{funds.id}", f"allocation:{back.id}")
        session.rollback()


def test_lianyungang_cycle_matching_funds_name_the_allocations_of_the_funded_years(app, jurisdictions) -> None:
    with app.extensions["mingshi"]["sessions"]() as session:
        studio, spec, outcome = _unfunded(session, jurisdictions, "cycle")
        c10 = outcome.evaluation.criterion("lyg.assess.c10")
        assert c10.counted == () and c10.target
        first = studio.cycle_start.year
        funded = _matching(session, studio, first, 300_000)
        # a year whose matching funds were reversed to nothing is not funded: its allocations are not counted
        cancelled = _matching(session, studio, first + 1, 300_000)
        _matching(session, studio, first + 1, -300_000, reverses=cancelled.id)
        c10 = assessments.run(session, jurisdictions, studio, spec).evaluation.criterion("lyg.assess.c10")
        assert c10.value == 1 and c10.counted == (f"allocation:{funded.id}",)
        session.rollback()
