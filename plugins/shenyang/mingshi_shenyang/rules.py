"""Shenyang's rules, each beside its article of 沈教发〔2021〕17号.

Application (第二、三条), tasks (第七条), the host's annual assessment and disqualification (第十条),
members' annual assessment and removal (第十一条). Funding (第十二—十四条) is in :mod:`.funding`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from mingshi.jurisdiction import (
    ActivityFact,
    Criterion,
    Evaluation,
    Grade,
    MemberResult,
    MembershipFact,
    OutputFact,
    Period,
    PersonFact,
    Removal,
    Status,
    StudioFacts,
    Text,
    add_years,
    attestation_only,
    calendar_year,
    combine,
    counted,
    cycle,
    grade_allowing_pending,
    is_unexcused_absence,
    level_at_least,
    level_rank,
    school_year_ending_in,
    status_of,
    title_at_least,
)

from .i18n import _
from .info import RULES
from .retirement import retirement_age_months, statutory_retirement_date
from .texts import event_text, joined, percent, period_name, vocab

BASIS = {r.id: r.basis for r in RULES}
TITLES = {r.id: r.title for r in RULES}

WORKSHOP, STUDIO = "workshop", "studio"

# 第二条 "由一名主持人和5-10名成员组成。工作坊成员至少要覆盖5所学校" (fixed by the text, not ⚙)
TEAM_MIN, TEAM_MAX = 5, 10
WORKSHOP_MIN_SCHOOLS = 5
RURAL_LEADER_POSITIONS = ("principal", "vice_principal")
# 第二条 "工作室成员包括学科带头人、骨干教师和新教师"
STUDIO_CATEGORIES = ("subject_leader", "backbone", "new_teacher")
# 第三条第3项 "市骨干校长(名师)及以上称号": the honors of the priority list that are such designations
# (all of them but "上届主持人", which is a role, not a designation)
QUALIFYING_HONORS = (
    "state_council_special_allowance",
    "national_leading_principal",
    "provincial_leading_principal",
    "provincial_expert_principal",
    "municipal_education_expert",
    "national_outstanding_teacher",
    "xingliao_famous_teacher",
    "hundred_thousand_talent",
    "provincial_special_grade_teacher",
    "municipal_chief_teacher",
)
PRIORITY_HONORS = (*QUALIFYING_HONORS, "previous_host")
# 第十条第2—7项: the host's events that cancel the qualification
HOST_DISQUALIFYING = ("ethics_violation", "fraud", "sanction", "transferred", "unable", "other_violation")
# 第十一条第1、4、5、6项: a member's events that cancel the membership
MEMBER_REMOVING = {"ethics_violation": "1", "transferred": "4", "unable": "5", "other_violation": "6"}


# ---------------------------------------------------------------------------------------------
# Helpers


def cycle_of(facts: StudioFacts) -> Period | None:
    """The studio's construction period (建设期): ``sy.cycle_years`` from its ``cycle_start``."""
    start = facts.studio.cycle_start
    if start is None:
        return None
    return cycle(start, int(facts.param("sy.cycle_years", start)))


def cycle_years(facts: StudioFacts) -> list[int]:
    """The calendar years assessed (and funded) in the cycle: one per year of the cycle."""
    start = facts.studio.cycle_start
    if start is None:
        return []
    return [start.year + k for k in range(int(facts.param("sy.cycle_years", start)))]


def active_members(facts: StudioFacts, day: dt.date) -> list[MembershipFact]:
    """Members (not the host) on ``day``; a removed member is no longer one after leaving."""
    return [m for m in facts.memberships_on(day, roles=("member",)) if not (m.removed and m.left and m.left <= day)]


def names(people: Iterable[PersonFact]) -> list[str]:
    return [p.name for p in people]


def _na_kind(rule_id: str, kind: str) -> Criterion:
    msg = _("Applies to workshops only") if kind == WORKSHOP else _("Applies to studios only")
    return Criterion(rule_id, Status.NOT_APPLICABLE, BASIS[rule_id], msg)


def fail_unless_all_met(statuses) -> Grade:
    return Grade.FAIL if any(s == Status.UNMET for s in statuses.values()) else Grade.PASS


