"""Users and their roles.

Users are not tenant-scoped rows: sign-in finds the user before any tenant is bound, and
central staff belong to no tenant. A tenant user carries ``tenant_id``; access checks in the
services compare it with the tenant being worked on.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mingshi.core.db import Base, BigId
from mingshi.core.models._common import fk, pk, timestamp

#: roles: city administrator, reviewer (county or expert), studio host, member/trainee, central staff
ROLES = ("admin", "reviewer", "host", "member", "central")


class User(Base):
    __tablename__ = "users"

    id: Mapped[pk]
    tenant_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("tenants.id"), index=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: rotated on logout and password change, so that a copied session cookie stops working
    alt_id: Mapped[str] = mapped_column(String(36), default=lambda: str(uuid.uuid4()), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: set with a one-time password: the user must choose their own at the next sign-in
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the person record of a host or member (tenant users only)
    person_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("people.id"), index=True)
    created_at: Mapped[timestamp]
    #: where reminders are e-mailed (validated by core/schemas/account.py); none: in the application only
    email: Mapped[str | None] = mapped_column(String(254))
    #: the user's "e-mail me reminders" (on by default; it matters only with an address)
    email_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: the language the user last chose (zh_CN or en): their e-mails are written in it
    language: Mapped[str | None] = mapped_column(String(10))

    roles: Mapped[list[UserRole]] = relationship(back_populates="user", cascade="all, delete-orphan", lazy="selectin")

    # The session-identity protocol (Flask-Login's shape; nothing here imports it). The id kept
    # in the session is ``alt_id``, rotated on sign-out.
    def get_id(self) -> str:
        return self.alt_id

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *names: str) -> bool:
        return any(r.role in names for r in self.roles)

    @property
    def role_names(self) -> list[str]:
        return sorted(r.role for r in self.roles)


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", "studio_id"),)

    id: Mapped[pk]
    user_id: Mapped[int] = fk("users.id", ondelete="CASCADE")
    role: Mapped[str] = mapped_column(String(20))
    #: for a host or member role: the studio it applies to (None: all the user's studios)
    studio_id: Mapped[int | None] = fk("studios.id", nullable=True)

    user: Mapped[User] = relationship(back_populates="roles")
