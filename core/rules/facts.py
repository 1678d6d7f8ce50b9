"""The facts a rule reads: an immutable snapshot of one studio, built from the database models.

Plugins never see ORM objects: :func:`mingshi.core.services.facts.load_studio_facts` reads the same
tables the web application writes (in a constant number of queries) and hands the rules these
frozen dataclasses. Scenarios take the same road: they are loaded into the models first.

People are identified by their ``key`` (the external reference — a scenario's ``p3`` — or the
database id as text).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any

from mingshi.core.periods import Period
from mingshi.core.rules.attendance import is_unexcused_absence
from mingshi.core.rules.params import ParamSet
from mingshi.core.vocab import level_rank


@dataclass(frozen=True)
class SchoolFact:
    key: str
    name: str
    county: str | None = None
    rural: bool = False
    stage: str | None = None


@dataclass(frozen=True)
class PersonFact:
    key: str
    name: str
    sex: str | None = None
    born: dt.date | None = None
    school: SchoolFact | None = None
    position: str | None = None
    title: str | None = None
    backbone_level: str | None = None
    #: designations over time, ``(level, date)`` in date order
    backbone_history: tuple[tuple[str, dt.date], ...] = ()
    honors: frozenset[str] = frozenset()
    retirement_date: dt.date | None = None
    #: ``(type, date)`` in date order: ethics_violation, transferred, …
    events: tuple[tuple[str, dt.date], ...] = ()

    def backbone_level_on(self, day: dt.date) -> str | None:
        """The highest level designated on or before ``day`` (from the history), else the current level."""
        if not self.backbone_history:
            return self.backbone_level
        held = [level for level, since in self.backbone_history if since <= day]
        return max(held, key=level_rank) if held else None

    def age_on(self, day: dt.date) -> int | None:
        if self.born is None:
            return None
        return day.year - self.born.year - ((day.month, day.day) < (self.born.month, self.born.day))

    def events_between(self, start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
        return [(t, d) for t, d in self.events if start <= d <= end]


@dataclass(frozen=True)
class MembershipFact:
    person: PersonFact
    role: str
    joined: dt.date
    left: dt.date | None = None
    category: str | None = None
    removal_reason: str | None = None
    removal_rule: str | None = None
    #: reinstated by the administrator after a rule's removal: the rules count only what happened
    #: after this day (the same absences never remove them again)
    reinstated_on: dt.date | None = None

    def counts_on(self, day: dt.date) -> bool:
        """Whether the rules may count what happened on ``day`` against this membership: not before
        joining, not after leaving, and not on or before a reinstatement."""
        if day < self.joined or (self.left is not None and day > self.left):
            return False
        return self.reinstated_on is None or day > self.reinstated_on

    def active_on(self, day: dt.date) -> bool:
        """Membership as of D: joined <= D, and left empty or > D."""
        return self.joined <= day and (self.left is None or self.left > day)

    def overlaps(self, period: Period) -> bool:
        return self.joined <= period.end and (self.left is None or self.left > period.start)

    @property
    def removed(self) -> bool:
        return self.removal_rule is not None or self.removal_reason is not None


@dataclass(frozen=True)
class ActivityFact:
    key: str
    date: dt.date
    type: str
    mode: str = "offline"
    scope: str = "studio"
    school: SchoolFact | None = None
    led_by: tuple[str, ...] = ()
    title: str = ""
    #: person key → present · excused · absent
    attendance: tuple[tuple[str, str], ...] = ()
    #: person key → date the leave was approved
    leave_approved: tuple[tuple[str, dt.date], ...] = ()
    notice_published: dt.date | None = None
    plan_approved: dt.date | None = None
    report_published: dt.date | None = None
    #: the record's reference (``"activity:123"``, :mod:`mingshi.core.rules.records`); None if not from the database
    record: str | None = None

    def status_of(self, person: str) -> str | None:
        return self._statuses.get(person)

    @cached_property
    def _statuses(self) -> dict[str, str]:
        """Each person's first attendance entry (the rules ask it for every member of every activity:
        a scan of the tuple each time was a tenth of a tenant's run)."""
        found: dict[str, str] = {}
        for person, status in self.attendance:
            found.setdefault(person, status)
        return found

    def leave_approved_by(self, person: str) -> dt.date | None:
        """The date the person's leave was approved, if recorded."""
        return next((d for p, d in self.leave_approved if p == person), None)

    @property
    def online(self) -> bool:
        return self.mode == "online"