def attestation_text(value: bool | None) -> Text:
    if value is None:
        return _("awaiting a reviewer's judgement")
    return _("a reviewer judged it met") if value else _("a reviewer judged it not met")


# ---------------------------------------------------------------------------------------------
# Application (第二、三条)


def check_application(facts: StudioFacts, on: dt.date) -> Evaluation:
    kind = facts.studio.kind
    members = active_members(facts, on)
    criteria = [
        team_size(members, on),
        team_schools(members) if kind == WORKSHOP else _na_kind("sy.team.schools", WORKSHOP),
        team_rural_leader(members) if kind == WORKSHOP else _na_kind("sy.team.rural_leader", WORKSHOP),
        team_mix(members) if kind == STUDIO else _na_kind("sy.team.mix", STUDIO),
    ]
    host = facts.host(on)
    criteria.extend(host_criteria(facts, host, on, kind))
    grade = grade_allowing_pending(criteria, fail_unless_all_met)
    results = [MemberResult(person=host.key, grade=str(grade))] if host else []
    return Evaluation(grade, criteria, results)


# 第二条: 工作坊(室)由一名主持人和5-10名成员组成
def team_size(members: list[MembershipFact], on: dt.date) -> Criterion:
    n = len(members)
    return Criterion(
        "sy.team.size",
        status_of(TEAM_MIN <= n <= TEAM_MAX),
        BASIS["sy.team.size"],
        _("%(date)s: %(value)s members, %(min)s to %(max)s required", date=on, value=n, min=TEAM_MIN, max=TEAM_MAX),
        n,
        f"{TEAM_MIN}-{TEAM_MAX}",
    )


# 第二条: 工作坊成员至少要覆盖5所学校
def team_schools(members: list[MembershipFact]) -> Criterion:
    schools = sorted({m.person.school.key: m.person.school.name for m in members if m.person.school}.items())
    n = len(schools)
    return Criterion(
        "sy.team.schools",
        status_of(n >= WORKSHOP_MIN_SCHOOLS),
        BASIS["sy.team.schools"],
        _(
            "Members come from %(value)s schools (%(schools)s), at least %(target)s required",
            value=n,
            schools=[name for _k, name in schools] or "—",
            target=WORKSHOP_MIN_SCHOOLS,
        ),
        n,
        WORKSHOP_MIN_SCHOOLS,
    )


# 第二条: 其中至少包含一名农村学校校级领导
def team_rural_leader(members: list[MembershipFact]) -> Criterion:
    leaders = [
        m.person
        for m in members
        if m.person.school and m.person.school.rural and m.person.position in RURAL_LEADER_POSITIONS
    ]
    if leaders:
        text = _("%(names)s: principal or vice principal of a rural school", names=names(leaders))
    else:
        text = _("No member is a principal or vice principal of a rural school")
    return Criterion(
        "sy.team.rural_leader", status_of(bool(leaders)), BASIS["sy.team.rural_leader"], text, len(leaders), 1
    )


# 第二条: 工作室成员包括学科带头人、骨干教师和新教师
def team_mix(members: list[MembershipFact]) -> Criterion:
    present = [c for c in STUDIO_CATEGORIES if any(m.category == c for m in members)]
    missing = [c for c in STUDIO_CATEGORIES if c not in present]
    if missing:
        text = _(
            "Categories of members present: %(present)s; missing: %(missing)s",
            present=[vocab("member_categories", c) for c in present] or "—",
            missing=[vocab("member_categories", c) for c in missing],
        )
    else:
        text = _("Members include subject leaders, backbone teachers and new teachers")
    return Criterion(
        "sy.team.mix", status_of(not missing), BASIS["sy.team.mix"], text, len(present), len(STUDIO_CATEGORIES)
    )


