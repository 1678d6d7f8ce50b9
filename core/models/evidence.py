"""Evidence: a file kept for a record (查看原始材料) — a notice, a sign-in sheet, a certificate, a receipt.

The bytes are in the store (``core/storage.py``) under ``storage_key``; the row says what the file is
(its cleaned name, its media type found from its content, size, SHA-256), which record it proves —
exactly one of an activity, an output, a student award, an expense, a studio's application or a
filed document (plan, report, notice) — and who
added it. A file is never deleted with a click: it is withdrawn (who, when, why) and stays in the
record's history; the bytes are kept for the retention period, then purged (``purged_at``; the
store's deletion of them is ``bytes_deleted_at``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.tenancy import TenantScoped

#: the columns naming the record a file proves: exactly one is set
RECORD_COLUMNS = ("activity_id", "output_id", "award_id", "expense_id", "application_id", "submission_id")
#: what a file is to its record (labels in core/vocab.py's "evidence_purposes")
PURPOSES = ("notice", "sign_in", "photo", "report", "certificate", "receipt", "plan", "other")


class Evidence(TenantScoped, Base):
    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(
            " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in RECORD_COLUMNS) + " = 1",
            name="one_record",
        ),
        # the purged rows whose bytes the store has not deleted yet: every purge retries them
        Index(
            "ix_evidence_bytes_left",
            "tenant_id",
            "id",
            sqlite_where=text("purged_at IS NOT NULL AND bytes_deleted_at IS NULL"),
            postgresql_where=text("purged_at IS NOT NULL AND bytes_deleted_at IS NULL"),
        ),
    )

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id")
    activity_id: Mapped[int | None] = fk("activities.id", nullable=True)
    output_id: Mapped[int | None] = fk("outputs.id", nullable=True)
    award_id: Mapped[int | None] = fk("student_awards.id", nullable=True)
    expense_id: Mapped[int | None] = fk("expenses.id", nullable=True)
    #: an application is its studio before 挂牌: the file belongs to the application, not the studio's later life
    application_id: Mapped[int | None] = fk("studios.id", nullable=True)
    #: a plan, report or notice the studio files (core/models/submission.py)
    submission_id: Mapped[int | None] = fk("document_submissions.id", nullable=True)
    purpose: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    uploaded_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    uploaded_by_name: Mapped[str] = mapped_column(String(120))
    uploaded_at: Mapped[timestamp]
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by_name: Mapped[str | None] = mapped_column(String(120))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    #: the bytes were deleted from the store after the retention period (the row stays, the history names it)
    purged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    purged_by_name: Mapped[str | None] = mapped_column(String(120))
    #: the store has deleted the bytes of the purged file (a purge retries those it could not delete)
    bytes_deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def record(self) -> tuple[str, int]:
        """(kind, id) of the record the file proves."""
        for column in RECORD_COLUMNS:
            value = getattr(self, column)
            if value is not None:
                return column.removesuffix("_id"), value
        raise ValueError("evidence without a record")
