"""Wenzhou's rules (温名师办〔2021〕100号), each function beside the article it applies.

Every function is a pure function of the facts: it counts what the policy asks for and says, in a
sentence a bureau officer can check against the paper, what was counted and what was required.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from mingshi.jurisdiction import (
    Absence,
    AbsenceReason,
    ActivityFact,
    Criterion,
    MembershipFact,
    OutputFact,
    Period,
    PersonFact,
    Removal,
    SchoolFact,
    Status,
    StudioFacts,
    Text,
    attestation_only,
    combine,
    counted,
    status_of,
    unexcused_absence,
)

from .i18n import _
from .info import HOST_HONORS, duty_basis
from .titles import check_title

TRAINEE = ("trainee",)


# ---------------------------------------------------------------------------------------------
# Shared readings


def period_text(period: Period) -> Text:
    """How a period is named inside a sentence."""
    if period.kind == "cycle":
        return _("the cycle %(start)s to %(end)s", start=period.start, end=period.end)
    if period.kind == "year":
        return _("%(year)s", year=period.start.year)
    if period.kind == "day":
        return _("%(date)s", date=period.start)
    return _("%(start)s to %(end)s", start=period.start, end=period.end)


def paired(facts: StudioFacts, school: SchoolFact | None) -> bool:
    """A paired school (结对学校/设站学校) is any school in the studio's county."""
    return school is not None and facts.studio.county is not None and school.county == facts.studio.county


def host_keys(facts: StudioFacts) -> set[str]:
    return {m.person.key for m in facts.memberships if m.role == "host"}


def removed_by(membership: MembershipFact, until: dt.date) -> bool:
    """Already removed (by a rule applied earlier) on or before ``until``."""
    return membership.removed and (membership.left is None or membership.left <= until)


def led_by(activities: Iterable[ActivityFact], keys: set[str]) -> list[ActivityFact]:
    return [a for a in activities if keys.intersection(a.led_by)]


# ---------------------------------------------------------------------------------------------
# 第一条、第二条: the studio is set up in one of the five accelerated-development counties


def studio_county(facts: StudioFacts, on: dt.date) -> Criterion:
    counties = tuple(facts.param("wz.counties", on))
    county = facts.studio.county
    if county in counties:
        text = _(
            "The studio is set up in %(county)s, one of the accelerated-development counties (%(counties)s)",
            county=county,
            counties=counties,
        )
    elif county is None:
        text = _("The studio's county is not recorded; it must be one of %(counties)s", counties=counties)
    else:
        text = _(
            "The studio's county %(county)s is not one of the accelerated-development counties (%(counties)s)",
            county=county,
            counties=counties,
        )
    return Criterion(
        "wz.studio.county", status_of(county in counties), "第二条", text, value=county, target=list(counties)
    )


# ---------------------------------------------------------------------------------------------
# 第三条: the host holds one of the listed honours (or, "等", one a reviewer accepts as equivalent)


def honor_text(code: str) -> Text:
    names = {
        "national_ten_thousand_talents_teacher": _("national Ten Thousand Talents teacher"),
        "provincial_ten_thousand_talents_teacher": _("provincial Ten Thousand Talents teacher"),
        "provincial_special_grade_teacher": _("provincial special-grade teacher"),
        "municipal_special_support_teacher": _("municipal Special Support teacher"),
        "wenzhou_famous_principal": _("Wenzhou famous principal"),
        "wenzhou_famous_teacher": _("Wenzhou famous teacher"),
        "wenzhou_famous_head_teacher": _("Wenzhou famous head teacher"),
        "provincial_rising_star": _("provincial rising star of teaching"),
        "senior": _("senior title (professor level)"),
    }
    return names[code]


