"""Application and eligibility (第二条、第十一条、第十二条), each rule beside its article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from mingshi.jurisdiction import (
    AwardFact,
    Criterion,
    Evaluation,
    Grade,
    MemberResult,
    MembershipFact,
    PersonFact,
    Status,
    StudioFacts,
    add_years,
    attestation_only,
    combine,
    counted,
    grade_allowing_pending,
    level_at_least,
    title_at_least,
)

from .i18n import _
from .words import COMPETITIONS, FINDINGS, LEVELS, RANKS, STAGES, TITLES, host_on, label, members_on, number

#: 第十一条: 普通中小学、中等职业学校
ELIGIBLE_STAGES = ("primary", "secondary", "vocational")
#: 第十二条(一)1: 面积不低于50平方米，室内高度不低于2.7米，可同时容纳10人以上
MIN_AREA_M2 = Decimal("50")
MIN_HEIGHT_M = Decimal("2.7")
MIN_CAPACITY = 10
#: 第十二条(二)3 and (三)2: 近五年内
AWARD_WINDOW_YEARS = 5
#: 省青少年科技创新大赛 / 省青少年机器人竞赛 (host) and their county editions (members)
AWARD_COMPETITIONS = ("sci_tech_innovation", "robotics")
HOST_AWARD_LEVEL = "provincial"
HOST_AWARD_RANKS = ("first",)
MEMBER_AWARD_MIN_LEVEL = "county"
MEMBER_AWARD_RANKS = ("first", "second")
#: 第十二条(二)2
HOST_MIN_TITLE = "intermediate"
HOST_HONORS = ("municipal_subject_leader", "municipal_outstanding_expert")
#: 第十二条(三)1
MEMBER_MIN_BACKBONE = "county"

APPLICATION = "application"


def _attested(facts: StudioFacts, rule_id: str, person: str | None = None) -> bool | None:
    value = facts.attestation(rule_id, person=person, period=APPLICATION)
    if value is None and person is not None:
        # a judgement recorded for the whole team stands for each member
        value = facts.attestation(rule_id, period=APPLICATION)
    return value


# 第十一条 申报工作面向我市范围内的所有普通中小学、中等职业学校。
def school_rule(facts: StudioFacts, host: PersonFact | None) -> Criterion:
    rule, basis = "lyg.apply.school", "第十一条"
    school = host.school if host else None
    if school is None or school.stage is None:
        # the stage is not recorded: a reviewer confirms it (pending until then)
        found = facts.attestation(rule, period=APPLICATION)
        name = school.name if school else None
        status = attestation_only(found)
        if name is None:
            text = _(
                "The host's school is not recorded; whether it is an ordinary primary or secondary school or a "
                "secondary vocational school: %(finding)s",
                finding=FINDINGS[found],
            )
        else:
            text = _(
                "The stage of the host's school %(school)s is not recorded; whether it is an ordinary primary or "
                "secondary school or a secondary vocational school: %(finding)s",
                school=name,
                finding=FINDINGS[found],
            )
        return Criterion(rule, status, basis, text, value=None, target=list(ELIGIBLE_STAGES))
    ok = school.stage in ELIGIBLE_STAGES
    if ok:
        text = _(
            "The host's school %(school)s is a %(stage)s, which may apply",
            school=school.name,
            stage=label(STAGES, school.stage),
        )
    else:
        text = _(
            "The host's school %(school)s is a %(stage)s; only ordinary primary and secondary schools and "
            "secondary vocational schools may apply",
            school=school.name,
            stage=label(STAGES, school.stage),
        )
    return Criterion(
        rule, Status.MET if ok else Status.UNMET, basis, text, value=school.stage, target=list(ELIGIBLE_STAGES)
    )


# 第十二条(一)1 工作室面积不低于50平方米，室内高度不低于2.7米，可同时容纳10人以上开展科技教学活动
def site_rules(facts: StudioFacts) -> list[Criterion]:
    basis = "第十二条(一)1"
    studio = facts.studio
    out: list[Criterion] = []
    area = None if studio.site_area_m2 is None else Decimal(str(studio.site_area_m2))
    if area is None:
        text = _("Studio room area not recorded; at least %(target)s m² required", target=number(MIN_AREA_M2))
    else:
        text = _(
            "Studio room area %(value)s m², at least %(target)s m² required",
            value=number(area),
            target=number(MIN_AREA_M2),
        )
    out.append(
        Criterion(
            "lyg.site.area",
            Status.MET if area is not None and area >= MIN_AREA_M2 else Status.UNMET,
            basis,
            text,
            value=area,
            target=MIN_AREA_M2,
        )
    )
    height = None if studio.site_height_m is None else Decimal(str(studio.site_height_m))
    if height is None:
        text = _("Ceiling height not recorded; at least %(target)s m required", target=number(MIN_HEIGHT_M))
    else:
        text = _(
            "Ceiling height %(value)s m, at least %(target)s m required",
            value=number(height),
            target=number(MIN_HEIGHT_M),
        )
    out.append(
        Criterion(
            "lyg.site.height",
            Status.MET if height is not None and height >= MIN_HEIGHT_M else Status.UNMET,
            basis,
            text,
            value=height,
            target=MIN_HEIGHT_M,
        )
    )
    capacity = studio.site_capacity
    if capacity is None:
        text = _(
            "Room capacity not recorded; room for at least %(target)s people at a time required", target=MIN_CAPACITY
        )
    else:
        # “10人以上” includes 10
        text = _(
            "The room holds %(value)s people at a time, at least %(target)s required",
            value=capacity,
            target=MIN_CAPACITY,
        )
    out.append(
        Criterion(
            "lyg.site.capacity",
            Status.MET if capacity is not None and capacity >= MIN_CAPACITY else Status.UNMET,
            basis,
            text,
            value=capacity,
            target=MIN_CAPACITY,
        )
    )
    # 第十二条(一)2 场地设施安全，采光、通风设施良好，符合国家建设环保和《消防规范》要求，有可使用的公共卫生设施
    found = _attested(facts, "lyg.site.safety")
    out.append(
        Criterion(
            "lyg.site.safety",
            attestation_only(found),
            "第十二条(一)2",
            _(
                "Safe site with good lighting and ventilation, meeting building, environmental and fire codes, with "
                "toilets available: %(finding)s",
                finding=FINDINGS[found],
            ),
        )
    )
    # 第十二条(一)3 配有开展活动所需的设备和教材
    found = _attested(facts, "lyg.site.equipment")
    out.append(
        Criterion(
            "lyg.site.equipment",
            attestation_only(found),
            "第十二条(一)3",
            _("Equipment and teaching materials needed for the activities: %(finding)s", finding=FINDINGS[found]),
        )
    )
    return out


def _window(on: dt.date) -> tuple[dt.date, dt.date]:
    """近五年内: [D − 5 years, D], both ends included."""
    return add_years(on, -AWARD_WINDOW_YEARS), on


def _awards_of(facts: StudioFacts, person: str, on: dt.date) -> list[AwardFact]:
    start, end = _window(on)
    return [a for a in facts.awards_between(start, end) if a.first_instructor == person]


def host_rules(facts: StudioFacts, host: PersonFact | None, on: dt.date) -> list[Criterion]:
    out: list[Criterion] = []
    start, end = _window(on)
    if host is None:
        missing = _("No host is recorded as of %(date)s", date=on)
        for rule, basis in (
            ("lyg.host.ethics", "第十二条(二)1"),
            ("lyg.host.qualification", "第十二条(二)2"),
            ("lyg.host.award", "第十二条(二)3"),
            ("lyg.host.ability", "第十二条(二)4"),
        ):
            out.append(Criterion(rule, Status.UNMET, basis, missing))
        return out
    # 第十二条(二)1 拥护中国共产党的领导……在开展科技教育、科技竞赛方面有一定的做法和经验
    found = _attested(facts, "lyg.host.ethics")
    out.append(
        Criterion(
            "lyg.host.ethics",
            attestation_only(found),
            "第十二条(二)1",
            _(
                "Host %(name)s: political stance, professional ethics, dedication, and experience in science education "
                "and contests: %(finding)s",
                name=host.name,
                finding=FINDINGS[found],
            ),
        )
    )

    # 第十二条(二)2 中级及以上专业技术职称、市级学科带头人、市级有突出贡献的优秀专家 (any one suffices)
    held = []
    if title_at_least(host.title, HOST_MIN_TITLE):
        held.append(_("a %(title)s title", title=label(TITLES, host.title)))
    if "municipal_subject_leader" in host.honors:
        held.append(_("municipal subject leader"))
    if "municipal_outstanding_expert" in host.honors:
        held.append(_("municipal expert with outstanding contributions"))
    if held:
        text = _(
            "Host %(name)s: %(held)s; an intermediate or higher title, municipal subject leader or municipal "
            "outstanding expert is required (any one)",
            name=host.name,
            held=held,
        )
    else:
        text = _(
            "Host %(name)s has a title of %(title)s and neither honor; an intermediate or higher title, municipal "
            "subject leader or municipal outstanding expert is required (any one)",
            name=host.name,
            title=label(TITLES, host.title),
        )
    out.append(
        Criterion(
            "lyg.host.qualification",
            Status.MET if held else Status.UNMET,
            "第十二条(二)2",
            text,
            value=host.title,
            target=HOST_MIN_TITLE,
        )
    )

    # 第十二条(二)3 近五年内作为第一指导教师指导学生在省青少年科技创新大赛或省青少年机器人竞赛中获得一等奖
    qualifying = [
        a
        for a in _awards_of(facts, host.key, on)
        if a.competition in AWARD_COMPETITIONS and a.level == HOST_AWARD_LEVEL and a.rank in HOST_AWARD_RANKS
    ]
    if qualifying:
        best = qualifying[-1]
        text = _(
            "Host %(name)s was first instructor of a first prize at the provincial %(competition)s on %(date)s, "
            "within the %(years)s years from %(start)s to %(end)s",
            name=host.name,
            competition=label(COMPETITIONS, best.competition),
            date=best.date,
            years=AWARD_WINDOW_YEARS,
            start=start,
            end=end,
        )
    else:
        text = _(
            "Host %(name)s was not first instructor of any first prize at the provincial youth science and "
            "technology innovation contest or robotics competition from %(start)s to %(end)s (%(years)s years)",
            name=host.name,
            start=start,
            end=end,
            years=AWARD_WINDOW_YEARS,
        )
    out.append(
        Criterion(
            "lyg.host.award",
            Status.MET if qualifying else Status.UNMET,
            "第十二条(二)3",
            text,
            value=len(qualifying),
            target=1,
            counted=counted(qualifying),
        )
    )

    # 第十二条(二)4 具有较强的专业引领、培训指导和组织协调能力，能够承担工作室的相应职责任务
    found = _attested(facts, "lyg.host.ability")
    out.append(
        Criterion(
            "lyg.host.ability",
            attestation_only(found),
            "第十二条(二)4",
            _(
                "Host %(name)s: ability to lead, train and coordinate and to carry out the studio's duties: "
                "%(finding)s",
                name=host.name,
                finding=FINDINGS[found],
            ),
        )
    )
    return out


def _member_criteria(facts: StudioFacts, ms: MembershipFact, on: dt.date) -> tuple[Criterion, ...]:
    person = ms.person
    start, end = _window(on)
    # 第十二条(三)1 县（区）级及以上热心于科技教育事业的骨干教师担任
    level = person.backbone_level_on(on)
    ok = level_at_least(level, MEMBER_MIN_BACKBONE)
    if ok:
        text = _(
            "%(name)s is a backbone teacher at %(level)s level; county level or above required",
            name=person.name,
            level=label(LEVELS, level),
        )
    elif level is None:
        text = _("%(name)s holds no backbone designation; county level or above required", name=person.name)
    else:
        text = _(
            "%(name)s is a backbone teacher at %(level)s level only; county level or above required",
            name=person.name,
            level=label(LEVELS, level),
        )
    backbone = Criterion(
        "lyg.member.backbone",
        Status.MET if ok else Status.UNMET,
        "第十二条(三)1",
        text,
        value=level,
        target=MEMBER_MIN_BACKBONE,
    )

    # 第十二条(三)2 近五年内作为第一指导教师指导学生在县（区）级青少年科技创新大赛或青少年机器人竞赛中获得二等奖以上
    qualifying = [
        a
        for a in _awards_of(facts, person.key, on)
        if a.competition in AWARD_COMPETITIONS
        and level_at_least(a.level, MEMBER_AWARD_MIN_LEVEL)
        and a.rank in MEMBER_AWARD_RANKS
    ]
    if qualifying:
        best = qualifying[-1]
        text = _(
            "%(name)s was first instructor of a %(rank)s at %(level)s level in the %(competition)s on %(date)s, "
            "within the %(years)s years from %(start)s to %(end)s",
            name=person.name,
            rank=label(RANKS, best.rank),
            level=label(LEVELS, best.level),
            competition=label(COMPETITIONS, best.competition),
            date=best.date,
            years=AWARD_WINDOW_YEARS,
            start=start,
            end=end,
        )
    else:
        text = _(
            "%(name)s was not first instructor of any second prize or better at county level or above in the "
            "youth science and technology innovation contest or robotics competition from %(start)s to %(end)s",
            name=person.name,
            start=start,
            end=end,
        )
    award = Criterion(
        "lyg.member.award",
        Status.MET if qualifying else Status.UNMET,
        "第十二条(三)2",
        text,
        value=len(qualifying),
        target=1,
        counted=counted(qualifying),
    )

    # 第十二条(三)3 具备较强的团队合作精神，能够承担相应的职责任务
    found = _attested(facts, "lyg.member.teamwork", person=person.key)
    teamwork = Criterion(
        "lyg.member.teamwork",
        attestation_only(found),
        "第十二条(三)3",
        _(
            "%(name)s: team spirit and ability to carry out the duties: %(finding)s",
            name=person.name,
            finding=FINDINGS[found],
        ),
    )
    return backbone, award, teamwork


def _count(statuses: list[Status], status: Status) -> int:
    return sum(1 for s in statuses if s == status)


def member_rules(facts: StudioFacts, on: dt.date) -> tuple[list[Criterion], list[MemberResult]]:
    """Per-person criteria: once in ``criteria`` (combined), each person's detail in ``members``."""
    results: list[MemberResult] = []
    by_rule: dict[str, list[Status]] = {"lyg.member.backbone": [], "lyg.member.award": [], "lyg.member.teamwork": []}
    for ms in members_on(facts, on):
        criteria = _member_criteria(facts, ms, on)
        for c in criteria:
            by_rule[c.id].append(c.status)
        results.append(MemberResult(person=ms.person.key, criteria=criteria))
    out: list[Criterion] = []
    s = by_rule["lyg.member.backbone"]
    out.append(
        Criterion(
            "lyg.member.backbone",
            combine(s),
            "第十二条(三)1",
            _(
                "%(met)s of %(total)s members are backbone teachers at county level or above; every member must be",
                met=_count(s, Status.MET),
                total=len(s),
            ),
            value=_count(s, Status.MET),
            target=len(s),
        )
    )
    s = by_rule["lyg.member.award"]
    out.append(
        Criterion(
            "lyg.member.award",
            combine(s),
            "第十二条(三)2",
            _(
                "%(met)s of %(total)s members were first instructor of a second prize or better at county level or "
                "above in the innovation or robotics contest within %(years)s years; every member must be",
                met=_count(s, Status.MET),
                total=len(s),
                years=AWARD_WINDOW_YEARS,
            ),
            value=_count(s, Status.MET),
            target=len(s),
        )
    )
    s = by_rule["lyg.member.teamwork"]
    out.append(
        Criterion(
            "lyg.member.teamwork",
            combine(s),
            "第十二条(三)3",
            _(
                "Team spirit of the %(total)s members: %(met)s confirmed, %(unmet)s not confirmed, "
                "%(pending)s awaiting a reviewer's judgement",
                total=len(s),
                met=_count(s, Status.MET),
                unmet=_count(s, Status.UNMET),
                pending=_count(s, Status.PENDING),
            ),
            value=_count(s, Status.MET),
            target=len(s),
        )
    )
    return out, results


