"""Assessment records: an assessment's result as computed, kept for comparison and print."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.tenancy import TenantScoped


class AssessmentRecord(TenantScoped, Base):
    __tablename__ = "assessment_records"

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id", ondelete="CASCADE")
    #: annual · cycle · application
    kind: Mapped[str] = mapped_column(String(20))
    #: "2025", "cycle", "application:2025-03-01"
    period: Mapped[str] = mapped_column(String(40), index=True)
    #: the normalized grade: excellent · pass · fail · pending
    grade: Mapped[str] = mapped_column(String(20), index=True)
    #: the whole result (criteria, members, consequences, funding) as the evaluation printed it
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    computed_at: Mapped[timestamp]
    #: what storing it changed, so that a withdrawal can reverse exactly that:
    #: ``{"memberships": [ids removed], "status_before": "active" | None, "recovery_id": id | None}``
    applied: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: a withdrawn record stays (history) but no longer counts; its consequences were reversed
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