def host_qualification(facts: StudioFacts, on: dt.date) -> Criterion:
    rule, basis = "wz.host.qualification", "第三条"
    host = facts.host(on)
    if host is None:
        return Criterion(rule, Status.UNMET, basis, _("No host is recorded as of %(date)s", date=on))
    held = [h for h in HOST_HONORS if h in host.honors]
    if host.title == "senior":
        held.append("senior")
    if held:
        text = _(
            "%(name)s holds %(honors)s, a qualification listed in article 3",
            name=host.name,
            honors=[honor_text(h) for h in held],
        )
        return Criterion(rule, Status.MET, basis, text, value=held, target=1)
    # 第三条(三) "省教坛新秀等": the list is open; an equivalent honour is a reviewer's judgement.
    accepted = facts.attestation(rule)
    if accepted is True:
        text = _(
            "%(name)s holds none of the honours listed in article 3; a reviewer accepted an equivalent honour",
            name=host.name,
        )
    elif accepted is False:
        text = _(
            "%(name)s holds none of the honours listed in article 3, and a reviewer found no equivalent honour",
            name=host.name,
        )
    else:
        text = _(
            "%(name)s holds none of the honours listed in article 3 (a reviewer may record an equivalent honour)",
            name=host.name,
        )
    return Criterion(rule, status_of(accepted is True), basis, text, value=[], target=1)


# ---------------------------------------------------------------------------------------------
# 第四条(二)(三): admission by county and city review — advisory only


def trainee_admission() -> Criterion:
    return Criterion(
        "wz.trainee.admission",
        Status.NOTICE,
        "第四条(二)(三)",
        _(
            "Trainees apply or are recommended by their schools and are admitted after review by the county and "
            "city offices, which judge their ethics, drive and working style; this check does not replace it"
        ),
    )


# ---------------------------------------------------------------------------------------------
# 第四条(一): at least 10 trainees admitted in the county (the studio's county)


def team_size(facts: StudioFacts, trainees: Sequence[MembershipFact], on: dt.date, when: Text) -> Criterion:
    minimum = int(facts.param("wz.team.min_trainees", on))
    local = [m for m in trainees if paired(facts, m.person.school)]
    outside = [m.person.name for m in trainees if not paired(facts, m.person.school)]
    county = facts.studio.county or "—"
    if outside:
        text = _(
            "%(when)s: %(value)s trainees from schools in %(county)s, at least %(target)s required; "
            "not from a school of the county: %(outside)s",
            when=when,
            value=len(local),
            county=county,
            target=minimum,
            outside=outside,
        )
    else:
        text = _(
            "%(when)s: %(value)s trainees from schools in %(county)s, at least %(target)s required",
            when=when,
            value=len(local),
            county=county,
            target=minimum,
        )
    ok = len(local) >= minimum and not outside
    return Criterion("wz.team.size", status_of(ok), "第四条(一)", text, value=len(local), target=minimum)


# ---------------------------------------------------------------------------------------------
# 第七条(一)(二): leave must be approved in advance, else the absence is 旷课; 2 unexcused absences
# (⚙ wz.trainee.max_unexcused) withdraw the trainee's place, from the date of the second one.
# What counts as an unexcused absence is the digest's general reading (core.rules.attendance):
# ``absent``, or leave approved after the activity's date; leave approved on the day or before it, or
# an ``excused`` record without a date, is leave approved in advance.


def absence_text(absence: Absence) -> Text:
    if absence.reason == AbsenceReason.LATE_LEAVE:
        return _(
            "%(date)s leave approved only on %(approved)s, after the activity",
            date=absence.activity.date,
            approved=absence.approved,
        )
    return _("%(date)s absent", date=absence.activity.date)


def unexcused_absences(facts: StudioFacts, membership: MembershipFact, until: dt.date) -> list[Absence]:
    """The trainee's unexcused absences, in date order, from joining to ``until`` (and not after leaving);
    after a reinstatement by the administrator, only those dated after it (the same absences do not
    remove the trainee twice)."""
    key = membership.person.key
    found: list[Absence] = []
    for a in sorted(facts.activities, key=lambda a: a.date):
        if a.date > until or not membership.counts_on(a.date):
            continue
        absence = unexcused_absence(a, key)
        if absence is not None:
            found.append(absence)
    return found


def absence_limit(facts: StudioFacts, on: dt.date) -> int:
    return max(1, int(facts.param("wz.trainee.max_unexcused", on)))