# 第二条 每个工作室可遴选1名主持人，培养骨干成员10名左右 — advisory only
def team_size_rule(facts: StudioFacts, on: dt.date) -> Criterion:
    low, high = int(facts.param("lyg.team.advisory_min", on)), int(facts.param("lyg.team.advisory_max", on))
    n = len(members_on(facts, on))
    if low <= n <= high:
        return Criterion(
            "lyg.team.size",
            Status.MET,
            "第二条",
            _("%(value)s backbone members; about 10 expected (%(min)s to %(max)s)", value=n, min=low, max=high),
            value=n,
            target=[low, high],
        )
    return Criterion(
        "lyg.team.size",
        Status.NOTICE,
        "第二条",
        _(
            "%(value)s backbone members, outside %(min)s to %(max)s (“about 10”); a notice, not a refusal",
            value=n,
            min=low,
            max=high,
        ),
        value=n,
        target=[low, high],
    )


def _grade(statuses: Mapping[str, Status]) -> Grade:
    return Grade.FAIL if any(s == Status.UNMET for s in statuses.values()) else Grade.PASS


def check_application(facts: StudioFacts, on: dt.date) -> Evaluation:
    """Eligibility as of ``on``: school, site, host, members and team size."""
    host_ms = host_on(facts, on)
    host = host_ms.person if host_ms else None
    criteria = [school_rule(facts, host), *site_rules(facts), *host_rules(facts, host, on)]
    member_criteria, members = member_rules(facts, on)
    criteria.extend(member_criteria)
    criteria.append(team_size_rule(facts, on))
    grade = grade_allowing_pending(criteria, _grade)
    return Evaluation(grade=grade, criteria=criteria, members=members)
