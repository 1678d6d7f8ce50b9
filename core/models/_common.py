"""Column helpers shared by the model modules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import mapped_column

from mingshi.core.db import BigId


def utcnow() -> datetime:
    return datetime.now(UTC)


pk = Annotated[int, mapped_column(BigId, primary_key=True, autoincrement=True)]
code = Annotated[str, mapped_column(String(64))]
timestamp = Annotated[datetime, mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)]


def fk(target: str, *, nullable: bool = False, ondelete: str = "RESTRICT", index: bool = True):
    """A 64-bit foreign key column to ``target`` ("table.id")."""
    return mapped_column(BigId, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)
