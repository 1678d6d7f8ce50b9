"""Central staff compare the tenants side by side — read-only, across tenants.

Every figure is an aggregate computed by the database: one GROUP BY over all tenants per figure,
reading through the core's explicit cross-tenant opt-in (:func:`mingshi.core.tenancy.all_tenants`), so
the number of queries does not grow with the number of tenants, studios or years.

Tenants grade on their own scales and count their years their own way; the comparison makes them
comparable:

* **Years.** Each tenant's year *Y* is the period its jurisdiction assesses as the annual period
  of *Y* (the plugin's ``mingshi_assessment_period``: a calendar year, or the school year ending in
  *Y* with the tenant's own school-year start). A literal table ``(tenant, year, start, end)``
  built from those periods is joined to the data, so each tenant is counted in its own year.
* **Grades.** Stored assessment records (:class:`mingshi.core.models.AssessmentRecord`) carry the core's
  normalized grade (excellent · pass · fail · pending); the plugin's ``grade_labels`` give the
  local word (优秀/合格/不合格) shown beside it. The latest annual record of a studio for the
  year counts.
* **Quota completion** is read from the same stored records, not recomputed: the share of the
  criteria met among those with a verdict (met, unmet or pending — "not applicable" and advisory
  notices are left out) in the year's annual assessments. Running every plugin's quota rules for
  every studio would cost queries per studio.
* **Activity groups** come from :data:`mingshi.core.vocab.ACTIVITY_GROUPS` (a plugin's own type: other).
* **Funds**: allocated = the programme's grant for the year (``grant`` and ``recovery`` rows,
  reversals included); spent = expenses dated in the tenant's year; the execution rate is
  spent / allocated, in tenths of a percent (integer arithmetic, no floats).

Nothing here writes: :func:`read_only_session` refuses any flush and, on PostgreSQL, makes the
transaction ``READ ONLY`` at the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Date, Integer, String, and_, case, cast, event, func, literal, or_, select, text, true, union_all
from sqlalchemy.orm import Session, aliased, sessionmaker

from mingshi.core import models as m
from mingshi.core.money import sum_fen
from mingshi.core.periods import Period
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.rules.params import DatedValue
from mingshi.core.rules.results import Grade
from mingshi.core.tenancy import TenancyError, all_tenants, bind_tenant
from mingshi.core.vocab import ACTIVITY_GROUP_LABELS, ACTIVITY_GROUPS, LEVELS

REASON = "central comparison"
#: a studio counts in a year when it ran in it: plaqued (挂牌) and not an application any more
RUNNING_STATUSES = ("active", "completed", "disqualified")
GRADES = tuple(str(g) for g in Grade)
GROUPS = tuple(ACTIVITY_GROUP_LABELS)
#: output levels, and ``none`` for an output recorded without one
OUTPUT_LEVELS = (*LEVELS, "none")
#: criterion statuses that carry a verdict (the denominator of quota completion)
VERDICTS = ("met", "unmet", "pending")
FUND_SOURCES = ("grant", "recovery")
#: a year the comparison accepts
MIN_YEAR, MAX_YEAR = 2000, 2100
TREND_YEARS = 5


class ReadOnlySession(TenancyError):
    """Central staff change nothing: a flush was attempted in a read-only session."""


# ---------------------------------------------------------------------------------------------
# sessions


def make_read_only(session: Session) -> None:
    """Refuse every flush of ``session``; on PostgreSQL its transactions are ``READ ONLY`` too."""
    if session.info.get("read_only"):
        return
    session.info["read_only"] = True

    @event.listens_for(session, "before_flush")
    def _refuse(session: Session, _context: Any, _instances: Any) -> None:
        if session.new or session.dirty or session.deleted:
            raise ReadOnlySession("central staff read only; nothing may be written")

    @event.listens_for(session, "after_begin")
    def _read_only_transaction(session: Session, _transaction: Any, connection: Any) -> None:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION READ ONLY"))

    if session.in_transaction():
        _read_only_transaction(session, None, session.connection())


@contextmanager
def read_only_session(factory: sessionmaker[Session], tenant_id: int | None = None) -> Iterator[Session]:
    """A session that reads (bound to ``tenant_id`` if given) and is rolled back and closed at the end."""
    session = factory()
    try:
        make_read_only(session)
        if tenant_id is not None:
            bind_tenant(session, tenant_id)
        yield session
    finally:
        session.rollback()
        session.close()


def _all(stmt: Any) -> Any:
    return stmt.execution_options(**all_tenants(REASON))


# ---------------------------------------------------------------------------------------------
# tenants and their years


@dataclass(frozen=True)
class TenantView:
    id: int
    code: str
    name: str
    name_en: str | None
    jurisdiction: Jurisdiction

    def display(self, locale: str | None) -> str:
        return (self.name_en or self.name) if (locale or "").startswith("en") else self.name


@dataclass(frozen=True)
class Tenants:
    """The tenants compared (their plugin is installed) and those left out (it is not)."""

    compared: tuple[TenantView, ...]
    skipped: tuple[str, ...] = ()

    def by_id(self) -> dict[int, TenantView]:
        return {t.id: t for t in self.compared}

    def get(self, code: str) -> TenantView | None:
        return next((t for t in self.compared if t.code == code), None)


def tenants(session: Session, jurisdictions: Jurisdictions) -> Tenants:
    compared: list[TenantView] = []
    skipped: list[str] = []
    for tenant in session.scalars(select(m.Tenant).order_by(m.Tenant.id)):
        if tenant.jurisdiction in jurisdictions:
            compared.append(
                TenantView(tenant.id, tenant.code, tenant.name, tenant.name_en, jurisdictions.get(tenant.jurisdiction))
            )
        else:
            skipped.append(tenant.code)
    return Tenants(tuple(compared), tuple(skipped))


def annual_periods(
    session: Session, tenant_list: Iterable[TenantView], years: Iterable[int]
) -> dict[tuple[int, int], Period]:
    """Each tenant's annual period of each year, as its jurisdiction defines it with the tenant's own
    parameter values (one query for the values of all tenants)."""
    values: dict[int, dict[str, list[DatedValue]]] = defaultdict(lambda: defaultdict(list))
    stmt = select(m.ParameterValue).order_by(m.ParameterValue.valid_from, m.ParameterValue.id)
    # a session bound to one tenant (the summaries' refresh) reads that tenant's values
    rows = session.scalars(stmt if session.info.get("tenant_id") is not None else _all(stmt))
    for row in rows:
        values[row.tenant_id][row.param_id].append(DatedValue(row.valid_from, row.value, row.basis))
    periods: dict[tuple[int, int], Period] = {}
    for tenant in tenant_list:
        params = tenant.jurisdiction.paramset(values.get(tenant.id, {}))
        for year in years:
            periods[(tenant.id, year)] = tenant.jurisdiction.annual_period(year=year, params=params)
    return periods


def _periods_table(periods: Mapping[tuple[int, int], Period]) -> Any:
    """``(tenant_id, year, key, start, end)`` as a literal table the queries join to."""
    rows = [
        select(
            cast(literal(tenant_id), Integer).label("tenant_id"),
            cast(literal(year), Integer).label("year"),
            cast(literal(str(year)), String).label("key"),
            literal(period.start, Date).label("start"),
            literal(period.end, Date).label("end"),
        )
        for (tenant_id, year), period in sorted(periods.items())
    ]
    if not rows:
        raise ValueError("no tenant to compare")
    return (rows[0] if len(rows) == 1 else union_all(*rows)).subquery("periods")


# ---------------------------------------------------------------------------------------------
# the figures


def ratio(numerator: int, denominator: int, places: str = "0.1") -> Decimal | None:
    """``numerator / denominator`` as a Decimal rounded half up; None when the denominator is 0."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percent(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with one decimal (``87.5``); None when the denominator is 0."""
    if not denominator:
        return None
    return ratio(numerator * 100, denominator)