def host_criteria(facts: StudioFacts, host: PersonFact | None, on: dt.date, kind: str) -> list[Criterion]:
    ids = (
        "sy.host.ethics",
        "sy.host.ability",
        "sy.host.qualification",
        "sy.host.principal",
        "sy.host.retirement",
        "sy.host.priority",
    )
    if host is None:
        return [Criterion(i, Status.UNMET, BASIS[i], _("No host is recorded")) for i in ids]
    return [
        # 第三条第1项 政治素质过硬 … 师德师风 (a reviewer's judgement)
        host_attestation(facts, "sy.host.ethics", host),
        # 第三条第2项 业务能力卓越 (a reviewer's judgement)
        host_attestation(facts, "sy.host.ability", host),
        host_qualification(facts, host, on),
        host_principal(host) if kind == WORKSHOP else _na_kind("sy.host.principal", WORKSHOP),
        host_retirement(facts, host, on),
        host_priority(host),
    ]


def host_attestation(facts: StudioFacts, rule_id: str, host: PersonFact) -> Criterion:
    value = facts.attestation(rule_id)
    return Criterion(
        rule_id,
        attestation_only(value),
        BASIS[rule_id],
        _("%(name)s: %(judgement)s", name=host.name, judgement=attestation_text(value)),
    )


# 第三条第3项 原则上具备正高级教师职称或市骨干校长(名师)及以上称号或在研训领域有突出业务引领能力: the honours
# of the item's priority list are such 称号 (digest, decided 2026-12-01), all but 上届主持人 (a role)
def host_qualification(facts: StudioFacts, host: PersonFact, on: dt.date) -> Criterion:
    rule_id = "sy.host.qualification"
    level = host.backbone_level_on(on)
    honors = sorted(h for h in host.honors if h in QUALIFYING_HONORS)
    if title_at_least(host.title, "senior"):
        return Criterion(rule_id, Status.MET, BASIS[rule_id], _("%(name)s holds the senior title", name=host.name))
    if level_at_least(level, "municipal"):
        return Criterion(
            rule_id,
            Status.MET,
            BASIS[rule_id],
            _("%(name)s holds a backbone designation at %(level)s level", name=host.name, level=vocab("levels", level)),
            level,
            "municipal",
        )
    if honors:
        return Criterion(
            rule_id,
            Status.MET,
            BASIS[rule_id],
            _(
                "%(name)s holds %(honors)s, an honour of the priority list of article 3 item 3 and a title above "
                "municipal backbone",
                name=host.name,
                honors=[vocab("honors", h) for h in honors],
            ),
        )
    value = facts.attestation(rule_id)
    return Criterion(
        rule_id,
        attestation_only(value),
        BASIS[rule_id],
        _(
            "%(name)s has neither the senior title, nor a municipal or higher designation, nor an honour of the "
            "priority list of article 3 item 3; outstanding leadership in research and training: %(judgement)s",
            name=host.name,
            judgement=attestation_text(value),
        ),
    )


# 第三条第3项 工作坊主持人要求正职校长
def host_principal(host: PersonFact) -> Criterion:
    rule_id = "sy.host.principal"
    ok = host.position == "principal"
    return Criterion(
        rule_id,
        status_of(ok),
        BASIS[rule_id],
        _(
            "%(name)s's position: %(position)s; a workshop host must be a principal",
            name=host.name,
            position=vocab("positions", host.position),
        ),
        host.position,
        "principal",
    )


# 第三条第4项 距离法定退休年龄至少3年 (the schedule: .retirement)
def host_retirement(facts: StudioFacts, host: PersonFact, on: dt.date) -> Criterion:
    rule_id = "sy.host.retirement"
    years = int(facts.param("sy.host.min_years_to_retirement", on))
    limit = add_years(on, years)
    if host.retirement_date is not None:
        retire = host.retirement_date
        source = _("recorded retirement date")
    elif host.born is not None and host.sex in ("M", "F"):
        female_base = int(facts.param("sy.host.female_base_age", on))
        retire = statutory_retirement_date(host.born, host.sex, female_base)
        months = retirement_age_months(host.born, host.sex, female_base)
        source = _(
            "statutory age %(years)s years %(months)s months under the NPC Standing Committee's decision of 2024-09-13",
            years=months // 12,
            months=months % 12,
        )
    else:
        return Criterion(
            rule_id,
            Status.UNMET,
            BASIS[rule_id],
            _("%(name)s: birth date or sex not recorded, the retirement date cannot be computed", name=host.name),
            None,
            limit,
        )
    ok = retire >= limit
    params = {"name": host.name, "retire": retire, "source": source, "date": on, "years": years, "limit": limit}
    if ok:
        text = _(
            "%(name)s reaches the retirement age on %(retire)s (%(source)s), at least %(years)s years after "
            "%(date)s (on or after %(limit)s)",
            **params,
        )
    else:
        text = _(
            "%(name)s reaches the retirement age on %(retire)s (%(source)s), less than %(years)s years after "
            "%(date)s (it must be on or after %(limit)s)",
            **params,
        )
    return Criterion(rule_id, status_of(ok), BASIS[rule_id], text, retire, limit)


