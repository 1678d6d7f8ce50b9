"""学分认定 (温州 第九条): the service proposes the credits from the stored end-of-cycle result, the
administrator confirms what they saw, and can withdraw or correct a confirmed credit with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services import assessments, credits
from mingshi.core.services.access import Forbidden
from tests.bureau.conftest import TODAY

CYCLE_END = dt.date(2024, 12, 31)  # the demo's previous cycle: 2023-01-01 … 2024-12-31


@pytest.fixture
def wz(tenant_of):
    return tenant_of("wenzhou")


def _ended(t) -> list[m.Studio]:
    return list(t.session.scalars(select(m.Studio).where(m.Studio.status == "completed").order_by(m.Studio.id)))


def _rows(t, studio, *states) -> list[m.CreditRecognition]:
    stmt = select(m.CreditRecognition).where(m.CreditRecognition.studio_id == studio.id)
    if states:
        stmt = stmt.where(m.CreditRecognition.state.in_(states))
    return list(t.session.scalars(stmt.order_by(m.CreditRecognition.id)))


def _audit(t, action: str) -> list[m.AuditEntry]:
    return list(t.session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == action)))


def test_the_demo_has_an_ended_cycle_with_confirmed_and_proposed_credits(wz) -> None:
    confirmed, proposed = _ended(wz)
    assert {r.state for r in _rows(wz, confirmed)} == {"confirmed"}
    assert {r.state for r in _rows(wz, proposed)} == {"proposed"}
    host = next(r for r in _rows(wz, confirmed) if r.role == "host")
    assert host.credits == Decimal(30) and host.basis == "第九条" and host.rule == "wz.credit"
    assert host.confirmed_by_name and host.confirmed_at is not None
    record = assessments.latest_record(wz.session, confirmed, credits.CYCLE)
    assert host.assessment_id == record.id and host.result_fingerprint == credits.result_fingerprint(record)


def test_nothing_is_recognized_before_the_cycle_has_ended(wz) -> None:
    studio = _ended(wz)[1]
    on_the_last_day = credits.preview(wz.session, wz.jurisdictions, studio, today=CYCLE_END)
    assert on_the_last_day.refusal is not None and not on_the_last_day.storable
    assert "2024" in on_the_last_day.refusal.render("en")
    assert "结束后方可认定学分" in on_the_last_day.refusal.render("zh_CN")
    the_day_after = credits.preview(wz.session, wz.jurisdictions, studio, today=CYCLE_END + dt.timedelta(days=1))
    assert the_day_after.refusal is None and the_day_after.lines
    with pytest.raises(ValidationError) as refused:
        credits.store(
            wz.session, wz.actor("wenzhou-admin"), wz.jurisdictions, studio, today=CYCLE_END,
            seen=on_the_last_day.fingerprint(), confirm=True,
        )  # fmt: skip
    assert "period" in refused.value.messages


def test_a_running_cycle_is_refused(wz) -> None:
    running = wz.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
    proposal = credits.preview(wz.session, wz.jurisdictions, running, today=TODAY)
    assert proposal.refusal is not None and not proposal.lines


def test_without_a_stored_result_nothing_is_proposed(wz) -> None:
    studio = _ended(wz)[1]
    record = assessments.latest_record(wz.session, studio, credits.CYCLE)
    assessments.withdraw(wz.session, wz.actor("wenzhou-admin"), record, reason="recomputed", today=TODAY)
    proposal = credits.preview(wz.session, wz.jurisdictions, studio, today=TODAY)
    assert proposal.refusal is not None and "not stored" in proposal.refusal.render("en")


def test_confirming_what_was_seen_confirms_each_person_once(wz) -> None:
    studio = _ended(wz)[1]
    admin = wz.actor("wenzhou-admin")
    proposal = credits.preview(wz.session, wz.jurisdictions, studio, today=TODAY)
    assert proposal.storable and all(line.current is not None for line in proposal.lines)
    seen = proposal.fingerprint()
    written = credits.store(wz.session, admin, wz.jurisdictions, studio, today=TODAY, seen=seen, confirm=True)
    assert len(written) == len(proposal.lines)
    assert {r.state for r in _rows(wz, studio)} == {"confirmed"}  # the proposed rows themselves, confirmed
    assert len(_audit(wz, "confirm_credit")) >= len(written)
    with pytest.raises(ValidationError) as stale:
        credits.store(wz.session, admin, wz.jurisdictions, studio, today=TODAY, seen=seen, confirm=True)
    assert "confirm" in stale.value.messages
    assert not credits.preview(wz.session, wz.jurisdictions, studio, today=TODAY).storable


def test_only_the_administrator_confirms(wz) -> None:
    studio = _ended(wz)[1]
    seen = credits.preview(wz.session, wz.jurisdictions, studio, today=TODAY).fingerprint()
    with pytest.raises(Forbidden):
        credits.store(
            wz.session, wz.actor("wenzhou-reviewer"), wz.jurisdictions, studio, today=TODAY, seen=seen, confirm=True
        )


def test_a_new_result_supersedes_the_proposal_and_shows_against_a_confirmed_credit(wz) -> None:
    confirmed, proposed = _ended(wz)
    admin = wz.actor("wenzhou-admin")
    before = {r.person_id: r.hundredths for r in _rows(wz, proposed)}
    # the bureau changes its reading: a trainee who completed the duties now gets 30 credits
    from mingshi.core.services import parameters as params_service

    params_service.add_value(
        wz.session, admin, wz.jurisdictions,
        {"param_id": "wz.credit.trainee_pass", "value": "30", "valid_from": dt.date(2021, 10, 29),
         "reason": "考核方案"},
    )  # fmt: skip
    proposal = credits.preview(wz.session, wz.jurisdictions, proposed, today=TODAY)
    changed = [line for line in proposal.lines if line.hundredths != before[line.person.id]]
    assert changed and all(line.hundredths == 3000 for line in changed)
    credits.store(
        wz.session, admin, wz.jurisdictions, proposed, today=TODAY, seen=proposal.fingerprint(), confirm=False
    )
    assert len(_rows(wz, proposed, "withdrawn")) == len(changed)
    assert {r.withdrawal_reason for r in _rows(wz, proposed, "withdrawn")} == {credits.SUPERSEDED}
    # a confirmed credit is left as it is: the page shows the difference, a correction changes it
    again = credits.preview(wz.session, wz.jurisdictions, confirmed, today=TODAY)
    assert any(line.differs for line in again.lines) and not again.storable


def test_withdraw_and_correct_a_confirmed_credit_with_a_reason_and_history(wz) -> None:
    studio = _ended(wz)[0]
    admin = wz.actor("wenzhou-admin")
    host, trainee = (next(r for r in _rows(wz, studio) if r.role == role) for role in ("host", "trainee"))
    with pytest.raises(ValidationError) as empty:
        credits.correct(wz.session, admin, host, hundredths=2550, reason=" ")
    assert "reason" in empty.value.messages
    credits.correct(wz.session, admin, host, hundredths=2550, reason="考核方案规定为25.5学分")
    assert host.credits == Decimal("25.5")
    entry = _audit(wz, "correct_credit")[-1]
    assert entry.before == {"credits": "30"} and entry.after["credits"] == "25.5" and entry.entity_id == host.id
    credits.withdraw(wz.session, admin, trainee, reason="学员资格另行认定")
    assert trainee.state == "withdrawn" and trainee.withdrawal_reason == "学员资格另行认定"
    with pytest.raises(ValidationError):
        credits.withdraw(wz.session, admin, trainee, reason="again")
    with pytest.raises(ValidationError):
        credits.correct(wz.session, admin, trainee, hundredths=100, reason="withdrawn rows are not corrected")
    # the person's page lists only what is confirmed and in force
    person = wz.session.get(m.Person, trainee.person_id)
    assert credits.confirmed_of_person(wz.session, person) == []


@pytest.mark.parametrize(("text", "ok"), [("0", 0), ("24", 2400), ("24.5", 2450), ("0.25", 25), ("1000", 100000),
                                          ("1000.01", None), ("-1", None), ("1.005", None), ("1e3", None),
                                          ("abc", None), ("9" * 40, None), ("NaN", None), ("", None)])  # fmt: skip
def test_credits_typed_by_a_person_are_checked_by_name(text, ok) -> None:
    if ok is None:
        with pytest.raises(ValidationError) as refused:
            credits.to_hundredths(text)
        assert "credits" in refused.value.messages
    else:
        assert credits.to_hundredths(text) == ok
