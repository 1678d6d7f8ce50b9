"""The one reading of "unexcused absence" that every jurisdiction uses (jurisdictions.md, "Absences")."""

from __future__ import annotations

import datetime as dt

import pytest

from mingshi.core.rules import AbsenceReason, ActivityFact, StudioFacts, is_unexcused_absence, unexcused_absence
from mingshi.core.rules.facts import StudioFact
from mingshi.core.rules.params import ParamSet

DAY = dt.date(2025, 6, 21)


def activity(status: str | None, approved: dt.date | None = None, day: dt.date = DAY) -> ActivityFact:
    attendance = () if status is None else (("p2", status), ("p3", "present"))
    leave = () if approved is None else (("p2", approved),)
    return ActivityFact(key="a1", date=day, type="seminar", attendance=attendance, leave_approved=leave)


@pytest.mark.parametrize(
    ("status", "approved", "reason"),
    [
        ("present", None, None),
        (None, None, None),  # no record, no absence
        ("absent", None, AbsenceReason.ABSENT),
        ("excused", None, None),  # excused without a date is leave approved in advance
        ("excused", DAY - dt.timedelta(days=1), None),  # the day before
        ("excused", DAY, None),  # the same day: on or before the activity's date
        ("excused", DAY + dt.timedelta(days=1), AbsenceReason.LATE_LEAVE),  # the day after: absent
    ],
)
def test_which_records_are_unexcused_absences(status, approved, reason) -> None:
    found = unexcused_absence(activity(status, approved), "p2")
    assert (found.reason if found else None) == reason
    assert is_unexcused_absence(activity(status, approved), "p2") is (reason is not None)
    if reason == AbsenceReason.LATE_LEAVE:
        assert found.approved == approved


def test_another_persons_leave_date_does_not_count() -> None:
    a = ActivityFact(
        key="a1",
        date=DAY,
        type="seminar",
        attendance=(("p2", "excused"), ("p3", "excused")),
        leave_approved=(("p3", DAY + dt.timedelta(days=3)),),
    )
    assert unexcused_absence(a, "p2") is None
    assert unexcused_absence(a, "p3").reason == AbsenceReason.LATE_LEAVE


def test_the_absence_ratio_counts_late_leave_and_only_recorded_activities() -> None:
    facts = StudioFacts(
        jurisdiction="test",
        studio=StudioFact(key="s", name="s", kind="studio"),
        as_of=DAY,
        params=ParamSet([]),
    )
    acts = [
        activity("absent"),
        activity("excused", DAY + dt.timedelta(days=1)),
        activity("excused", DAY),
        activity("excused"),
        activity(None),
    ]
    assert facts.absences("p2", acts) == (2, 4)
