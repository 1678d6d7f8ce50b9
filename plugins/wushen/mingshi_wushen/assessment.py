"""五、名师工作室的考核: the annual and the cycle assessment, the funding that follows, and the quotas.

Grades are not named in the text. The digest's decision: the studio passes (合格) when every team item
due in the period is met, else fails (不合格); each person gets the same from the individual items
(（二十一）). A grade is ``pending`` only when a missing attestation could change it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from mingshi.jurisdiction import (
    Criterion,
    Evaluation,
    Funding,
    Grade,
    MemberResult,
    MembershipFact,
    Period,
    Status,
    StudioFacts,
    add_years,
    counted,
    format_fen,
    grade_allowing_pending,
    level_at_least,
    school_year_containing,
    semester_containing,
)

from .i18n import _
from .info import BASIS, INDIVIDUAL_ITEMS, TEAM_ITEMS
from .rules import (
    BANNER,
    INDIVIDUAL_RULES,
    LECTURE_TYPES,
    OUTREACH_TYPES,
    STUDY_TYPES,
    Context,
    backbone_measure,
    combined,
    host_reward,
    make_context,
    member_lecture,
    ops_filing,
    ops_meetings,
    ops_study,
    ops_summary,
    person_pairing,
    research_projects,
    task_cultivation,
    team_backbone,
    team_lecture,
    team_outreach,
    team_pairing,
    team_project,
    team_seminar,
    third,
)
from .timeline import label, school_years, semesters, studio_cycle


def all_met(ids: tuple[str, ...]):
    def grade_of(statuses: Mapping[str, Status]) -> Grade:
        ok = all(statuses.get(i, Status.NOT_APPLICABLE) in (Status.MET, Status.NOT_APPLICABLE) for i in ids)
        return Grade.PASS if ok else Grade.FAIL

    return grade_of


def person_grade(criteria: tuple[Criterion, ...]) -> str | None:
    """A person's grade from the individual items due; None when none is due."""
    items = [c for c in criteria if c.id in INDIVIDUAL_ITEMS and c.status != Status.NOT_APPLICABLE]
    if not items:
        return None
    return str(grade_allowing_pending(items, all_met(INDIVIDUAL_ITEMS)))


def assess(facts: StudioFacts, period: Period, kind: str) -> Evaluation:
    ctx = make_context(facts, period, kind)
    per_person: dict[str, list[Criterion]] = {m.person.key: [] for m in ctx.people}

    pairing_results = [(m, person_pairing(ctx, m)) for m in ctx.people]
    individual: list[Criterion] = []
    for rule_id, rule in INDIVIDUAL_RULES:
        results = [(m, rule(ctx, m)) for m in ctx.people]
        for m, c in results:
            per_person[m.person.key].append(c)
        individual.append(combined(rule_id, results, none_due(ctx, rule_id)))
    if ctx.cycle_end_reached:
        for m, c in pairing_results:
            per_person[m.person.key].append(c)

    members = []
    for m in ctx.people:
        criteria = tuple(per_person[m.person.key])
        members.append(MemberResult(person=m.person.key, grade=person_grade(criteria), criteria=criteria))
    passed = [r for r in members if r.grade == Grade.PASS]

    team = [
        team_project(ctx),
        team_backbone(ctx),
        team_lecture(ctx),
        team_seminar(ctx),
        team_outreach(ctx),
        team_pairing(ctx, pairing_results),
        ops_meetings(ctx),
        ops_study(ctx),
        ops_filing(ctx),
    ]
    advisory = [task_cultivation(ctx), ops_summary(ctx), member_lecture(ctx), host_reward(ctx, passed)]
    grade = grade_allowing_pending(team, all_met(TEAM_ITEMS))
    return Evaluation(grade=grade, criteria=[*team, *individual, *advisory], members=members)


