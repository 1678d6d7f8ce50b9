"""The annual assessment (第十条, 第十一条) and the end-of-cycle check of the per-cycle tasks (第七条).

Annual assessment of calendar year Y: every task due in the year met (the per-school-year course
counts the school year ending in Y; the per-cycle tasks are due in the year the cycle ends) and no
ground for disqualification → 合格 ``pass``; else 不合格 ``fail``. The text defines no higher grade.
A failed assessment cancels the qualification (第十条): ``disqualified``, ``funds_recovered`` (the
unused balance), ``replacement_selection`` and, when Y+1 lies in the cycle, ``funding_stopped``.

Cycle evaluation: each per-year task met in every assessed year of the cycle, the per-cycle tasks
met over the cycle, no ground for disqualification in the cycle.
"""

from __future__ import annotations

from mingshi.jurisdiction import (
    Consequence,
    Criterion,
    Evaluation,
    Grade,
    MemberResult,
    Period,
    Status,
    Text,
    calendar_year,
    format_fen,
    grade_allowing_pending,
)

from . import funding
from .i18n import _
from .rules import (
    BASIS,
    TASK_ORDER,
    TITLES,
    MemberAssessment,
    assess_member,
    assessed_members,
    cycle_of,
    cycle_task_criteria,
    cycle_years,
    fail_unless_all_met,
    host_disqualification,
    member_absence,
    member_conduct,
    member_tasks,
    not_yet_due,
    ordered,
    year_task_criteria,
)
from .texts import joined, period_name, phrase

MEMBER_RULES = ("sy.member.tasks", "sy.member.absence", "sy.member.conduct")
#: the criteria the studio's grade depends on (member results are reported, not graded)
GRADED = (*TASK_ORDER, "sy.host.disqualification")


def studio_grade(criteria: list[Criterion]) -> Grade:
    return grade_allowing_pending([c for c in criteria if c.id in GRADED], fail_unless_all_met)


def assess(facts, period: Period, kind: str) -> Evaluation:
    if kind == "cycle":
        return assess_cycle(facts, period)
    return assess_year(facts, period)


def assess_year(facts, period: Period) -> Evaluation:
    year = period.end.year
    criteria = year_task_criteria(facts, year)
    cyc = cycle_of(facts)
    per_person_sharing = {}
    if cyc is None:
        criteria.extend(
            Criterion(i, Status.NOT_APPLICABLE, BASIS[i], _("No cycle start is recorded"))
            for i in ("sy.task.advice", "sy.task.forum_report", "sy.task.member_sharing", "sy.task.promotion")
        )
    elif cyc.end in period:
        # the cycle ends in this year: the per-cycle tasks are due now
        cycle_criteria, per_person_sharing = cycle_task_criteria(facts, cyc)
        criteria.extend(cycle_criteria)
    else:
        so_far = cyc
        if cyc.start <= period.end:
            so_far = Period(cyc.start, min(cyc.end, period.end), "cycle_so_far", cyc.key)
        cycle_criteria, _unused = cycle_task_criteria(facts, so_far)
        criteria.extend(not_yet_due(cycle_criteria, cyc))
    criteria = ordered(criteria)
    criteria.append(host_disqualification(facts, period))

    members: list[MemberAssessment] = []
    for m in assessed_members(facts, period):
        own = [member_tasks(facts, m, period), member_absence(facts, m, period), member_conduct(m, period.end)]
        if m.person.key in per_person_sharing:
            own.append(per_person_sharing[m.person.key])
        members.append(assess_member(facts, m, period, own, at_end=["sy.member.tasks", "sy.member.absence"]))
    criteria.extend(_member_criteria(facts, members, MEMBER_RULES))

    grade = studio_grade(criteria)
    evaluation = Evaluation(grade, criteria)
    _add_members(facts, evaluation, members, period, grade)
    evaluation.consequences.extend(consequences(facts, period, grade, criteria))
    return evaluation


def assess_cycle(facts, period: Period) -> Evaluation:
    years = [y for y in cycle_years(facts)] or [period.end.year]
    criteria: list[Criterion] = []
    by_year = {y: {c.id: c for c in year_task_criteria(facts, y)} for y in years}
    for rule_id in by_year[years[0]]:
        per_year = [by_year[y][rule_id] for y in years]
        criteria.append(_across_years(rule_id, years, per_year))
    cycle_criteria, per_person_sharing = cycle_task_criteria(facts, period)
    criteria = ordered(criteria + cycle_criteria)
    criteria.append(host_disqualification(facts, period))

    members: list[MemberAssessment] = []
    for m in assessed_members(facts, period):
        own = [member_conduct(m, period.end)]
        if m.person.key in per_person_sharing:
            own.append(per_person_sharing[m.person.key])
        members.append(assess_member(facts, m, period, own, at_end=[]))
    criteria.extend(_member_criteria(facts, members, ("sy.member.conduct",)))

    grade = studio_grade(criteria)
    evaluation = Evaluation(grade, criteria)
    _add_members(facts, evaluation, members, period, grade)
    evaluation.consequences.extend(consequences(facts, period, grade, criteria))
    return evaluation


