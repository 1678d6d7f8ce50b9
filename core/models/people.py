"""Schools and people, with their designations, honors and events over time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mingshi.core.db import Base
from mingshi.core.models._common import fk, pk, timestamp
from mingshi.core.tenancy import TenantScoped


class County(TenantScoped, Base):
    """An entry of the tenant's managed list of counties/districts (县、区、旗): schools and studios
    name their county from this list, and quotas by county key on its entries."""

    __tablename__ = "counties"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[pk]
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)


class School(TenantScoped, Base):
    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[pk]
    #: an external reference (a scenario's id, an import key), unique within the tenant
    ref: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    county: Mapped[str | None] = mapped_column(String(100), index=True)
    rural: Mapped[bool] = mapped_column(Boolean, default=False)
    #: a weak school (薄弱学校)
    weak: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: kindergarten · primary · secondary · vocational · other
    stage: Mapped[str | None] = mapped_column(String(20))


class Person(TenantScoped, Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[pk]
    ref: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100), index=True)
    sex: Mapped[str | None] = mapped_column(String(1))  # M · F
    born: Mapped[dt.date | None] = mapped_column(Date)
    school_id: Mapped[int | None] = fk("schools.id", nullable=True)
    #: teacher · principal · vice_principal · researcher
    position: Mapped[str | None] = mapped_column(String(30))
    #: junior · intermediate · deputy_senior · senior
    title: Mapped[str | None] = mapped_column(String(30))
    #: the highest backbone designation held now (history in BackboneDesignation)
    backbone_level: Mapped[str | None] = mapped_column(String(20))
    retirement_date: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[timestamp]
    #: optimistic locking of the registry's edits (the form carries the version it was loaded with)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by the mapper

    school: Mapped[School | None] = relationship(lazy="joined", foreign_keys="Person.school_id")
    honors: Mapped[list[PersonHonor]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", foreign_keys="PersonHonor.person_id"
    )
    backbone_history: Mapped[list[BackboneDesignation]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="BackboneDesignation.date",
        foreign_keys="BackboneDesignation.person_id",
    )
    events: Mapped[list[PersonEvent]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PersonEvent.date", foreign_keys="PersonEvent.person_id"
    )


class PersonHonor(TenantScoped, Base):
    """An honor or title held (市级学科带头人, 省特级教师 …), by code from the vocabulary."""

    __tablename__ = "person_honors"

    id: Mapped[pk]
    person_id: Mapped[int] = fk("people.id", ondelete="CASCADE")
    honor: Mapped[str] = mapped_column(String(64))
    awarded: Mapped[dt.date | None] = mapped_column(Date)
    #: what the honour was recorded from (a certificate's number, a notice)
    evidence: Mapped[str | None] = mapped_column(String(500))


class BackboneDesignation(TenantScoped, Base):
    """A backbone designation (骨干教师/学科带头人/教学能手) at a level, from a date."""

    __tablename__ = "backbone_designations"

    id: Mapped[pk]
    person_id: Mapped[int] = fk("people.id", ondelete="CASCADE")
    level: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date] = mapped_column(Date)


class PersonEvent(TenantScoped, Base):
    """Something that happened to a person and that rules read: ethics_violation, transferred, …"""

    __tablename__ = "person_events"

    id: Mapped[pk]
    person_id: Mapped[int] = fk("people.id", ondelete="CASCADE")
    type: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
