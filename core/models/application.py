"""The application workflow's history: every transition of a studio's status, who made it and why."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.tenancy import TenantScoped


class StudioTransition(TenantScoped, Base):
    """draft → submitted → recommended → reviewing → notice → active, or → rejected; one row per step."""

    __tablename__ = "studio_transitions"

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id", ondelete="CASCADE")
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    #: the public notice's last day (公示期满), for a step into ``notice``
    notice_until: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = fk("users.id", nullable=True)
    user_name: Mapped[str | None] = mapped_column(String(120))
    at: Mapped[timestamp]