# 第三条第3项 …及上届工作坊(室)主持人优先申报 (advisory: a flag, never a refusal)
def host_priority(host: PersonFact) -> Criterion:
    rule_id = "sy.host.priority"
    honors = sorted(h for h in host.honors if h in PRIORITY_HONORS)
    if honors:
        text = _(
            "%(name)s holds %(honors)s: priority in the selection",
            name=host.name,
            honors=[vocab("honors", h) for h in honors],
        )
    else:
        text = _("%(name)s holds no honor of the priority list", name=host.name)
    return Criterion(rule_id, Status.NOTICE, BASIS[rule_id], text, len(honors), None)


# ---------------------------------------------------------------------------------------------
# Tasks (第七条)


@dataclass(frozen=True)
class Task:
    id: str
    #: workshop · studio · None (both)
    kind: str | None
    #: year · school_year · cycle
    per: str
    target: int
    #: the records the task counts in a period (the criterion's value is how many, its proof which)
    count: Callable[[StudioFacts, Period], Sequence[ActivityFact | OutputFact]]
    message: Callable[..., Text]


def _activities(*types: str) -> Callable[[StudioFacts, Period], list[ActivityFact]]:
    def count(facts: StudioFacts, period: Period) -> list[ActivityFact]:
        return facts.activities_in(period, types or None)

    return count


def _outputs(*types: str) -> Callable[[StudioFacts, Period], list[OutputFact]]:
    def count(facts: StudioFacts, period: Period) -> list[OutputFact]:
        return facts.outputs_in(period, types)

    return count


# 第七条第3项 年度承担市级规划以上教学研究课题不少于1项: a project at municipal level or above that is
# approved or under way in the year — dated in the period, or dated earlier and not yet completed
def count_projects(facts: StudioFacts, period: Period) -> list[OutputFact]:
    return [
        o
        for o in facts.outputs
        if o.type == "research_project"
        and level_at_least(o.level, "municipal")
        and (o.date in period or (o.date < period.start and o.status in ("approved", "underway")))
    ]


# 第七条第3项 富有特色的研究成果（含正式刊物公开发表的论文、教学成果奖励、公开出版著作和主流媒体报道）
def count_results(facts: StudioFacts, period: Period) -> list[OutputFact]:
    return [
        o
        for o in facts.outputs_in(period, ("paper", "teaching_award", "book", "media_report"))
        if o.published or o.type in ("teaching_award", "media_report")
    ]


# 第七条第7项 工作坊主持人建设期内至少在市级校长论坛做一次报告
def count_forum_reports(facts: StudioFacts, period: Period) -> list[ActivityFact]:
    host = facts.host(period.end)
    return [
        a
        for a in facts.activities_in(period, ("principals_forum_report",))
        if a.scope == "municipal" and host is not None and host.key in a.led_by
    ]