def none_due(ctx: Context, rule_id: str):
    if rule_id == "ws.ind.project" and not ctx.cycle_end_reached:
        return _("Assessed at the end of the cycle")
    return _("Not due for anyone in %(period)s", period=label(ctx.period))


# ---------------------------------------------------------------------------------------------
# （十九）经费保障 — a special fund from the banner research centre; no amount in the text (⚙)


def funding(facts: StudioFacts, period: Period, kind: str, evaluation: Evaluation) -> Funding:
    basis = BASIS["ws.funding"]
    cyc = studio_cycle(facts)
    if kind == "cycle":
        if cyc is None:
            raise ValueError("a cycle assessment needs the studio's cycle start")
        years = int(facts.param("ws.cycle_years", cyc.start))
        # each year's amount is the one in force on the eve of that year, as the annual evaluations allocate it
        eves = [add_years(cyc.start, k) - dt.timedelta(days=1) for k in range(years)]
        amounts = [facts.param("ws.funding.annual", eve) for eve in eves]
        total = sum(amounts)
        return Funding(
            total,
            basis,
            _(
                "Special funds for the cycle: %(years)s years, %(total)s yuan in all (per year: %(amounts)s)",
                years=years,
                total=format_fen(total),
                amounts=[format_fen(a) for a in amounts],
            ),
        )
    # annual evaluation of the school year ending in Y: the amount for the school year that starts in Y
    funded = school_year_containing(period.end + dt.timedelta(days=1), facts.param("common.school_year_start"))
    year = funded.end.year
    if cyc is None or funded.start not in cyc:
        return Funding(
            0,
            basis,
            _(
                "%(funded)s lies outside the cycle (%(cycle)s): no special funds are payable",
                funded=label(funded),
                cycle=label(cyc) if cyc else _("no cycle start recorded"),
            ),
            year,
        )
    # the value in force on the evaluated period's last day (general reading rules)
    amount = facts.param("ws.funding.annual")
    return Funding(
        amount,
        basis,
        _(
            "Special funds payable for %(funded)s: %(amount)s yuan (the amount set by the bureau; the text states "
            "none)",
            funded=label(funded),
            amount=format_fen(amount),
        ),
        year,
    )


# ---------------------------------------------------------------------------------------------
# Quotas: the progress in any period (a year, a semester, a school year or the cycle)


