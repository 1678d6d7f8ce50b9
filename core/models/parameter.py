"""Dated parameter values a tenant administrator entered (⚙ in the rules digest)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.tenancy import TenantScoped


class ParameterValue(TenantScoped, Base):
    """The value of parameter ``param_id`` from ``valid_from`` on, replacing the plugin's default.

    The value in force on a date D is the one with the latest ``valid_from <= D``; values are
    never edited, a change is a new row (the history is the table).
    """

    __tablename__ = "parameter_values"

    id: Mapped[pk]
    param_id: Mapped[str] = mapped_column(String(64), index=True)
    value: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    basis: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    changed_by_name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[timestamp]
