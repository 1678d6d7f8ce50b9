"""The assessment rules of 《乌审旗名师工作室管理办法（修订）》, each beside its article.

Every function reads :class:`Context` (the facts, the assessed period, the studio's cycle and the
semesters / school years that are due) and returns :class:`mingshi.core.rules.Criterion` results under the
ids of ``jurisdictions.md``. Per-person rules return one criterion per person; :func:`combined`
turns them into the one line of ``criteria`` (met only if every person meets it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from mingshi.jurisdiction import (
    ActivityFact,
    Criterion,
    MemberResult,
    MembershipFact,
    OutputFact,
    Period,
    Status,
    StudioFacts,
    Text,
    combine,
    counted,
    is_unexcused_absence,
    level_at_least,
)

from .i18n import _
from .info import BASIS
from .timeline import due, label, member_throughout, school_years, semesters, studio_cycle

#: 旗级 — "banner-level / banner-wide" means scope or level ≥ county (general reading rules)
BANNER = "county"

NA = Status.NOT_APPLICABLE


@dataclass(frozen=True)
class Context:
    facts: StudioFacts
    period: Period
    #: annual · cycle
    kind: str
    cycle: Period | None
    #: the semesters and school years due for the studio: wholly within the period and the cycle
    semesters: tuple[Period, ...]
    school_years: tuple[Period, ...]
    #: the host and the members assessed individually: in the studio on the period's last day
    people: tuple[MembershipFact, ...]

    @property
    def cycle_end_reached(self) -> bool:
        return self.kind == "cycle" and self.cycle is not None


def make_context(facts: StudioFacts, period: Period, kind: str) -> Context:
    cyc = studio_cycle(facts)
    return Context(
        facts=facts,
        period=period,
        kind=kind,
        cycle=cyc,
        semesters=tuple(due(semesters(facts, period), period, cyc)),
        school_years=tuple(due(school_years(facts, period), period, cyc)),
        people=tuple(people_on(facts, period.end)),
    )


def people_on(facts: StudioFacts, day: dt.date, roles: Iterable[str] = ("host", "member")) -> list[MembershipFact]:
    """Hosts and members in the studio on ``day`` — never one already removed by a rule."""
    wanted = set(roles)
    found = [m for m in facts.memberships if m.role in wanted and m.active_on(day) and not m.removed]
    return sorted(found, key=lambda m: (m.role != "host", m.joined))


def criterion(
    rule_id: str, status: Status, explanation: Text, value=None, target=None, period=None, counted=()
) -> Criterion:
    return Criterion(
        rule_id, status, BASIS[rule_id], explanation, value=value, target=target, period=period, counted=counted
    )


def records_in(parts: Iterable[Period], select: Callable[[Period], list]) -> tuple[str, ...]:
    """The references of what ``select`` counts in each part (the proof of a per-part criterion)."""
    return counted(*(select(part) for part in parts))


def banner_wide(activity: ActivityFact) -> bool:
    return level_at_least(activity.scope, BANNER)


def at_banner_level(output: OutputFact) -> bool:
    return level_at_least(output.level, BANNER)


# ---------------------------------------------------------------------------------------------
# Helpers: a requirement checked in each semester or school year


Row = tuple[Period, bool, Text]


def per_part(
    rule_id: str,
    rows: list[Row],
    header: Callable[..., Text],
    none_due: Text,
    status_if_all: Status = Status.MET,
    records: tuple[str, ...] = (),
    **params,
) -> Criterion:
    """One criterion from the per-semester (or per-school-year) rows: met when every row is met."""
    if not rows:
        return criterion(rule_id, NA, none_due)
    met = sum(1 for _p, ok, _d in rows if ok)
    status = status_if_all if status_if_all == Status.NOTICE else (Status.MET if met == len(rows) else Status.UNMET)
    detail = [d for _p, _ok, d in rows]
    return criterion(
        rule_id,
        status,
        header(detail=detail, value=met, target=len(rows), **params),
        met,
        len(rows),
        counted=records,
    )


def no_semester(ctx: Context) -> Text:
    return _("No semester of %(period)s lies wholly within the cycle: nothing is due", period=label(ctx.period))


def no_school_year(ctx: Context) -> Text:
    return _("No school year of %(period)s lies wholly within the cycle: nothing is due", period=label(ctx.period))


def held(part: Period, count: int) -> Text:
    return _("%(period)s: %(count)s held", period=label(part), count=count)


def count_rows(parts: Iterable[Period], select: Callable[[Period], list], minimum: int, detail=held) -> list[Row]:
    rows = []
    for part in parts:
        n = len(select(part))
        rows.append((part, n >= minimum, detail(part, n)))
    return rows


def combined(rule_id: str, results: list[tuple[MembershipFact, Criterion]], none_due: Text) -> Criterion:
    """Per-person criteria (general reading rules): met only if every person meets it, pending if
    none is unmet and some are pending; each person's detail goes under ``members[]``. The sentence
    counts everyone assessed and names those for whom the item is not yet due (e.g. who joined after
    the school year began), so that every row of a studio's table counts the same people."""
    applicable = [(m, c) for m, c in results if c.status not in (NA, Status.NOTICE)]
    if not applicable:
        return criterion(rule_id, NA, none_due)
    status = combine(c.status for _m, c in applicable)
    met = sum(1 for _m, c in applicable if c.status == Status.MET)
    unmet = [m.person.name for m, c in applicable if c.status == Status.UNMET]
    pending = [m.person.name for m, c in applicable if c.status == Status.PENDING]
    not_due = [m.person.name for m, c in results if c.status == NA]
    if unmet:
        text = _(
            "%(value)s of %(target)s people meet it; not met: %(names)s", names=unmet, value=met, target=len(applicable)
        )
    elif pending:
        text = _(
            "%(value)s of %(target)s people meet it; awaiting a reviewer: %(names)s",
            names=pending,
            value=met,
            target=len(applicable),
        )
    else:
        text = _("All %(target)s people meet it", target=len(applicable))
    if not_due:
        text = _(
            "%(total)s people assessed, of whom %(n)s not yet due (%(names)s): %(rest)s",
            total=len(applicable) + len(not_due),
            n=len(not_due),
            names=not_due,
            rest=text,
        )
    proof = tuple(dict.fromkeys(ref for _m, c in applicable for ref in c.counted))
    return criterion(rule_id, status, text, met, len(applicable), counted=proof)


