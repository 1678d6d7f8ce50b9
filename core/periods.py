"""Periods: calendar year, school year, semester, cycle — and which period contains a date.

All bounds are inclusive. The school-year and semester starts are parameters
(``common.school_year_start``, ``common.spring_start``, ``common.autumn_start``) given as
``MM-DD``; callers pass the values in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    #: year · school_year · semester · cycle · day
    kind: str
    #: a stable key: "2025", "2024-2025", "2025-spring", "cycle:2024-01-01", "2025-03-01"
    key: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period {self.key} ends before it starts")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


def month_day(text: str) -> tuple[int, int]:
    """``"09-01"`` → ``(9, 1)``."""
    try:
        month, day = (int(p) for p in text.split("-"))
        dt.date(2000, month, day)
    except (ValueError, TypeError):
        raise ValueError(f"{text!r} is not a month-day like 09-01") from None
    return month, day


def _on(year: int, md: tuple[int, int]) -> dt.date:
    month, day = md
    if (month, day) == (2, 29):
        day = 28
    return dt.date(year, month, day)


def calendar_year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", str(year))


def school_year_ending_in(year: int, start: str = "09-01") -> Period:
    """The school year that ends in ``year``: e.g. 2024-09-01 → 2025-08-31 for 2025."""
    begin = _on(year - 1, month_day(start))
    end = _on(year, month_day(start)) - dt.timedelta(days=1)
    return Period(begin, end, "school_year", f"{year - 1}-{year}")


def school_year_containing(day: dt.date, start: str = "09-01") -> Period:
    md = month_day(start)
    ends_in = day.year + 1 if day >= _on(day.year, md) else day.year
    return school_year_ending_in(ends_in, start)


def semesters_in(period: Period, spring: str = "02-01", autumn: str = "09-01") -> list[Period]:
    """The semesters (autumn, spring) that start inside ``period``, in order."""
    sp, au = month_day(spring), month_day(autumn)
    found: list[Period] = []
    for year in range(period.start.year - 1, period.end.year + 1):
        autumn_start = _on(year, au)
        spring_start = _on(year + 1, sp)
        next_autumn = _on(year + 1, au)
        autumn_p = Period(autumn_start, spring_start - dt.timedelta(days=1), "semester", f"{year}-autumn")
        spring_p = Period(spring_start, next_autumn - dt.timedelta(days=1), "semester", f"{year + 1}-spring")
        for p in (autumn_p, spring_p):
            if period.start <= p.start <= period.end and p not in found:
                found.append(p)
    return sorted(found)


def semester_containing(day: dt.date, spring: str = "02-01", autumn: str = "09-01") -> Period:
    around = Period(dt.date(day.year - 1, 1, 1), dt.date(day.year, 12, 31), "year", "around")
    for p in semesters_in(around, spring, autumn):
        if day in p:
            return p
    raise ValueError(f"no semester contains {day}")  # pragma: no cover - the two cover the year


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    import calendar

    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def cycle(cycle_start: dt.date, years: int) -> Period:
    """A studio's construction period: ``years`` years from ``cycle_start`` (inclusive)."""
    return Period(cycle_start, add_years(cycle_start, years) - dt.timedelta(days=1), "cycle", f"cycle:{cycle_start}")


def day(on: dt.date) -> Period:
    return Period(on, on, "day", on.isoformat())
