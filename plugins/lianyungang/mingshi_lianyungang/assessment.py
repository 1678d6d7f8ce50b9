"""Annual and end-of-cycle assessment (第四条、第十六条—第十八条、第二十二条), each criterion beside its article.

The ten standards of 第十六条 are counted over the assessed period: the calendar year for the annual
assessment, the whole management cycle for the end-of-cycle one (第四条 年度绩效考核和期满绩效考核).
The standards that the text states "每年" (c8, c9) must reach their yearly number in every cycle year in
a cycle assessment, and c10 asks for matching funds in every subsidised year of the cycle (digest, decided
2026-12-01: the text sets no other standard for the end of the cycle; the annual results do not enter it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from mingshi.jurisdiction import (
    AwardFact,
    Consequence,
    Criterion,
    Evaluation,
    Grade,
    Period,
    Status,
    StudioFacts,
    Text,
    calendar_year,
    count_met,
    counted,
    grade_allowing_pending,
    status_of,
    with_attestation,
)

from .i18n import _
from .words import (
    COMPETITIONS,
    FINDINGS,
    ROLES,
    attestation_key,
    budget_years,
    current,
    host_on,
    members_on,
    names,
    period_label,
    yuan,
)

#: 第十六条 以上标准满足6条及以上即为考核“合格”，满足9条及以上即为考核“优秀”
PASS_MIN, EXCELLENT_MIN = 6, 9
CRITERIA = tuple(f"lyg.assess.c{i}" for i in range(1, 11))

#: (一) contests led by 中国科协、教育部 other than those named in (二)
C1_COMPETITIONS = ("sci_tech_innovation", "robotics", "computer_production", "other")
C1_LEVEL = "national"
#: (二) 全国青少年创意编程与智能设计大赛、青少年科学调查体验竞赛、全国青少年科学影像大赛
C2_COMPETITIONS = ("creative_programming", "science_survey", "science_film")
C2_LEVEL = "national"
#: (三) 至少1项
C3_TYPES = ("youth_science_program",)
C3_MIN = 1
#: (四) 省青少年科技创新大赛、省机器人大赛、电脑制作活动: 一等奖2项或省二等奖4项以上
C4_COMPETITIONS = ("sci_tech_innovation", "robotics", "computer_production")
C4_LEVEL = "provincial"
C4_MIN_FIRST, C4_MIN_FIRST_OR_SECOND = 2, 4
#: (五) 薄弱学校不少于2所
C5_TYPES = ("assist_school",)
C5_MIN_SCHOOLS = 2
#: (六) 科普周、科普日或承办科技竞赛活动
C6_TYPES = ("science_popularization", "competition_hosting")
C6_MIN = 1
#: (七) 市级青少年科技创新大赛
C7_COMPETITION, C7_LEVEL, C7_MIN = "sci_tech_innovation", "municipal", 1
#: (八) 每年 … 不少于2场次
C8_TYPES = ("training",)
C8_PER_YEAR = 2
#: (九) 每年新增骨干成员3名
C9_PER_YEAR = 3


def _awards(facts: StudioFacts, period: Period) -> list[AwardFact]:
    """Awards that count for the studio: first instructor is the host or a member on the award date."""
    return facts.studio_awards_between(period.start, period.end)


# 第十六条(一) 在由中国科协、教育部等牵头组织的科技比赛中获奖
def c1(facts: StudioFacts, period: Period) -> Criterion:
    won = [a for a in _awards(facts, period) if a.level == C1_LEVEL and a.competition in C1_COMPETITIONS]
    return Criterion(
        "lyg.assess.c1",
        status_of(len(won) >= 1),
        "第十六条(一)",
        _(
            "%(period)s: %(value)s national awards in contests led by CAST or the Ministry of Education (innovation, "
            "robotics, computer production and others not named in item 2) with the host or a member as first "
            "instructor, at least %(target)s required",
            period=period_label(period),
            value=len(won),
            target=1,
        ),
        value=len(won),
        target=1,
        counted=counted(won),
    )


# 第十六条(二) 在全国青少年创意编程与智能设计大赛、青少年科学调查体验竞赛、全国青少年科学影像大赛中获奖
def c2(facts: StudioFacts, period: Period) -> Criterion:
    won = [a for a in _awards(facts, period) if a.level == C2_LEVEL and a.competition in C2_COMPETITIONS]
    return Criterion(
        "lyg.assess.c2",
        status_of(len(won) >= 1),
        "第十六条(二)",
        _(
            "%(period)s: %(value)s awards at the national %(competitions)s with the host or a member as first "
            "instructor, at least %(target)s required",
            period=period_label(period),
            value=len(won),
            target=1,
            competitions=[COMPETITIONS[c] for c in C2_COMPETITIONS],
        ),
        value=len(won),
        target=1,
        counted=counted(won),
    )


# 第十六条(三) 参加高校科学营、中学生英才计划、科学调查体验活动、科学影像节、创意编程（人工智能）大赛等
#             青少年科技类活动（至少1项）
def c3(facts: StudioFacts, period: Period) -> Criterion:
    held = facts.activities_in(period, C3_TYPES)
    n = len(held)
    return Criterion(
        "lyg.assess.c3",
        status_of(n >= C3_MIN),
        "第十六条(三)",
        _(
            "%(period)s: took part in %(value)s youth science programmes (university science camps, Youth Talent "
            "Plan, science survey, science film festival, creative programming contest), at least %(target)s required",
            period=period_label(period),
            value=n,
            target=C3_MIN,
        ),
        value=n,
        target=C3_MIN,
        counted=counted(held),
    )


# 第十六条(四) 在省青少年科技创新大赛、省机器人大赛、电脑制作活动中获得一等奖2项或省二等奖4项以上
# (decision: a first prize also counts toward the 4 second prizes)
def c4(facts: StudioFacts, period: Period) -> Criterion:
    won = [a for a in _awards(facts, period) if a.level == C4_LEVEL and a.competition in C4_COMPETITIONS]
    first = sum(1 for a in won if a.rank == "first")
    second = sum(1 for a in won if a.rank == "second")
    ok = first >= C4_MIN_FIRST or first + second >= C4_MIN_FIRST_OR_SECOND
    return Criterion(
        "lyg.assess.c4",
        status_of(ok),
        "第十六条(四)",
        _(
            "%(period)s: %(first)s first prizes and %(second)s second prizes at the provincial innovation, robotics "
            "and computer production contests; required: at least %(need_first)s first prizes, or at least "
            "%(need_any)s first and second prizes together",
            period=period_label(period),
            first=first,
            second=second,
            need_first=C4_MIN_FIRST,
            need_any=C4_MIN_FIRST_OR_SECOND,
        ),
        value={"first": first, "first_or_second": first + second},
        target={"first": C4_MIN_FIRST, "first_or_second": C4_MIN_FIRST_OR_SECOND},
        counted=counted(a for a in won if a.rank in ("first", "second")),
    )


# 第十六条(五) 建立科技教育和科普资源共享机制，联系、协助科技教育薄弱学校不少于2所，并取得明显成效
def c5(facts: StudioFacts, period: Period, kind: str) -> Criterion:
    schools: dict[str, str] = {}
    assisted = [a for a in facts.activities_in(period, C5_TYPES) if a.school is not None]
    for a in assisted:
        if a.school is not None:
            schools.setdefault(a.school.key, a.school.name)
    n = len(schools)
    measurable = n >= C5_MIN_SCHOOLS
    found = facts.attestation("lyg.assess.c5", period=attestation_key(period, kind))
    if measurable:
        text = _(
            "%(period)s: assisted %(value)s weak schools (%(schools)s), at least %(target)s required; evident "
            "results: %(finding)s",
            period=period_label(period),
            value=n,
            schools=names(list(schools.values())),
            target=C5_MIN_SCHOOLS,
            finding=FINDINGS[found],
        )
    else:
        text = _(
            "%(period)s: assisted %(value)s weak schools (%(schools)s), at least %(target)s required",
            period=period_label(period),
            value=n,
            schools=names(list(schools.values())),
            target=C5_MIN_SCHOOLS,
        )
    return Criterion(
        "lyg.assess.c5",
        with_attestation(measurable, found),
        "第十六条(五)",
        text,
        value=n,
        target=C5_MIN_SCHOOLS,
        counted=counted(assisted),
    )


# 第十六条(六) 积极参加市、县（区）科协举办的科普周、科普日或承办科技竞赛活动
def c6(facts: StudioFacts, period: Period) -> Criterion:
    held = facts.activities_in(period, C6_TYPES)
    n = len(held)
    return Criterion(
        "lyg.assess.c6",
        status_of(n >= C6_MIN),
        "第十六条(六)",
        _(
            "%(period)s: %(value)s science popularisation weeks or days joined or science contests hosted, at least "
            "%(target)s required",
            period=period_label(period),
            value=n,
            target=C6_MIN,
        ),
        value=n,
        target=C6_MIN,
        counted=counted(held),
    )


# 第十六条(七) 主持人及成员作为第一指导老师指导学生参加市级青少年科技创新大赛获奖数量和质量有水平
def c7(facts: StudioFacts, period: Period, kind: str) -> Criterion:
    won = [a for a in _awards(facts, period) if a.competition == C7_COMPETITION and a.level == C7_LEVEL]
    n = len(won)
    measurable = n >= C7_MIN
    found = facts.attestation("lyg.assess.c7", period=attestation_key(period, kind))
    if measurable:
        text = _(
            "%(period)s: %(value)s awards at the municipal youth science and technology innovation contest with the "
            "host or a member as first instructor, at least %(target)s required; number and quality at a good "
            "level: %(finding)s",
            period=period_label(period),
            value=n,
            target=C7_MIN,
            finding=FINDINGS[found],
        )
    else:
        text = _(
            "%(period)s: %(value)s awards at the municipal youth science and technology innovation contest with the "
            "host or a member as first instructor, at least %(target)s required",
            period=period_label(period),
            value=n,
            target=C7_MIN,
        )
    return Criterion(
        "lyg.assess.c7",
        with_attestation(measurable, found),
        "第十六条(七)",
        text,
        value=n,
        target=C7_MIN,
        counted=counted(won),
    )


def cycle_years_of(facts: StudioFacts, period: Period) -> list[Period]:
    """The cycle years a "每年" standard is checked in at the end of the cycle: the calendar years the city
    subsidises (the year of the plaque and the following ones, as the annual assessments count them), or the
    calendar years of the period when the cycle start is not recorded."""
    years = budget_years(facts) or list(range(period.start.year, period.end.year + 1))
    return [calendar_year(y) for y in years]


def trainings_per_year(rows: list[tuple[Period, int]]) -> list[Text]:
    return [_("%(year)s: %(count)s trainings", year=p.key, count=n) for p, n in rows]


def new_members_per_year(rows: list[tuple[Period, int]]) -> list[Text]:
    return [_("%(year)s: %(count)s new members", year=p.key, count=n) for p, n in rows]


def _trainings(facts: StudioFacts, period: Period) -> int:
    return len(facts.activities_in(period, C8_TYPES))


def _training_records(facts: StudioFacts, periods: list[Period]) -> tuple[str, ...]:
    return counted(*(facts.activities_in(p, C8_TYPES) for p in periods))


# 第十六条(八) 每年开展科技辅导员专题技能培训不少于2场次 — in a cycle assessment, 2 in every cycle year
# (第四条 期满绩效考核: the same ten criteria over the cycle; digest, decided 2026-12-01)
def c8(facts: StudioFacts, period: Period, kind: str) -> Criterion:
    if kind == "cycle":
        rows = [(y, _trainings(facts, y)) for y in cycle_years_of(facts, period)]
        short = [y.key for y, n in rows if n < C8_PER_YEAR]
        text = _(
            "%(period)s: skills trainings for science instructors held in each cycle year: %(detail)s; at least "
            "%(per_year)s required in every year (years short: %(short)s)",
            period=period_label(period),
            detail=trainings_per_year(rows),
            per_year=C8_PER_YEAR,
            short=names(short),
        )
        met = len(rows) - len(short)
        return Criterion(
            "lyg.assess.c8",
            status_of(bool(rows) and not short),
            "第十六条(八)",
            text,
            value=met,
            target=len(rows),
            counted=_training_records(facts, [y for y, _n in rows]),
        )
    n = _trainings(facts, period)
    text = _(
        "%(period)s: %(value)s skills trainings for science instructors held, at least %(target)s required",
        period=period_label(period),
        value=n,
        target=C8_PER_YEAR,
    )
    return Criterion(
        "lyg.assess.c8",
        status_of(n >= C8_PER_YEAR),
        "第十六条(八)",
        text,
        value=n,
        target=C8_PER_YEAR,
        counted=_training_records(facts, [period]),
    )


def new_members(facts: StudioFacts, period: Period) -> list[str]:
    """Names of the backbone members added in ``period`` (每年新增骨干成员; digest, decided 2026-12-01): members
    whose first joining of this studio (in any role) falls in the period and after the cycle start (the
    founding team joins on it), and who are still members at the period's end (12-31 for a year)."""
    start = facts.studio.cycle_start
    first_joined: dict[str, dt.date] = {}
    for m in facts.memberships:
        key = m.person.key
        first_joined[key] = min(first_joined.get(key, m.joined), m.joined)
    found: dict[str, str] = {}
    for m in facts.memberships:
        key = m.person.key
        if (
            m.role == "member"
            and m.joined in period
            and (start is None or m.joined > start)
            and first_joined[key] == m.joined
            and current(m, period.end)
        ):
            found.setdefault(key, m.person.name)
    return list(found.values())


