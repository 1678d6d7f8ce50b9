"""The facts' lookups the rules call most (issue 15: a third of a tenant's run was their scans) answer
exactly what a scan answers: the first attendance entry of a person, the activities of a period with
both of its days, in date order or not."""

from __future__ import annotations

import datetime as dt
import random

from mingshi.core.periods import Period
from mingshi.core.rules.facts import ActivityFact, StudioFact, StudioFacts
from mingshi.core.rules.params import ParamSet

D = dt.date


def _facts(activities) -> StudioFacts:
    studio = StudioFact(key="s", name="s", kind="studio", cycle_start=D(2024, 1, 1))
    return StudioFacts(
        jurisdiction="x", studio=studio, as_of=D(2025, 12, 31), params=ParamSet([]), activities=tuple(activities)
    )


def _scan(facts: StudioFacts, period: Period, types=None) -> list[ActivityFact]:
    return [a for a in facts.activities if a.date in period and (types is None or a.type in types)]


def test_a_persons_status_is_their_first_entry() -> None:
    activity = ActivityFact(
        key="a", date=D(2025, 3, 1), type="seminar", attendance=(("p1", "absent"), ("p2", "present"), ("p1", "present"))
    )
    assert activity.status_of("p1") == "absent"  # a duplicate entry does not override the first
    assert activity.status_of("p2") == "present"
    assert activity.status_of("p3") is None


def test_the_activities_of_a_period_include_both_of_its_days() -> None:
    days = [D(2024, 12, 31), D(2025, 1, 1), D(2025, 1, 1), D(2025, 6, 30), D(2025, 12, 31), D(2026, 1, 1)]
    facts = _facts(ActivityFact(key=str(i), date=d, type="seminar" if i % 2 else "lecture") for i, d in enumerate(days))
    year = Period(D(2025, 1, 1), D(2025, 12, 31), "year", "2025")
    assert [a.key for a in facts.activities_in(year)] == ["1", "2", "3", "4"]
    assert [a.key for a in facts.activities_in(year, ["seminar"])] == ["1", "3"]
    assert facts.activities_in(Period(D(2023, 1, 1), D(2023, 12, 31), "year", "2023")) == []


def test_activities_out_of_date_order_are_found_as_a_scan_finds_them() -> None:
    rng = random.Random(7)
    activities = [
        ActivityFact(key=str(i), date=D(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 800)), type=rng.choice("ab"))
        for i in range(200)
    ]
    periods = [
        Period(D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
        Period(D(2025, 3, 1), D(2025, 3, 1), "day", "2025-03-01"),
        Period(D(2024, 9, 1), D(2025, 8, 31), "school_year", "2024-2025"),
    ]
    for ordered in (sorted(activities, key=lambda a: a.date), activities):
        facts = _facts(ordered)
        for period in periods:
            for types in (None, ["a"]):
                assert facts.activities_in(period, types) == _scan(facts, period, types)
