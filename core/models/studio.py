"""Studios (工作室/工作坊), their memberships and pairings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Date, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.models.people import Person, School
from mingshi.core.tenancy import TenantScoped

#: lifecycle of a studio: an application (draft → … → notice) becomes an active studio at its
#: plaque (挂牌); it ends completed (cycle over), disqualified or rejected; a draft its host
#: withdraws before submitting it stays, withdrawn.
STUDIO_STATUSES = (
    "draft",
    "submitted",
    "recommended",
    "reviewing",
    "notice",
    "active",
    "rejected",
    "withdrawn",
    "disqualified",
    "completed",
)


class Studio(TenantScoped, Base):
    __tablename__ = "studios"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ref"),
        # the studio list: a tenant's studios by name (and id, for a stable order), no sort (migration 0012)
        Index("ix_studios_tenant_id_name_id", "tenant_id", "name", "id"),
    )

    id: Mapped[pk]
    ref: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), index=True)
    #: a studio kind the jurisdiction declares (science_studio, workshop, studio, outreach_studio …)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    county: Mapped[str | None] = mapped_column(String(100), index=True)
    #: the school that hosts the studio (the host's school, usually)
    school_id: Mapped[int | None] = fk("schools.id", nullable=True)
    subject: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    cycle_start: Mapped[dt.date | None] = mapped_column(Date)
    # the site (Lianyungang 第十二条(一)); None where not recorded
    site_area_m2: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    site_height_m: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    site_capacity: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[timestamp]
    #: optimistic locking: a save based on a stale copy fails instead of overwriting
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    #: the revision of the facts the rules read about this studio: raised, in the writing transaction, by
    #: every write to a row of its record (``core/revisions.py``); results computed from its facts are
    #: kept under it (``core/cache.py``) and are never served for another revision
    facts_rev: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0, server_default="0")

    school: Mapped[School | None] = relationship(lazy="joined", foreign_keys="Studio.school_id")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="studio", order_by="Membership.id", foreign_keys="Membership.studio_id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by the mapper


class Membership(TenantScoped, Base):
    """A person's place in a studio: host, member or trainee, from ``joined`` until ``left``.

    A member is in the studio on date D when ``joined <= D`` and (``left`` is None or ``left > D``).
    A removal sets ``left`` with its reason and the rule that removed them; it is never undone
    by re-running a rule.
    """

    __tablename__ = "memberships"

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id", ondelete="CASCADE")
    person_id: Mapped[int] = fk("people.id")
    role: Mapped[str] = mapped_column(String(20))  # host · member · trainee
    #: Shenyang studio members: subject_leader · backbone · new_teacher
    category: Mapped[str | None] = mapped_column(String(40))
    joined: Mapped[dt.date] = mapped_column(Date)
    left: Mapped[dt.date | None] = mapped_column(Date)
    removal_reason: Mapped[str | None] = mapped_column(String(500))
    removal_rule: Mapped[str | None] = mapped_column(String(64))
    #: the administrator reinstated a member a rule had removed: the rules count only what happens
    #: after this day (the same absences never remove them again); the removal is in the audit log
    reinstated_on: Mapped[dt.date | None] = mapped_column(Date)
    reinstatement_reason: Mapped[str | None] = mapped_column(String(500))

    studio: Mapped[Studio] = relationship(back_populates="memberships", foreign_keys="Membership.studio_id")
    person: Mapped[Person] = relationship(lazy="joined", foreign_keys="Membership.person_id")


class Pairing(TenantScoped, Base):
    """A host or member paired with a rural teacher (结对帮扶)."""

    __tablename__ = "pairings"

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id", ondelete="CASCADE")
    person_id: Mapped[int] = fk("people.id")
    rural_teacher: Mapped[str] = mapped_column(String(100))
    rural_school: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(Date)