# 第十六条(九) 每年新增骨干成员3名 — in a cycle assessment, 3 in every cycle year
def c9(facts: StudioFacts, period: Period, kind: str) -> Criterion:
    if kind == "cycle":
        rows = [(y, new_members(facts, y)) for y in cycle_years_of(facts, period)]
        short = [y.key for y, added in rows if len(added) < C9_PER_YEAR]
        text = _(
            "%(period)s: new backbone members who first joined in each cycle year (after the cycle start) and "
            "were still members on its 12-31: %(detail)s; %(per_year)s required in every year (years short: "
            "%(short)s)",
            period=period_label(period),
            detail=new_members_per_year([(y, len(added)) for y, added in rows]),
            per_year=C9_PER_YEAR,
            short=names(short),
        )
        met = len(rows) - len(short)
        return Criterion(
            "lyg.assess.c9", status_of(bool(rows) and not short), "第十六条(九)", text, value=met, target=len(rows)
        )
    added = new_members(facts, period)
    n = len(added)
    text = _(
        "%(period)s: %(value)s new backbone members who first joined the studio in the period (after the cycle "
        "start) and were still members on %(end)s (%(names)s), %(target)s required",
        period=period_label(period),
        end=period.end,
        value=n,
        names=names(added),
        target=C9_PER_YEAR,
    )
    return Criterion("lyg.assess.c9", status_of(n >= C9_PER_YEAR), "第十六条(九)", text, value=n, target=C9_PER_YEAR)