def _across_years(rule_id: str, years: list[int], per_year: list[Criterion]) -> Criterion:
    """A per-year task over the cycle: met when met in every assessed year."""
    applicable = [c for c in per_year if c.status != Status.NOT_APPLICABLE]
    if not applicable:
        return per_year[0]
    met = sum(1 for c in applicable if c.status == Status.MET)
    status = Status.MET if met == len(applicable) else Status.UNMET
    text = _(
        "Met in %(value)s of %(target)s assessed years: %(details)s",
        value=met,
        target=len(applicable),
        details=joined([c.explanation for c in applicable]),
    )
    return Criterion(
        rule_id,
        status,
        per_year[0].basis,
        text,
        met,
        len(applicable),
        counted=tuple(dict.fromkeys(ref for c in applicable for ref in c.counted)),
    )


def _member_criteria(facts, members: list[MemberAssessment], rule_ids) -> list[Criterion]:
    from .rules import combined

    out = []
    for rule_id in rule_ids:
        per_person = {a.result.person: c for a in members for c in a.result.criteria if c.id == rule_id}
        out.append(combined(facts, rule_id, per_person))
    return out


def _add_members(facts, evaluation: Evaluation, members: list[MemberAssessment], period: Period, grade) -> None:
    host = facts.host(period.end)
    if host is not None:
        own = tuple(c for c in evaluation.criteria if c.id == "sy.host.disqualification")
        # 第十条: the annual assessment is the host's (主持人实行年度考核制度)
        evaluation.members.append(MemberResult(person=host.key, grade=str(grade), criteria=own))
    for a in members:
        evaluation.members.append(a.result)
        if a.removal is not None:
            evaluation.removals.append(a.removal)


def consequences(facts, period: Period, grade: Grade, criteria: list[Criterion]) -> list[Consequence]:
    """第十条: a failed assessment (or a ground of 第十条第2—7项) cancels the qualification and the
    unused funds are recovered; 第十二条: funds withheld or misappropriated stop next year's funds."""
    out: list[Consequence] = []
    next_year = period.end.year + 1
    in_cycle = next_year in cycle_years(facts) if facts.studio.cycle_start else False
    if grade == Grade.FAIL:
        failed = [phrase(TITLES[c.id]) for c in criteria if c.id in GRADED and c.status == Status.UNMET]
        out.append(
            Consequence(
                "disqualified",
                "sy.host.disqualification",
                "第十条",
                _(
                    "%(period)s: assessment failed (%(rules)s): the qualification is cancelled",
                    period=period_name(period),
                    rules=failed,
                ),
                year=period.end.year,
            )
        )
        received, spent = funding.received_and_spent(facts, period)
        out.append(
            Consequence(
                "funds_recovered",
                "sy.host.disqualification",
                "第十条",
                _(
                    "Unused funds are recovered: %(received)s yuan allocated for %(period)s, %(spent)s yuan spent, "
                    "%(balance)s yuan to return",
                    received=format_fen(received),
                    spent=format_fen(spent),
                    balance=format_fen(max(0, received - spent)),
                    period=period_name(period),
                ),
                year=period.end.year,
            )
        )
        out.append(
            Consequence(
                "replacement_selection",
                "sy.host.disqualification",
                "第十条",
                _("The leading group will organise a supplementary selection"),
            )
        )
        if period.kind == "year" and in_cycle:
            out.append(
                Consequence(
                    "funding_stopped",
                    "sy.funding",
                    "第十条",
                    _("Funds for %(year)s are not paid: the qualification is cancelled", year=next_year),
                    year=next_year,
                )
            )
    if period.kind == "year" and in_cycle:
        for f in facts.findings_between(period.start, period.end, "misappropriation"):
            out.append(
                Consequence(
                    "funding_stopped",
                    "sy.funding",
                    "第十二条",
                    _(
                        "Funds withheld or misappropriated (found on %(date)s): funds for %(year)s are not paid",
                        date=f.date,
                        year=next_year,
                    ),
                    year=next_year,
                    date=f.date,
                )
            )
            break
    return out


def year_grade(facts, year: int) -> Grade:
    """The grade of the annual assessment of ``year`` (used to allocate the cycle's funds)."""
    return assess_year(facts, calendar_year(year)).grade


__all__ = ["Text", "assess", "year_grade"]
