"""A studio's special fund (专款专用): allocations, the expense ledger, its balance and the year-end report.

Money is integer fen. Allocations and expenses are append-only: a correction is a reversing row
that references the original. An expense that would take the balance below zero is refused. Two
expenses submitted at the same time are serialised (a row lock on the studio on PostgreSQL,
``BEGIN IMMEDIATE`` on SQLite), so they cannot both spend the same balance; an expense form's
one-time key makes a double submission record once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.i18n import Text
from mingshi.core.money import format_yuan_display
from mingshi.core.plugins import Jurisdictions
from mingshi.core.services import audit
from mingshi.core.services.access import Actor
from mingshi.core.services.workspace import jurisdiction_of

#: the sources that make up the programme's special fund (the school's matching funds are its own)
FUND_SOURCES = ("grant", "recovery")


def begin_write(session: Session) -> None:
    """Start the write transaction of a unit of work that reads then writes money.

    Whatever the session read before (the tenant, the user) is committed; the new transaction is
    ``BEGIN IMMEDIATE`` on SQLite, so a concurrent writer waits instead of reading the same balance.
    """
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def _is_unique_violation(exc: IntegrityError) -> bool:
    if getattr(exc.orig, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
        return True
    return "UNIQUE constraint failed" in str(exc.orig)  # SQLite


def _insert_unique(session: Session, row: Any) -> bool:
    """Insert ``row`` in a savepoint; False (and nothing inserted) when a unique key refused it."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        if not _is_unique_violation(exc):
            raise
        return False
    return True


def _expense_with_key(session: Session, key: str) -> m.Expense | None:
    return session.scalar(select(m.Expense).where(m.Expense.idempotency_key == key))


def _allocation_with_key(session: Session, key: str) -> m.FundAllocation | None:
    return session.scalar(select(m.FundAllocation).where(m.FundAllocation.idempotency_key == key))


def _lock_studio(session: Session, studio: m.Studio) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(m.Studio.id).where(m.Studio.id == studio.id).with_for_update())


@dataclass
class Ledger:
    allocations: list[m.FundAllocation] = field(default_factory=list)
    expenses: list[m.Expense] = field(default_factory=list)

    @property
    def allocated_fen(self) -> int:
        return sum(a.amount_fen for a in self.allocations if a.source in FUND_SOURCES)

    @property
    def spent_fen(self) -> int:
        return sum(e.amount_fen for e in self.expenses)

    @property
    def balance_fen(self) -> int:
        return self.allocated_fen - self.spent_fen

    @property
    def reversed_ids(self) -> set[int]:
        return {e.reverses_id for e in self.expenses if e.reverses_id is not None}

    @property
    def matching_fen(self) -> int:
        """The school's matching funds (配套经费): shown apart, never spendable from the subsidy."""
        return sum(a.amount_fen for a in self.allocations if a.source == "school_matching")

    def booked_on(self, expense: m.Expense) -> dt.date:
        """The date an entry counts on: a reversal counts on its original's date (in the original's
        year), so a correction made later leaves each year's report right; both dates are kept."""
        if expense.reverses_id is None:
            return expense.date
        original = next((e for e in self.expenses if e.id == expense.reverses_id), None)
        return original.date if original is not None else expense.date

    def spent_by_category(self, year: int | None = None) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for e in self.expenses:
            if year is None or self.booked_on(e).year == year:
                totals[e.category] += e.amount_fen
        return dict(totals)


def ledger(session: Session, studio: m.Studio) -> Ledger:
    allocations = list(
        session.scalars(
            select(m.FundAllocation)
            .where(m.FundAllocation.studio_id == studio.id)
            .order_by(m.FundAllocation.year, m.FundAllocation.id)
        )
    )
    expenses = list(
        session.scalars(
            select(m.Expense).where(m.Expense.studio_id == studio.id).order_by(m.Expense.date, m.Expense.id)
        )
    )
    return Ledger(allocations, expenses)