# 第十六条(十) 工作室所在单位须有相应的经费保障，保证工作室正常运行 (decision: matching funds > 0)
def c10(facts: StudioFacts, period: Period, kind: str) -> Criterion:
    if kind == "cycle":
        years = budget_years(facts)
        funded = [y for y in years if facts.studio.matching_funds_in(y) > 0]
        missing = [y for y in years if y not in funded]
        return Criterion(
            "lyg.assess.c10",
            status_of(bool(years) and not missing),
            "第十六条(十)",
            _(
                "Matching funds from the host school recorded for %(value)s of the %(target)s subsidised years; "
                "every year needs some (years without: %(missing)s)",
                value=len(funded),
                target=len(years),
                missing=names(missing),
            ),
            value=len(funded),
            target=len(years),
            # the allocations of the years that had some: what the number counted
            counted=facts.studio.matching_records_in(*funded),
        )
    years_in = sorted({period.start.year, period.end.year})
    fen = sum(facts.studio.matching_funds_in(y) for y in years_in)
    return Criterion(
        "lyg.assess.c10",
        status_of(fen > 0),
        "第十六条(十)",
        _(
            "%(period)s: matching funds from the host school ¥%(amount)s, more than ¥0 required",
            period=period_label(period),
            amount=yuan(fen),
        ),
        value=yuan(fen),
        target="0.00",
        counted=facts.studio.matching_records_in(*years_in),
    )


