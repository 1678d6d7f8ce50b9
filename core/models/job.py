"""Background jobs: what was asked, by whom, how far it got, where its result is, why it failed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.tenancy import TenantScoped

JOB_STATES = ("queued", "running", "done", "failed")


class Job(TenantScoped, Base):
    """One request for long work (a kind of :mod:`mingshi.core.jobs`); the queue carries only its id."""

    __tablename__ = "jobs"

    id: Mapped[pk]
    kind: Mapped[str] = mapped_column(String(40))
    #: queued · running · done · failed
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    #: what the job produced (the kind knows how to show it)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requested_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    requested_by_name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[timestamp]
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