@dataclass(frozen=True)
class OutputFact:
    key: str
    type: str
    date: dt.date
    people: tuple[str, ...] = ()
    level: str | None = None
    published: bool = False
    chars: int | None = None
    status: str | None = None
    title: str = ""
    school: SchoolFact | None = None
    #: the record's reference (``"output:45"``); None if not from the database
    record: str | None = None


@dataclass(frozen=True)
class AwardFact:
    competition: str
    level: str
    rank: str
    first_instructor: str
    date: dt.date
    #: the record's reference (``"award:6"``); None if not from the database
    record: str | None = None


@dataclass(frozen=True)
class PairingFact:
    person: str
    rural_teacher: str
    date: dt.date


@dataclass(frozen=True)
class FindingFact:
    type: str
    date: dt.date


@dataclass(frozen=True)
class ExpenseFact:
    date: dt.date
    category: str
    amount_fen: int
    #: the record's reference (``"expense:7"``; a reversal has its own); None if not from the database
    record: str | None = None


@dataclass(frozen=True)
class StudioFact:
    key: str
    name: str
    kind: str
    county: str | None = None
    status: str = "active"
    cycle_start: dt.date | None = None
    site_area_m2: Any = None
    site_height_m: Any = None
    site_capacity: int | None = None
    #: the school that hosts the studio, if recorded
    school: SchoolFact | None = None
    #: school matching funds (配套经费) per year, in fen
    matching_funds: tuple[tuple[int, int], ...] = ()
    #: the reference of each allocation behind :attr:`matching_funds`, with its year (``(2025,
    #: "allocation:3")``; a reversal has its own); empty if not from the database
    matching_records: tuple[tuple[int, str], ...] = ()

    def matching_funds_in(self, year: int) -> int:
        return sum(fen for y, fen in self.matching_funds if y == year)

    def matching_records_in(self, *years: int) -> tuple[str, ...]:
        """The references of the matching-fund allocations of ``years``, in the order they were booked."""
        return tuple(ref for y, ref in self.matching_records if y in years)