def record_expense(
    session: Session,
    actor: Actor,
    jurisdictions: Jurisdictions,
    studio: m.Studio,
    data: Mapping[str, Any],
    *,
    idempotency_key: str | None = None,
    today: dt.date | None = None,
) -> m.Expense:
    """Record an expense; refused when it would overspend the balance or is dated after ``today``.
    Call :func:`begin_write` first."""
    actor.require_manage_studio(studio.id)
    jurisdiction = jurisdiction_of(session, jurisdictions)
    errors: dict[str, list[str]] = {}
    if data["category"] not in jurisdiction.vocabulary.codes("expense_categories"):
        errors["category"] = ["not a valid choice"]
    amount = data["amount"]
    if amount <= 0:
        errors["amount"] = ["an expense must be more than zero"]
    if today is not None and data["date"] > today:
        errors["date"] = ["an expense cannot be dated in the future"]
    activity_id = data.get("activity_id")
    if activity_id is not None:
        activity = session.get(m.Activity, activity_id)
        if activity is None or activity.studio_id != studio.id or activity.withdrawn_at is not None:
            errors["activity_id"] = ["not an activity of this studio"]
    if errors:
        raise ValidationError(errors)
    _lock_studio(session, studio)
    # under the lock: a repeat of a form already recorded answers what the first one recorded
    if idempotency_key and (existing := _expense_with_key(session, idempotency_key)) is not None:
        return existing
    balance = ledger(session, studio).balance_fen
    if amount > balance:
        message = Text(
            "this expense of %(amount)s would overspend the balance of %(balance)s",
            {"amount": format_yuan_display(amount), "balance": format_yuan_display(balance)},
        )
        raise ValidationError({"amount": [message]})
    expense = m.Expense(
        studio_id=studio.id,
        date=data["date"],
        category=data["category"],
        amount_fen=amount,
        note=data.get("note"),
        activity_id=activity_id,
        idempotency_key=idempotency_key,
        created_by_id=actor.user_id,
    )
    if not _insert_unique(session, expense):
        # a concurrent submission of the same form won the race: answer what it recorded
        existing = _expense_with_key(session, idempotency_key) if idempotency_key else None
        if existing is None:
            raise ValidationError({"amount": ["this form was already submitted"]})
        return existing
    audit.record(session, actor, "record_expense", "expense", expense.id, None, audit.snapshot(expense))
    return expense


def reverse_expense(
    session: Session, actor: Actor, studio: m.Studio, expense: m.Expense, *, reason: str, on: dt.date
) -> m.Expense:
    """Correct an expense by a reversing entry (the original stays)."""
    actor.require_manage_studio(studio.id)
    if expense.studio_id != studio.id:
        raise ValidationError({"expense": ["not an expense of this studio"]})
    if expense.reverses_id is not None:
        raise ValidationError({"expense": ["a reversing entry cannot itself be reversed"]})
    # checked under the studio's lock (and by the unique index on reverses_id behind it)
    _lock_studio(session, studio)
    if session.scalar(select(m.Expense.id).where(m.Expense.reverses_id == expense.id)) is not None:
        raise ValidationError({"expense": ["this expense has already been reversed"]})
    reversal = m.Expense(
        studio_id=studio.id,
        date=on,
        category=expense.category,
        amount_fen=-expense.amount_fen,
        note=reason,
        reverses_id=expense.id,
        created_by_id=actor.user_id,
    )
    if not _insert_unique(session, reversal):
        raise ValidationError({"expense": ["this expense has already been reversed"]})
    audit.record(session, actor, "reverse_expense", "expense", reversal.id, None, audit.snapshot(reversal))
    return reversal


