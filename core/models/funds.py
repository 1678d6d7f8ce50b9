"""Money: allocations and expenses, integer fen, append-only.

A correction is a new row that reverses the original (``reverses_id``) with the opposite
amount; rows are never updated or deleted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.tenancy import TenantScoped


class FundAllocation(TenantScoped, Base):
    """Money granted to a studio for a year: ``source`` is the programme's grant or the school's matching funds."""

    __tablename__ = "fund_allocations"
    __table_args__ = (
        Index("uq_fund_allocations_tenant_id_idempotency_key", "tenant_id", "idempotency_key", unique=True),
        # an allocation is reversed at most once (migration 0005)
        Index("uq_fund_allocations_reverses_id", "reverses_id", unique=True),
    )

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id", ondelete="RESTRICT")
    year: Mapped[int] = mapped_column(Integer, index=True)
    #: grant (the programme's funds) · school_matching (配套经费) · recovery (returned, negative)
    source: Mapped[str] = mapped_column(String(30))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    basis: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    reverses_id: Mapped[int | None] = fk("fund_allocations.id", nullable=True, index=False)
    #: a form's one-time token: a double submission records once
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    #: a grant for a year a stored assessment stopped: the administrator's recorded reason
    override_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    created_at: Mapped[timestamp]


class Expense(TenantScoped, Base):
    __tablename__ = "expenses"
    __table_args__ = (
        UniqueConstraint("tenant_id", "idempotency_key"),
        # an expense is reversed at most once, whatever the race (migration 0005)
        Index("uq_expenses_reverses_id", "reverses_id", unique=True),
    )

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id", ondelete="RESTRICT")
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    category: Mapped[str] = mapped_column(String(40))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    activity_id: Mapped[int | None] = fk("activities.id", nullable=True)
    reverses_id: Mapped[int | None] = fk("expenses.id", nullable=True, index=False)
    #: a form's one-time token: a double submission records once
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    created_at: Mapped[timestamp]
