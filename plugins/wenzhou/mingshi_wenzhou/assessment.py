"""Putting Wenzhou's rules together: application check, end-of-cycle assessment (第九条), the
consequences of 第十条, funding (第十二条), quotas and automatic removals (第七条(二))."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from mingshi.jurisdiction import (
    Consequence,
    Criterion,
    Evaluation,
    Funding,
    Grade,
    MemberResult,
    MembershipFact,
    Period,
    Removal,
    Status,
    StudioFacts,
    counted,
    format_fen,
    grade_allowing_pending,
)

from . import rules
from .i18n import _

BASIC_DUTIES = tuple(f"wz.duty.{i}" for i in range(1, 9))
DEVELOPMENT_DUTIES = tuple(f"wz.duty.{i}" for i in range(9, 13))
#: 第九条 read with 第四条(一) and 第八条(二): what a pass requires
PASS_REQUIRES = (*BASIC_DUTIES, "wz.ops.offline", "wz.team.size")


# ---------------------------------------------------------------------------------------------
# Application (第二、三、四条)


def _application_grade(statuses: Mapping[str, Status]) -> Grade:
    ok = all(s in (Status.MET, Status.NOTICE, Status.NOT_APPLICABLE) for s in statuses.values())
    return Grade.PASS if ok else Grade.FAIL


def check_application(facts: StudioFacts, on: dt.date) -> Evaluation:
    trainees = facts.memberships_on(on, rules.TRAINEE)
    criteria = [
        rules.studio_county(facts, on),
        rules.host_qualification(facts, on),
        rules.team_size(facts, trainees, on, _("As of %(date)s", date=on)),
        rules.trainee_admission(),
    ]
    return Evaluation(grade=grade_allowing_pending(criteria, _application_grade), criteria=criteria)


# ---------------------------------------------------------------------------------------------
# End of cycle (第九条)


def cycle_grade(statuses: Mapping[str, Status]) -> Grade:
    """Any basic duty (1–8), the offline quota or the team size unmet → fail; all 12 duties → excellent."""
    if any(statuses.get(rule) != Status.MET for rule in PASS_REQUIRES):
        return Grade.FAIL
    if all(statuses.get(rule) == Status.MET for rule in DEVELOPMENT_DUTIES):
        return Grade.EXCELLENT
    return Grade.PASS


def trainee_removals(facts: StudioFacts, memberships: list[MembershipFact], until: dt.date) -> list[Removal]:
    found = [rules.absence_removal(facts, m, until) for m in memberships]
    return [r for r in found if r is not None]


def assess(facts: StudioFacts, period: Period, kind: str) -> Evaluation:
    if kind != "cycle":
        raise ValueError(
            f"Wenzhou assesses a studio once, at the end of its cycle (第九条); there is no {kind} assessment"
        )
    end = period.end
    trainees = facts.memberships_during(period, rules.TRAINEE)
    removals = trainee_removals(facts, trainees, end)
    # trainees no longer in the studio at the end: removed (now or earlier by a rule) or left
    removed_on: dict[str, dt.date] = {r.person: r.date for r in removals}
    left_on: dict[str, dt.date] = {}
    for m in trainees:
        if rules.removed_by(m, end) and m.left is not None:
            removed_on.setdefault(m.person.key, m.left)
        elif m.left is not None and m.left <= end and m.person.key not in removed_on:
            left_on[m.person.key] = m.left
    staying = [m for m in trainees if m.person.key not in removed_on and m.person.key not in left_on]

    absences = [(m.person, rules.absence_of(facts, m, end)) for m in trainees]
    duties: dict[str, Criterion] = {}
    for m in trainees:
        key = m.person.key
        if key in removed_on:
            duties[key] = rules.duties_not_assessed(m, removed_on[key], removed=True)
        elif key in left_on:
            duties[key] = rules.duties_not_assessed(m, left_on[key], removed=False)
        else:
            duties[key] = rules.trainee_duties(facts, m, period)

    criteria = [
        rules.team_size(facts, trainees, end, _("Admitted during %(period)s", period=rules.period_text(period))),
        rules.absence_summary(facts, absences, end),
        rules.duties_summary(list(duties.values())),
        rules.ops_notice(facts, period),
        rules.ops_offline(facts, period),
        rules.ops_report_title(facts, period),
        rules.duty_1(facts),
        *rules.host_duties(facts, period, staying),
        funding_use(facts, period),
    ]
    grade = grade_allowing_pending(criteria, cycle_grade)

    members: list[MemberResult] = []
    consequences: list[Consequence] = []
    for person, absence in absences:
        duty = duties[person.key]
        if person.key in removed_on or person.key in left_on:
            member_grade = None
        else:
            member_grade = str(Grade.PASS if duty.status == Status.MET else Grade.FAIL)
        members.append(MemberResult(person=person.key, grade=member_grade, criteria=(absence, duty)))
        if member_grade == Grade.PASS:
            # 第九条: trainees who completed their duties and kept their place may be named 优秀学员
            consequences.append(
                Consequence(
                    "excellent_trainee",
                    "wz.assess",
                    "第九条",
                    _(
                        "%(name)s completed the trainee duties and kept the place: a candidate for excellent trainee",
                        name=person.name,
                    ),
                    year=end.year,
                    person=person.key,
                )
            )
    if grade == Grade.FAIL:
        consequences.extend(unfinished_tasks(facts, end))
    return Evaluation(grade=grade, criteria=criteria, members=members, consequences=consequences, removals=removals)


def unfinished_tasks(facts: StudioFacts, end: dt.date) -> list[Consequence]:
    """第十条(二): 没有完成“名师送教”规定任务的，当年不予评优、评先，骨干教师考核结果降低一个档次使用."""
    host = facts.host(end)
    name = host.name if host else "—"
    key = host.key if host else None
    return [
        Consequence(
            "no_awards_this_year",
            "wz.incentive",
            "第十条(二)",
            _(
                "%(name)s did not complete the studio's tasks: no awards or honours in %(year)s",
                name=name,
                year=end.year,
            ),
            year=end.year,
            person=key,
        ),
        Consequence(
            "backbone_grade_lowered",
            "wz.incentive",
            "第十条(二)",
            _(
                "%(name)s did not complete the studio's tasks: the backbone-teacher assessment of %(year)s is "
                "used one grade lower",
                name=name,
                year=end.year,
            ),
            year=end.year,
            person=key,
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Funding (第十二条)


def funding_use(facts: StudioFacts, period: Period) -> Criterion:
    """Advisory: what was spent in the period against the cycle's special funds."""
    allocated = int(facts.param("wz.funding.cycle"))
    booked = [e for e in facts.expenses if e.date in period]
    spent = sum(e.amount_fen for e in booked)
    if spent > allocated:
        text = _(
            "In %(period)s, %(value)s yuan were spent, more than the %(target)s yuan of special funds; "
            "the funds are used only for the studio and every expense follows the financial rules",
            period=rules.period_text(period),
            value=format_fen(spent),
            target=format_fen(allocated),
        )
    else:
        text = _(
            "In %(period)s, %(value)s yuan were spent of the %(target)s yuan of special funds; "
            "the funds are used only for the studio and every expense follows the financial rules",
            period=rules.period_text(period),
            value=format_fen(spent),
            target=format_fen(allocated),
        )
    return Criterion(
        "wz.funding.use",
        Status.NOTICE,
        "第十二条",
        text,
        value=format_fen(spent),
        target=format_fen(allocated),
        counted=counted(booked),
    )