def record_allocation(
    session: Session,
    actor: Actor,
    studio: m.Studio,
    *,
    year: int,
    amount_fen: int,
    source: str = "grant",
    basis: str | None = None,
    note: str | None = None,
    idempotency_key: str | None = None,
    override_reason: str | None = None,
) -> m.FundAllocation:
    """Grant money to a studio for a year (city administrator only); a repeated form key records once.

    A grant for a year a stored assessment stopped is refused unless ``override_reason`` says why."""
    actor.require_admin()
    if source not in ("grant", "school_matching", "recovery"):
        raise ValidationError({"source": ["not a valid choice"]})
    if source == "grant" and amount_fen <= 0:
        raise ValidationError({"amount": ["an allocation must be more than zero"]})
    override_reason = (override_reason or "").strip() or None
    stop = stopped_years(session, studio).get(year) if source == "grant" else None
    if stop is not None and override_reason is None:
        message = Text(STOPPED, {"year": year, "period": stop.period, "basis": stop.basis})
        raise ValidationError({"override_reason": [message]})
    _lock_studio(session, studio)
    if idempotency_key and (existing := _allocation_with_key(session, idempotency_key)) is not None:
        return existing
    allocation = m.FundAllocation(
        studio_id=studio.id,
        year=year,
        source=source,
        amount_fen=amount_fen,
        basis=basis,
        note=note,
        idempotency_key=idempotency_key,
        override_reason=override_reason if stop is not None else None,
        created_by_id=actor.user_id,
    )
    if not _insert_unique(session, allocation):
        existing = _allocation_with_key(session, idempotency_key) if idempotency_key else None
        if existing is None:
            raise ValidationError({"amount": ["this form was already submitted"]})
        return existing
    audit.record(
        session, actor, "record_allocation", "fund_allocation", allocation.id, None, audit.snapshot(allocation)
    )
    return allocation


STOPPED = (
    "funding for %(year)s was stopped by the stored assessment of %(period)s (%(basis)s): "
    "give a reason to grant it anyway"
)


@dataclass(frozen=True)
class Stop:
    year: int
    #: the stored assessment's period ("2025")
    period: str
    basis: str


def stopped_years(session: Session, studio: m.Studio) -> dict[int, Stop]:
    """The years whose funding a stored (not withdrawn) annual assessment stopped: a
    ``funding_stopped`` consequence, or a payable amount of zero for a year it names."""
    stops: dict[int, Stop] = {}
    records = session.scalars(
        select(m.AssessmentRecord)
        .where(
            m.AssessmentRecord.studio_id == studio.id,
            m.AssessmentRecord.kind == "annual",
            m.AssessmentRecord.withdrawn_at.is_(None),
        )
        .order_by(m.AssessmentRecord.id)
    )
    for record in records:
        for c in record.result.get("consequences", []):
            if c.get("type") == "funding_stopped" and c.get("year"):
                stops[int(c["year"])] = Stop(int(c["year"]), record.period, c.get("basis") or "")
        funding = record.result.get("funding") or {}
        if funding.get("year") and funding.get("amount") in ("0", "0.00"):
            year = int(funding["year"])
            stops.setdefault(year, Stop(year, record.period, funding.get("basis") or ""))
    return stops


def recover_unused(
    session: Session, actor: Actor, studio: m.Studio, *, year: int, basis: str
) -> m.FundAllocation | None:
    """Recover the unused balance (回收未使用的经费): a negative allocation that brings the balance to zero."""
    return recover_unused_many(session, actor, [(studio, year, basis)])[studio.id]


def balances(session: Session, studio_ids: list[int]) -> dict[int, int]:
    """Each studio's balance (what :class:`Ledger` gives as ``balance_fen``) in two statements."""
    if not studio_ids:
        return {}
    FA, X = m.FundAllocation, m.Expense
    allocated = dict(
        session.execute(
            select(FA.studio_id, func.sum(FA.amount_fen))
            .where(FA.studio_id.in_(studio_ids), FA.source.in_(FUND_SOURCES))
            .group_by(FA.studio_id)
        ).all()
    )
    spent = dict(
        session.execute(
            select(X.studio_id, func.sum(X.amount_fen)).where(X.studio_id.in_(studio_ids)).group_by(X.studio_id)
        ).all()
    )
    return {i: int(allocated.get(i) or 0) - int(spent.get(i) or 0) for i in studio_ids}


