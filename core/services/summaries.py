"""Per-studio-year summaries for the central comparison, refreshed by a job (not per view).

Why a job and not the writes: the figures of a studio-year change with a dozen kinds of write
(memberships, activities, outputs, assessments, grants, expenses, status transitions, bulk loads)
and with a tenant's parameters (a new school-year start moves every studio's year at once). Keeping
each summary exact in the writing transaction would put central's arithmetic in every one of those
services and make each write contend on the summary rows; a refresh recomputes one tenant with a
constant number of set-based statements (a few seconds for 2,500 studios) and the page says how
old its figures are (:attr:`mingshi.core.services.central.Comparison.as_of`).

:func:`refresh` rewrites one tenant's rows in one transaction (serialised per tenant): readers see
the previous summaries until it commits. It is run by the queue's periodic task and on demand
(``mingshi summaries refresh``, after ``mingshi synth``; :mod:`mingshi.core.jobs`). A tenant without
summaries, or a year outside those refreshed, is compared from the raw rows (correct, slower).

Every figure is computed here per studio and year with the same predicates as the comparison over
raw rows (:func:`mingshi.core.services.central.compare_live`), so that adding up the summaries gives
the same numbers; ``tests/central/test_summaries.py`` recomputes and compares.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import String, and_, case, delete, func, insert, literal, or_, select, true
from sqlalchemy.orm import Session, sessionmaker

from mingshi.core import models as m
from mingshi.core.db import serialize
from mingshi.core.models.summary import SUMMARY_GROUPS, SUMMARY_LEVELS, SUMMARY_VERDICTS
from mingshi.core.money import sum_fen
from mingshi.core.plugins import Jurisdictions
from mingshi.core.services import central
from mingshi.core.tenancy import bind_tenant
from mingshi.core.vocab import ACTIVITY_GROUPS, LEVELS

#: years covered before today's (the page offers ten years back; the trend of the oldest, four more)
YEARS_BACK = 9 + central.TREND_YEARS - 1


def covered_years(today: dt.date, assessed: list[int]) -> tuple[int, int]:
    latest = max([y for y in assessed if y <= today.year], default=today.year)
    first = max(central.MIN_YEAR, min(today.year - YEARS_BACK, latest - central.TREND_YEARS + 1))
    last = min(central.MAX_YEAR, max(today.year, *assessed) if assessed else today.year)
    return first, last


def refresh_all(factory: sessionmaker[Session], jurisdictions: Jurisdictions, today: dt.date) -> list[str]:
    """Refresh every tenant whose jurisdiction is installed; the codes refreshed."""
    with factory() as session:
        found = central.tenants(session, jurisdictions)
    done = []
    for tenant in found.compared:
        refresh(factory, tenant, today)
        done.append(tenant.code)
    return done


def refresh(factory: sessionmaker[Session], tenant: central.TenantView, today: dt.date) -> dt.datetime:
    """Recompute ``tenant``'s summaries from its raw rows and replace them, in one transaction; when."""
    with factory() as session:
        bind_tenant(session, tenant.id)
        serialize(session, "summaries", tenant.id)
        r = m.AssessmentRecord
        assessed = sorted(
            int(key) for key in session.scalars(select(r.period).where(r.kind == "annual").distinct()) if key.isdigit()
        )
        first_activity = session.scalar(select(func.min(m.Activity.date)))
        if isinstance(first_activity, str):  # SQLite without a typed result
            first_activity = dt.date.fromisoformat(first_activity)
        first, last = covered_years(today, assessed)
        periods = central.annual_periods(session, [tenant], range(first, last + 1))
        rows = compute(session, periods)
        session.execute(delete(m.StudioYearSummary))
        if rows:  # a Core insert: the tenant is named (row-level security checks it on PostgreSQL)
            session.execute(insert(m.StudioYearSummary), [{**row, "tenant_id": tenant.id} for row in rows])
        session.execute(delete(m.SummaryRefresh))
        when = dt.datetime.now(dt.UTC)
        stamp = m.SummaryRefresh(
            refreshed_at=when,
            first_year=first,
            last_year=last,
            first_activity=first_activity,
            assessed_years=assessed,
        )
        session.add(stamp)
        session.commit()
        return when


def _blank(studio: tuple[int, str, str], year: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "year": year,
        "studio_id": studio[0],
        "status": studio[1],
        "kind": studio[2],
        "ran": False,
        "members": 0,
        "members_distinct": 0,
        "record_id": None,
        "grade": None,
        "allocated_fen": 0,
        "spent_fen": 0,
        "removals": None,
    }
    row.update({f"act_{g}": 0 for g in SUMMARY_GROUPS})
    row.update({f"out_{lvl}": 0 for lvl in SUMMARY_LEVELS})
    row.update({f"criteria_{v}": 0 for v in SUMMARY_VERDICTS})
    return row


