"""Wushen works by school year and semester: the sub-periods an assessment checks, and their names.

A semester or school year is *due* in an assessment when it lies wholly within the assessed period
and within the studio's cycle; for one person, also wholly within that person's membership. A
semester that the cycle or a membership covers only in part is not assessed (the text asks for
results "each semester", which presupposes the whole semester).
"""

from __future__ import annotations

import datetime as dt

from mingshi.jurisdiction import MembershipFact, Period, StudioFacts, Text, cycle, school_year_ending_in, semesters_in

from .i18n import _


def studio_cycle(facts: StudioFacts) -> Period | None:
    """The studio's cycle (（三）: three years ⚙ from its start), None when no start is recorded."""
    start = facts.studio.cycle_start
    if start is None:
        return None
    return cycle(start, int(facts.param("ws.cycle_years", start)))


def school_year_start(facts: StudioFacts, on: dt.date | None = None) -> str:
    return facts.param("common.school_year_start", on)


def annual_period(year: int, start: str) -> Period:
    """`{"kind": "annual", "year": Y}` is the school year that ends in Y."""
    return school_year_ending_in(year, start)


def semesters(facts: StudioFacts, period: Period) -> list[Period]:
    """The semesters that start inside ``period``."""
    return semesters_in(period, facts.param("common.spring_start"), facts.param("common.autumn_start"))


def school_years(facts: StudioFacts, period: Period) -> list[Period]:
    """The school years that start inside ``period``."""
    start = school_year_start(facts)
    found = []
    for year in range(period.start.year, period.end.year + 2):
        sy = school_year_ending_in(year, start)
        if sy.start in period:
            found.append(sy)
    return found


def within(inner: Period, outer: Period | None) -> bool:
    return outer is None or (outer.start <= inner.start and inner.end <= outer.end)


def due(parts: list[Period], period: Period, studio_cycle: Period | None) -> list[Period]:
    """The parts that lie wholly within the period and the cycle."""
    return [p for p in parts if within(p, period) and within(p, studio_cycle)]


def member_throughout(membership: MembershipFact, part: Period) -> bool:
    """The person belonged to the studio for the whole of ``part``."""
    return membership.joined <= part.start and (membership.left is None or membership.left > part.end)


def label(p: Period) -> Text:
    """A period's name in the reader's language: 2023年秋季学期 · 2023—2024学年 …"""
    if p.kind == "semester":
        year, season = p.key.split("-")
        if season == "autumn":
            return _("autumn semester %(year)s", year=year)
        return _("spring semester %(year)s", year=year)
    if p.kind == "school_year":
        first, last = p.key.split("-")
        return _("school year %(first)s–%(last)s", first=first, last=last)
    if p.kind == "cycle":
        return _("the cycle from %(start)s to %(end)s", start=p.start, end=p.end)
    if p.kind == "year":
        return _("year %(year)s", year=p.key)
    if p.start == p.end:
        return _("on %(date)s", date=p.start)
    return _("%(start)s to %(end)s", start=p.start, end=p.end)
