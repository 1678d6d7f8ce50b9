from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.money import MoneyError, format_fen, format_yuan_display, parse_yuan, sum_fen
from mingshi.core.tenancy import bind_tenant


@pytest.mark.parametrize(
    ("text", "fen"),
    [("320.50", 32050), ("0.01", 1), ("10000", 1_000_000), ("¥1,234.5", 123450), (" 7 ", 700), ("0", 0)],
)
def test_parse_yuan(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("bad", ["0.001", "abc", "", "NaN", "Infinity", "-1", "1e30"])
def test_parse_yuan_refuses(bad: str) -> None:
    with pytest.raises(MoneyError):
        parse_yuan(bad)


def test_floats_are_refused() -> None:
    with pytest.raises(MoneyError, match="decimal string"):
        parse_yuan(0.3)  # type: ignore[arg-type]


def test_negative_when_allowed() -> None:
    assert parse_yuan("-12.30", allow_negative=True) == -1230
    assert format_fen(-1230) == "-12.30"
    assert format_fen(-5) == "-0.05"


def test_display() -> None:
    assert format_yuan_display(123456789) == "¥1,234,567.89"


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_round_trip(fen: int) -> None:
    assert parse_yuan(format_fen(fen), allow_negative=True) == fen


def test_sums_exactly_in_the_database(sessions) -> None:
    """0.10 + 0.20 is 0.30 in storage, not 0.30000000000000004."""
    with sessions() as session:
        tenant = m.Tenant(code="t", name="T", jurisdiction="x")
        session.add(tenant)
        session.flush()
        bind_tenant(session, tenant.id)
        studio = m.Studio(name="S", kind="studio")
        session.add(studio)
        session.flush()
        for amount in ["0.10", "0.20", "1234567.89", "0.01"]:
            session.add(
                m.Expense(
                    studio_id=studio.id,
                    date=__import__("datetime").date(2025, 1, 1),
                    category="x",
                    amount_fen=parse_yuan(amount),
                )
            )
        session.commit()
        total = session.scalar(select(sum_fen(m.Expense.amount_fen)))
        assert isinstance(total, int)
        assert format_fen(total) == "1234568.20"
        assert Decimal(format_fen(total)) == Decimal("0.10") + Decimal("0.20") + Decimal("1234567.89") + Decimal("0.01")