@dataclass
class YearFigures:
    """One tenant's figures for one year."""

    tenant_id: int
    year: int
    period: Period
    studios: int = 0
    members: int = 0
    activities: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    outputs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTPUT_LEVELS, 0))
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    criteria: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    allocated_fen: int = 0
    spent_fen: int = 0
    #: removal rule ("manual" for the administrator's) → members removed
    removals: dict[str, int] = field(default_factory=dict)

    @property
    def activities_total(self) -> int:
        return sum(self.activities.values())

    @property
    def outputs_total(self) -> int:
        return sum(self.outputs.values())

    @property
    def assessed(self) -> int:
        return sum(self.grades.values())

    @property
    def passed(self) -> int:
        return self.grades["excellent"] + self.grades["pass"]

    @property
    def criteria_total(self) -> int:
        return sum(self.criteria.values())

    @property
    def quota_rate(self) -> Decimal | None:
        return percent(self.criteria["met"], self.criteria_total)

    @property
    def pass_rate(self) -> Decimal | None:
        return percent(self.passed, self.assessed)

    @property
    def execution_rate(self) -> Decimal | None:
        return percent(self.spent_fen, self.allocated_fen)

    @property
    def removed(self) -> int:
        return sum(self.removals.values())

    def per_studio(self, count: int) -> Decimal | None:
        return ratio(count, self.studios)