TASKS: tuple[Task, ...] = (
    # 第七条第2项 每年…至少开展一次共同体研修活动
    Task(
        "sy.task.community",
        None,
        "year",
        1,
        _activities("community_study"),
        lambda **p: _("%(period)s: community study activities held: %(value)s, at least %(target)s required", **p),
    ),
    # 第七条第3项 年度承担市级规划以上教学研究课题不少于1项
    Task(
        "sy.task.project",
        None,
        "year",
        1,
        count_projects,
        lambda **p: _(
            "%(period)s: research projects at municipal level or above approved or under way: %(value)s, at "
            "least %(target)s required",
            **p,
        ),
    ),
    # 第七条第3项 并形成至少1项富有特色的研究成果
    Task(
        "sy.task.result",
        None,
        "year",
        1,
        count_results,
        lambda **p: _(
            "%(period)s: distinctive results (published papers, teaching awards, published books, media "
            "reports): %(value)s, at least %(target)s required",
            **p,
        ),
    ),
    # 第七条第4项 每学年带领工作坊(室)成员完成一项专题培训课程开发
    Task(
        "sy.task.course",
        None,
        "school_year",
        1,
        _outputs("training_course"),
        lambda **p: _("%(period)s: training courses developed: %(value)s, at least %(target)s required", **p),
    ),
    # 第七条第5项 每个工作坊(室)年度开展活动不少于八次
    Task(
        "sy.task.activities",
        None,
        "year",
        8,
        _activities(),
        lambda **p: _("%(period)s: %(value)s activities held, at least %(target)s required", **p),
    ),
    # 第七条第6项 建设期内…至少…提供两份…咨询参考
    Task(
        "sy.task.advice",
        None,
        "cycle",
        2,
        _outputs("consulting_report"),
        lambda **p: _("%(period)s: consulting reports provided: %(value)s, at least %(target)s required", **p),
    ),
    # 第七条第7项 每年度至少完成一次"送教下乡"活动
    Task(
        "sy.task.send_teaching",
        None,
        "year",
        1,
        _activities("send_teaching"),
        lambda **p: _(
            "%(period)s: activities of teaching sent to the countryside: %(value)s, at least %(target)s required",
            **p,
        ),
    ),
    # 第七条第7项 工作坊主持人建设期内至少在市级校长论坛做一次报告
    Task(
        "sy.task.forum_report",
        WORKSHOP,
        "cycle",
        1,
        count_forum_reports,
        lambda **p: _(
            "%(period)s: reports by the host at the municipal principals' forum: %(value)s, at least %(target)s "
            "required",
            **p,
        ),
    ),
    # 第七条第7项 (工作坊) 年度至少开展一次坊间交流活动
    Task(
        "sy.task.exchange",
        WORKSHOP,
        "year",
        1,
        _activities("inter_studio_exchange"),
        lambda **p: _("%(period)s: inter-workshop exchanges held: %(value)s, at least %(target)s required", **p),
    ),
    # 第七条第7项 工作室建设期内开展不少于2次成果推介会
    Task(
        "sy.task.promotion",
        STUDIO,
        "cycle",
        2,
        _activities("results_promotion"),
        lambda **p: _("%(period)s: results promotion meetings held: %(value)s, at least %(target)s required", **p),
    ),
    # 第七条第7项 (工作室) 每年度开展至少1次成员教科研实践现场会
    Task(
        "sy.task.onsite",
        STUDIO,
        "year",
        1,
        _activities("onsite_meeting"),
        lambda **p: _(
            "%(period)s: on-site research practice meetings held: %(value)s, at least %(target)s required", **p
        ),
    ),
    # 第七条第8项 年度至少上报五条工作成果快讯或活动简报
    Task(
        "sy.task.briefs",
        None,
        "year",
        5,
        _outputs("news_brief"),
        lambda **p: _("%(period)s: news briefs reported: %(value)s, at least %(target)s required", **p),
    ),
)

#: the order criteria are reported in (the digest's)
TASK_ORDER = (
    "sy.task.community",
    "sy.task.project",
    "sy.task.result",
    "sy.task.course",
    "sy.task.activities",
    "sy.task.member_schools",
    "sy.task.advice",
    "sy.task.send_teaching",
    "sy.task.forum_report",
    "sy.task.member_sharing",
    "sy.task.exchange",
    "sy.task.promotion",
    "sy.task.onsite",
    "sy.task.briefs",
)
YEAR_TASKS = tuple(t for t in TASKS if t.per != "cycle")
CYCLE_TASKS = tuple(t for t in TASKS if t.per == "cycle")


