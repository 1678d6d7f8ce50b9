"""Failed sign-in attempts, counted for the lockout (not tenant-scoped: no tenant is known yet).

One row per failure, indexed by user name and time; rows older than the retention are deleted
(``core.services.signin``). The audit log keeps its own record of each attempt for the administrator.
"""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base
from mingshi.core.models._common import pk, timestamp


class SignInFailure(Base):
    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_username_at", "username", "at"),)

    id: Mapped[pk]
    username: Mapped[str] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[timestamp] = mapped_column(index=True)