def criteria(facts: StudioFacts, period: Period, kind: str) -> list[Criterion]:
    """The ten standards of 第十六条 over ``period``."""
    return [
        c1(facts, period),
        c2(facts, period),
        c3(facts, period),
        c4(facts, period),
        c5(facts, period, kind),
        c6(facts, period),
        c7(facts, period, kind),
        c8(facts, period, kind),
        c9(facts, period, kind),
        c10(facts, period, kind),
    ]


def grade_of(statuses: Mapping[str, Status]) -> Grade:
    """第十六条: ≥ 9 met 优秀, ≥ 6 met 合格, else 不合格."""
    met = count_met(statuses, CRITERIA)
    if met >= EXCELLENT_MIN:
        return Grade.EXCELLENT
    if met >= PASS_MIN:
        return Grade.PASS
    return Grade.FAIL


# 第二十条 工作室在挂牌后一周内报送工作室年度经费开支预算报告 — advisory; the plaque is the cycle start
def budget_report(facts: StudioFacts) -> Criterion | None:
    start = facts.studio.cycle_start
    if start is None:
        return None
    days = int(facts.param("lyg.budget_due_days", on=start))
    due = start + dt.timedelta(days=days)
    submitted = sorted((o for o in facts.outputs if o.type == "budget_report"), key=lambda o: o.date)
    reports = [o.date for o in submitted]
    proof = counted(submitted[:1])
    if reports and reports[0] <= due:
        return Criterion(
            "lyg.budget.report",
            Status.MET,
            "第二十条",
            _(
                "Annual budget report submitted on %(date)s, due within %(days)s days of the plaque (%(start)s), by "
                "%(due)s",
                date=reports[0],
                days=days,
                start=start,
                due=due,
            ),
            value=reports[0],
            target=due,
            counted=proof,
        )
    if reports:
        text = _(
            "Annual budget report submitted on %(date)s, after %(due)s (%(days)s days after the plaque on "
            "%(start)s); a notice",
            date=reports[0],
            due=due,
            days=days,
            start=start,
        )
    else:
        text = _(
            "No annual budget report recorded; due within %(days)s days of the plaque (%(start)s), by "
            "%(due)s; a notice",
            days=days,
            start=start,
            due=due,
        )
    return Criterion(
        "lyg.budget.report",
        Status.NOTICE,
        "第二十条",
        text,
        value=reports[0] if reports else None,
        target=due,
        counted=proof,
    )