def task_criterion(facts: StudioFacts, task: Task, period: Period) -> Criterion:
    found = task.count(facts, period)
    value = len(found)
    return Criterion(
        task.id,
        status_of(value >= task.target),
        BASIS[task.id],
        task.message(period=period_name(period), value=value, target=task.target),
        value,
        task.target,
        period.key if period.kind != "year" else None,
        counted=counted(found),
    )


def task_period(facts: StudioFacts, task: Task, year: int) -> Period:
    """The window a per-year task is counted in for the assessment of calendar ``year``: the year, or
    for a per-school-year task the school year that ends in it."""
    if task.per == "school_year":
        start = str(facts.param("common.school_year_start", dt.date(year, 12, 31)))
        return school_year_ending_in(year, start)
    return calendar_year(year)


# 第七条第5项 每年至少要到各成员学校组织一次教育教学实践活动
def member_schools(facts: StudioFacts, period: Period) -> Criterion:
    rule_id = "sy.task.member_schools"
    members = active_members(facts, period.end)
    schools = {m.person.school.key: m.person.school for m in members if m.person.school}
    unknown = [m.person for m in members if m.person.school is None]
    held = [a for a in facts.activities_in(period) if a.school is not None and a.school.key in schools]
    visited = {a.school.key for a in held if a.school is not None}
    missing = [s for k, s in sorted(schools.items()) if k not in visited]
    value = len(schools) - len(missing)
    parts: list[Text] = [
        _(
            "%(period)s: activities held at %(value)s of the %(target)s member schools",
            period=period_name(period),
            value=value,
            target=len(schools),
        )
    ]
    if missing:
        parts.append(_("none at %(schools)s", schools=[s.name for s in missing]))
    if unknown:
        parts.append(_("school not recorded for %(names)s", names=names(unknown)))
    ok = not missing and not unknown
    return Criterion(rule_id, status_of(ok), BASIS[rule_id], joined(parts), value, len(schools), counted=counted(held))


# 第七条第7项 (工作坊) 成员要在市级或区域内做一次经验分享 — per cycle, every member
def member_sharing(facts: StudioFacts, period: Period) -> tuple[Criterion, dict[str, Criterion]]:
    rule_id = "sy.task.member_sharing"
    per_person: dict[str, Criterion] = {}
    for m in active_members(facts, period.end):
        shared = [
            a
            for a in facts.activities_in(period, ("experience_sharing",))
            if m.person.key in a.led_by and level_rank(a.scope) >= level_rank("county")
        ]
        n = len(shared)
        per_person[m.person.key] = Criterion(
            rule_id,
            status_of(n >= 1),
            BASIS[rule_id],
            _(
                "%(name)s: %(value)s experience sharing sessions at municipal or regional (county) level or above "
                "led in %(period)s, at least %(target)s required in the cycle",
                name=m.person.name,
                value=n,
                period=period_name(period),
                target=1,
            ),
            n,
            1,
            counted=counted(shared),
        )
    return combined(facts, rule_id, per_person), per_person


def combined(facts: StudioFacts, rule_id: str, per_person: dict[str, Criterion]) -> Criterion:
    """A per-person criterion reported once: met only if every person meets it (combine())."""
    status = combine(c.status for c in per_person.values())
    met = sum(1 for c in per_person.values() if c.status == Status.MET)
    parts: list[Text] = [_("%(value)s of %(target)s members meet it", value=met, target=len(per_person))]
    unmet = [facts.people[k].name for k, c in per_person.items() if c.status == Status.UNMET]
    pending = [facts.people[k].name for k, c in per_person.items() if c.status == Status.PENDING]
    if unmet:
        parts.append(_("not met: %(names)s", names=unmet))
    if pending:
        parts.append(_("pending: %(names)s", names=pending))
    return Criterion(
        rule_id,
        status,
        BASIS[rule_id],
        joined(parts),
        met,
        len(per_person),
        counted=tuple(dict.fromkeys(ref for c in per_person.values() for ref in c.counted)),
    )