@dataclass
class Comparison:
    tenants: Tenants
    years: tuple[int, ...]
    figures: dict[tuple[int, int], YearFigures]
    #: now, not per year: tenant → status → studios, and tenant → kind → studios
    by_status: dict[int, dict[str, int]]
    by_kind: dict[int, dict[str, int]]
    #: when the summaries read were computed (the oldest tenant's); None: computed from the raw rows now
    as_of: dt.datetime | None = None

    def of(self, tenant_id: int, year: int) -> YearFigures:
        return self.figures[(tenant_id, year)]


def check_year(year: int) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year: give a year between {MIN_YEAR} and {MAX_YEAR}")
    return year


def _wanted(years: Iterable[int]) -> tuple[int, ...]:
    wanted = tuple(sorted({check_year(y) for y in years}))
    if not wanted:
        raise ValueError("year: give at least one year")
    return wanted


def refreshes(session: Session) -> dict[int, m.SummaryRefresh]:
    """Each tenant's latest summary refresh (:mod:`mingshi.core.services.summaries`)."""
    return {row.tenant_id: row for row in session.scalars(_all(select(m.SummaryRefresh)))}


def compare(session: Session, jurisdictions: Jurisdictions, years: Iterable[int]) -> Comparison:
    """Every figure of every tenant for each of ``years``, in a constant number of queries.

    Read from the per-studio-year summaries when every compared tenant has them for every year
    asked (:attr:`Comparison.as_of` says when they were made); otherwise from the raw rows
    (:func:`compare_live`)."""
    wanted = _wanted(years)
    found = tenants(session, jurisdictions)
    done = refreshes(session)
    if not found.compared or not all(
        t.id in done and done[t.id].first_year <= wanted[0] and wanted[-1] <= done[t.id].last_year
        for t in found.compared
    ):
        return compare_live(session, jurisdictions, wanted, found=found)
    periods = annual_periods(session, found.compared, wanted)
    figures = {key: YearFigures(key[0], key[1], period) for key, period in periods.items()}
    by_status: dict[int, dict[str, int]] = {t.id: {} for t in found.compared}
    by_kind: dict[int, dict[str, int]] = {t.id: {} for t in found.compared}
    _studio_counts(session, by_status, by_kind)
    _summed(session, wanted, figures)
    as_of = min(done[t.id].refreshed_at for t in found.compared)
    return Comparison(found, wanted, figures, by_status, by_kind, as_of=as_of)