def quotas(facts: StudioFacts, period: Period) -> list[Criterion]:
    """Each measurable item, as done / required in ``period``. A period shorter than a semester (or a
    school year) is measured from the start of the semester (school year) it falls in, against one
    semester's (school year's) quota."""
    ctx = make_context(facts, period, "quota")
    sems = semesters(facts, period)
    n_sem = max(1, len(sems))
    sem_window = period
    if not sems:
        first = semester_containing(
            period.start, facts.param("common.spring_start"), facts.param("common.autumn_start")
        )
        sem_window = Period(first.start, period.end, "semester", first.key)
    sys_ = school_years(facts, period)
    n_sy = max(1, len(sys_))
    sy_window = period
    if not sys_:
        first = school_year_containing(period.start, facts.param("common.school_year_start"))
        sy_window = Period(first.start, period.end, "school_year", first.key)
    people = list(ctx.people)
    sem_acts = facts.activities_in(sem_window)
    sy_acts = facts.activities_in(sy_window)

    def of_types(acts, types: tuple[str, ...], wide: bool = False) -> list:
        return [a for a in acts if a.type in types and (not wide or level_at_least(a.scope, BANNER))]

    def quota(rule_id: str, what, value: int, target: int, records=()) -> Criterion:
        status = Status.MET if value >= target else Status.UNMET
        text = _(
            "%(what)s in %(period)s: %(value)s of %(target)s",
            what=what,
            period=label(period),
            value=value,
            target=target,
        )
        return Criterion(
            rule_id, status, BASIS[rule_id], text, value=value, target=target, period=period.key, counted=records
        )

    def per_person(select, cap: int) -> tuple[int, tuple[str, ...]]:
        """Each person's records up to ``cap`` summed, and the references of all of them (as the
        assessment's per-person items list every record a person counted, not only those up to the cap)."""
        found = [select(m) for m in people]
        return sum(min(len(rows), cap) for rows in found), counted(*found)

    def outputs(m: MembershipFact, window: Period, kind: str, minimum: int | None = None):
        found = facts.outputs_of(m.person.key, window, (kind,))
        return [o for o in found if minimum is None or (o.chars is not None and o.chars >= minimum)]

    until = period.end if ctx.cycle is None else min(period.end, ctx.cycle.end)
    done, _open = research_projects(ctx, until)
    young, qualified, _unknown = backbone_measure(ctx, until)
    paired = {p.person for p in facts.pairings if p.date <= until and (ctx.cycle is None or p.date >= ctx.cycle.start)}
    paper_min = int(facts.param("ws.paper.min_chars"))
    reflection_min = int(facts.param("ws.reflection.min_chars"))
    planning = of_types(sem_acts, ("planning_meeting",))
    summary = of_types(sem_acts, ("summary_meeting",))
    meetings = min(len(planning), n_sem) + min(len(summary), n_sem)
    lectures = of_types(sem_acts, LECTURE_TYPES, True)
    seminars = of_types(sem_acts, ("seminar",), True)
    outreach = of_types(sy_acts, OUTREACH_TYPES)
    study = of_types(sem_acts, STUDY_TYPES)
    papers = per_person(lambda m: outputs(m, sem_window, "paper", paper_min), n_sem)
    reflections = per_person(lambda m: outputs(m, sy_window, "reflection", reflection_min), n_sy)
    designs = per_person(lambda m: outputs(m, sy_window, "teaching_design"), 2 * n_sy)

    def led_seminars(m: MembershipFact) -> list:
        return [a for a in sy_acts if a.type == "seminar" and a.scope == "studio" and m.person.key in a.led_by]

    led = per_person(led_seminars, n_sy)

    return [
        quota(
            "ws.team.project",
            _("research projects completed since the cycle start"),
            min(len(done), 1),
            1,
            counted(done),
        ),
        quota("ws.team.backbone", _("young members at banner level or above"), len(qualified), third(len(young))),
        quota(
            "ws.team.lecture",
            _("banner-wide lectures or report meetings"),
            min(len(lectures), n_sem),
            n_sem,
            counted(lectures),
        ),
        quota(
            "ws.team.seminar",
            _("banner-level seminars"),
            min(len(seminars), 2 * n_sem),
            2 * n_sem,
            counted(seminars),
        ),
        quota(
            "ws.team.outreach",
            _("support-teaching or sent-teaching activities"),
            min(len(outreach), n_sy),
            n_sy,
            counted(outreach),
        ),
        quota(
            "ws.team.pairing",
            _("people paired with a rural teacher"),
            sum(1 for m in people if m.person.key in paired),
            len(people),
        ),
        quota("ws.ops.meetings", _("planning and summary meetings"), meetings, 2 * n_sem, counted(planning, summary)),
        quota(
            "ws.ops.study",
            _("work seminars, report meetings, observation visits or outside training"),
            min(len(study), 2 * n_sem),
            2 * n_sem,
            counted(study),
        ),
        quota(
            "ws.ind.paper",
            _("research papers (one per person each semester)"),
            papers[0],
            len(people) * n_sem,
            papers[1],
        ),
        quota(
            "ws.ind.reflection",
            _("reflections (one per person each school year)"),
            reflections[0],
            len(people) * n_sy,
            reflections[1],
        ),
        quota(
            "ws.ind.designs",
            _("teaching designs (two per person each school year)"),
            designs[0],
            len(people) * 2 * n_sy,
            designs[1],
        ),
        quota(
            "ws.ind.seminar",
            _("in-studio seminars organised (one per person each school year)"),
            led[0],
            len(people) * n_sy,
            led[1],
        ),
    ]