def recover_unused_many(
    session: Session, actor: Actor, items: list[tuple[m.Studio, int, str]]
) -> dict[int, m.FundAllocation | None]:
    """:func:`recover_unused` for many studios ((studio, year, basis) each) in a constant number of
    statements: the studios locked at once (in id order), their balances, the recoveries inserted
    together. By studio id: the recovery, or None where nothing was left."""
    actor.require_admin()
    if not items:
        return {}
    ids = sorted({studio.id for studio, _y, _b in items})
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(m.Studio.id).where(m.Studio.id.in_(ids)).order_by(m.Studio.id).with_for_update())
    balance = balances(session, ids)
    out: dict[int, m.FundAllocation | None] = {}
    for studio, year, basis in items:
        left = balance[studio.id]
        out[studio.id] = (
            m.FundAllocation(
                studio_id=studio.id,
                year=year,
                source="recovery",
                amount_fen=-left,
                basis=basis,
                note="unused balance",
                created_by_id=actor.user_id,
            )
            if left > 0
            else None
        )
    made = [a for a in out.values() if a is not None]
    session.add_all(made)
    session.flush()
    for allocation in made:
        audit.record(
            session, actor, "record_allocation", "fund_allocation", allocation.id, None, audit.snapshot(allocation)
        )
    return out


def reverse_allocation(
    session: Session, actor: Actor, studio: m.Studio, allocation: m.FundAllocation, *, reason: str
) -> m.FundAllocation:
    """Correct an allocation (e.g. a recovery of a withdrawn assessment) by a reversing row of the same
    year and source with the opposite amount; the original stays."""
    actor.require_admin()
    if allocation.studio_id != studio.id:
        raise ValidationError({"allocation": ["not an allocation of this studio"]})
    if allocation.reverses_id is not None:
        raise ValidationError({"allocation": ["a reversing entry cannot itself be reversed"]})
    if session.scalar(select(m.FundAllocation.id).where(m.FundAllocation.reverses_id == allocation.id)) is not None:
        raise ValidationError({"allocation": ["this allocation has already been reversed"]})
    _lock_studio(session, studio)
    reversal = m.FundAllocation(
        studio_id=studio.id,
        year=allocation.year,
        source=allocation.source,
        amount_fen=-allocation.amount_fen,
        basis=allocation.basis,
        note=reason,
        reverses_id=allocation.id,
        created_by_id=actor.user_id,
    )
    session.add(reversal)
    session.flush()
    audit.record(session, actor, "reverse_allocation", "fund_allocation", reversal.id, None, audit.snapshot(reversal))
    return reversal


@dataclass(frozen=True)
class UsageReport:
    year: int
    allocated_fen: int
    spent_fen: int
    by_category: dict[str, int]
    carried_in_fen: int

    @property
    def balance_fen(self) -> int:
        return self.carried_in_fen + self.allocated_fen - self.spent_fen


def usage_report(book: Ledger, year: int) -> UsageReport:
    """The year-end report of fund use (年末报送经费使用情况): granted, spent by category, balance."""
    before = sum(a.amount_fen for a in book.allocations if a.source in FUND_SOURCES and a.year < year) - sum(
        e.amount_fen for e in book.expenses if book.booked_on(e).year < year
    )
    return UsageReport(
        year=year,
        allocated_fen=sum(a.amount_fen for a in book.allocations if a.source in FUND_SOURCES and a.year == year),
        spent_fen=sum(e.amount_fen for e in book.expenses if book.booked_on(e).year == year),
        by_category=book.spent_by_category(year),
        carried_in_fen=before,
    )
