"""A tenant: one jurisdiction's bureau, with its own data, users and plugin."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, String, true
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import pk, timestamp


class Tenant(Base):
    __tablename__ = "tenants"

    id: Mapped[pk]
    #: URL slug, e.g. ``shenyang`` (the web app serves the tenant under ``/<code>/``)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    #: the jurisdiction plugin (entry-point name in ``mingshi.jurisdictions``)
    jurisdiction: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(16), default="zh_CN")
    #: a disabled tenant's users cannot sign in; nothing of it is deleted
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: the revision of the facts shared by the tenant's studios (people, schools, parameters …): raised by
    #: every write to them (``core/revisions.py``); see ``Studio.facts_rev``
    facts_rev: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0, server_default="0")
    created_at: Mapped[timestamp]

    def __repr__(self) -> str:
        return f"<Tenant {self.code} ({self.jurisdiction})>"
