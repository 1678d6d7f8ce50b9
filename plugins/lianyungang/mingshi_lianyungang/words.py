"""Words used inside explanations, as translatable texts, and small helpers shared by the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from mingshi.jurisdiction import Grade, MembershipFact, Period, StudioFacts, Text, format_fen

from .i18n import _

RANKS = {
    "first": _("first prize"),
    "second": _("second prize"),
    "third": _("third prize"),
    "other": _("other prize"),
}
LEVELS = {
    "school": _("school"),
    "county": _("county"),
    "municipal": _("municipal"),
    "provincial": _("provincial"),
    "national": _("national"),
}
COMPETITIONS = {
    "sci_tech_innovation": _("youth science and technology innovation contest"),
    "robotics": _("youth robotics competition"),
    "computer_production": _("computer production contest"),
    "creative_programming": _("creative programming and smart design contest"),
    "science_survey": _("youth science survey experience contest"),
    "science_film": _("youth science film contest"),
    "other": _("other contest"),
}
TITLES = {
    "junior": _("junior"),
    "intermediate": _("intermediate"),
    "deputy_senior": _("deputy senior"),
    "senior": _("senior"),
}
STAGES = {
    "kindergarten": _("kindergarten"),
    "primary": _("primary school"),
    "secondary": _("secondary school"),
    "vocational": _("secondary vocational school"),
    "other": _("other kind of school"),
}
ROLES = {"host": _("host"), "member": _("member")}
GRADES = {
    Grade.EXCELLENT: _("excellent"),
    Grade.PASS: _("pass"),
    Grade.FAIL: _("fail"),
    Grade.PENDING: _("pending"),
}
NONE = _("none")
NOT_RECORDED = _("not recorded")

#: what a reviewer's attestation says, for ``%(finding)s``
FINDINGS = {
    None: _("awaiting a reviewer's judgement"),
    True: _("confirmed by the reviewer"),
    False: _("not confirmed by the reviewer"),
}


def label(table: dict[str, Text], code: str | None) -> Text | str:
    if code is None:
        return NOT_RECORDED
    return table.get(code, code)


def names(items: list[Any]) -> list[Any] | Text:
    """A list for ``%(x)s`` (joined with 、 or ,), or "none"."""
    return list(items) if items else NONE


def number(value: Any) -> str:
    """A decimal as people write it: 64, 2.7, 49.5."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def yuan(fen: int) -> str:
    return format_fen(fen)


def period_label(period: Period) -> Text:
    if period.kind == "year":
        return _("%(year)s", year=period.key)
    if period.kind == "cycle":
        return _("Cycle %(start)s to %(end)s", start=period.start, end=period.end)
    return _("%(start)s to %(end)s", start=period.start, end=period.end)


def attestation_key(period: Period, kind: str) -> str:
    """The attestation period key the web records: "2025", "cycle" or "application"."""
    if kind == "application":
        return "application"
    if kind == "cycle" or period.kind == "cycle":
        return "cycle"
    return period.key


def current(membership: MembershipFact, day: dt.date) -> bool:
    """Membership as of ``day``; a removal recorded without a date ends it at once."""
    if membership.removal_rule is not None and membership.left is None:
        return False
    return membership.active_on(day)


def members_on(facts: StudioFacts, day: dt.date) -> list[MembershipFact]:
    """Backbone members (not the host) as of ``day``, one per person."""
    seen: dict[str, MembershipFact] = {}
    for m in facts.memberships:
        if m.role == "member" and current(m, day):
            seen.setdefault(m.person.key, m)
    return list(seen.values())


def host_on(facts: StudioFacts, day: dt.date) -> MembershipFact | None:
    hosts = [m for m in facts.memberships if m.role == "host" and current(m, day)]
    return hosts[-1] if hosts else None


def cycle_years(facts: StudioFacts) -> int:
    start = facts.studio.cycle_start
    return int(facts.param("lyg.cycle_years", on=start) if start else facts.param("lyg.cycle_years"))


def budget_years(facts: StudioFacts) -> list[int]:
    """The calendar years the city subsidises (第十九条 “连续安排3年”): the year of the plaque
    (the cycle start) and the following ones, as many as the cycle has years."""
    start = facts.studio.cycle_start
    if start is None:
        return []
    return [start.year + k for k in range(cycle_years(facts))]
