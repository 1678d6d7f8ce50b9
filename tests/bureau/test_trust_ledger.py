"""Observation 2 of issue 13: one ledger, one truth — a funding stop blocks the grant, no expense in the
future, a reversal counts in its original's year, matching funds apart; every figure from the rows."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.money import format_yuan_display
from mingshi.core.services import assessments, funds
from mingshi.core.services.evaluation import EvaluationSpec
from tests.bureau.conftest import TODAY


def _studio(t) -> m.Studio:
    return t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()


def test_a_funding_stop_blocks_a_grant_for_the_stopped_year_unless_overridden(tenant_of) -> None:
    t = tenant_of("shenyang")
    admin = t.actor("shenyang-admin")
    studio = _studio(t)
    record = assessments.latest_record(t.session, studio, EvaluationSpec("annual", year=2025))
    assert record is not None and record.result["funding"]["amount"] == "0.00"  # the demo's stored 2025 result
    stopped = record.result["funding"]["year"]
    assert stopped in funds.stopped_years(t.session, studio)
    with pytest.raises(ValidationError) as refused:
        funds.record_allocation(t.session, admin, studio, year=stopped, amount_fen=1_000_000, basis="第十二条")
    assert "override_reason" in refused.value.messages
    granted = funds.record_allocation(
        t.session, admin, studio, year=stopped, amount_fen=1_000_000, basis="第十二条", override_reason="复核后恢复拨付"
    )
    assert granted.override_reason == "复核后恢复拨付"
    # a year no stored result stopped needs no reason
    other = funds.record_allocation(t.session, admin, studio, year=stopped - 1, amount_fen=100, basis="第十二条")
    assert other.override_reason is None
    # a withdrawn result stops nothing
    assessments.withdraw(t.session, admin, record, reason="录入有误", today=TODAY)
    assert stopped not in funds.stopped_years(t.session, studio)
    t.session.rollback()


def test_the_grant_form_refuses_a_stopped_year_and_names_the_reason_field(visitor, app, tenant_of) -> None:
    t = tenant_of("shenyang")
    studio = _studio(t)
    year = assessments.latest_record(t.session, studio, EvaluationSpec("annual", year=2025)).result["funding"]["year"]
    t.session.rollback()
    visitor.login("shenyang-admin")
    page = visitor.get(f"/shenyang/studios/{studio.id}/funds").get_data(as_text=True)
    assert 'id="stops"' in page
    refused = visitor.post(f"/shenyang/studios/{studio.id}/allocations", {"year": year, "amount": "10000"})
    assert refused.status_code == 422 and "停止" in refused.get_data(as_text=True)


def test_an_expense_cannot_be_dated_in_the_future(tenant_of, visitor) -> None:
    t = tenant_of("wushen")
    admin = t.actor("wushen-admin")
    studio = _studio(t)
    funds.record_allocation(t.session, admin, studio, year=2026, amount_fen=100_000, basis="（十九）")
    data = {"date": TODAY + dt.timedelta(days=1), "category": "books", "amount": 100}
    with pytest.raises(ValidationError) as refused:
        funds.record_expense(t.session, admin, t.jurisdictions, studio, data, today=TODAY)
    assert "date" in refused.value.messages
    funds.record_expense(t.session, admin, t.jurisdictions, studio, {**data, "date": TODAY}, today=TODAY)
    t.session.commit()
    visitor.login("wushen-admin")
    answer = visitor.post(
        f"/wushen/studios/{studio.id}/expenses", {"date": "2027-01-05", "category": "books", "amount": "1"}
    )
    assert answer.status_code == 422 and "未来" in answer.get_data(as_text=True)


def test_a_reversal_is_reported_in_the_original_year_with_both_dates(tenant_of, visitor) -> None:
    t = tenant_of("wushen")
    admin = t.actor("wushen-admin")
    studio = _studio(t)
    funds.record_allocation(t.session, admin, studio, year=2025, amount_fen=500_000, basis="（十九）")
    before = {y: funds.usage_report(funds.ledger(t.session, studio), y) for y in (2025, 2026)}
    expense = funds.record_expense(
        t.session, admin, t.jurisdictions, studio, {"date": dt.date(2025, 6, 1), "category": "books", "amount": 30_000}
    )
    funds.reverse_expense(t.session, admin, studio, expense, reason="重复录入", on=TODAY)
    book = funds.ledger(t.session, studio)
    after = {y: funds.usage_report(book, y) for y in (2025, 2026)}
    assert after[2025].spent_fen == before[2025].spent_fen  # the expense and its reversal both count in 2025
    assert after[2026].spent_fen == before[2026].spent_fen
    assert after[2026].carried_in_fen == before[2026].carried_in_fen
    t.session.commit()
    visitor.login("wushen-admin")
    page = visitor.get(f"/wushen/studios/{studio.id}/funds").get_data(as_text=True)
    row = re.search(rf'<tr data-expense="\d+"><td>2026年11月20日</td><td>[^<]*{expense.id}[^<]*<', page)
    assert row and "2025年6月1日" in row.group(0)


def test_school_matching_funds_are_shown_apart_and_not_spendable(tenant_of, visitor) -> None:
    t = tenant_of("wushen")
    admin = t.actor("wushen-admin")
    studio = t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id.desc())).first()
    balance = funds.ledger(t.session, studio).balance_fen
    funds.record_allocation(t.session, admin, studio, year=2026, amount_fen=5_000_000, source="school_matching")
    book = funds.ledger(t.session, studio)
    assert book.balance_fen == balance and book.matching_fen >= 5_000_000
    with pytest.raises(ValidationError):
        funds.record_expense(
            t.session, admin, t.jurisdictions, studio, {"date": TODAY, "category": "books", "amount": balance + 1}
        )
    t.session.commit()
    visitor.login("wushen-admin")
    page = visitor.get(f"/wushen/studios/{studio.id}/funds").get_data(as_text=True)
    assert f'<strong id="balance">{format_yuan_display(balance)}</strong>' in page
    assert f'<strong id="matching">{format_yuan_display(book.matching_fen)}</strong>' in page


@pytest.mark.parametrize("code", ["shenyang", "lianyungang", "wushen", "wenzhou"])
def test_every_figure_of_the_funds_page_and_the_year_report_is_recomputed_from_the_ledger_rows(
    tenant_of, visitor, code: str
) -> None:
    t = tenant_of(code)
    studio = _studio(t)
    allocations = list(t.session.scalars(select(m.FundAllocation).where(m.FundAllocation.studio_id == studio.id)))
    expenses = list(t.session.scalars(select(m.Expense).where(m.Expense.studio_id == studio.id)))
    t.session.rollback()
    dates = {e.id: e.date for e in expenses}
    granted: dict[int, int] = defaultdict(int)
    spent: dict[int, int] = defaultdict(int)
    for a in allocations:
        if a.source in ("grant", "recovery"):
            granted[a.year] += a.amount_fen
    for e in expenses:
        spent[dates.get(e.reverses_id, e.date).year] += e.amount_fen
    balance = sum(granted.values()) - sum(spent.values())
    visitor.login(f"{code}-admin")
    page = visitor.get(f"/{code}/studios/{studio.id}/funds").get_data(as_text=True)
    assert f'<strong id="balance">{format_yuan_display(balance)}</strong>' in page
    for year in sorted(set(granted) | set(spent)):
        carried = sum(granted[y] for y in granted if y < year) - sum(spent[y] for y in spent if y < year)
        report = visitor.get(f"/{code}/studios/{studio.id}/funds/report?year={year}").get_data(as_text=True)
        for fen in (carried, granted[year], spent[year], carried + granted[year] - spent[year]):
            assert format_yuan_display(fen) in report, (year, fen)