def at_cycle_end(ctx: Context, rule_id: str, so_far: Text, value=None, target=None, records=()) -> Criterion:
    """A per-cycle item in an annual assessment: not yet due, shown with the progress so far."""
    return criterion(rule_id, NA, so_far, value, target, counted=records)


def progress_day(ctx: Context) -> dt.date:
    """The day a per-cycle item is measured on: the cycle's end, or the period's end before it."""
    if ctx.cycle is None:
        return ctx.period.end
    return min(ctx.period.end, ctx.cycle.end)


def in_cycle(ctx: Context, day: dt.date, until: dt.date | None = None) -> bool:
    start = ctx.cycle.start if ctx.cycle else dt.date.min
    end = until or (ctx.cycle.end if ctx.cycle else dt.date.max)
    return start <= day <= end


# ---------------------------------------------------------------------------------------------
# Team items — （二十）团队考核, （十一）定向扶持


def research_projects(ctx: Context, until: dt.date) -> tuple[list[OutputFact], list[OutputFact]]:
    """Research projects (课题) at banner level or above dated in the cycle up to ``until``:
    (completed — status completed or not recorded —, still approved/underway)."""
    found = [
        o
        for o in ctx.facts.outputs
        if o.type == "research_project" and at_banner_level(o) and in_cycle(ctx, o.date, until)
    ]
    done = [o for o in found if o.status in (None, "completed")]
    return done, [o for o in found if o not in done]


