"""Documents a studio files (plans, reports, notices) and their review: one row per document instance.

What is required comes from the jurisdiction (hook ``mingshi_required_documents``); a row exists once
the host starts the document. ``state``: draft → submitted → approved, or returned (with a reason)
→ submitted again …; a submitted document may be withdrawn back to draft by its host before review.
The due date is stored as it was computed when the row was created. Files are evidence
(``evidence.submission_id``). Every change is in the audit log; edits carry the version.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.tenancy import TenantScoped

SUBMISSION_STATES = ("draft", "submitted", "approved", "returned")


class DocumentSubmission(TenantScoped, Base):
    __tablename__ = "document_submissions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "studio_id", "code", "period_key"),
        CheckConstraint("state IN ('draft', 'submitted', 'approved', 'returned')", name="state"),
    )

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id")
    #: the rule id of the document (``sy.doc.plan`` …)
    code: Mapped[str] = mapped_column(String(64))
    #: the instance: ``2025``, ``2025-autumn``, ``cycle-2024`` or an activity's date
    period_key: Mapped[str] = mapped_column(String(40))
    activity_id: Mapped[int | None] = fk("activities.id", nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(12), default="draft")
    due_date: Mapped[dt.date] = mapped_column(Date)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: the day of the first submission (a notice is on time when this is on or before its due date)
    first_submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    submitted_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    submitted_by_name: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    reviewed_by_name: Mapped[str | None] = mapped_column(String(120))
    return_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    created_at: Mapped[timestamp]
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's mapper arguments