def _summed(session: Session, wanted: tuple[int, ...], figures: dict) -> None:
    """The figures added up from the summaries: three statements whatever the number of studios."""
    from mingshi.core.models.summary import SUMMARY_GROUPS, SUMMARY_LEVELS, SUMMARY_VERDICTS

    y = m.StudioYearSummary
    columns = [
        *(f"act_{g}" for g in SUMMARY_GROUPS),
        *(f"out_{lvl}" for lvl in SUMMARY_LEVELS),
        *(f"criteria_{v}" for v in SUMMARY_VERDICTS),
    ]
    stmt = (
        select(
            y.tenant_id,
            y.year,
            func.sum(case((y.ran, 1), else_=0)),
            func.sum(y.members_distinct),
            sum_fen(y.allocated_fen),
            sum_fen(y.spent_fen),
            *(func.sum(getattr(y, c)) for c in columns),
        )
        .where(y.year.in_(wanted))
        .group_by(y.tenant_id, y.year)
    )
    for tenant_id, year, ran, members, allocated, spent, *counts in session.execute(_all(stmt)):
        if (f := _known(figures, tenant_id, year)) is None:
            continue
        f.studios, f.members = int(ran or 0), int(members or 0)
        f.allocated_fen, f.spent_fen = int(allocated or 0), int(spent or 0)
        for column, n in zip(columns, counts, strict=True):
            kind, _, key = column.partition("_")
            target = {"act": f.activities, "out": f.outputs, "criteria": f.criteria}[kind]
            target[key] = target.get(key, 0) + int(n or 0)
    grades = (
        select(y.tenant_id, y.year, y.grade, func.count())
        .where(y.year.in_(wanted), y.grade.is_not(None))
        .group_by(y.tenant_id, y.year, y.grade)
    )
    for tenant_id, year, grade, n in session.execute(_all(grades)):
        if (f := _known(figures, tenant_id, year)) is not None:
            f.grades[grade] = f.grades.get(grade, 0) + n
    removals = select(y.tenant_id, y.year, y.removals).where(y.year.in_(wanted), y.removals.is_not(None))
    for tenant_id, year, found in session.execute(_all(removals)):
        if (f := _known(figures, tenant_id, year)) is not None and found:
            for why, n in found.items():
                f.removals[why] = f.removals.get(why, 0) + int(n)


def compare_live(
    session: Session, jurisdictions: Jurisdictions, years: Iterable[int], *, found: Tenants | None = None
) -> Comparison:
    """The comparison aggregated from the raw rows of every tenant (no summaries read)."""
    wanted = _wanted(years)
    found = found or tenants(session, jurisdictions)
    figures: dict[tuple[int, int], YearFigures] = {}
    by_status: dict[int, dict[str, int]] = {t.id: {} for t in found.compared}
    by_kind: dict[int, dict[str, int]] = {t.id: {} for t in found.compared}
    if found.compared:
        periods = annual_periods(session, found.compared, wanted)
        figures = {key: YearFigures(key[0], key[1], period) for key, period in periods.items()}
        p = _periods_table(periods)
        _studio_counts(session, by_status, by_kind)
        _running(session, p, figures)
        _members(session, p, figures)
        _activities(session, p, figures)
        _outputs(session, p, figures)
        _grades(session, p, figures)
        _criteria(session, p, figures)
        _funds(session, p, figures)
        _removals(session, p, figures)
    return Comparison(found, wanted, figures, by_status, by_kind)


def _in_period(p: Any, tenant_column: Any, date_column: Any) -> Any:
    return and_(tenant_column == p.c.tenant_id, date_column >= p.c.start, date_column <= p.c.end)


def _known(figures: Mapping[tuple[int, int], YearFigures], tenant_id: int, year: int) -> YearFigures | None:
    return figures.get((tenant_id, year))


def _studio_counts(session: Session, by_status: dict, by_kind: dict) -> None:
    s = m.Studio
    rows = session.execute(
        _all(select(s.tenant_id, s.status, s.kind, func.count()).group_by(s.tenant_id, s.status, s.kind))
    )
    for tenant_id, status, kind, n in rows:
        if tenant_id not in by_status:
            continue
        by_status[tenant_id][status] = by_status[tenant_id].get(status, 0) + n
        if status in RUNNING_STATUSES:  # an application is no studio of its kind yet
            by_kind[tenant_id][kind] = by_kind[tenant_id].get(kind, 0) + n


def _host_in(p: Any, studio_id: Any) -> Any:
    ms = aliased(m.Membership, name="host")
    return (
        select(ms.id)
        .where(
            ms.studio_id == studio_id,
            ms.role == "host",
            ms.joined <= p.c.end,
            or_(ms.left.is_(None), ms.left > p.c.start),
        )
        .exists()
    )


