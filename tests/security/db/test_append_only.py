"""Money and the audit log are append-only at the database: UPDATE and DELETE are refused by triggers.

On both databases, through the ORM and through raw SQL alike; a correction is a reversing entry.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from mingshi.core import models as m
from mingshi.core.tenancy import bind_tenant

APPEND_ONLY = ("expenses", "fund_allocations", "audit_log")


@pytest.fixture
def ledger(sessions) -> dict[str, int]:
    """A tenant with a studio, an allocation, an expense and an audit entry."""
    with sessions() as session:
        tenant = m.Tenant(code="t", name="T", jurisdiction="x")
        session.add(tenant)
        session.flush()
        bind_tenant(session, tenant.id)
        studio = m.Studio(name="s", kind="studio")
        session.add(studio)
        session.flush()
        allocation = m.FundAllocation(studio_id=studio.id, year=2026, source="grant", amount_fen=1_000_000)
        expense = m.Expense(studio_id=studio.id, date=dt.date(2026, 5, 1), category="books", amount_fen=2_500)
        session.add_all([allocation, expense])
        session.flush()
        entry = m.AuditEntry(tenant_id=tenant.id, action="record", entity="expense", entity_id=expense.id)
        session.add(entry)
        session.commit()
        return {"tenant": tenant.id, "studio": studio.id, "expense": expense.id, "entry": entry.id}


def _rows(sessions, table: str) -> list[tuple]:
    with sessions() as session:
        return [tuple(r) for r in session.connection().execute(text(f"SELECT * FROM {table} ORDER BY id"))]


@pytest.mark.parametrize("table", APPEND_ONLY)
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {table} SET created_at = created_at", "UPDATE {table} SET id = id + 100", "DELETE FROM {table}"],
    ids=["update", "update-id", "delete"],
)
def test_raw_sql_cannot_change_or_delete(sessions, ledger, table, statement) -> None:
    if table == "audit_log":
        statement = statement.replace("created_at", "at")
    before = _rows(sessions, table)
    assert before
    with sessions() as session:
        with pytest.raises(IntegrityError, match="append-only"):
            session.connection().execute(text(statement.format(table=table)))
        session.rollback()
    assert _rows(sessions, table) == before


def test_the_orm_cannot_change_or_delete(sessions, ledger) -> None:
    with sessions() as session:
        bind_tenant(session, ledger["tenant"])
        expense = session.get(m.Expense, ledger["expense"])
        expense.amount_fen = 1
        with pytest.raises(IntegrityError, match="append-only"):
            session.flush()
        session.rollback()
        allocation = session.scalars(select(m.FundAllocation)).one()
        session.delete(allocation)
        with pytest.raises(IntegrityError, match="append-only"):
            session.flush()
        session.rollback()
        entry = session.get(m.AuditEntry, ledger["entry"])
        entry.after = {"rewritten": True}
        with pytest.raises(IntegrityError, match="append-only"):
            session.flush()


def test_a_correction_is_a_reversing_entry(sessions, ledger) -> None:
    with sessions() as session:
        bind_tenant(session, ledger["tenant"])
        original = session.get(m.Expense, ledger["expense"])
        reversal = m.Expense(
            studio_id=original.studio_id,
            date=dt.date(2026, 5, 2),
            category=original.category,
            amount_fen=-original.amount_fen,
            reverses_id=original.id,
            note="entered twice",
        )
        corrected = m.Expense(studio_id=original.studio_id, date=original.date, category="books", amount_fen=250)
        session.add_all([reversal, corrected])
        session.commit()
    with sessions() as session:
        bind_tenant(session, ledger["tenant"])
        assert session.scalar(select(func.sum(m.Expense.amount_fen))) == 250
        assert session.scalar(select(m.Expense.amount_fen).where(m.Expense.id == ledger["expense"])) == 2_500
        assert session.scalar(select(m.Expense.reverses_id).where(m.Expense.amount_fen < 0)) == ledger["expense"]


def test_other_tables_still_change(sessions, ledger) -> None:
    """The triggers are on the three append-only tables only."""
    with sessions() as session:
        bind_tenant(session, ledger["tenant"])
        studio = session.get(m.Studio, ledger["studio"])
        studio.name = "renamed"
        session.commit()
    with sessions() as session:
        assert session.connection().execute(text("SELECT name FROM studios")).scalar_one() == "renamed"