def absence_removal(facts: StudioFacts, membership: MembershipFact, until: dt.date) -> Removal | None:
    """The removal this rule decides for a trainee as of ``until``; None if none (or already removed)."""
    if membership.role != "trainee" or membership.removed:
        return None
    limit = absence_limit(facts, until)
    misses = unexcused_absences(facts, membership, until)
    if len(misses) < limit:
        return None
    day = misses[limit - 1].activity.date
    if membership.left is not None and membership.left <= day:
        return None
    reason = _(
        "%(count)s unexcused absences from studio activities (%(details)s): the place as trainee is withdrawn "
        "from %(date)s",
        count=len(misses[:limit]),
        details=[absence_text(m) for m in misses[:limit]],
        date=day,
    )
    return Removal(membership.person.key, "wz.trainee.absence", "第七条(二)", day, reason)


def absence_of(facts: StudioFacts, membership: MembershipFact, until: dt.date) -> Criterion:
    """One trainee's absences (for ``members[]``)."""
    person = membership.person
    limit = absence_limit(facts, until)
    misses = unexcused_absences(facts, membership, until)
    count = len(misses)
    if count == 0:
        text = _("%(name)s: no unexcused absence", name=person.name)
    elif count < limit:
        text = _(
            "%(name)s: %(value)s unexcused absence(s) (%(details)s); the place is withdrawn at %(target)s",
            name=person.name,
            value=count,
            details=[absence_text(m) for m in misses],
            target=limit,
        )
    else:
        text = _(
            "%(name)s: %(value)s unexcused absences (%(details)s), %(target)s or more withdraw the place, "
            "from %(date)s",
            name=person.name,
            value=count,
            details=[absence_text(m) for m in misses],
            target=limit,
            date=misses[limit - 1].activity.date,
        )
    return Criterion(
        "wz.trainee.absence",
        status_of(count < limit),
        "第七条(二)",
        text,
        value=count,
        target=limit,
        counted=counted(m.activity for m in misses),
    )


def absence_summary(
    facts: StudioFacts, per_person: Sequence[tuple[PersonFact, Criterion]], until: dt.date
) -> Criterion:
    limit = absence_limit(facts, until)
    reached = [p.name for p, c in per_person if c.status == Status.UNMET]
    if reached:
        text = _(
            "%(value)s of %(total)s trainees had %(target)s or more unexcused absences and lose their place: %(names)s",
            value=len(reached),
            total=len(per_person),
            target=limit,
            names=reached,
        )
    else:
        text = _(
            "None of the %(total)s trainees had %(target)s unexcused absences",
            total=len(per_person),
            target=limit,
        )
    return Criterion(
        "wz.trainee.absence",
        combine(c.status for _p, c in per_person),
        "第七条(二)",
        text,
        value=len(reached),
        target=0,
        counted=tuple(dict.fromkeys(ref for _p, c in per_person if c.status == Status.UNMET for ref in c.counted)),
    )


# ---------------------------------------------------------------------------------------------
# 第六条: each trainee's duties in the cycle — (一) a growth plan, (二) at least one open class or
# lecture led, (三) assignment and test design, (四) at least one paper or lesson case.


def trainee_duties(facts: StudioFacts, membership: MembershipFact, period: Period) -> Criterion:
    rule, basis = "wz.trainee.duties", "第六条"
    person = membership.person
    key = person.key
    plans = [o for o in facts.outputs if o.type == "growth_plan" and key in o.people and o.date <= period.end]
    plan = bool(plans)
    led = led_by(facts.activities_in(period, ("open_class", "lecture")), {key})
    design = facts.outputs_of(key, period, ("assignment_design",)) or led_by(
        facts.activities_in(period, ("assignment_design",)), {key}
    )
    writing = facts.outputs_of(key, period, ("paper", "lesson_case"))
    checks = [
        (plan, _("a growth plan")),
        (bool(led), _("an open class or lecture led")),
        (bool(design), _("an assignment or test design")),
        (bool(writing), _("a paper or lesson case")),
    ]
    done = sum(1 for ok, _what in checks if ok)
    missing = [what for ok, what in checks if not ok]
    if missing:
        text = _(
            "%(name)s: %(value)s of %(target)s trainee duties done in %(period)s; missing: %(missing)s",
            name=person.name,
            value=done,
            target=len(checks),
            period=period_text(period),
            missing=missing,
        )
    else:
        text = _(
            "%(name)s: all %(target)s trainee duties done in %(period)s (growth plan, open class or lecture, "
            "assignment design, paper or lesson case)",
            name=person.name,
            target=len(checks),
            period=period_text(period),
        )
    return Criterion(
        rule,
        status_of(not missing),
        basis,
        text,
        value=done,
        target=len(checks),
        counted=counted(plans, led, design, writing),
    )


