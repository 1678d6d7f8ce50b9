"""Assessments with judgements, stored with their consequences; funds that can never be overspent."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from pathlib import Path

import pytest
from marshmallow import ValidationError
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from mingshi.core import models as m
from mingshi.core import scenario
from mingshi.core.plugins import Jurisdictions
from mingshi.core.services import assessments, funds
from mingshi.core.services.access import actor_for
from mingshi.core.services.evaluation import EvaluationSpec
from mingshi.core.tenancy import bind_tenant
from tests.bureau.conftest import TODAY
from tests.conftest import PG_URL, postgres_only

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def lianyungang(sessions):
    """The shared Lianyungang example in the database, without its judgements, and an administrator."""
    raw = json.loads((EXAMPLES / "lianyungang-annual-excellent.json").read_text(encoding="utf-8"))
    raw["attestations"] = {}
    jurisdictions = Jurisdictions.load()
    data = scenario.validate(raw, jurisdictions)
    session = sessions()
    studio = scenario.load_into(session, data, jurisdictions)
    admin = m.User(
        username="lyg-admin",
        display_name="连云港市科协",
        password_hash=generate_password_hash("x"),
        tenant_id=session.info["tenant_id"],
        roles=[m.UserRole(role="admin")],
    )
    session.add(admin)
    session.commit()
    yield session, jurisdictions, studio, actor_for(session, admin, today=TODAY)
    session.close()


def test_a_judgement_turns_a_pending_grade_into_a_grade(lianyungang) -> None:
    session, jurisdictions, studio, admin = lianyungang
    spec = EvaluationSpec("annual", year=2025)
    first = assessments.run(session, jurisdictions, studio, spec)
    assert first.evaluation.grade == "pending"  # 7 met; c5 and c7 could make it 9 (优秀) or leave it 合格
    record = assessments.store(session, admin, first, today=TODAY)
    assert record.grade == "pending" and record.result["grade"]["label"] == "待定"
    for rule_id in ("lyg.assess.c5", "lyg.assess.c7"):
        assessments.record_attestation(
            session,
            admin,
            jurisdictions,
            studio,
            rule_id=rule_id,
            value=True,
            period="2025",
            comment="材料齐全，成效明显",
        )
    second = assessments.run(session, jurisdictions, studio, spec)
    assert second.evaluation.grade == "excellent"
    changes = assessments.changes(record.result, second.to_json("zh_CN"))
    assert ("grade", "pending", "excellent") in [(c.what, c.before, c.after) for c in changes]
    assert {c.what for c in changes} >= {"lyg.assess.c5", "lyg.assess.c7"}


def test_only_reviewers_and_administrators_judge(lianyungang) -> None:
    session, jurisdictions, studio, admin = lianyungang
    from mingshi.core.services.access import Actor, Forbidden

    host = Actor(
        user_id=None, name="host", tenant_id=admin.tenant_id, roles=frozenset({"host"}), hosted=frozenset({studio.id})
    )
    with pytest.raises(Forbidden):
        assessments.record_attestation(
            session, host, jurisdictions, studio, rule_id="lyg.assess.c5", value=True, period="2025", comment=None
        )
    with pytest.raises(ValidationError, match="not a criterion a reviewer judges"):
        assessments.record_attestation(
            session, admin, jurisdictions, studio, rule_id="lyg.assess.c1", value=True, period="2025", comment=None
        )


def test_assessment_pages_and_the_printable_view(visitor, app) -> None:
    visitor.login("shenyang-admin")
    from tests.web.conftest import studio_of

    studio = studio_of(app, "shenyang")
    page = visitor.get(f"/shenyang/studios/{studio.id}/assessment?kind=annual&year=2025")
    assert page.status_code == 200 and 'data-rule="sy.task.activities"' in page.get_data(as_text=True)
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', page.get_data(as_text=True)).group(1)
    stored = visitor.post(f"/shenyang/studios/{studio.id}/assessment?kind=annual&year=2025", {"seen": seen})
    assert stored.status_code == 302
    table = visitor.get("/shenyang/assessments?kind=annual&year=2025").get_data(as_text=True)
    assert f'data-studio="{studio.name}"' in table and "不合格" in table
    printed = visitor.get(f"/shenyang/studios/{studio.id}/assessment/print?kind=annual&year=2025").get_data(
        as_text=True
    )
    assert "沈教发〔2021〕17号" in printed and "不合格" in printed and "red-head" in printed
    sheet = visitor.get("/shenyang/assessments.xlsx?kind=annual&year=2025")
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"


def test_storing_a_failed_shenyang_year_disqualifies_and_recovers_the_balance(tenant_of) -> None:
    t = tenant_of("shenyang")
    admin = t.actor("shenyang-admin")
    studio = t.session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
    funds.record_allocation(t.session, admin, studio, year=2025, amount_fen=2_000_000, basis="第十二条")
    outcome = assessments.run(t.session, t.jurisdictions, studio, EvaluationSpec("annual", year=2025))
    assert outcome.evaluation.grade == "fail"
    assert {"disqualified", "funds_recovered"} <= {c.type for c in outcome.evaluation.consequences}
    assessments.store(t.session, admin, outcome, today=TODAY)
    assert studio.status == "disqualified"
    assert funds.ledger(t.session, studio).balance_fen == 0


# -- funds ------------------------------------------------------------------------------------


def _funded(t, amount_fen: int = 100_000):
    admin = t.actor("wushen-admin")
    studio = t.session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
    funds.record_allocation(t.session, admin, studio, year=2026, amount_fen=amount_fen, basis="（十九）")
    t.session.commit()
    return admin, studio


def test_an_expense_that_would_overspend_is_refused(tenant_of) -> None:
    t = tenant_of("wushen")
    admin, studio = _funded(t)
    with pytest.raises(ValidationError) as refused:
        funds.record_expense(
            t.session, admin, t.jurisdictions, studio, {"date": TODAY, "category": "books", "amount": 100_001}
        )
    assert refused.value.messages["amount"][0].render("zh_CN") == (
        "this expense of ¥1,000.01 would overspend the balance of ¥1,000.00"
    ) or "¥1,000.01" in refused.value.messages["amount"][0].render("en")
    funds.record_expense(
        t.session, admin, t.jurisdictions, studio, {"date": TODAY, "category": "books", "amount": 99_999}
    )
    assert funds.ledger(t.session, studio).balance_fen == 1
    with pytest.raises(ValidationError):
        funds.record_expense(
            t.session, admin, t.jurisdictions, studio, {"date": TODAY, "category": "books", "amount": 2}
        )


def test_a_correction_is_a_reversing_entry(tenant_of) -> None:
    t = tenant_of("wushen")
    admin, studio = _funded(t)
    expense = funds.record_expense(
        t.session, admin, t.jurisdictions, studio, {"date": TODAY, "category": "travel", "amount": 32_050}
    )
    reversal = funds.reverse_expense(t.session, admin, studio, expense, reason="重复报销", on=TODAY)
    assert reversal.amount_fen == -32_050 and reversal.reverses_id == expense.id
    assert funds.ledger(t.session, studio).balance_fen == 100_000
    assert len(funds.ledger(t.session, studio).expenses) == 2  # the original stays
    with pytest.raises(ValidationError, match="already been reversed"):
        funds.reverse_expense(t.session, admin, studio, expense, reason="again", on=TODAY)
    with pytest.raises(ValidationError, match="cannot itself be reversed"):
        funds.reverse_expense(t.session, admin, studio, reversal, reason="again", on=TODAY)


def test_a_double_submission_records_once(visitor, app) -> None:
    visitor.login("wushen-admin")
    from tests.web.conftest import studio_of

    studio = studio_of(app, "wushen")
    visitor.post(f"/wushen/studios/{studio.id}/allocations", {"year": "2026", "amount": "5000", "source": "grant"})
    form = {"date": TODAY.isoformat(), "category": "books", "amount": "120.50", "idempotency_key": "form-123"}
    first = visitor.post(f"/wushen/studios/{studio.id}/expenses", form, htmx=True)
    second = visitor.post(f"/wushen/studios/{studio.id}/expenses", form, htmx=True)
    assert first.status_code == second.status_code == 200
    page = second.get_data(as_text=True)
    assert page.count("data-expense=") == 1 and "¥4,879.50" in page
    over = visitor.post(
        f"/wushen/studios/{studio.id}/expenses", {**form, "amount": "5000", "idempotency_key": "k2"}, htmx=True
    )
    assert over.status_code == 422 and "超出" in over.get_data(as_text=True)
    bad = visitor.post(
        f"/wushen/studios/{studio.id}/expenses", {**form, "amount": "0.001", "idempotency_key": "k3"}, htmx=True
    )
    assert bad.status_code == 422 and 'value="0.001"' in bad.get_data(as_text=True)


@postgres_only
def test_two_concurrent_expenses_cannot_both_spend_the_balance(app) -> None:
    """Two clerks submit at once, 600 yuan each, against a balance of 1,000: exactly one is recorded."""
    factory = app.extensions["mingshi"]["sessions"]
    jurisdictions = app.extensions["mingshi"]["jurisdictions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wushen"))
        bind_tenant(session, tenant.id)
        admin_user = session.scalar(select(m.User).where(m.User.username == "wushen-admin"))
        studio = session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
        actor = actor_for(session, admin_user, today=TODAY)
        funds.record_allocation(session, actor, studio, year=2026, amount_fen=100_000)
        session.commit()
        studio_id, tenant_id = studio.id, tenant.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def clerk(key: str) -> None:
        with factory() as session:
            bind_tenant(session, tenant_id)
            funds.begin_write(session)
            barrier.wait()
            try:
                funds.record_expense(
                    session,
                    actor,
                    jurisdictions,
                    session.get(m.Studio, studio_id),
                    {"date": TODAY, "category": "books", "amount": 60_000},
                    idempotency_key=key,
                )
                session.commit()
                outcomes.append("recorded")
            except ValidationError:
                session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=clerk, args=(k,)) for k in ("a", "b")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert sorted(outcomes) == ["recorded", "refused"]
    assert PG_URL


def test_the_year_end_usage_report(tenant_of) -> None:
    t = tenant_of("wushen")
    admin, studio = _funded(t)
    funds.record_expense(
        t.session, admin, t.jurisdictions, studio, {"date": dt.date(2026, 3, 1), "category": "books", "amount": 10_000}
    )
    report = funds.usage_report(funds.ledger(t.session, studio), 2026)
    assert (report.allocated_fen, report.spent_fen, report.balance_fen) == (100_000, 10_000, 90_000)
    assert report.by_category == {"books": 10_000}


def test_a_double_submitted_grant_records_once(visitor, app) -> None:
    visitor.login("wushen-admin")
    from tests.web.conftest import studio_of

    studio = studio_of(app, "wushen")
    form = {"year": "2026", "amount": "5000", "source": "grant", "idempotency_key": "grant-form-1"}
    for _ in range(2):
        assert visitor.post(f"/wushen/studios/{studio.id}/allocations", form, htmx=True).status_code == 200
    page = visitor.get(f"/wushen/studios/{studio.id}/funds").get_data(as_text=True)
    assert 'id="balance">¥5,000.00' in page