def _consequences(facts: StudioFacts, period: Period, kind: str, grade: Grade) -> list[Consequence]:
    out: list[Consequence] = []
    year = int(period.key) if kind == "annual" and period.kind == "year" else None
    if grade == Grade.EXCELLENT:
        # 第十八条 考核结果为“优秀”的工作室，其导师及骨干成员在各级评优选先、职称评定项目中，同等条件下予以优先推荐
        people = []
        host = host_on(facts, period.end)
        if host is not None:
            people.append(host)
        people.extend(members_on(facts, period.end))
        for m in people:
            out.append(
                Consequence(
                    "priority_recommendation",
                    "lyg.assess.priority",
                    "第十八条",
                    _(
                        "%(name)s (%(role)s): studio graded excellent; recommended first, other things being equal, "
                        "in merit selections and professional title evaluations at every level",
                        name=m.person.name,
                        role=ROLES.get(m.role, m.role),
                    ),
                    year=year,
                    person=m.person.key,
                )
            )
    if grade == Grade.FAIL and year is not None:
        # 第二十二条 工作室年度考核不合格的，次年不再拨付补助资金
        out.append(
            Consequence(
                "funding_stopped",
                "lyg.funding",
                "第二十二条",
                _(
                    "The annual assessment of %(year)s is fail: no subsidy is paid for %(next)s",
                    year=year,
                    next=year + 1,
                ),
                year=year + 1,
            )
        )
    return out


def grade_for(facts: StudioFacts, period: Period, kind: str) -> tuple[Grade, list[Criterion]]:
    found = criteria(facts, period, kind)
    return grade_allowing_pending(found, grade_of), found


def assess(facts: StudioFacts, period: Period, kind: str) -> Evaluation:
    grade, found = grade_for(facts, period, kind)
    extra = budget_report(facts)
    if extra is not None and (kind == "cycle" or facts.studio.cycle_start in period):
        found.append(extra)
    return Evaluation(grade=grade, criteria=found, consequences=_consequences(facts, period, kind, grade))


def quotas(facts: StudioFacts, period: Period) -> list[Criterion]:
    """Progress on the countable standards in any period (year, semester, school year or cycle)."""
    kind = "cycle" if period.kind == "cycle" else "annual"
    countable = (
        "lyg.assess.c1",
        "lyg.assess.c2",
        "lyg.assess.c3",
        "lyg.assess.c5",
        "lyg.assess.c6",
        "lyg.assess.c7",
        "lyg.assess.c8",
        "lyg.assess.c9",
    )
    return [c for c in criteria(facts, period, kind) if c.id in countable]