@dataclass(frozen=True)
class AttestationFact:
    rule_id: str
    value: bool
    person: str | None = None
    period: str | None = None
    reviewer: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class StudioFacts:
    """Everything the rules may read about one studio, as of ``as_of`` (the evaluated period's end)."""

    jurisdiction: str
    studio: StudioFact
    as_of: dt.date
    params: ParamSet
    people: dict[str, PersonFact] = field(default_factory=dict)
    memberships: tuple[MembershipFact, ...] = ()
    activities: tuple[ActivityFact, ...] = ()
    outputs: tuple[OutputFact, ...] = ()
    awards: tuple[AwardFact, ...] = ()
    pairings: tuple[PairingFact, ...] = ()
    findings: tuple[FindingFact, ...] = ()
    expenses: tuple[ExpenseFact, ...] = ()
    attestations: tuple[AttestationFact, ...] = ()
    schools: dict[str, SchoolFact] = field(default_factory=dict)
    #: the key attestations of this evaluation are recorded under: "2025", "cycle", "application"
    attestation_period: str | None = None

    # -- parameters -------------------------------------------------------------------------
    def param(self, param_id: str, on: dt.date | None = None) -> Any:
        """The value of a parameter in force on ``on`` (default: the evaluated period's end)."""
        return self.params.value(param_id, on or self.as_of)

    # -- people --------------------------------------------------------------------------------
    def host_membership(self, on: dt.date | None = None) -> MembershipFact | None:
        day = on or self.as_of
        hosts = [m for m in self.memberships if m.role == "host"]
        active = [m for m in hosts if m.active_on(day)]
        chosen = active or hosts
        return chosen[-1] if chosen else None

    def host(self, on: dt.date | None = None) -> PersonFact | None:
        membership = self.host_membership(on)
        return membership.person if membership else None

    def memberships_on(self, day: dt.date, roles: Iterable[str] = ("member", "trainee")) -> list[MembershipFact]:
        wanted = set(roles)
        return [m for m in self.memberships if m.role in wanted and m.active_on(day)]

    def memberships_during(self, period: Period, roles: Iterable[str] = ("member", "trainee")) -> list[MembershipFact]:
        wanted = set(roles)
        return [m for m in self.memberships if m.role in wanted and m.overlaps(period)]

    def members_on(self, day: dt.date, roles: Iterable[str] = ("member", "trainee")) -> list[PersonFact]:
        return [m.person for m in self.memberships_on(day, roles)]

    def membership_of(self, person: str) -> MembershipFact | None:
        found = [m for m in self.memberships if m.person.key == person]
        return found[-1] if found else None

    # -- activities and outputs ----------------------------------------------------------------
    def activities_in(self, period: Period, types: Iterable[str] | None = None) -> list[ActivityFact]:
        wanted = None if types is None else set(types)
        dates = self._activity_dates
        if dates is None:
            within: Iterable[ActivityFact] = (a for a in self.activities if a.date in period)
        else:  # in date order (as the loader reads them): the period's activities are one slice
            within = self.activities[bisect_left(dates, period.start) : bisect_right(dates, period.end)]
        return [a for a in within if wanted is None or a.type in wanted]

    @cached_property
    def _activity_dates(self) -> list[dt.date] | None:
        """The activities' dates where they are in date order, else None (facts built by hand)."""
        dates = [a.date for a in self.activities]
        return dates if all(a <= b for a, b in pairwise(dates)) else None

    def outputs_in(self, period: Period, types: Iterable[str] | None = None) -> list[OutputFact]:
        wanted = None if types is None else set(types)
        return [o for o in self.outputs if o.date in period and (wanted is None or o.type in wanted)]

    def outputs_of(self, person: str, period: Period, types: Iterable[str] | None = None) -> list[OutputFact]:
        return [o for o in self.outputs_in(period, types) if person in o.people]

    def awards_between(self, start: dt.date, end: dt.date) -> list[AwardFact]:
        return [a for a in self.awards if start <= a.date <= end]

    def studio_awards_between(self, start: dt.date, end: dt.date) -> list[AwardFact]:
        """Awards that count for the studio: the first instructor is the host or a member on the award date."""
        return [
            a
            for a in self.awards_between(start, end)
            if any(m.person.key == a.first_instructor and m.active_on(a.date) for m in self.memberships)
        ]

    def absences(self, person: str, activities: Iterable[ActivityFact]) -> tuple[int, int]:
        """``(absent, recorded)``: the unexcused absences (:func:`mingshi.core.rules.attendance.unexcused_absence`:
        ``absent``, or leave approved after the activity's date); the ratio's base is the activities
        that have a record for that person."""
        absent = recorded = 0
        for a in activities:
            if a.status_of(person) is None:
                continue
            recorded += 1
            if is_unexcused_absence(a, person):
                absent += 1
        return absent, recorded

    # -- judgements ----------------------------------------------------------------------------
    def attestation(self, rule_id: str, person: str | None = None, period: str | None = None) -> bool | None:
        """The latest attestation for the rule (and person), preferring one recorded for ``period``
        (default: this evaluation's :attr:`attestation_period`), else one recorded for any period; None if none."""
        period = period if period is not None else self.attestation_period
        candidates = [a for a in self.attestations if a.rule_id == rule_id and a.person == person]
        for_period = [a for a in candidates if period is not None and a.period == period]
        generic = [a for a in candidates if a.period is None]
        chosen = for_period or generic
        return chosen[-1].value if chosen else None

    def findings_between(self, start: dt.date, end: dt.date, type_: str | None = None) -> list[FindingFact]:
        return [f for f in self.findings if start <= f.date <= end and (type_ is None or f.type == type_)]
