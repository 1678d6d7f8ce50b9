"""What a rule returns: criterion results, per-person results, consequences, funding, grades.

Each :class:`Criterion` carries its rule id (from ``jurisdictions.md``), its status, the
measured value and the target, the article it comes from and an explanation sentence that
renders in zh_CN or English (:class:`mingshi.core.i18n.Text`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from mingshi.core.i18n import Text


class Status(StrEnum):
    MET = "met"
    UNMET = "unmet"
    #: awaits an attestation that only a person can give
    PENDING = "pending"
    NOT_APPLICABLE = "not_applicable"
    #: advisory: shown, never a refusal
    NOTICE = "notice"


class Grade(StrEnum):
    """The core's normalized scale; each plugin labels it in its own words (优秀/合格/不合格)."""

    EXCELLENT = "excellent"
    PASS = "pass"
    FAIL = "fail"
    PENDING = "pending"


#: consequence types (scenario.md); a plugin may add its own under its prefix
CONSEQUENCE_TYPES = (
    "funding_stopped",
    "disqualified",
    "funds_recovered",
    "member_removed",
    "priority_recommendation",
    "no_awards_this_year",
    "excellent_trainee",
    "backbone_grade_lowered",
    "replacement_selection",
)


@dataclass(frozen=True)
class Criterion:
    id: str
    status: Status
    #: the article, e.g. "第七条第5项" or "（二十一）2"
    basis: str
    explanation: Text
    value: Any = None
    target: Any = None
    #: key of the sub-period the result is about (a semester, a school year), if not the whole period
    period: str | None = None
    #: the records the criterion counted (``"activity:123"``, ``"award:6"``, see
    #: :mod:`mingshi.core.rules.records`), the reviewer's path from the number to its proof; empty
    #: when it counts no records (an attestation, a person's age) or for results stored before
    counted: tuple[str, ...] = ()

    def with_status(self, status: Status) -> Criterion:
        return replace(self, status=status)


@dataclass(frozen=True)
class Removal:
    """A member removed by a rule, from ``date``. Applied once; never undone by re-running."""

    person: str
    rule: str
    basis: str
    date: dt.date
    reason: Text


@dataclass(frozen=True)
class MemberResult:
    """One host, member or trainee in an evaluation."""

    person: str
    #: active · removed
    status: str = "active"
    #: individual grade where the jurisdiction has one (excellent · pass · fail · pending), else None
    grade: str | None = None
    criteria: tuple[Criterion, ...] = ()
    rule: str | None = None
    date: dt.date | None = None
    reason: Text | None = None


@dataclass(frozen=True)
class Consequence:
    type: str
    rule: str
    basis: str
    explanation: Text
    year: int | None = None
    person: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Funding:
    """Annual evaluation of year Y: the amount payable for Y+1; cycle evaluation: the cycle's total."""

    amount_fen: int
    basis: str
    explanation: Text
    year: int | None = None


@dataclass(frozen=True)
class Credit:
    """Credits (学分) the rules propose for one person from a cycle assessment's result.

    ``credits`` is an exact :class:`~decimal.Decimal` (at most two decimal places, never negative);
    ``0`` is an answer ("no credits, because …"), with its explanation. ``role`` is the person's role
    in the studio (``host``, ``trainee`` …) as the membership names it.
    """

    person: str
    role: str
    credits: Decimal
    rule: str
    basis: str
    explanation: Text


@dataclass(frozen=True)
class FirstYear:
    """How a studio whose cycle starts inside an annual period (approved mid-year) is treated in that year.

    ``assessed`` False: the year is not assessed (the first annual assessment is the next one);
    True: it is assessed on the part of the year from the cycle start. ``basis`` cites the article,
    or names the dated parameter that states the jurisdiction's reading.
    """

    assessed: bool
    basis: str
    explanation: Text


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` inclusive (2026-07-01 … 2026-12-31 is 6)."""
    following = end + dt.timedelta(days=1)
    months = (following.year - start.year) * 12 + following.month - start.month
    if following.day < start.day:
        months -= 1
    return max(months, 0)


@dataclass
class Evaluation:
    """A plugin's answer to an application check or an assessment."""

    grade: Grade
    criteria: list[Criterion] = field(default_factory=list)
    members: list[MemberResult] = field(default_factory=list)
    consequences: list[Consequence] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)

    def criterion(self, rule_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == rule_id), None)


# ---------------------------------------------------------------------------------------------
# The general reading rules of jurisdictions.md, written once for every plugin


def status_of(ok: bool) -> Status:
    return Status.MET if ok else Status.UNMET


def with_attestation(measurable_met: bool, attestation: bool | None) -> Status:
    """Attestation + measurable part: unmet when the measurable part is unmet; else the attestation
    decides, and a missing attestation is ``pending``."""
    if not measurable_met:
        return Status.UNMET
    if attestation is None:
        return Status.PENDING
    return status_of(attestation)


def attestation_only(attestation: bool | None) -> Status:
    return Status.PENDING if attestation is None else status_of(attestation)


def combine(statuses: Iterable[Status]) -> Status:
    """Per-person criteria: met only if every person meets it; pending if none is unmet and some
    are pending; unmet otherwise. Not-applicable persons are ignored; nobody at all → met."""
    seen = [s for s in statuses if s not in (Status.NOT_APPLICABLE, Status.NOTICE)]
    if any(s == Status.UNMET for s in seen):
        return Status.UNMET
    if any(s == Status.PENDING for s in seen):
        return Status.PENDING
    return Status.MET


def grade_allowing_pending(criteria: Iterable[Criterion], grade_of: Callable[[Mapping[str, Status]], Grade]) -> Grade:
    """The grade is ``pending`` only when recording the missing attestations could change it.

    ``grade_of`` maps criterion statuses to a grade and must not return ``pending`` itself. Grades
    are monotone in the criteria, so the two extremes (every pending one met, every pending one
    unmet) bound every outcome: equal extremes mean the attestations cannot change the grade.
    """
    statuses = {c.id: c.status for c in criteria}
    if Status.PENDING not in statuses.values():
        return grade_of(statuses)
    best = grade_of({k: (Status.MET if v == Status.PENDING else v) for k, v in statuses.items()})
    worst = grade_of({k: (Status.UNMET if v == Status.PENDING else v) for k, v in statuses.items()})
    return best if best == worst else Grade.PENDING


def count_met(statuses: Mapping[str, Status], ids: Iterable[str] | None = None) -> int:
    keys = statuses.keys() if ids is None else ids
    return sum(1 for k in keys if statuses.get(k) == Status.MET)
