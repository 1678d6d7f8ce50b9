"""Per-studio-year summaries the central comparison reads (derived data, refreshed by a job).

One row per studio and year (in the tenant's own annual period) with everything the comparison
adds up: whether the studio ran in the year, its members, activities by group, outputs by level,
the grade and criteria of its latest stored annual assessment, its grant and spending, its
removals. ``summary_refreshes`` says, per tenant, when the rows were computed and which years they
cover. Both are rewritten whole, per tenant, by :func:`mingshi.core.services.summaries.refresh`;
no foreign key to the studios: a summary is a copy, not a source (the refresh replaces it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from mingshi.core.db import Base, BigId
from mingshi.core.tenancy import TenantScoped

#: activity groups and output levels, one column each (``mingshi.core.vocab``: ACTIVITY_GROUP_LABELS, LEVELS)
SUMMARY_GROUPS = ("teaching", "outreach", "research", "training", "other")
SUMMARY_LEVELS = ("school", "county", "municipal", "provincial", "national", "none")
SUMMARY_VERDICTS = ("met", "unmet", "pending")


class StudioYearSummary(TenantScoped, Base):
    __tablename__ = "studio_year_summaries"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "year", "studio_id", name="pk_studio_year_summaries"),
        # derived data: not in a tenant's export (core/backup.py); the next refresh rebuilds it
        {"info": {"derived": True}},
    )

    year: Mapped[int] = mapped_column(Integer)
    studio_id: Mapped[int] = mapped_column(BigId)
    #: the studio's status and kind when the summary was made
    status: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    #: the studio ran (was active) in the year: counted among the year's studios
    ran: Mapped[bool] = mapped_column(Boolean)
    #: members and trainees of this studio during the year (while it ran)
    members: Mapped[int] = mapped_column(Integer, default=0)
    #: the same people counted once per tenant: each person at the lowest-numbered studio they were in
    members_distinct: Mapped[int] = mapped_column(Integer, default=0)
    act_teaching: Mapped[int] = mapped_column(Integer, default=0)
    act_outreach: Mapped[int] = mapped_column(Integer, default=0)
    act_research: Mapped[int] = mapped_column(Integer, default=0)
    act_training: Mapped[int] = mapped_column(Integer, default=0)
    act_other: Mapped[int] = mapped_column(Integer, default=0)
    out_school: Mapped[int] = mapped_column(Integer, default=0)
    out_county: Mapped[int] = mapped_column(Integer, default=0)
    out_municipal: Mapped[int] = mapped_column(Integer, default=0)
    out_provincial: Mapped[int] = mapped_column(Integer, default=0)
    out_national: Mapped[int] = mapped_column(Integer, default=0)
    out_none: Mapped[int] = mapped_column(Integer, default=0)
    #: the latest annual assessment record of the year: its id and normalized grade
    record_id: Mapped[int | None] = mapped_column(BigId)
    grade: Mapped[str | None] = mapped_column(String(10))
    criteria_met: Mapped[int] = mapped_column(Integer, default=0)
    criteria_unmet: Mapped[int] = mapped_column(Integer, default=0)
    criteria_pending: Mapped[int] = mapped_column(Integer, default=0)
    allocated_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    spent_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    #: removal rule ("manual" for the administrator's) → members removed in the year; None: none
    removals: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class SummaryRefresh(TenantScoped, Base):
    __tablename__ = "summary_refreshes"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", name="pk_summary_refreshes"), {"info": {"derived": True}})

    refreshed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    #: the tenant's first activity (the years on offer start there)
    first_activity: Mapped[dt.date | None] = mapped_column(Date)
    #: the years (annual period keys) with stored annual assessments
    assessed_years: Mapped[list[int]] = mapped_column(JSON, default=list)