# （二十）1 三年工作周期内至少完成一项旗级以上课题研究 (and （八）: 一到两个旗级以上研究项目（课题）并取得成果)
def team_project(ctx: Context) -> Criterion:
    done, open_ = research_projects(ctx, progress_day(ctx))
    titles = [o.title or o.key for o in done]
    if not ctx.cycle_end_reached:
        return at_cycle_end(
            ctx,
            "ws.team.project",
            _(
                "Assessed at the end of the cycle; research projects at banner level or above completed so far: "
                "%(value)s, at least %(target)s required",
                value=len(done),
                target=1,
            ),
            len(done),
            1,
            records=counted(done),
        )
    if open_:
        text = _(
            "Research projects at banner level or above completed in the cycle: %(value)s (%(titles)s), at least "
            "%(target)s required; not counted because not completed: %(open)s",
            value=len(done),
            titles=titles or [_("none")],
            target=1,
            open=[o.title or o.key for o in open_],
        )
    else:
        text = _(
            "Research projects at banner level or above completed in the cycle: %(value)s (%(titles)s), at least "
            "%(target)s required",
            value=len(done),
            titles=titles or [_("none")],
            target=1,
        )
    return criterion("ws.team.project", Status.MET if done else Status.UNMET, text, len(done), 1, counted=counted(done))


def backbone_measure(
    ctx: Context, on: dt.date
) -> tuple[list[MembershipFact], list[MembershipFact], list[MembershipFact]]:
    """Young members (under ⚙ ws.young_age at the cycle start) in the team on ``on``; those of them
    at banner level or above on ``on``; members whose birth date is not recorded."""
    start = ctx.cycle.start if ctx.cycle else ctx.period.start
    limit = int(ctx.facts.param("ws.young_age"))
    members = people_on(ctx.facts, on, ("member",))
    unknown = [m for m in members if m.person.age_on(start) is None]
    young = [m for m in members if m.person.age_on(start) is not None and m.person.age_on(start) < limit]
    qualified = [m for m in young if level_at_least(m.person.backbone_level_on(on), BANNER)]
    return young, qualified, unknown