def funding(facts: StudioFacts, period: Period, kind: str, evaluation: Evaluation) -> Funding:
    if kind != "cycle":
        raise ValueError(f"Wenzhou funds a studio per cycle (第十二条); there is no {kind} funding")
    amount = int(facts.param("wz.funding.cycle"))
    host = facts.host(period.end)
    school = host.school.name if host and host.school else "—"
    text = _(
        "%(amount)s yuan of special funds for %(period)s, applied for by the city education bureau, "
        "used only for the studio and managed by the host's school (%(school)s)",
        amount=format_fen(amount),
        period=rules.period_text(period),
        school=school,
    )
    return Funding(amount_fen=amount, basis="第十二条", explanation=text, year=None)


# ---------------------------------------------------------------------------------------------
# Quotas and automatic removals


def quotas(facts: StudioFacts, period: Period) -> list[Criterion]:
    """Progress in any period (year, semester, school year or cycle); the targets are the cycle's."""
    trainees = facts.memberships_during(period, rules.TRAINEE)
    staying = [m for m in trainees if m.left is None or m.left > period.end]
    duties = rules.host_duties(facts, period, staying)
    return [
        rules.ops_offline(facts, period),
        # the same reading as the cycle assessment (第四条(一): trainees admitted during the period), so
        # the progress tab and the assessment show one number
        rules.team_size(facts, trainees, period.end, _("Admitted during %(period)s", period=rules.period_text(period))),
        *duties,
        rules.ops_notice(facts, period),
        rules.ops_report_title(facts, period),
    ]


def member_removals(facts: StudioFacts, on: dt.date) -> list[Removal]:
    memberships = [m for m in facts.memberships if m.role == "trainee" and m.joined <= on]
    return trainee_removals(facts, memberships, on)
