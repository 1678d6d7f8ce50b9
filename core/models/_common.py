"""Column helpers shared by the model modules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from mingshi.core.db import BigId


def utcnow() -> datetime:
    return datetime.now(UTC)


pk = Annotated[int, mapped_column(BigId, primary_key=True, autoincrement=True)]
code = Annotated[str, mapped_column(String(64))]
timestamp = Annotated[datetime, mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)]


def fk(target: str, *, nullable: bool = False, ondelete: str = "RESTRICT", index: bool = True):
    """A 64-bit foreign key column to ``target`` ("table.id")."""
    return mapped_column(BigId, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


class Correctable:
    """A record that is corrected, never lost: edits carry the version the form was loaded with
    (optimistic locking, ``version_id_col``), and a delete is a withdrawal — the row stays in the
    history, marked with who withdrew it, when and why, and no longer counts anywhere."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None