def third(n: int) -> int:
    """The least whole number of people that is at least one third of ``n``."""
    return -(-n // 3)


# （二十）2 三年工作周期内，团队中1/3青年成员要成为旗级骨干教师
def team_backbone(ctx: Context) -> Criterion:
    on = progress_day(ctx)
    young, qualified, unknown = backbone_measure(ctx, on)
    limit = ctx.facts.param("ws.young_age")
    target = third(len(young))
    params = dict(
        age=limit, young=len(young), value=len(qualified), target=target, day=on, names=[m.person.name for m in young]
    )
    if not ctx.cycle_end_reached:
        return at_cycle_end(
            ctx,
            "ws.team.backbone",
            _(
                "Assessed at the end of the cycle; so far %(value)s of the %(young)s young members (under %(age)s at "
                "the cycle start) are backbone teachers at banner level or above, one third (%(target)s) required",
                **params,
            ),
            len(qualified),
            target,
        )
    if not young:
        text = _("The team has no young member (under %(age)s at the cycle start): nothing to measure", age=limit)
    else:
        text = _(
            "Young members (under %(age)s at the cycle start): %(young)s (%(names)s); backbone teachers at banner "
            "level or above on %(day)s: %(value)s; one third required: %(target)s",
            **params,
        )
    if unknown:
        text = _(
            "%(text)s (birth date not recorded, not counted: %(unknown)s)",
            text=text,
            unknown=[m.person.name for m in unknown],
        )
    ok = 3 * len(qualified) >= len(young)
    return criterion("ws.team.backbone", Status.MET if ok else Status.UNMET, text, len(qualified), target)


LECTURE_TYPES = ("lecture", "report_meeting")


# （二十）3 每学期举办一次面向全旗的公开讲座、报告会，推广优秀研究成果
def team_lecture(ctx: Context) -> Criterion:
    minimum = 1

    def select(p: Period) -> list[ActivityFact]:
        return [a for a in ctx.facts.activities_in(p, LECTURE_TYPES) if banner_wide(a)]

    rows = count_rows(ctx.semesters, select, minimum)
    return per_part(
        "ws.team.lecture",
        rows,
        lambda **kw: _(
            "Banner-wide public lectures or report meetings, at least %(minimum)s each semester: %(detail)s; "
            "%(value)s of %(target)s semesters meet it",
            **kw,
        ),
        no_semester(ctx),
        records=records_in(ctx.semesters, select),
        minimum=minimum,
    )


# （二十）4 每学期至少组织和发起两次以上旗级的专题研讨活动 ("两次以上" includes two)
def team_seminar(ctx: Context) -> Criterion:
    minimum = 2

    def select(p: Period) -> list[ActivityFact]:
        return [a for a in ctx.facts.activities_in(p, ("seminar",)) if banner_wide(a)]

    rows = count_rows(ctx.semesters, select, minimum)
    return per_part(
        "ws.team.seminar",
        rows,
        lambda **kw: _(
            "Banner-level seminars, at least %(minimum)s each semester: %(detail)s; %(value)s of %(target)s "
            "semesters meet it",
            **kw,
        ),
        no_semester(ctx),
        records=records_in(ctx.semesters, select),
        minimum=minimum,
    )


OUTREACH_TYPES = ("support_teaching", "send_teaching")


# （十一）工作室每年至少组织工作室成员开展1次支教活动或送教下乡活动 — "每年": the school year
def team_outreach(ctx: Context) -> Criterion:
    minimum = 1

    def select(p: Period) -> list[ActivityFact]:
        return ctx.facts.activities_in(p, OUTREACH_TYPES)

    rows = count_rows(ctx.school_years, select, minimum)
    return per_part(
        "ws.team.outreach",
        rows,
        lambda **kw: _(
            "Support-teaching or teaching-sent-to-the-countryside activities, at least %(minimum)s each school "
            "year: %(detail)s; %(value)s of %(target)s school years meet it",
            **kw,
        ),
        no_school_year(ctx),
        records=records_in(ctx.school_years, select),
        minimum=minimum,
    )


# （十一）工作室主持人和工作室成员每人每周期至少与1名乡村中小学教师结成互助帮扶对子
def person_pairing(ctx: Context, ms: MembershipFact) -> Criterion:
    until = progress_day(ctx)
    teachers = sorted(
        {p.rural_teacher for p in ctx.facts.pairings if p.person == ms.person.key and in_cycle(ctx, p.date, until)}
    )
    if not ctx.cycle_end_reached:
        return at_cycle_end(
            ctx,
            "ws.team.pairing",
            _(
                "Assessed at the end of the cycle; rural teachers paired with so far: %(value)s",
                value=len(teachers),
            ),
            len(teachers),
            1,
        )
    if teachers:
        text = _(
            "Rural teachers paired with in the cycle: %(value)s (%(names)s), at least %(target)s required",
            value=len(teachers),
            names=teachers,
            target=1,
        )
    else:
        text = _("Paired with no rural teacher in the cycle, at least %(target)s required", target=1)
    return criterion("ws.team.pairing", Status.MET if teachers else Status.UNMET, text, len(teachers), 1)


def team_pairing(ctx: Context, results: list[tuple[MembershipFact, Criterion]]) -> Criterion:
    if not ctx.cycle_end_reached:
        paired = sum(1 for _m, c in results if c.value)
        return at_cycle_end(
            ctx,
            "ws.team.pairing",
            _(
                "Assessed at the end of the cycle; so far %(value)s of %(target)s people (host and members) are "
                "paired with a rural teacher",
                value=paired,
                target=len(results),
            ),
            paired,
            len(results),
        )
    return combined("ws.team.pairing", results, _("Nobody is in the studio at the end of the cycle"))


# （九）每个名师工作室在工作周期内应培养出2-3名骨干教师 — a task, not an item of （二十）: advisory
def task_cultivation(ctx: Context) -> Criterion:
    on = progress_day(ctx)
    start = ctx.cycle.start if ctx.cycle else ctx.period.start
    grown = [
        m.person.name
        for m in people_on(ctx.facts, on, ("member",))
        if level_at_least(m.person.backbone_level_on(on), BANNER)
        and not level_at_least(m.person.backbone_level_on(start), BANNER)
    ]
    return criterion(
        "ws.task.cultivation",
        Status.NOTICE,
        _(
            "Members who became backbone teachers at banner level or above during the cycle (by their designation "
            "history), up to %(day)s: %(value)s (%(names)s); the task is 2–3 per cycle (advisory)",
            day=on,
            value=len(grown),
            names=grown or [_("none")],
        ),
        len(grown),
        2,
    )


# ---------------------------------------------------------------------------------------------
# Operations — （十四）（十五）（十八）


# （十八）1 每学期召开一次工作部署会和阶段性总结会
def ops_meetings(ctx: Context) -> Criterion:
    rows: list[Row] = []
    for part in ctx.semesters:
        planning = len(ctx.facts.activities_in(part, ("planning_meeting",)))
        summary = len(ctx.facts.activities_in(part, ("summary_meeting",)))
        detail = _(
            "%(period)s: planning meetings %(planning)s, summary meetings %(summary)s",
            period=label(part),
            planning=planning,
            summary=summary,
        )
        rows.append((part, planning >= 1 and summary >= 1, detail))
    return per_part(
        "ws.ops.meetings",
        rows,
        lambda **kw: _(
            "A planning meeting and a summary meeting each semester: %(detail)s; %(value)s of %(target)s "
            "semesters meet it",
            **kw,
        ),
        no_semester(ctx),
        records=records_in(
            ctx.semesters, lambda p: ctx.facts.activities_in(p, ("planning_meeting", "summary_meeting"))
        ),
    )


#: the digest's list: work seminars, report meetings, observation visits (观摩考察) and outside training (外出学习)
STUDY_TYPES = ("seminar", "report_meeting", "observation", "training")


# （十八）1 每学期至少召开两次以上的工作研讨、汇报会、或参加外出学习活动: a team item (it decides the studio's grade)
def ops_study(ctx: Context) -> Criterion:
    minimum = 2

    def select(p: Period) -> list[ActivityFact]:
        return ctx.facts.activities_in(p, STUDY_TYPES)

    rows = count_rows(ctx.semesters, select, minimum)
    return per_part(
        "ws.ops.study",
        rows,
        lambda **kw: _(
            "Work seminars, report meetings, observation visits or outside training (a team item), at least "
            "%(minimum)s each semester: %(detail)s; %(value)s of %(target)s semesters meet it",
            **kw,
        ),
        no_semester(ctx),
        records=records_in(ctx.semesters, select),
        minimum=minimum,
    )


# （十五）凡开展面向全旗的教育活动，要提前将活动方案报“名师工作室领导小组办公室”，经过审核确定发文后，组织开展活动
def ops_filing(ctx: Context) -> Criterion:
    wide = [a for a in ctx.facts.activities_in(ctx.period) if banner_wide(a)]
    late = [a for a in wide if a.plan_approved is None or a.plan_approved > a.date]
    on_time = len(wide) - len(late)
    if not wide:
        text = _("No banner-wide activity in %(period)s: nothing to file", period=label(ctx.period))
    elif late:
        text = _(
            "%(value)s of %(target)s banner-wide activities had their plan approved on or before their date; "
            "approved late or not at all: %(items)s",
            value=on_time,
            target=len(wide),
            items=[
                _("%(title)s (%(date)s)", title=a.title or a.key, date=a.date)
                if a.plan_approved is None
                else _(
                    "%(title)s (%(date)s, approved %(approved)s)",
                    title=a.title or a.key,
                    date=a.date,
                    approved=a.plan_approved,
                )
                for a in late
            ],
        )
    else:
        text = _(
            "All %(target)s banner-wide activities had their plan approved on or before their date",
            target=len(wide),
        )
    return criterion(
        "ws.ops.filing", Status.UNMET if late else Status.MET, text, on_time, len(wide), counted=counted(wide)
    )


# （十四）各工作室每年要对自己的工作进行书面总结 — not an item of 五、考核: advisory
def ops_summary(ctx: Context) -> Criterion:
    def select(p: Period) -> list[OutputFact]:
        return ctx.facts.outputs_in(p, ("work_summary",))

    rows = count_rows(
        ctx.school_years,
        select,
        1,
        lambda part, n: _("%(period)s: %(count)s submitted", period=label(part), count=n),
    )
    return per_part(
        "ws.ops.summary",
        rows,
        lambda **kw: _(
            "A written summary of the studio's work each year (advisory): %(detail)s; %(value)s of %(target)s "
            "school years have one",
            **kw,
        ),
        no_school_year(ctx),
        status_if_all=Status.NOTICE,
        records=records_in(ctx.school_years, select),
    )


# （十七）3 成员…每学年开设一次以上的专题讲座或公开展示课 — a member's duty, not in （二十一）: advisory
def member_lecture(ctx: Context) -> Criterion:
    members = [m for m in ctx.people if m.role == "member"]
    due_for = {m.person.key: [p for p in ctx.school_years if member_throughout(m, p)] for m in members}
    due_members = [m for m in members if due_for[m.person.key]]

    def given(m: MembershipFact, p: Period) -> list[ActivityFact]:
        return [a for a in ctx.facts.activities_in(p, ("lecture", "open_class")) if m.person.key in a.led_by]

    missing = [m.person.name for m in due_members if any(not given(m, p) for p in due_for[m.person.key])]
    if not due_members:
        return criterion("ws.member.lecture", Status.NOTICE, no_school_year(ctx))
    records = counted(*(given(m, p) for m in due_members for p in due_for[m.person.key]))
    done = len(due_members) - len(missing)
    text = _(
        "%(value)s of %(target)s members gave a lecture or an open class in every school year (a member's duty, "
        "not assessed); without one: %(names)s",
        value=done,
        target=len(due_members),
        names=missing or [_("none")],
    )
    return criterion("ws.member.lecture", Status.NOTICE, text, done, len(due_members), counted=records)


# （十六）4 利用工作室的专项资金奖励表现优秀者 — advisory
def host_reward(ctx: Context, passed: list[MemberResult]) -> Criterion:
    """The people who passed their individual assessment; it counted what their individual items counted."""
    records = tuple(dict.fromkeys(ref for r in passed for c in r.criteria for ref in c.counted))
    return criterion(
        "ws.host.reward",
        Status.NOTICE,
        _(
            "%(value)s people passed their individual assessment; the host may reward those who did best from the "
            "studio's special fund (advisory)",
            value=len(passed),
        ),
        len(passed),
        counted=records,
    )


# ---------------------------------------------------------------------------------------------
# Individual items — （二十一）个人考核, for the host and each member


def person_semesters(ctx: Context, ms: MembershipFact) -> list[Period]:
    return [p for p in ctx.semesters if member_throughout(ms, p)]


def person_school_years(ctx: Context, ms: MembershipFact) -> list[Period]:
    return [p for p in ctx.school_years if member_throughout(ms, p)]


def no_semester_for(ctx: Context) -> Text:
    return _(
        "No semester of %(period)s lies wholly within the cycle and this person's membership: nothing is due",
        period=label(ctx.period),
    )


def no_school_year_for(ctx: Context) -> Text:
    return _(
        "No school year of %(period)s lies wholly within the cycle and this person's membership: nothing is due",
        period=label(ctx.period),
    )


# （二十一）1 三年工作周期内主持或参与1项旗级以上课题研究
def ind_project(ctx: Context, ms: MembershipFact) -> Criterion:
    until = progress_day(ctx)
    projects = [
        o
        for o in ctx.facts.outputs
        if o.type == "research_project"
        and ms.person.key in o.people
        and at_banner_level(o)
        and in_cycle(ctx, o.date, until)
    ]
    titles = [o.title or o.key for o in projects]
    if not ctx.cycle_end_reached:
        return at_cycle_end(
            ctx,
            "ws.ind.project",
            _(
                "Assessed at the end of the cycle; research projects at banner level or above hosted or joined so "
                "far: %(value)s",
                value=len(projects),
            ),
            len(projects),
            1,
            records=counted(projects),
        )
    text = _(
        "Research projects at banner level or above hosted or joined in the cycle: %(value)s (%(titles)s), at "
        "least %(target)s required",
        value=len(projects),
        titles=titles or [_("none")],
        target=1,
    )
    return criterion(
        "ws.ind.project", Status.MET if projects else Status.UNMET, text, len(projects), 1, counted=counted(projects)
    )


def longest(outputs: list[OutputFact]) -> int | None:
    lengths = [o.chars for o in outputs if o.chars is not None]
    return max(lengths) if lengths else None


def length_rows(ctx: Context, ms: MembershipFact, parts: list[Period], output_type: str, minimum: int) -> list[Row]:
    rows: list[Row] = []
    for part in parts:
        found = ctx.facts.outputs_of(ms.person.key, part, (output_type,))
        chars = longest(found)
        if chars is not None:
            detail = _("%(period)s: longest %(chars)s characters", period=label(part), chars=chars)
        elif found:
            detail = _("%(period)s: %(count)s without a recorded length", period=label(part), count=len(found))
        else:
            detail = _("%(period)s: none", period=label(part))
        rows.append((part, chars is not None and chars >= minimum, detail))
    return rows


# （二十一）2 每学期完成一篇2000字左右与研修内容相关的研究论文 ("左右": ⚙ ws.paper.min_chars)
def ind_paper(ctx: Context, ms: MembershipFact) -> Criterion:
    minimum = int(ctx.facts.param("ws.paper.min_chars"))
    parts = person_semesters(ctx, ms)
    rows = length_rows(ctx, ms, parts, "paper", minimum)
    return per_part(
        "ws.ind.paper",
        rows,
        lambda **kw: _(
            "A research paper of about 2,000 characters (at least %(minimum)s) each semester: %(detail)s; "
            "%(value)s of %(target)s semesters meet it",
            **kw,
        ),
        no_semester_for(ctx),
        records=records_in(parts, lambda p: ctx.facts.outputs_of(ms.person.key, p, ("paper",))),
        minimum=minimum,
    )


# （二十一）3 每学年完成一份1000字左右的反思性总结或与研究内容有关的心得体会 (⚙ ws.reflection.min_chars)
def ind_reflection(ctx: Context, ms: MembershipFact) -> Criterion:
    minimum = int(ctx.facts.param("ws.reflection.min_chars"))
    parts = person_school_years(ctx, ms)
    rows = length_rows(ctx, ms, parts, "reflection", minimum)
    return per_part(
        "ws.ind.reflection",
        rows,
        lambda **kw: _(
            "A reflection of about 1,000 characters (at least %(minimum)s) each school year: %(detail)s; "
            "%(value)s of %(target)s school years meet it",
            **kw,
        ),
        no_school_year_for(ctx),
        records=records_in(parts, lambda p: ctx.facts.outputs_of(ms.person.key, p, ("reflection",))),
        minimum=minimum,
    )


# （二十一）4 每学年递交2份用于专项研讨的教学设计或教学案例
def ind_designs(ctx: Context, ms: MembershipFact) -> Criterion:
    minimum = 2

    def select(p: Period) -> list[OutputFact]:
        return ctx.facts.outputs_of(ms.person.key, p, ("teaching_design",))

    parts = person_school_years(ctx, ms)
    rows = count_rows(
        parts,
        select,
        minimum,
        lambda part, n: _("%(period)s: %(count)s submitted", period=label(part), count=n),
    )
    return per_part(
        "ws.ind.designs",
        rows,
        lambda **kw: _(
            "Teaching designs or cases, %(minimum)s each school year: %(detail)s; %(value)s of %(target)s school "
            "years meet it",
            **kw,
        ),
        no_school_year_for(ctx),
        records=records_in(parts, select),
        minimum=minimum,
    )


# （二十一）5 每学年组织和发起1次工作室内的专题研讨
def ind_seminar(ctx: Context, ms: MembershipFact) -> Criterion:
    minimum = 1

    def select(p: Period) -> list[ActivityFact]:
        return [
            a for a in ctx.facts.activities_in(p, ("seminar",)) if a.scope == "studio" and ms.person.key in a.led_by
        ]

    parts = person_school_years(ctx, ms)
    rows = count_rows(
        parts,
        select,
        minimum,
        lambda part, n: _("%(period)s: %(count)s organised", period=label(part), count=n),
    )
    return per_part(
        "ws.ind.seminar",
        rows,
        lambda **kw: _(
            "In-studio seminars organised, at least %(minimum)s each school year: %(detail)s; %(value)s of "
            "%(target)s school years meet it",
            **kw,
        ),
        no_school_year_for(ctx),
        records=records_in(parts, select),
        minimum=minimum,
    )


def percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}%"