def year_task_criteria(facts: StudioFacts, year: int) -> list[Criterion]:
    """The per-year (and per-school-year) tasks for the assessment of calendar ``year``."""
    kind = facts.studio.kind
    out: list[Criterion] = []
    for task in YEAR_TASKS:
        if task.kind is not None and task.kind != kind:
            out.append(_na_kind(task.id, task.kind))
        else:
            out.append(task_criterion(facts, task, task_period(facts, task, year)))
    out.append(member_schools(facts, calendar_year(year)))
    return out


def cycle_task_criteria(facts: StudioFacts, period: Period) -> tuple[list[Criterion], dict[str, Criterion]]:
    """The per-cycle tasks over ``period`` (the cycle, or the cycle so far); per-person sharing results."""
    kind = facts.studio.kind
    out: list[Criterion] = []
    for task in CYCLE_TASKS:
        if task.kind is not None and task.kind != kind:
            out.append(_na_kind(task.id, task.kind))
        else:
            out.append(task_criterion(facts, task, period))
    per_person: dict[str, Criterion] = {}
    if kind == WORKSHOP:
        sharing, per_person = member_sharing(facts, period)
        out.append(sharing)
    else:
        # 第七条第7项: "成员要在市级或区域内做一次经验分享" stands in the workshop clause (digest, decided 2026-12-01)
        out.append(
            Criterion(
                "sy.task.member_sharing",
                Status.NOT_APPLICABLE,
                BASIS["sy.task.member_sharing"],
                _(
                    "Applies to workshops only: members' experience sharing is asked in the workshop clause of "
                    "article 7 item 7"
                ),
            )
        )
    return out, per_person


def not_yet_due(criteria: list[Criterion], cyc: Period) -> list[Criterion]:
    """A per-cycle task in an annual assessment before the cycle's last year: progress only."""
    out = []
    for c in criteria:
        if c.status == Status.NOT_APPLICABLE:
            out.append(c)
            continue
        text = _("%(progress)s; checked at the end of the cycle (%(end)s)", progress=c.explanation, end=cyc.end)
        out.append(Criterion(c.id, Status.NOT_APPLICABLE, c.basis, text, c.value, c.target, c.period, c.counted))
    return out


def ordered(criteria: list[Criterion]) -> list[Criterion]:
    rank = {rule_id: i for i, rule_id in enumerate(TASK_ORDER)}
    return sorted(criteria, key=lambda c: rank.get(c.id, len(rank)))


# ---------------------------------------------------------------------------------------------
# 第十条: the host's annual assessment; grounds for disqualification 2–7


def host_disqualification(facts: StudioFacts, period: Period) -> Criterion:
    rule_id = "sy.host.disqualification"
    host = facts.host(period.end)
    events = [
        (t, d) for t, d in (host.events_between(period.start, period.end) if host else []) if t in HOST_DISQUALIFYING
    ]
    if events:
        text = _(
            "%(period)s: the host %(name)s: %(events)s",
            period=period_name(period),
            name=host.name if host else "—",
            events=[event_text(t, d) for t, d in events],
        )
    else:
        text = _("%(period)s: no ground for disqualifying the host", period=period_name(period))
    return Criterion(rule_id, status_of(not events), BASIS[rule_id], text, len(events), 0)


# ---------------------------------------------------------------------------------------------
# 第十一条: members' annual assessment and removal


@dataclass(frozen=True)
class MemberAssessment:
    result: MemberResult
    removal: Removal | None


def member_events(m: MembershipFact, end: dt.date) -> list[tuple[str, dt.date]]:
    """Events of 第十一条第1、4、5、6项 while a member, up to ``end``."""
    return [(t, d) for t, d in m.person.events if t in MEMBER_REMOVING and m.joined <= d <= end]


def member_conduct(m: MembershipFact, end: dt.date) -> Criterion:
    rule_id = "sy.member.conduct"
    events = member_events(m, end)
    if events:
        text = _("%(name)s: %(events)s", name=m.person.name, events=[event_text(t, d) for t, d in events])
        basis = "第十一条第" + "、".join(dict.fromkeys(MEMBER_REMOVING[t] for t, _d in events)) + "项"
    else:
        text = _("%(name)s: no ethics violation, transfer, inability or other violation", name=m.person.name)
        basis = BASIS[rule_id]
    return Criterion(rule_id, status_of(not events), basis, text, len(events), 0)


