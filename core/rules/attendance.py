"""Is this attendance record an unexcused absence? One reading for every jurisdiction.

``../shared/spec/jurisdictions.md``, general reading rules, "Absences" (decided 2026-12-01):

- only records with status ``absent`` count as absences; ``excused`` means leave approved in advance;
- an ``excused`` record may carry the approval date (``leave_approved``): approved on or before the
  activity's date is in advance (the digest's **Before** rule, day precision — same-day approval is in
  advance); approved after the activity's date, the record counts as ``absent`` (温州 第七条(一)
  按旷课处理, the same in every city);
- an ``excused`` record without a date is leave approved in advance: the rules never turn it into an
  absence for lack of a date (the workspace may still ask for the date when a person records leave);
- no record is no absence.

Plugins call :func:`unexcused_absence` (or :meth:`mingshi.core.rules.facts.StudioFacts.absences`, built on it)
rather than reading statuses themselves, so that the four cities cannot drift apart again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mingshi.core.rules.facts import ActivityFact


class AbsenceReason(StrEnum):
    #: the record says ``absent``
    ABSENT = "absent"
    #: the record says ``excused``, but the leave was approved after the activity's date
    LATE_LEAVE = "late_leave"


@dataclass(frozen=True)
class Absence:
    """One unexcused absence of ``person`` from ``activity``."""

    activity: ActivityFact
    person: str
    reason: AbsenceReason
    #: the leave's approval date, for :attr:`AbsenceReason.LATE_LEAVE`
    approved: dt.date | None = None


def leave_in_advance(activity_date: dt.date, approved: dt.date | None) -> bool:
    """Leave approved in advance: no date recorded, or approved on or before the activity's date."""
    return approved is None or approved <= activity_date


def unexcused_absence(activity: ActivityFact, person: str) -> Absence | None:
    """The person's record for the activity as an unexcused absence, or None when it is not one
    (present, excused in advance, or no record at all)."""
    status = activity.status_of(person)
    if status == "absent":
        return Absence(activity, person, AbsenceReason.ABSENT)
    if status == "excused":
        approved = activity.leave_approved_by(person)
        if not leave_in_advance(activity.date, approved):
            return Absence(activity, person, AbsenceReason.LATE_LEAVE, approved)
    return None


def is_unexcused_absence(activity: ActivityFact, person: str) -> bool:
    return unexcused_absence(activity, person) is not None