# （二十一）6 按要求参加工作室组织的各类活动 (absent from at most ⚙ ws.member.max_absence_ratio). An
# absence is what the digest's general reading says (core.rules.attendance): "absent", or leave approved
# after the activity's date; leave approved in advance never counts.
def ind_participation(ctx: Context, ms: MembershipFact) -> Criterion:
    ratio = Decimal(ctx.facts.param("ws.member.max_absence_ratio"))
    activities = [a for a in ctx.facts.activities_in(ctx.period) if ms.active_on(a.date)]
    absent, recorded = ctx.facts.absences(ms.person.key, activities)
    allowed = int((ratio * recorded).to_integral_value(rounding=ROUND_FLOOR))
    if recorded == 0:
        text = _("No attendance record in %(period)s: no absence", period=label(ctx.period))
    else:
        text = _(
            "Absent from %(absent)s of the %(recorded)s activities with an attendance record (leave approved in "
            "advance is not an absence, leave approved after the activity is); at most %(ratio)s (%(allowed)s) "
            "may be missed",
            absent=absent,
            recorded=recorded,
            ratio=percent(ratio),
            allowed=allowed,
        )
    ok = Decimal(absent) <= ratio * recorded
    missed = [
        a for a in activities if a.status_of(ms.person.key) is not None and is_unexcused_absence(a, ms.person.key)
    ]
    return criterion(
        "ws.ind.participation", Status.MET if ok else Status.UNMET, text, absent, allowed, counted=counted(missed)
    )


INDIVIDUAL_RULES: tuple[tuple[str, Callable[[Context, MembershipFact], Criterion]], ...] = (
    ("ws.ind.project", ind_project),
    ("ws.ind.paper", ind_paper),
    ("ws.ind.reflection", ind_reflection),
    ("ws.ind.designs", ind_designs),
    ("ws.ind.seminar", ind_seminar),
    ("ws.ind.participation", ind_participation),
)