def duties_not_assessed(membership: MembershipFact, day: dt.date, removed: bool) -> Criterion:
    """A trainee who lost the place or left before the end of the period is not assessed."""
    name = membership.person.name
    if removed:
        text = _("%(name)s: removed on %(date)s; trainee duties not assessed", name=name, date=day)
    else:
        text = _("%(name)s: left the studio on %(date)s; trainee duties not assessed", name=name, date=day)
    return Criterion("wz.trainee.duties", Status.NOT_APPLICABLE, "第六条", text)


def duties_summary(per_person: Sequence[Criterion]) -> Criterion:
    assessed = [c for c in per_person if c.status != Status.NOT_APPLICABLE]
    done = [c for c in assessed if c.status == Status.MET]
    return Criterion(
        "wz.trainee.duties",
        combine(c.status for c in per_person),
        "第六条",
        _(
            "%(value)s of %(target)s trainees completed their duties (trainee duties decide each trainee's "
            "result, not the studio's grade)",
            value=len(done),
            target=len(assessed),
        ),
        value=len(done),
        target=len(assessed),
        counted=tuple(dict.fromkeys(ref for c in assessed for ref in c.counted)),
    )


# ---------------------------------------------------------------------------------------------
# 第八条(一): the notice of each activity is published on 温州名师网 before it takes place; it is
# the basis for reimbursement, so a late or missing notice excludes the activity from it.


def ops_notice(facts: StudioFacts, period: Period) -> Criterion:
    rule, basis = "wz.ops.notice", "第八条(一)"
    activities = facts.activities_in(period)
    late = [a for a in activities if a.notice_published is None or a.notice_published > a.date]
    on_time = len(activities) - len(late)
    if not activities:
        text = _("In %(period)s, no activity was held", period=period_text(period))
    elif not late:
        text = _(
            "In %(period)s, the notice of each of the %(target)s activities was published on or before its day",
            period=period_text(period),
            target=len(activities),
        )
    else:
        details = [
            _("%(date)s (no notice)", date=a.date)
            if a.notice_published is None
            else _("%(date)s (notice published %(notice)s)", date=a.date, notice=a.notice_published)
            for a in late
        ]
        text = _(
            "In %(period)s, %(value)s of %(target)s activities had their notice published on or before the day; "
            "late or missing: %(late)s — these activities are no basis for reimbursement",
            period=period_text(period),
            value=on_time,
            target=len(activities),
            late=details,
        )
    return Criterion(
        rule, status_of(not late), basis, text, value=on_time, target=len(activities), counted=counted(activities)
    )


# ---------------------------------------------------------------------------------------------
# 第八条(二): at least 5 offline activities (⚙ wz.ops.offline_min) in the cycle


def ops_offline(facts: StudioFacts, period: Period) -> Criterion:
    minimum = int(facts.param("wz.ops.offline_min"))
    offline = [a for a in facts.activities_in(period) if not a.online]
    count = len(offline)
    text = _(
        "In %(period)s, offline activities held: %(value)s (at least %(target)s required in the cycle)",
        period=period_text(period),
        value=count,
        target=minimum,
    )
    return Criterion(
        "wz.ops.offline",
        status_of(count >= minimum),
        "第八条(二)",
        text,
        value=count,
        target=minimum,
        counted=counted(offline),
    )


# ---------------------------------------------------------------------------------------------
# 第八条(三): each report is titled 《主标题——记温州市***“名师送教”工作室第*次活动》


