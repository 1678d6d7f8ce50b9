"""Observation 1 of issue 13: an assessment is a proposal until the administrator confirms it; a
period not ended is a preview; only studios active in the period are assessed, a studio approved
mid-year as its jurisdiction reads it; a stored result can be withdrawn, its consequences reversed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from mingshi.core import models as m
from mingshi.core.rules import StudioFact, months_between
from mingshi.core.services import assessments, funds
from mingshi.core.services.evaluation import EvaluationSpec, evaluate
from mingshi.core.services.facts import studio_fact
from mingshi.core.tenancy import all_tenants
from tests.bureau.conftest import TODAY

ANNUAL_2025 = EvaluationSpec("annual", year=2025)


def _seen(html: str) -> str:
    return re.search(r'name="seen" value="([0-9a-f]+)"', html).group(1)


def _count(app, model) -> int:
    with app.extensions["mingshi"]["sessions"]() as s:
        return s.scalar(select(func.count()).select_from(model), execution_options=all_tenants("test count"))


def _statuses(tenant_of) -> dict[int, str]:
    t = tenant_of("shenyang")
    out = dict(t.session.execute(select(m.Studio.id, m.Studio.status)).all())
    t.session.rollback()
    return out


@pytest.fixture
def immediate_queue(monkeypatch):
    """Each job runs at once when its request commits (Huey's immediate mode, in memory)."""
    from mingshi.core import jobs

    monkeypatch.setenv("MINGSHI_QUEUE_URL", "memory://")
    jobs.reset_queue()
    yield
    jobs.reset_queue()


def _job_page(visitor, response) -> str:
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert re.search(r"/shenyang/jobs/\d+$", location), location
    return visitor.get(location).get_data(as_text=True)


def test_assessing_all_studios_shows_a_proposal_and_stores_nothing_until_confirmed(
    visitor, app, tenant_of, immediate_queue
) -> None:
    visitor.login("shenyang-admin")
    records, statuses = _count(app, m.AssessmentRecord), _statuses(tenant_of)
    listing = visitor.get("/shenyang/assessments?kind=annual&year=2025").get_data(as_text=True)
    assert 'id="propose-all"' in listing and 'id="confirm-all"' not in listing
    html = _job_page(visitor, visitor.post("/shenyang/assessments/proposal?kind=annual&year=2025"))
    assert 'id="proposal-table"' in html and 'data-effect="grade"' in html
    assert _count(app, m.AssessmentRecord) == records and _statuses(tenant_of) == statuses  # nothing stored
    # the proposal is kept and linked from the assessments page
    listing = visitor.get("/shenyang/assessments?kind=annual&year=2025").get_data(as_text=True)
    assert 'id="assessment-jobs"' in listing
    # a confirmation without the proposal seen is refused, nothing stored
    refused = visitor.post("/shenyang/assessments", {"kind": "annual", "year": "2025"})
    assert refused.status_code == 422 and _count(app, m.AssessmentRecord) == records
    done = _job_page(
        visitor, visitor.post("/shenyang/assessments", {"kind": "annual", "year": "2025", "seen": _seen(html)})
    )
    assert 'data-state="done"' in done and 'data-stored="' in done
    assert _count(app, m.AssessmentRecord) > records


def test_a_period_that_has_not_ended_is_previewed_but_not_stored(visitor, app, tenant_of, immediate_queue) -> None:
    visitor.login("shenyang-admin")
    records = _count(app, m.AssessmentRecord)
    html = _job_page(visitor, visitor.post("/shenyang/assessments/proposal?kind=annual&year=2026"))
    assert 'id="preview-only"' in html and "2026-12-31" in html and 'id="confirm-all"' not in html
    t = tenant_of("shenyang")
    spec = EvaluationSpec("annual", year=2026)
    seen = assessments.fingerprint(assessments.propose_all(t.session, t.jurisdictions, spec, today=TODAY))
    t.session.rollback()
    refused = _job_page(
        visitor, visitor.post("/shenyang/assessments", {"kind": "annual", "year": "2026", "seen": seen})
    )
    assert 'data-state="failed"' in refused and "only after it has ended" in refused
    assert _count(app, m.AssessmentRecord) == records


def test_one_studio_is_stored_only_as_the_proposal_it_showed(visitor, app, tenant_of) -> None:
    from tests.web.conftest import studio_of

    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    html = visitor.get(f"/shenyang/studios/{studio.id}/assessment?kind=annual&year=2025").get_data(as_text=True)
    assert 'id="proposal"' in html and 'data-effect="recovery"' in html
    seen = _seen(html)
    # the ledger changes after the preview: the recovery it showed is no longer the one it would make
    t = tenant_of("shenyang")
    funds.record_allocation(t.session, t.actor("shenyang-admin"), t.session.get(m.Studio, studio.id), year=2025,
                            amount_fen=100_00, basis="第十二条")  # fmt: skip
    t.session.commit()
    records = _count(app, m.AssessmentRecord)
    stale = visitor.post(f"/shenyang/studios/{studio.id}/assessment?kind=annual&year=2025", {"seen": seen})
    assert stale.status_code == 422 and _count(app, m.AssessmentRecord) == records


def test_store_refuses_a_period_that_has_not_ended(tenant_of) -> None:
    t = tenant_of("shenyang")
    studio = t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
    outcome = assessments.run(t.session, t.jurisdictions, studio, EvaluationSpec("annual", year=2026))
    with pytest.raises(ValidationError) as refused:
        assessments.store(t.session, t.actor("shenyang-admin"), outcome, today=TODAY)
    assert "period" in refused.value.messages


def test_a_studio_approved_after_the_period_is_not_assessed_for_it(tenant_of) -> None:
    t = tenant_of("shenyang")
    studio = t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
    studio.cycle_start = dt.date(2026, 3, 1)
    proposal = assessments.propose(t.session, t.jurisdictions, studio, ANNUAL_2025, today=TODAY)
    assert not proposal.outcome.assessed and not proposal.storable
    assert "starts after" in proposal.outcome.not_assessed.render("en")
    assert "之后" in proposal.outcome.not_assessed.render("zh_CN")
    t.session.rollback()


def test_a_studio_approved_mid_year_is_not_judged_on_a_full_years_quotas(tenant_of) -> None:
    """Shenyang 第十条 is silent on the year of 挂牌; its reading ⚙ sy.first_year.min_months (12)."""
    t = tenant_of("shenyang")
    studio = t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
    studio.cycle_start = dt.date(2025, 11, 19)  # 12 days before the year ends, as in the report
    proposal = assessments.propose(t.session, t.jurisdictions, studio, ANNUAL_2025, today=TODAY)
    assert not proposal.outcome.assessed
    assert "sy.first_year.min_months" in proposal.outcome.not_assessed_basis
    assert "第十条" in proposal.outcome.not_assessed_basis
    assert "挂牌" not in proposal.outcome.not_assessed.render("en")
    # a bureau that reads it otherwise (one month is enough) assesses it from its cycle start
    one_month = evaluate(t.session, t.jurisdictions, studio, ANNUAL_2025, overrides={"sy.first_year.min_months": "1"})
    assert one_month.assessed and one_month.period.start == dt.date(2025, 11, 19)
    assert one_month.period.end == dt.date(2025, 12, 31)
    t.session.rollback()


@pytest.mark.parametrize(("need", "assessed"), [(6, True), (7, False)])
def test_the_first_year_reading_on_both_sides_of_its_boundary(tenant_of, need: int, assessed: bool) -> None:
    t = tenant_of("lianyungang")
    jurisdiction = t.jurisdictions.get("lianyungang")
    studio = t.session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
    studio.cycle_start = dt.date(2025, 7, 1)
    assert months_between(dt.date(2025, 7, 1), dt.date(2025, 12, 31)) == 6
    params = jurisdiction.paramset(None, {"lyg.first_year.min_months": str(need)})
    period = jurisdiction.assessment_period(studio=studio_fact(studio), kind="annual", year=2025, params=params)
    answer = jurisdiction.first_year(studio=studio_fact(studio), period=period, params=params)
    assert answer.assessed is assessed and "第四条" in answer.basis
    t.session.rollback()


def test_every_jurisdiction_answers_the_first_year_hook_itself(jurisdictions) -> None:
    for j in jurisdictions.all():
        impls = [i.plugin_name for i in j._pm.hook.mingshi_first_year.get_hookimpls()]
        assert j.code in impls, j.code
        fact = StudioFact(key="s", name="s", kind="studio", cycle_start=dt.date(2025, 9, 1))
        params = j.paramset()
        period = j.assessment_period(studio=fact, kind="annual", year=2025, params=params)
        answer = j.first_year(studio=fact, period=period, params=params)
        assert re.search(r"第.+条|（.+）", answer.basis), (j.code, answer.basis)
        assert answer.explanation.render("zh_CN") != answer.explanation.render("en"), j.code
    declared = {p.id for j in jurisdictions.all() for p in j.parameters}
    assert {"sy.first_year.min_months", "lyg.first_year.min_months", "ws.first_year.min_months"} <= declared


def test_withdrawing_a_stored_assessment_reverses_its_consequences_by_new_records(tenant_of) -> None:
    t = tenant_of("shenyang")
    admin = t.actor("shenyang-admin")
    studio = t.session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
    funds.record_allocation(t.session, admin, studio, year=2025, amount_fen=2_000_000, basis="第十二条")
    balance = funds.ledger(t.session, studio).balance_fen
    outcome = assessments.run(t.session, t.jurisdictions, studio, ANNUAL_2025)
    record = assessments.store(t.session, admin, outcome, today=TODAY)
    assert studio.status == "disqualified" and funds.ledger(t.session, studio).balance_fen == 0
    with pytest.raises(ValidationError):
        assessments.withdraw(t.session, admin, record, reason="  ", today=TODAY)
    assessments.withdraw(t.session, admin, record, reason="考核材料录入有误", today=TODAY)
    assert studio.status == "active"
    book = funds.ledger(t.session, studio)
    assert book.balance_fen == balance
    recovery = next(a for a in book.allocations if a.source == "recovery" and a.reverses_id is None)
    reversal = next(a for a in book.allocations if a.reverses_id == recovery.id)
    assert reversal.amount_fen == -recovery.amount_fen and reversal.note == "考核材料录入有误"
    assert record.withdrawn_at is not None and record.withdrawal_reason == "考核材料录入有误"
    assert assessments.latest_record(t.session, studio, ANNUAL_2025) is not record
    assert record in assessments.history(t.session, studio, ANNUAL_2025)  # kept in the history
    actions = set(t.session.scalars(select(m.AuditEntry.action).where(m.AuditEntry.tenant_id == t.tenant.id)))
    assert {
        "store_assessment",
        "disqualify",
        "withdraw_assessment",
        "reinstate_studio",
        "reverse_allocation",
    } <= actions
    with pytest.raises(ValidationError):
        assessments.withdraw(t.session, admin, record, reason="again", today=TODAY)
    t.session.rollback()


def test_withdrawing_reinstates_the_members_the_stored_result_removed(tenant_of) -> None:
    """The demo's 2025 results remove nobody, so the proposal carries a removal as Shenyang's
    第十一条 (sy.member.conduct) would decide it; storing applies it, withdrawing reinstates."""
    from mingshi.core.i18n import Text
    from mingshi.core.rules import Removal
    from mingshi.core.services.facts import person_key

    t = tenant_of("shenyang")
    admin = t.actor("shenyang-admin")
    studio = t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
    proposal = assessments.propose(t.session, t.jurisdictions, studio, ANNUAL_2025, today=TODAY)
    member = next(ms for ms in studio.memberships if ms.role == "member" and ms.left is None)
    removal = Removal(person_key(member.person), "sy.member.conduct", "第十一条", dt.date(2025, 12, 31), Text("x"))
    proposal.outcome.evaluation.removals.append(removal)
    proposal.removals.append((member, removal))
    record = assessments._store(t.session, admin, proposal)
    assert member.left == dt.date(2025, 12, 31) and record.applied["memberships"] == [member.id]
    assessments.withdraw(t.session, admin, record, reason="成员考核有误", today=TODAY)
    assert member.left is None and member.removal_rule is None
    reinstated = t.session.scalars(
        select(m.AuditEntry).where(m.AuditEntry.action == "reinstate_member", m.AuditEntry.entity_id == member.id)
    ).one()
    assert reinstated.before["rule"] == "sy.member.conduct" and reinstated.after["reason"] == "成员考核有误"
    t.session.rollback()


def test_a_withdrawal_from_the_page_needs_a_reason(visitor, app, tenant_of) -> None:
    t = tenant_of("shenyang")
    admin = t.actor("shenyang-admin")
    studio = t.session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
    record = assessments.store(
        t.session, admin, assessments.run(t.session, t.jurisdictions, studio, ANNUAL_2025), today=TODAY
    )
    t.session.commit()
    visitor.login("shenyang-admin")
    url = f"/shenyang/studios/{studio.id}/assessment/withdraw"
    assert visitor.post(url, {"record": record.id, "reason": ""}).status_code == 422
    done = visitor.post(url, {"record": record.id, "reason": "录入错误"})
    assert done.status_code == 302
    page = visitor.get(f"/shenyang/studios/{studio.id}/assessment?kind=annual&year=2025").get_data(as_text=True)
    assert "录入错误" in page and 'id="records"' in page