def _running_studio(p: Any) -> Any:
    s = m.Studio
    return and_(
        s.tenant_id == p.c.tenant_id,
        s.status.in_(RUNNING_STATUSES),
        s.cycle_start.is_not(None),
        s.cycle_start <= p.c.end,
        _host_in(p, s.id),
    )


def _running(session: Session, p: Any, figures: dict) -> None:
    """Studios that ran in the year: plaqued, started by the year's end, with a host during it."""
    s = m.Studio
    stmt = (
        select(p.c.tenant_id, p.c.year, func.count(s.id))
        .select_from(p)
        .join(s, _running_studio(p))
        .group_by(p.c.tenant_id, p.c.year)
    )
    for tenant_id, year, n in session.execute(_all(stmt)):
        if (f := _known(figures, tenant_id, year)) is not None:
            f.studios = n


def _members(session: Session, p: Any, figures: dict) -> None:
    """Distinct members/trainees who belonged to a running studio at some time in the year."""
    s, ms = m.Studio, m.Membership
    stmt = (
        select(p.c.tenant_id, p.c.year, func.count(ms.person_id.distinct()))
        .select_from(p)
        .join(s, _running_studio(p))
        .join(
            ms,
            and_(
                ms.studio_id == s.id,
                ms.role != "host",
                ms.joined <= p.c.end,
                or_(ms.left.is_(None), ms.left > p.c.start),
            ),
        )
        .group_by(p.c.tenant_id, p.c.year)
    )
    for tenant_id, year, n in session.execute(_all(stmt)):
        if (f := _known(figures, tenant_id, year)) is not None:
            f.members = n


def _activities(session: Session, p: Any, figures: dict) -> None:
    a = m.Activity
    group = case(ACTIVITY_GROUPS, value=a.type, else_="other")
    stmt = (
        select(p.c.tenant_id, p.c.year, group.label("grp"), func.count(a.id))
        .select_from(p)
        .join(a, _in_period(p, a.tenant_id, a.date))
        .where(a.withdrawn_at.is_(None))
        .group_by(p.c.tenant_id, p.c.year, group)
    )
    for tenant_id, year, grp, n in session.execute(_all(stmt)):
        if (f := _known(figures, tenant_id, year)) is not None:
            f.activities[grp] = f.activities.get(grp, 0) + n


def _outputs(session: Session, p: Any, figures: dict) -> None:
    o = m.Output
    level = case((o.level.in_(LEVELS), o.level), else_="none")
    stmt = (
        select(p.c.tenant_id, p.c.year, level.label("lvl"), func.count(o.id))
        .select_from(p)
        .join(o, _in_period(p, o.tenant_id, o.date))
        .where(o.withdrawn_at.is_(None))
        .group_by(p.c.tenant_id, p.c.year, level)
    )
    for tenant_id, year, lvl, n in session.execute(_all(stmt)):
        if (f := _known(figures, tenant_id, year)) is not None:
            f.outputs[lvl] = f.outputs.get(lvl, 0) + n


def _latest_annual() -> Any:
    """The id of the latest annual record of each studio and period (a re-run replaces the earlier)."""
    r = m.AssessmentRecord
    return select(func.max(r.id)).where(r.kind == "annual").group_by(r.studio_id, r.period)


def _grades(session: Session, p: Any, figures: dict) -> None:
    r = m.AssessmentRecord
    stmt = (
        select(p.c.tenant_id, p.c.year, r.grade, func.count(r.id))
        .select_from(p)
        .join(r, and_(r.tenant_id == p.c.tenant_id, r.period == p.c.key))
        .where(r.id.in_(_latest_annual()))
        .group_by(p.c.tenant_id, p.c.year, r.grade)
    )
    for tenant_id, year, grade, n in session.execute(_all(stmt)):
        if (f := _known(figures, tenant_id, year)) is not None:
            f.grades[grade] = f.grades.get(grade, 0) + n