def ops_report_title(facts: StudioFacts, period: Period) -> Criterion:
    rule, basis = "wz.ops.report_title", "第八条(三)"
    ordered = sorted(facts.activities, key=lambda a: a.date)  # stable: same-day activities keep their order
    checked = 0
    seen: list[ActivityFact] = []
    bad: list[Text] = []
    for number, a in enumerate(ordered, start=1):
        if a.date not in period:
            continue
        checked += 1
        seen.append(a)
        host = facts.host(a.date)
        host_name = host.name if host else "***"
        if not a.title.strip():
            bad.append(_("%(date)s: no report title recorded", date=a.date))
        elif check_title(a.title, host_name, number) is not None:
            expected = f"…——记温州市{host_name}“名师送教”工作室第{number}次活动"
            bad.append(
                _("%(date)s: “%(title)s” should read “%(expected)s”", date=a.date, title=a.title, expected=expected)
            )
    matching = checked - len(bad)
    if not checked:
        text = _("In %(period)s, no activity was held", period=period_text(period))
    elif not bad:
        text = _(
            "In %(period)s, all %(target)s report titles follow the prescribed form and numbering",
            period=period_text(period),
            target=checked,
        )
    else:
        text = _(
            "In %(period)s, %(value)s of %(target)s report titles follow the prescribed form; %(bad)s",
            period=period_text(period),
            value=matching,
            target=checked,
            bad=bad,
        )
    return Criterion(rule, status_of(not bad), basis, text, value=matching, target=checked, counted=counted(seen))


# ---------------------------------------------------------------------------------------------
# 第五条: the host's duties 1–12 (1–8 basic, 9–12 development), checked at the end of the cycle


def duty_1(facts: StudioFacts) -> Criterion:
    # 第五条(一)1: planning and management, assessing the trainees — a reviewer's judgement
    value = facts.attestation("wz.duty.1")
    if value is None:
        text = _("Awaits a reviewer: does the host plan and manage the work and assess the trainees?")
    elif value:
        text = _("A reviewer confirmed that the host planned and managed the work and assessed the trainees")
    else:
        text = _("A reviewer found that the host did not plan and manage the work or assess the trainees")
    return Criterion("wz.duty.1", attestation_only(value), duty_basis(1), text)


def duty_2(facts: StudioFacts, period: Period, trainees: Sequence[MembershipFact]) -> Criterion:
    # 第五条(一)2: every trainee has a 2–3 year growth plan
    plans = [o for o in facts.outputs if o.type == "growth_plan" and o.date <= period.end]
    without = [m.person.name for m in trainees if not any(m.person.key in o.people for o in plans)]
    keys = {m.person.key for m in trainees}
    have = len(trainees) - len(without)
    if not trainees:
        text = _("No trainee, so no growth plan")
    elif without:
        text = _(
            "%(value)s of %(target)s trainees have a growth plan; without one: %(names)s",
            value=have,
            target=len(trainees),
            names=without,
        )
    else:
        text = _("All %(target)s trainees have a growth plan", target=len(trainees))
    ok = bool(trainees) and not without
    return Criterion(
        "wz.duty.2",
        status_of(ok),
        duty_basis(2),
        text,
        value=have,
        target=len(trainees),
        counted=counted(o for o in plans if keys.intersection(o.people)),
    )


def _at_least_one(item: int, found: Sequence[ActivityFact | OutputFact], text: Text) -> Criterion:
    count = len(found)
    return Criterion(
        f"wz.duty.{item}", status_of(count >= 1), duty_basis(item), text, value=count, target=1, counted=counted(found)
    )


#: 第五条(二)8 指导结对学校开展校本研修活动和专业阅读活动: both kinds are required (digest, decided 2026-12-01)
DUTY_8_KINDS = ("school_based_study", "reading")


