"""Activities, who led them and who attended."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mingshi.core.db import Base
from mingshi.core.models._common import Correctable, fk, pk, timestamp
from mingshi.core.models.people import Person, School
from mingshi.core.tenancy import TenantScoped


class Activity(Correctable, TenantScoped, Base):
    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[pk]
    ref: Mapped[str | None] = mapped_column(String(64))
    studio_id: Mapped[int] = fk("studios.id", ondelete="CASCADE")
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    type: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(10), default="offline")  # offline · online
    #: studio · school · county · municipal · provincial · national
    scope: Mapped[str] = mapped_column(String(20), default="studio")
    school_id: Mapped[int | None] = fk("schools.id", nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    notice_published: Mapped[dt.date | None] = mapped_column(Date)
    plan_approved: Mapped[dt.date | None] = mapped_column(Date)
    report_published: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[timestamp]

    school: Mapped[School | None] = relationship(lazy="joined", foreign_keys="Activity.school_id")
    leaders: Mapped[list[ActivityLeader]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", foreign_keys="ActivityLeader.activity_id"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", foreign_keys="Attendance.activity_id"
    )


class ActivityLeader(TenantScoped, Base):
    __tablename__ = "activity_leaders"
    __table_args__ = (UniqueConstraint("activity_id", "person_id"),)

    id: Mapped[pk]
    activity_id: Mapped[int] = fk("activities.id", ondelete="CASCADE")
    person_id: Mapped[int] = fk("people.id")

    person: Mapped[Person] = relationship(foreign_keys="ActivityLeader.person_id")


class Attendance(TenantScoped, Base):
    """present · excused (leave approved in advance) · absent."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("activity_id", "person_id"),)

    id: Mapped[pk]
    activity_id: Mapped[int] = fk("activities.id", ondelete="CASCADE")
    person_id: Mapped[int] = fk("people.id")
    status: Mapped[str] = mapped_column(String(10))
    #: when the leave was approved: after the activity's date the record counts as absent, in every city
    #: (jurisdictions.md "Absences"; core.rules.attendance)
    leave_approved: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(300))

    person: Mapped[Person] = relationship(foreign_keys="Attendance.person_id")
