"""The audit log: who changed what, when, from what to what. Append-only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base, BigId
from mingshi.core.models._common import fk, pk, timestamp


class AuditEntry(Base):
    """Not tenant-scoped by the mixin because central actions have no tenant; ``tenant_id`` is kept."""

    __tablename__ = "audit_log"

    id: Mapped[pk]
    tenant_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("tenants.id"), index=True)
    user_id: Mapped[int | None] = fk("users.id", nullable=True)
    user_name: Mapped[str | None] = mapped_column(String(120))
    at: Mapped[timestamp]
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(BigId)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
