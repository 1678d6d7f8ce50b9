"""Outputs (papers, projects, briefs …) and student awards."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mingshi.core.db import Base
from mingshi.core.models._common import Correctable, fk, pk, timestamp
from mingshi.core.models.people import Person, School
from mingshi.core.tenancy import TenantScoped


class Output(Correctable, TenantScoped, Base):
    __tablename__ = "outputs"

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id", ondelete="CASCADE")
    type: Mapped[str] = mapped_column(String(40))
    level: Mapped[str | None] = mapped_column(String(20))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(300))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    chars: Mapped[int | None] = mapped_column(Integer)
    #: e.g. a research project: approved · underway · completed
    status: Mapped[str | None] = mapped_column(String(20))
    #: the school it addresses, if any (Wenzhou: a paired school's short board)
    school_id: Mapped[int | None] = fk("schools.id", nullable=True)
    created_at: Mapped[timestamp]

    school: Mapped[School | None] = relationship(lazy="joined", foreign_keys="Output.school_id")
    people: Mapped[list[OutputPerson]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", foreign_keys="OutputPerson.output_id"
    )


class OutputPerson(TenantScoped, Base):
    __tablename__ = "output_people"

    id: Mapped[pk]
    output_id: Mapped[int] = fk("outputs.id", ondelete="CASCADE")
    person_id: Mapped[int] = fk("people.id")

    person: Mapped[Person] = relationship(foreign_keys="OutputPerson.person_id")


class StudentAward(Correctable, TenantScoped, Base):
    """A prize won by a student, credited to the first instructor (第一指导教师)."""

    __tablename__ = "student_awards"

    id: Mapped[pk]
    studio_id: Mapped[int] = fk("studios.id", ondelete="CASCADE")
    competition: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(20))
    rank: Mapped[str] = mapped_column(String(20))  # first · second · third · other
    first_instructor_id: Mapped[int] = fk("people.id")
    date: Mapped[dt.date] = mapped_column(Date)
    student: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(300))