def duty_8(facts: StudioFacts, acts: Sequence[ActivityFact], period: Text, county: str) -> Criterion:
    held = [a for a in acts if a.type in DUTY_8_KINDS and paired(facts, a.school)]
    counts = {kind: sum(1 for a in held if a.type == kind) for kind in DUTY_8_KINDS}
    names = {"school_based_study": _("school-based study"), "reading": _("professional reading")}
    missing = [names[kind] for kind in DUTY_8_KINDS if counts[kind] == 0]
    if missing:
        text = _(
            "In %(period)s, at paired schools (schools in %(county)s): %(study)s school-based study and "
            "%(reading)s professional reading activities; both are required, at least 1 of each; missing: "
            "%(missing)s",
            period=period,
            county=county,
            study=counts["school_based_study"],
            reading=counts["reading"],
            missing=missing,
        )
    else:
        text = _(
            "In %(period)s, at paired schools (schools in %(county)s): %(study)s school-based study and "
            "%(reading)s professional reading activities; both are required, at least 1 of each",
            period=period,
            county=county,
            study=counts["school_based_study"],
            reading=counts["reading"],
        )
    done = len(DUTY_8_KINDS) - len(missing)
    return Criterion(
        "wz.duty.8",
        status_of(not missing),
        duty_basis(8),
        text,
        value=done,
        target=len(DUTY_8_KINDS),
        counted=counted(held),
    )


def host_duties(facts: StudioFacts, period: Period, trainees: Sequence[MembershipFact]) -> list[Criterion]:
    """Duties 2–12 (duty 1 is an attestation, :func:`duty_1`)."""
    p = period_text(period)
    acts = facts.activities_in(period)
    hosts = host_keys(facts)

    def of_type(kind: str, at_paired: bool = False) -> list[ActivityFact]:
        return [a for a in acts if a.type == kind and (not at_paired or paired(facts, a.school))]

    projects = facts.outputs_in(period, ("research_project",))
    county = facts.studio.county or "—"
    return [
        duty_2(facts, period, trainees),
        # (一)3 a demonstration class or lecture by the host
        _at_least_one(
            3,
            f3 := led_by(facts.activities_in(period, ("open_class", "lecture")), hosts),
            _(
                "In %(period)s, open classes or lectures given by the host: %(value)s (at least 1 required)",
                period=p,
                value=len(f3),
            ),
        ),
        # (一)4 assignment and test design with the trainees
        _at_least_one(
            4,
            f4 := of_type("assignment_design"),
            _(
                "In %(period)s, assignment or test design activities: %(value)s (at least 1 required)",
                period=p,
                value=len(f4),
            ),
        ),
        # (一)5 educational research organised
        _at_least_one(
            5,
            f5 := projects,
            _("In %(period)s, research projects: %(value)s (at least 1 required)", period=p, value=len(f5)),
        ),
        # (二)6 a survey at a paired school
        _at_least_one(
            6,
            f6 := of_type("survey", at_paired=True),
            _(
                "In %(period)s, surveys at paired schools (schools in %(county)s): %(value)s (at least 1 required)",
                period=p,
                value=len(f6),
                county=county,
            ),
        ),
        # (二)7 a research project on a paired school's weak points
        _at_least_one(
            7,
            f7 := [o for o in projects if paired(facts, o.school)],
            _(
                "In %(period)s, research projects addressing a paired school (in %(county)s): %(value)s "
                "(at least 1 required)",
                period=p,
                value=len(f7),
                county=county,
            ),
        ),
        # (二)8 校本研修活动和专业阅读活动 at a paired school: both kinds
        duty_8(facts, acts, p, county),
        # (三)9 组团式 cross-subject study
        _at_least_one(
            9,
            f9 := of_type("cross_subject_study"),
            _(
                "In %(period)s, cross-subject (team) study activities: %(value)s (at least 1 required)",
                period=p,
                value=len(f9),
            ),
        ),
        # (三)10 联盟式 cross-region study
        _at_least_one(
            10,
            f10 := of_type("cross_region_study"),
            _(
                "In %(period)s, cross-region (alliance) study activities: %(value)s (at least 1 required)",
                period=p,
                value=len(f10),
            ),
        ),
        # (三)11 融通式 joint study with the county's training office
        _at_least_one(
            11,
            f11 := of_type("county_joint_study"),
            _(
                "In %(period)s, joint study activities with the county training office: %(value)s "
                "(at least 1 required)",
                period=p,
                value=len(f11),
            ),
        ),
        # (三)12 highlights summarised and publicised
        _at_least_one(
            12,
            f12 := facts.outputs_in(period, ("news_brief",)),
            _(
                "In %(period)s, news briefs on the studio's highlights: %(value)s (at least 1 required)",
                period=p,
                value=len(f12),
            ),
        ),
    ]