# 第十一条第3项 工作不积极，经常不参加活动: absent from more than the ⚙ share of the activities with a
# record for the member. An absence is what the digest's general reading says (core.rules.attendance):
# "absent", or leave approved after the activity's date; leave approved in advance never counts.
def member_absence(facts: StudioFacts, m: MembershipFact, period: Period) -> Criterion:
    rule_id = "sy.member.absence"
    ratio = Decimal(facts.param("sy.member.max_absence_ratio", period.end))
    acts: list[ActivityFact] = [a for a in facts.activities_in(period) if a.date >= m.joined]
    absent, recorded = facts.absences(m.person.key, acts)
    ok = Decimal(absent) <= ratio * recorded
    allowed = int(ratio * recorded)
    return Criterion(
        rule_id,
        status_of(ok),
        BASIS[rule_id],
        _(
            "%(name)s: absent from %(absent)s of %(recorded)s activities with an attendance record in %(period)s "
            "(leave approved in advance is not an absence, leave approved after the activity is); more than "
            "%(ratio)s means frequently absent",
            name=m.person.name,
            absent=absent,
            recorded=recorded,
            period=period_name(period),
            ratio=percent(ratio),
        ),
        absent,
        allowed,
        # the activities the member is counted absent from: the value's proof
        counted=counted(
            a for a in acts if a.status_of(m.person.key) is not None and is_unexcused_absence(a, m.person.key)
        ),
    )


# 第十一条第2项 未完成年度工作任务: the host's annual assessment of the member (第十一条), a judgement
def member_tasks(facts: StudioFacts, m: MembershipFact, period: Period) -> Criterion:
    rule_id = "sy.member.tasks"
    value = facts.attestation(rule_id, person=m.person.key, period=period.key)
    if value is None:
        text = _("%(name)s: awaiting the host's annual assessment", name=m.person.name)
    elif value:
        text = _("%(name)s: the host's annual assessment found the year's tasks completed", name=m.person.name)
    else:
        text = _("%(name)s: the host's annual assessment found the year's tasks not completed", name=m.person.name)
    return Criterion(rule_id, attestation_only(value), BASIS[rule_id], text)


def assess_member(
    facts: StudioFacts, m: MembershipFact, period: Period, criteria: list[Criterion], at_end: list[str]
) -> MemberAssessment:
    """A member's result from ``criteria``; a removal when one is unmet. ``at_end``: rule ids whose
    removal takes effect at the end of the period (the others at the event's date)."""
    grade = grade_allowing_pending(criteria, fail_unless_all_met)
    removal = None
    candidates: list[tuple[dt.date, Criterion]] = []
    for c in criteria:
        if c.status != Status.UNMET or c.id not in ("sy.member.conduct", *at_end):
            continue
        conduct = c.id == "sy.member.conduct"
        day = min(d for _t, d in member_events(m, period.end)) if conduct else period.end
        candidates.append((day, c))
    if candidates:
        day, c = min(candidates, key=lambda x: x[0])
        removal = Removal(m.person.key, c.id, c.basis, day, c.explanation)
    return MemberAssessment(MemberResult(person=m.person.key, grade=str(grade), criteria=tuple(criteria)), removal)


def assessed_members(facts: StudioFacts, period: Period) -> list[MembershipFact]:
    """Members at the end of the period who have not been removed already (a removal is final)."""
    return [m for m in active_members(facts, period.end) if not m.removed]


def member_removals(facts: StudioFacts, on: dt.date) -> list[Removal]:
    """第十一条第1、4、5、6项: a member is removed from the date of such an event."""
    out = []
    for m in facts.memberships:
        if m.role != "member" or m.removed or not m.active_on(on):
            continue
        events = member_events(m, on)
        if events:
            c = member_conduct(m, on)
            out.append(Removal(m.person.key, c.id, c.basis, min(d for _t, d in events), c.explanation))
    return out
