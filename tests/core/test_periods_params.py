import datetime as dt
from decimal import Decimal

import pytest

from mingshi.core.periods import (
    add_months,
    calendar_year,
    cycle,
    school_year_containing,
    school_year_ending_in,
    semester_containing,
    semesters_in,
)
from mingshi.core.rules.params import DatedValue, ParameterDef, ParameterError, ParamSet
from mingshi.core.vocab import Label

D = dt.date


def test_school_year_and_semesters() -> None:
    sy = school_year_ending_in(2025)
    assert (sy.start, sy.end, sy.key) == (D(2024, 9, 1), D(2025, 8, 31), "2024-2025")
    assert [p.key for p in semesters_in(sy)] == ["2024-autumn", "2025-spring"]
    assert semesters_in(sy)[0].end == D(2025, 1, 31)
    assert school_year_containing(D(2025, 8, 31)).key == "2024-2025"
    assert school_year_containing(D(2025, 9, 1)).key == "2025-2026"
    assert semester_containing(D(2025, 1, 31)).key == "2024-autumn"
    assert semester_containing(D(2025, 2, 1)).key == "2025-spring"
    assert [p.key for p in semesters_in(calendar_year(2025))] == ["2025-spring", "2025-autumn"]


def test_cycle_is_inclusive_and_handles_leap_days() -> None:
    c = cycle(D(2024, 1, 1), 3)
    assert (c.start, c.end) == (D(2024, 1, 1), D(2026, 12, 31))
    assert D(2026, 12, 31) in c and D(2027, 1, 1) not in c
    assert cycle(D(2024, 2, 29), 1).end == D(2025, 2, 27)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)


FUNDING = ParameterDef(
    "x.funding",
    "money",
    "第十二条",
    Label("经费", "funds"),
    ((D(2021, 10, 18), "20000"), (D(2026, 1, 1), "30000")),
)
RATIO = ParameterDef("x.ratio", "ratio", "第十一条", Label("比例", "ratio"), ((D(2000, 1, 1), "0.5"),))


def test_value_in_force_on_a_date() -> None:
    params = ParamSet([FUNDING, RATIO])
    assert params.value("x.funding", D(2025, 12, 31)) == 2_000_000
    assert params.value("x.funding", D(2026, 1, 1)) == 3_000_000
    assert params.value("x.funding", D(2020, 1, 1)) == 2_000_000  # before any date: the earliest default
    assert params.value("x.ratio", D(2025, 1, 1)) == Decimal("0.5")


def test_tenant_values_and_overrides_take_precedence() -> None:
    params = ParamSet([FUNDING], {"x.funding": [DatedValue(D(2025, 7, 1), "22000.50")]}, {})
    assert params.value("x.funding", D(2025, 6, 30)) == 2_000_000
    assert params.value("x.funding", D(2025, 7, 1)) == 2_200_050
    assert params.source("x.funding", D(2025, 7, 1)) == "tenant"
    what_if = ParamSet([FUNDING], {"x.funding": [DatedValue(D(2025, 7, 1), "22000")]}, {"x.funding": "1"})
    assert what_if.value("x.funding", D(2025, 7, 1)) == 100
    assert what_if.source("x.funding", D(2025, 7, 1)) == "override"


@pytest.mark.parametrize(
    ("definition", "raw"),
    [(FUNDING, "abc"), (FUNDING, "0.001"), (RATIO, "1.5"), (RATIO, 0.5)],
)
def test_bad_values_are_refused_with_the_parameter_named(definition, raw) -> None:
    with pytest.raises(ParameterError, match=definition.id):
        ParamSet([definition], overrides={definition.id: raw})


def test_unknown_parameter() -> None:
    with pytest.raises(ParameterError, match=r"unknown parameter 'x\.nope'"):
        ParamSet([FUNDING], overrides={"x.nope": "1"})
