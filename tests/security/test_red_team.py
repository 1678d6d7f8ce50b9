"""The red team's findings of issue 14, one test (or more) each, named after the finding.

Each test replays the hostile input that was reported and asserts the answer now: a clear
message or a 404, fast, never a 500 (the app runs with ``TESTING``: an unexpected exception is
re-raised and fails the test). The races of findings 1, 6, 7 and 8 are in ``test_concurrency.py``.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from core import models as m
from core.money import MoneyError, parse_yuan
from core.services import funds
from core.services.access import actor_for
from core.tenancy import bind_tenant
from tests.web.conftest import TODAY, studio_of


def _session(app, code: str):
    factory = app.extensions["mingshi"]["sessions"]
    session = factory()
    tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == code))
    bind_tenant(session, tenant.id)
    return session, tenant


def _actor(session, username: str):
    return actor_for(session, session.scalar(select(m.User).where(m.User.username == username)), today=TODAY)


# ---------------------------------------------------------------------------------------------
# 1. one expense reversed many times


def test_finding_1_an_expense_is_reversed_once_by_the_service_and_by_the_database(app) -> None:
    session, _tenant = _session(app, "wushen")
    admin = _actor(session, "wushen-admin")
    studio = session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
    funds.record_allocation(session, admin, studio, year=2026, amount_fen=100_000)
    expense = funds.record_expense(
        session,
        admin,
        app.extensions["mingshi"]["jurisdictions"],
        studio,
        {"date": TODAY, "category": "books", "amount": 10_000},
    )
    funds.reverse_expense(session, admin, studio, expense, reason="twice", on=TODAY)
    session.commit()
    from marshmallow import ValidationError

    with pytest.raises(ValidationError, match="already been reversed"):
        funds.reverse_expense(session, admin, studio, expense, reason="again", on=TODAY)
    session.rollback()
    # the database refuses a second reversal written past the service (raw SQL)
    row = {
        "tenant_id": studio.tenant_id,
        "studio_id": studio.id,
        "date": TODAY,
        "category": "books",
        "amount_fen": -10_000,
        "reverses_id": expense.id,
        "created_at": TODAY,
    }
    with pytest.raises(IntegrityError):
        session.execute(insert(m.Expense.__table__).values(**row))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(m.Expense).where(m.Expense.reverses_id == expense.id)) == 1
    session.close()


# ---------------------------------------------------------------------------------------------
# 2. one request by a member freezes the server


@pytest.mark.parametrize("hostile", ["1e999990", "1e1000000", "-1e1000000", "9" * 5000, "1" * 40, "1." + "0" * 100])
def test_finding_2_a_hostile_amount_is_refused_at_once(hostile: str) -> None:
    started = time.perf_counter()
    with pytest.raises(MoneyError):
        parse_yuan(hostile, allow_negative=True)
    assert time.perf_counter() - started < 0.05


def test_finding_2_decimal_and_int_amounts_are_bounded_too() -> None:
    from decimal import Decimal

    for hostile in (Decimal("1e999990"), Decimal("-1e1000000"), 10**30):
        with pytest.raises(MoneyError, match="too large"):
            parse_yuan(hostile, allow_negative=True)
    assert parse_yuan(Decimal("9999999999999.99")) == 999_999_999_999_999
    assert parse_yuan("9,999,999,999,999.99") == 999_999_999_999_999


@pytest.mark.parametrize("hostile", ["1e999990", "1e1000000"])
def test_finding_2_a_member_posting_a_hostile_amount_is_refused_before_it_is_read(visitor, app, hostile) -> None:
    studio = studio_of(app, "lianyungang", "lianyungang-member")
    visitor.login("lianyungang-member")
    started = time.perf_counter()
    answer = visitor.post(
        f"/lianyungang/studios/{studio.id}/expenses", {"date": "2026-11-01", "category": "books", "amount": hostile}
    )
    assert answer.status_code == 403
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("route", ["expenses", "allocations"])
def test_finding_2_a_hostile_amount_from_an_administrator_is_a_field_error(visitor, app, route) -> None:
    studio = studio_of(app, "lianyungang")
    visitor.login("lianyungang-admin")
    form = {"date": "2026-11-01", "category": "books", "year": "2026", "source": "grant", "amount": "1e1000000"}
    started = time.perf_counter()
    answer = visitor.post(f"/lianyungang/studios/{studio.id}/{route}", form, htmx=True)
    assert answer.status_code == 422
    assert time.perf_counter() - started < 1
    page = answer.get_data(as_text=True)
    assert 'value="1e1000000"' in page  # what was typed is kept
    assert "不是金额" in page
