"""Notifications: a reminder to one user of something that is due or awaits them (issue 17).

A row says whom it reminds (``user_id``, a user of the row's tenant: a composite key), of what
(``dedupe_key``, stable for one thing awaiting one step — the reminder pass writes a thing once, not
once a day), the words as a message id and its parameters (rendered in the reader's language when read,
in the core's catalog: never stored in one language), the link to the thing, and what became of it:
read, resolved (the thing no longer awaits the user; a later return writes a new reminder), e-mailed,
or the e-mail's attempts, when the next is due and the last error. Only one unresolved reminder per
user and key exists (a partial unique index), whatever runs the pass at the same time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKeyConstraint, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.tenancy import TenantScoped


class Notification(TenantScoped, Base):
    __tablename__ = "notifications"
    __table_args__ = (
        # users are not a tenant table: the tenant's reference to its user is declared here (0016)
        ForeignKeyConstraint(
            ["tenant_id", "user_id"],
            ["users.tenant_id", "users.id"],
            name="fk_notifications_tenant_user_id",
            ondelete="CASCADE",
        ),
        Index(
            "uq_notifications_open_key",
            "tenant_id",
            "user_id",
            "dedupe_key",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[pk]
    user_id: Mapped[int] = fk("users.id", ondelete="CASCADE", index=False)
    #: the thing reminded of, stable across runs (``awaiting:review:studio:12``)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    #: the source's kind of reminder (``awaiting``) and its step (``review``), for filters and e-mail
    kind: Mapped[str] = mapped_column(String(40))
    #: the sentence: an English message id of the core's catalog and its parameters
    msgid: Mapped[str] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the path of the thing, inside the application (``/shenyang/applications/12``)
    link: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[timestamp]
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: set by the reminder pass when the thing no longer awaits the user
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    emailed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    email_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: when the next e-mail attempt is due: set when the reminder is written for a user who wants
    #: e-mail, moved on by the backoff after a failure, cleared when it is sent, when sending gives up
    #: (the last error kept) or when the user has turned e-mail off since
    email_next_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    #: the last failure's reason (kept after the last attempt, when sending gives up)
    email_error: Mapped[str | None] = mapped_column(Text)
