"""Shenyang's retirement schedule (plugins/shenyang/mingshi_shenyang/retirement.py) against the annex tables of the
NPC Standing Committee's decision of 2024-09-13 on gradually raising the statutory retirement age."""

from __future__ import annotations

import datetime as dt

import pytest

from mingshi_shenyang.retirement import retirement_age_months, statutory_retirement_date


def years_months(y: int, m: int = 0) -> int:
    return y * 12 + m


@pytest.mark.parametrize(
    ("born", "sex", "base", "age"),
    [
        # men, 60 → 63 (附件1)
        ("1964-12-01", "M", 55, years_months(60)),
        ("1965-01-01", "M", 55, years_months(60, 1)),
        ("1965-04-01", "M", 55, years_months(60, 1)),
        ("1965-05-01", "M", 55, years_months(60, 2)),
        ("1968-03-15", "M", 55, years_months(60, 10)),
        ("1976-08-01", "M", 55, years_months(62, 11)),
        ("1976-09-01", "M", 55, years_months(63)),
        ("1977-01-01", "M", 55, years_months(63)),
        # women 55 → 58 (附件2)
        ("1969-12-01", "F", 55, years_months(55)),
        ("1970-01-01", "F", 55, years_months(55, 1)),
        ("1981-08-01", "F", 55, years_months(57, 11)),
        ("1981-09-01", "F", 55, years_months(58)),
        # women 50 → 55 (附件2)
        ("1974-12-01", "F", 50, years_months(50)),
        ("1975-01-01", "F", 50, years_months(50, 1)),
        ("1975-03-01", "F", 50, years_months(50, 2)),
        ("1984-10-01", "F", 50, years_months(54, 11)),
        ("1984-11-01", "F", 50, years_months(55)),
    ],
)
def test_retirement_age(born: str, sex: str, base: int, age: int) -> None:
    assert retirement_age_months(dt.date.fromisoformat(born), sex, base) == age


def test_retirement_date() -> None:
    assert statutory_retirement_date(dt.date(1965, 1, 15), "M") == dt.date(2025, 2, 15)
    assert statutory_retirement_date(dt.date(1968, 3, 15), "M") == dt.date(2029, 1, 15)
    assert statutory_retirement_date(dt.date(1973, 6, 10), "F") == dt.date(2029, 5, 10)
    assert statutory_retirement_date(dt.date(1990, 1, 31), "F", 50) == dt.date(2045, 1, 31)


def test_unknown_sex_or_base() -> None:
    with pytest.raises(ValueError):
        statutory_retirement_date(dt.date(1970, 1, 1), "X")
    with pytest.raises(ValueError):
        statutory_retirement_date(dt.date(1970, 1, 1), "F", 60)
