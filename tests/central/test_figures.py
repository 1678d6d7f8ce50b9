"""The comparison's figures against the fixed data set, counted by hand (see conftest.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from mingshi.core import models as m
from mingshi.core.services import central
from mingshi.core.tenancy import TenancyError, bind_tenant
from tests.central.conftest import D, DataSet


@pytest.fixture
def compared(sessions, dataset: DataSet, jurisdictions):
    with central.read_only_session(sessions) as session:
        return central.compare(session, jurisdictions, [2024, 2025, 2026])


def test_the_tenants_compared_and_left_out(compared, dataset) -> None:
    assert [t.code for t in compared.tenants.compared] == ["shenyang", "wushen", "wenzhou"]
    assert compared.tenants.skipped == ("elsewhere",)


def test_each_tenant_counts_its_own_year(compared, dataset) -> None:
    assert compared.of(dataset.shenyang, 2025).period.start == D(2025, 1, 1)
    assert compared.of(dataset.shenyang, 2025).period.end == D(2025, 12, 31)
    # Wushen: the school year ending in 2025, from the tenant's own start (08-01, not the default 09-01)
    assert compared.of(dataset.wushen, 2025).period.start == D(2024, 8, 1)
    assert compared.of(dataset.wushen, 2025).period.end == D(2025, 7, 31)


def test_studios_by_status_and_kind_and_running(compared, dataset) -> None:
    assert compared.by_status[dataset.shenyang] == {"active": 2, "draft": 1, "disqualified": 1}
    # the draft is an application: counted by its status, never as a studio of its kind
    assert compared.by_kind[dataset.shenyang] == {"workshop": 1, "studio": 2}
    assert compared.by_kind[dataset.wenzhou] == {"outreach_studio": 1}
    sy = {y: compared.of(dataset.shenyang, y).studios for y in (2024, 2025, 2026)}
    # 2024: 甲 and 丁 (乙's cycle starts in 2025); 2025: 甲, 乙, 丁 (its host left mid-year); 2026: 甲, 乙
    assert sy == {2024: 2, 2025: 3, 2026: 2}
    assert compared.of(dataset.wushen, 2025).studios == 1
    assert compared.of(dataset.wushen, 2024).studios == 0


def test_members_are_distinct_people_of_running_studios(compared, dataset) -> None:
    # 成员一 (in two studios, once), 成员二 (left in May), 成员四, 成员五 (left in June); not 成员三 (2026)
    assert compared.of(dataset.shenyang, 2025).members == 4
    assert compared.of(dataset.shenyang, 2026).members == 3  # 成员一, 成员三, 成员四
    assert compared.of(dataset.wenzhou, 2025).members == 2


def test_activities_by_group_on_the_year_boundaries(compared, dataset) -> None:
    sy = compared.of(dataset.shenyang, 2025)
    assert sy.activities == {"teaching": 2, "outreach": 1, "research": 1, "training": 1, "other": 1}
    assert sy.per_studio(sy.activities_total) == Decimal("2.0")
    ws = compared.of(dataset.wushen, 2025)
    assert ws.activities == {"teaching": 0, "outreach": 2, "research": 0, "training": 0, "other": 0}
    assert compared.of(dataset.wushen, 2026).activities["research"] == 1
    assert compared.of(dataset.wushen, 2024).activities["teaching"] == 1
    # a type only the plugin knows falls into "other"
    assert compared.of(dataset.wenzhou, 2025).activities == {
        "teaching": 1,
        "outreach": 0,
        "research": 2,
        "training": 0,
        "other": 1,
    }


def test_outputs_by_level(compared, dataset) -> None:
    sy = compared.of(dataset.shenyang, 2025)
    assert sy.outputs == {
        "school": 0,
        "county": 0,
        "municipal": 1,
        "provincial": 1,
        "national": 0,
        "none": 1,
    }
    assert sy.per_studio(sy.outputs_total) == Decimal("1.0")
    assert compared.of(dataset.shenyang, 2026).outputs["national"] == 1
    assert compared.of(dataset.wushen, 2025).outputs["county"] == 1


def test_grades_take_the_latest_annual_record(compared, dataset) -> None:
    sy = compared.of(dataset.shenyang, 2025)
    assert sy.grades == {"excellent": 1, "pass": 1, "fail": 0, "pending": 0}
    assert sy.pass_rate == Decimal("100.0")
    assert compared.of(dataset.shenyang, 2024).grades["fail"] == 1
    assert compared.of(dataset.wushen, 2025).grades == {"excellent": 0, "pass": 0, "fail": 1, "pending": 0}
    assert compared.of(dataset.wushen, 2025).pass_rate == Decimal("0.0")
    assert compared.of(dataset.wenzhou, 2025).assessed == 0
    assert compared.of(dataset.wenzhou, 2025).pass_rate is None


def test_quota_completion_from_the_stored_criteria(compared, dataset) -> None:
    sy = compared.of(dataset.shenyang, 2025)
    # 甲 (latest): met, met, unmet (+ not applicable, notice left out); 乙: met, pending, met
    assert sy.criteria == {"met": 4, "unmet": 1, "pending": 1}
    assert sy.quota_rate == Decimal("66.7")
    assert compared.of(dataset.wushen, 2025).quota_rate == Decimal("50.0")
    assert compared.of(dataset.wenzhou, 2025).quota_rate is None


def test_funds_allocated_spent_and_execution_rate(compared, dataset) -> None:
    sy = compared.of(dataset.shenyang, 2025)
    # grants 2,000,000 + 1,000,000 − 1,000,000 (reversal) + 500,000, recovery −100,000; not school matching
    assert sy.allocated_fen == 2_400_000
    # 123,456 + 100,000 + 50,000 − 50,000 (reversal); not the one of 2026-01-02
    assert sy.spent_fen == 223_456
    assert sy.execution_rate == Decimal("9.3")
    ws = compared.of(dataset.wushen, 2025)
    assert (ws.allocated_fen, ws.spent_fen, ws.execution_rate) == (800_000, 200_000, Decimal("25.0"))
    assert compared.of(dataset.wenzhou, 2025).execution_rate is None
    assert isinstance(sy.allocated_fen, int) and isinstance(sy.spent_fen, int)


def test_members_removed_and_why(compared, dataset) -> None:
    assert compared.of(dataset.shenyang, 2025).removals == {"sy.member.absence": 1, "manual": 1}
    assert compared.of(dataset.shenyang, 2026).removals == {}
    assert compared.of(dataset.wenzhou, 2025).removals == {"wz.trainee.absence": 1}


def _count_queries(sessions, jurisdictions, years) -> int:
    statements: list[str] = []
    with central.read_only_session(sessions) as session:
        engine = session.get_bind()

        def record(_conn, _cursor, statement, *_args) -> None:
            if "set_config" not in statement and "SET TRANSACTION" not in statement:
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            central.compare(session, jurisdictions, years)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_a_constant_number_of_queries(sessions, jurisdictions, dataset) -> None:
    one_year = _count_queries(sessions, jurisdictions, [2025])
    five_years = _count_queries(sessions, jurisdictions, range(2021, 2026))
    with sessions() as s:
        bind_tenant(s, dataset.shenyang)
        for i in range(30):
            studio = m.Studio(name=f"新增{i}", kind="studio", status="active", cycle_start=D(2025, 1, 1))
            s.add(studio)
            s.flush()
            s.add(m.Activity(studio_id=studio.id, date=D(2025, 6, 1), type="seminar", title="x"))
        s.commit()
    more_studios = _count_queries(sessions, jurisdictions, [2025])
    assert one_year == five_years == more_studios
    assert one_year <= 14


def test_nothing_can_be_written_through_a_read_only_session(sessions, dataset) -> None:
    with central.read_only_session(sessions, dataset.shenyang) as session:
        studio = session.scalars(select(m.Studio)).first()
        studio.name = "改名"
        with pytest.raises(TenancyError):
            session.flush()


def test_years_on_offer_and_the_default(sessions, dataset) -> None:
    with central.read_only_session(sessions) as session:
        years, default = central.year_choices(session, dt.date(2026, 11, 20))
    assert default == 2025  # the latest year with stored annual assessments
    assert years[0] == 2026 and 2024 in years and years == sorted(years, reverse=True)


@pytest.mark.parametrize("year", [1999, 2101, True])
def test_a_year_out_of_range_is_refused_naming_the_field(year) -> None:
    with pytest.raises(ValueError, match="year"):
        central.check_year(year)
