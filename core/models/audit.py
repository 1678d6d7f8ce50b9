"""The audit log: who changed what, when, from what to what. Append-only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base, BigId
from mingshi.core.models._common import fk, pk, timestamp


class AuditEntry(Base):
    """Not tenant-scoped by the mixin because central actions have no tenant; ``tenant_id`` is kept."""

    __tablename__ = "audit_log"
    # the audit page (newest first, of a tenant) and its filters (migration 0005)
    __table_args__ = (
        Index("ix_audit_log_tenant_id_at", "tenant_id", "at"),
        # the audit page, a page at a time from the last id seen (keyset; migration 0012)
        Index("ix_audit_log_tenant_id_id", "tenant_id", "id"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
        Index("ix_audit_log_user_name_at", "user_name", "at"),
        Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
    )

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