def _criteria(session: Session, p: Any, figures: dict) -> None:
    """Criterion statuses inside the stored results (a JSON array), counted by the database."""
    r = m.AssessmentRecord
    if session.get_bind().dialect.name == "postgresql":
        item = func.json_array_elements(r.result["criteria"]).table_valued("value").alias("item")
        status = item.c.value.op("->>")(literal("status", String))
    else:
        item = func.json_each(r.result, "$.criteria").table_valued("value").alias("item")
        status = func.json_extract(item.c.value, "$.status")
    stmt = (
        select(p.c.tenant_id, p.c.year, status.label("status"), func.count())
        .select_from(p)
        .join(r, and_(r.tenant_id == p.c.tenant_id, r.period == p.c.key))
        .join(item, true())
        .where(r.id.in_(_latest_annual()), status.in_(VERDICTS))
        .group_by(p.c.tenant_id, p.c.year, status)
    )
    for tenant_id, year, verdict, n in session.execute(_all(stmt)):
        if (f := _known(figures, tenant_id, year)) is not None:
            f.criteria[verdict] = f.criteria.get(verdict, 0) + n


def _funds(session: Session, p: Any, figures: dict) -> None:
    fa, ex = m.FundAllocation, m.Expense
    allocated = (
        select(p.c.tenant_id, p.c.year, sum_fen(fa.amount_fen))
        .select_from(p)
        .join(fa, and_(fa.tenant_id == p.c.tenant_id, fa.year == p.c.year, fa.source.in_(FUND_SOURCES)))
        .group_by(p.c.tenant_id, p.c.year)
    )
    for tenant_id, year, fen in session.execute(_all(allocated)):
        if (f := _known(figures, tenant_id, year)) is not None:
            f.allocated_fen = int(fen)
    spent = (
        select(p.c.tenant_id, p.c.year, sum_fen(ex.amount_fen))
        .select_from(p)
        .join(ex, _in_period(p, ex.tenant_id, ex.date))
        .group_by(p.c.tenant_id, p.c.year)
    )
    for tenant_id, year, fen in session.execute(_all(spent)):
        if (f := _known(figures, tenant_id, year)) is not None:
            f.spent_fen = int(fen)


def _removals(session: Session, p: Any, figures: dict) -> None:
    ms = m.Membership
    rule = func.coalesce(ms.removal_rule, "manual")
    stmt = (
        select(p.c.tenant_id, p.c.year, rule.label("rule"), func.count(ms.id))
        .select_from(p)
        .join(ms, _in_period(p, ms.tenant_id, ms.left))
        .where(or_(ms.removal_rule.is_not(None), ms.removal_reason.is_not(None)))
        .group_by(p.c.tenant_id, p.c.year, rule)
    )
    for tenant_id, year, why, n in session.execute(_all(stmt)):
        if (f := _known(figures, tenant_id, year)) is not None:
            f.removals[why] = f.removals.get(why, 0) + n


# ---------------------------------------------------------------------------------------------
# years on offer, and the drill-down


def year_choices(session: Session, today: dt.date) -> tuple[list[int], int]:
    """The years to choose from (the first year with activity, at most ten back, to this year) and
    the default: the latest year with stored annual assessments, else this year."""
    r = m.AssessmentRecord
    done = refreshes(session)
    if done:  # from the summaries' refresh stamps (the raw rows' scans are the refresh's work)
        dates = [row.first_activity for row in done.values() if row.first_activity is not None]
        first = min(dates) if dates else None
        periods = sorted({year for row in done.values() for year in row.assessed_years})
    else:
        first = session.scalar(_all(select(func.min(m.Activity.date))))
        periods = [
            int(key)
            for key in session.scalars(_all(select(r.period).where(r.kind == "annual").distinct()))
            if key.isdigit()
        ]
    if isinstance(first, str):  # SQLite without a typed result
        first = dt.date.fromisoformat(first)
    start = max(min(first.year if first else today.year, today.year - TREND_YEARS + 1), today.year - 9)
    years = list(range(today.year, start - 1, -1))
    assessed = [y for y in periods if y <= today.year]
    default = max(assessed) if assessed else today.year
    if default not in years:
        years.append(default)
        years.sort(reverse=True)
    return years, default


def trend_years(year: int) -> tuple[int, ...]:
    return tuple(range(year - TREND_YEARS + 1, year + 1))