def compute(session: Session, periods: dict[tuple[int, int], Any]) -> list[dict[str, Any]]:
    """The summary rows of the session's tenant for ``periods`` ((tenant, year) → period): one per
    studio and year with anything to count. A constant number of statements."""
    p = central._periods_table(periods)
    s, ms, a, o, r, fa, ex = (
        m.Studio,
        m.Membership,
        m.Activity,
        m.Output,
        m.AssessmentRecord,
        m.FundAllocation,
        m.Expense,
    )
    studios = {sid: (sid, status, kind) for sid, status, kind in session.execute(select(s.id, s.status, s.kind))}
    rows: dict[tuple[int, int], dict[str, Any]] = {}

    def row(year: int, studio_id: int) -> dict[str, Any] | None:
        key = (studio_id, year)
        if key not in rows:
            studio = studios.get(studio_id)
            if studio is None:  # a row of a studio created after the list was read: the next refresh
                return None
            rows[key] = _blank(studio, year)
        return rows[key]

    def add(stmt: Any, column: str | None = None, columns: Any = None) -> None:
        for year, studio_id, *rest in session.execute(stmt):
            target = row(year, studio_id)
            if target is None:
                continue
            if columns is not None:
                name, value = columns(*rest)
                if name is not None:
                    target[name] += int(value)
            else:
                target[column] = int(rest[0])

    # the studios that ran in the year (the comparison's definition: central._running_studio)
    for year, studio_id in session.execute(select(p.c.year, s.id).select_from(p).join(s, central._running_studio(p))):
        if (target := row(year, studio_id)) is not None:
            target["ran"] = True
    in_year = and_(
        ms.studio_id == s.id, ms.role != "host", ms.joined <= p.c.end, or_(ms.left.is_(None), ms.left > p.c.start)
    )
    add(
        select(p.c.year, s.id, func.count(ms.person_id.distinct()))
        .select_from(p)
        .join(s, central._running_studio(p))
        .join(ms, in_year)
        .group_by(p.c.year, s.id),
        "members",
    )
    # each person once per tenant and year: at the lowest-numbered running studio they were in
    first_studio = (
        select(p.c.year.label("year"), ms.person_id, func.min(s.id).label("studio_id"))
        .select_from(p)
        .join(s, central._running_studio(p))
        .join(ms, in_year)
        .group_by(p.c.year, ms.person_id)
        .subquery("first_studio")
    )
    add(
        select(first_studio.c.year, first_studio.c.studio_id, func.count()).group_by(
            first_studio.c.year, first_studio.c.studio_id
        ),
        "members_distinct",
    )
    group = case(ACTIVITY_GROUPS, value=a.type, else_="other")
    add(
        select(p.c.year, a.studio_id, group, func.count(a.id))
        .select_from(p)
        .join(a, central._in_period(p, a.tenant_id, a.date))
        .where(a.withdrawn_at.is_(None))
        .group_by(p.c.year, a.studio_id, group),
        columns=lambda grp, n: (f"act_{grp}" if grp in SUMMARY_GROUPS else "act_other", n),
    )
    level = case((o.level.in_(LEVELS), o.level), else_="none")
    add(
        select(p.c.year, o.studio_id, level, func.count(o.id))
        .select_from(p)
        .join(o, central._in_period(p, o.tenant_id, o.date))
        .where(o.withdrawn_at.is_(None))
        .group_by(p.c.year, o.studio_id, level),
        columns=lambda lvl, n: (f"out_{lvl}", n),
    )
    latest = and_(r.tenant_id == p.c.tenant_id, r.period == p.c.key)
    for year, studio_id, record_id, grade in session.execute(
        select(p.c.year, r.studio_id, r.id, r.grade)
        .select_from(p)
        .join(r, latest)
        .where(r.id.in_(central._latest_annual()))
    ):
        if (target := row(year, studio_id)) is not None:
            target["record_id"], target["grade"] = record_id, grade
    # the stored criteria expanded once here, not per view
    if session.get_bind().dialect.name == "postgresql":
        item = func.json_array_elements(r.result["criteria"]).table_valued("value").alias("item")
        status = item.c.value.op("->>")(literal("status", String))
    else:
        item = func.json_each(r.result, "$.criteria").table_valued("value").alias("item")
        status = func.json_extract(item.c.value, "$.status")
    add(
        select(p.c.year, r.studio_id, status, func.count())
        .select_from(p)
        .join(r, latest)
        .join(item, true())
        .where(r.id.in_(central._latest_annual()), status.in_(SUMMARY_VERDICTS))
        .group_by(p.c.year, r.studio_id, status),
        columns=lambda verdict, n: (f"criteria_{verdict}", n),
    )
    add(
        select(p.c.year, fa.studio_id, sum_fen(fa.amount_fen))
        .select_from(p)
        .join(fa, and_(fa.tenant_id == p.c.tenant_id, fa.year == p.c.year, fa.source.in_(central.FUND_SOURCES)))
        .group_by(p.c.year, fa.studio_id),
        "allocated_fen",
    )
    add(
        select(p.c.year, ex.studio_id, sum_fen(ex.amount_fen))
        .select_from(p)
        .join(ex, central._in_period(p, ex.tenant_id, ex.date))
        .group_by(p.c.year, ex.studio_id),
        "spent_fen",
    )
    removals: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    rule = func.coalesce(ms.removal_rule, "manual")
    for year, studio_id, why, n in session.execute(
        select(p.c.year, ms.studio_id, rule, func.count(ms.id))
        .select_from(p)
        .join(ms, central._in_period(p, ms.tenant_id, ms.left))
        .where(or_(ms.removal_rule.is_not(None), ms.removal_reason.is_not(None)))
        .group_by(p.c.year, ms.studio_id, rule)
    ):
        if row(year, studio_id) is not None:
            removals[(studio_id, year)][why] = int(n)
    for key, found in removals.items():
        rows[key]["removals"] = found
    return [rows[key] for key in sorted(rows)]
