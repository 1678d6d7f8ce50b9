"""Task quotas for the progress bars: numeric done/target for any period (year, semester, school
year or cycle). Per-year tasks are counted in the period (over a cycle: the target times the years
of the cycle); per-cycle tasks are counted from the cycle's start to the end of the period."""

from __future__ import annotations

from dataclasses import replace

from mingshi.jurisdiction import Criterion, Period, StudioFacts, status_of

from .rules import (
    CYCLE_TASKS,
    YEAR_TASKS,
    cycle_of,
    cycle_task_criteria,
    cycle_years,
    member_schools,
    ordered,
    task_criterion,
)


def quotas(facts: StudioFacts, period: Period) -> list[Criterion]:
    kind = facts.studio.kind
    years = max(1, len(cycle_years(facts))) if period.kind == "cycle" else 1
    out: list[Criterion] = []
    for task in YEAR_TASKS:
        if task.kind is not None and task.kind != kind:
            continue
        scaled = replace(task, target=task.target * years)
        out.append(task_criterion(facts, scaled, period))
    out.append(member_schools(facts, period))
    cyc = cycle_of(facts)
    window = period
    if cyc is not None and period.kind != "cycle" and cyc.start <= period.end:
        window = Period(cyc.start, min(cyc.end, period.end), "cycle_so_far", cyc.key)
    cycle_criteria, _per_person = cycle_task_criteria(facts, window)
    wanted = {t.id for t in CYCLE_TASKS if t.kind in (None, kind)} | {"sy.task.member_sharing"}
    for c in cycle_criteria:
        if c.id in wanted and c.status.value != "not_applicable":
            out.append(replace(c, status=status_of(c.value >= c.target)))
    return ordered(out)
