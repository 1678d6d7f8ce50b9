"""The per-studio-year summaries the comparison reads, recomputed from the raw rows and compared.

Each data set (the hand-counted central set, the demo, small synthetic tenants) is summarised by
:func:`mingshi.core.services.summaries.refresh_all`; then (1) the comparison added up from the
summaries equals the comparison aggregated from the raw rows, figure by figure, for every year
covered, and (2) each summary row equals a recount of its studio's rows done here in Python from the
ORM objects (a second, independent computation).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from sqlalchemy import event, select

from mingshi.core import models as m
from mingshi.core.demo import load_demo
from mingshi.core.services import central, summaries
from mingshi.core.synth import SYNTH_TODAY, synth
from mingshi.core.tenancy import all_tenants, bind_tenant
from mingshi.core.vocab import ACTIVITY_GROUPS, LEVELS
from tests.central.conftest import TODAY, D, DataSet

FIGURES = (
    "studios",
    "members",
    "activities",
    "outputs",
    "grades",
    "criteria",
    "allocated_fen",
    "spent_fen",
    "removals",
)


def _figures(comparison: central.Comparison) -> dict:
    return {
        key: {name: getattr(f, name) for name in FIGURES} | {"period": f.period}
        for key, f in sorted(comparison.figures.items())
    }


def _both(sessions, jurisdictions, years) -> tuple[central.Comparison, central.Comparison]:
    with central.read_only_session(sessions) as session:
        summed = central.compare(session, jurisdictions, years)
        live = central.compare_live(session, jurisdictions, years)
    return summed, live


def _recount(sessions, tenant_id: int, jurisdictions, today: dt.date) -> dict[tuple[int, int], dict]:
    """Each studio-year's figures counted in Python from the tenant's ORM rows (not SQL aggregates)."""
    with sessions() as s:
        bind_tenant(s, tenant_id)
        stamp = s.scalar(select(m.SummaryRefresh))
        view = next(t for t in central.tenants(s, jurisdictions).compared if t.id == tenant_id)
        periods = central.annual_periods(s, [view], range(stamp.first_year, stamp.last_year + 1))
        out: dict[tuple[int, int], dict] = defaultdict(Counter)
        for (_, year), period in periods.items():
            inside = lambda day, p=period: day is not None and p.start <= day <= p.end  # noqa: E731
            for a in s.scalars(select(m.Activity).where(m.Activity.withdrawn_at.is_(None))):
                if inside(a.date):
                    out[(a.studio_id, year)]["act_" + ACTIVITY_GROUPS.get(a.type, "other")] += 1
            for o in s.scalars(select(m.Output).where(m.Output.withdrawn_at.is_(None))):
                if inside(o.date):
                    out[(o.studio_id, year)]["out_" + (o.level if o.level in LEVELS else "none")] += 1
            for e in s.scalars(select(m.Expense)):
                if inside(e.date):
                    out[(e.studio_id, year)]["spent_fen"] += e.amount_fen
            for fa in s.scalars(select(m.FundAllocation)):
                if fa.year == year and fa.source in central.FUND_SOURCES:
                    out[(fa.studio_id, year)]["allocated_fen"] += fa.amount_fen
            latest: dict[int, m.AssessmentRecord] = {}
            for r in s.scalars(select(m.AssessmentRecord).order_by(m.AssessmentRecord.id)):
                if r.kind == "annual" and r.period == str(year):
                    latest[r.studio_id] = r
            for studio_id, r in latest.items():
                out[(studio_id, year)]["grade:" + r.grade] += 1
                for c in (r.result or {}).get("criteria", []):
                    if c.get("status") in central.VERDICTS:
                        out[(studio_id, year)]["criteria_" + c["status"]] += 1
    found = {key: {k: v for k, v in counts.items() if v} for key, counts in out.items()}
    return {key: counts for key, counts in found.items() if counts}


def _stored(sessions, tenant_id: int) -> dict[tuple[int, int], dict]:
    names = [
        *(f"act_{g}" for g in ("teaching", "outreach", "research", "training", "other")),
        *(f"out_{lvl}" for lvl in (*LEVELS, "none")),
        "spent_fen",
        "allocated_fen",
        "criteria_met",
        "criteria_unmet",
        "criteria_pending",
    ]
    with sessions() as s:
        bind_tenant(s, tenant_id)
        found = {}
        for row in s.scalars(select(m.StudioYearSummary)):
            counts = {n: getattr(row, n) for n in names if getattr(row, n)}
            if row.grade:
                counts["grade:" + row.grade] = 1
            if counts:
                found[(row.studio_id, row.year)] = counts
    return found


def _check(sessions, jurisdictions, today: dt.date) -> None:
    codes = summaries.refresh_all(sessions, jurisdictions, today)
    assert codes
    with central.read_only_session(sessions) as session:
        stamps = central.refreshes(session)
        found = central.tenants(session, jurisdictions)
        first = max(s.first_year for s in stamps.values())
        last = min(s.last_year for s in stamps.values())
    years = range(first, last + 1)
    summed, live = _both(sessions, jurisdictions, years)
    assert summed.as_of is not None and live.as_of is None
    assert _figures(summed) == _figures(live)
    assert (summed.by_status, summed.by_kind) == (live.by_status, live.by_kind)
    for tenant in found.compared:
        assert _stored(sessions, tenant.id) == _recount(sessions, tenant.id, jurisdictions, today), tenant.code


def test_the_summaries_of_the_hand_counted_set_add_up_to_the_raw_figures(sessions, jurisdictions, dataset) -> None:
    _check(sessions, jurisdictions, TODAY)
    summed, _ = _both(sessions, jurisdictions, [2025])
    # the hand-counted figures of test_figures.py, now read from the summaries
    sy = summed.of(dataset.shenyang, 2025)
    assert (sy.studios, sy.members, sy.allocated_fen, sy.spent_fen) == (3, 4, 2_400_000, 223_456)
    assert sy.criteria == {"met": 4, "unmet": 1, "pending": 1}
    assert sy.removals == {"sy.member.absence": 1, "manual": 1}


def test_the_summaries_of_the_demo_add_up_to_the_raw_figures(database_url, sessions, jurisdictions) -> None:
    load_demo(database_url, jurisdictions)
    _check(sessions, jurisdictions, dt.date.today())


def test_the_summaries_of_synthetic_tenants_add_up_to_the_raw_figures(sessions, jurisdictions) -> None:
    synth(sessions, jurisdictions, studios=24, seed=7)
    _check(sessions, jurisdictions, SYNTH_TODAY)


def test_the_page_reads_stale_summaries_until_the_next_refresh(sessions, jurisdictions, dataset: DataSet) -> None:
    summaries.refresh_all(sessions, jurisdictions, TODAY)
    with sessions() as s:
        bind_tenant(s, dataset.wushen)
        studio = s.scalars(select(m.Studio)).first()
        s.add(m.Activity(studio_id=studio.id, date=D(2025, 1, 5), type="seminar", title="新加"))
        s.commit()
    summed, live = _both(sessions, jurisdictions, [2025])
    assert summed.of(dataset.wushen, 2025).activities["research"] == 0
    assert live.of(dataset.wushen, 2025).activities["research"] == 1
    summaries.refresh_all(sessions, jurisdictions, TODAY)
    summed, _ = _both(sessions, jurisdictions, [2025])
    assert summed.of(dataset.wushen, 2025).activities["research"] == 1


def test_years_outside_the_summaries_are_compared_from_the_raw_rows(sessions, jurisdictions, dataset) -> None:
    summaries.refresh_all(sessions, jurisdictions, TODAY)
    with central.read_only_session(sessions) as session:
        assert central.compare(session, jurisdictions, [2025]).as_of is not None
        assert central.compare(session, jurisdictions, [2001]).as_of is None


def _statements(sessions, jurisdictions, years) -> int:
    seen: list[str] = []
    with central.read_only_session(sessions) as session:
        engine = session.get_bind()

        def record(_conn, _cursor, statement, *_args) -> None:
            if "set_config" not in statement and "SET TRANSACTION" not in statement:
                seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            central.year_choices(session, TODAY)
            comparison = central.compare(session, jurisdictions, years)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert comparison.as_of is not None
    return len(seen)


def test_the_summed_comparison_reads_a_constant_number_of_statements(sessions, jurisdictions, dataset) -> None:
    summaries.refresh_all(sessions, jurisdictions, TODAY)
    small = _statements(sessions, jurisdictions, central.trend_years(2025))
    with sessions() as s:
        bind_tenant(s, dataset.shenyang)
        for i in range(30):
            studio = m.Studio(name=f"新增{i}", kind="studio", status="active", cycle_start=D(2025, 1, 1))
            s.add(studio)
            s.flush()
            s.add(m.Activity(studio_id=studio.id, date=D(2025, 6, 1), type="seminar", title="x"))
        s.commit()
    summaries.refresh_all(sessions, jurisdictions, TODAY)
    large = _statements(sessions, jurisdictions, central.trend_years(2025))
    assert small == large <= 9


@pytest.mark.parametrize("count", [1])
def test_the_criteria_are_not_expanded_per_view(sessions, jurisdictions, dataset, count) -> None:
    summaries.refresh_all(sessions, jurisdictions, TODAY)
    seen: list[str] = []
    with central.read_only_session(sessions) as session:
        engine = session.get_bind()
        listener = lambda _c, _k, statement, *_a: seen.append(statement)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            central.compare(session, jurisdictions, [2025])
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    joined = " ".join(seen).lower()
    assert "json_each" not in joined and "json_array_elements" not in joined
    assert "assessment_records" not in joined and "activities" not in joined
    with sessions() as s:
        n = s.scalar(select(m.StudioYearSummary.year).execution_options(**all_tenants("test")).limit(count))
    assert n is not None
