"""What people judge and find: attestations and findings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.tenancy import TenantScoped


class Attestation(TenantScoped, Base):
    """A reviewer's yes/no on a criterion that only a person can judge.

    Until one is recorded the criterion is ``pending``. ``period`` is the assessed period's key
    ("2025", "cycle", "application") or None for any period; ``person_id`` is set for a
    criterion judged per person. The latest record wins; older ones stay as history.
    """

    __tablename__ = "attestations"

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id", ondelete="CASCADE")
    rule_id: Mapped[str] = mapped_column(String(64), index=True)
    person_id: Mapped[int | None] = fk("people.id", nullable=True)
    period: Mapped[str | None] = mapped_column(String(20))
    value: Mapped[bool] = mapped_column(Boolean)
    reviewer_id: Mapped[int | None] = fk("users.id", nullable=True)
    reviewer_name: Mapped[str | None] = mapped_column(String(120))
    comment: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[timestamp]


class Finding(TenantScoped, Base):
    """An inspection finding about a studio, e.g. ``misappropriation`` (挪用) of funds."""

    __tablename__ = "findings"

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id", ondelete="CASCADE")
    type: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[timestamp]
