"""Generate Shenyang's scenario files (deterministic): ``python plugins/shenyang/mingshi_shenyang/scenarios/_make.py``.

Each file is named after the rule and the side of its boundary it sits on. The bases mirror the
shared example ``shenyang-studio-annual-pass.json``: a studio (or a workshop) whose cycle starts on
2024-01-01, assessed for 2025, meeting every task; each scenario changes one thing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).parent
MEMBERS = ["p2", "p3", "p4", "p5", "p6", "p7"]
CATEGORIES = ["subject_leader", "backbone", "new_teacher", "backbone", "backbone", "subject_leader"]


def attend(people=MEMBERS, status="present"):
    return [{"person": p, "status": status} for p in people]


def activity(aid, date, type_, school=None, scope="studio", led_by=("p1",)):
    a = {"id": aid, "date": date, "type": type_, "scope": scope, "led_by": list(led_by), "attendance": attend()}
    if school:
        a["school"] = school
    return a


def output(type_, date, level="municipal", **extra):
    return {"type": type_, "level": level, "date": date, "people": ["p1"], **extra}


def base(kind="studio"):
    schools = [{"id": f"s{i}", "name": f"沈阳市第{i}中学", "rural": False, "county": "和平区"} for i in range(1, 8)]
    schools.append({"id": "s8", "name": "康平县郝官屯中心校", "rural": True, "county": "康平县"})
    host = {
        "id": "p1",
        "name": "李明",
        "sex": "M",
        "born": "1975-09-01",
        "school": "s1",
        "position": "principal" if kind == "workshop" else "teacher",
        "title": "senior",
        "backbone_level": "municipal",
        "honors": [],
    }
    people = [host] + [
        {
            "id": p,
            "name": f"成员{p[1:]}",
            "sex": "F",
            "born": "1982-03-01",
            "school": f"s{p[1:]}",
            "position": "teacher",
            "title": "intermediate",
            "backbone_level": "county",
            "honors": [],
        }
        for p in MEMBERS
    ]
    members = [{"person": "p1", "role": "host", "joined": "2024-01-01"}] + [
        {"person": p, "role": "member", "category": c if kind == "studio" else None, "joined": "2024-01-01"}
        for p, c in zip(MEMBERS, CATEGORIES, strict=True)
    ]
    activities = [
        activity("a1", "2025-03-10", "community_study"),
        activity("a2", "2025-04-15", "send_teaching", scope="county"),
        activity("a3", "2025-05-20", "onsite_meeting" if kind == "studio" else "inter_studio_exchange"),
    ] + [activity(f"m{i}", f"2025-{i + 5:02d}-{i + 20}", "open_class", school=f"s{i + 2}") for i in range(6)]
    outputs = [
        output("research_project", "2025-02-01", status="approved"),
        output("paper", "2025-06-01", level="provincial", published=True),
        output("training_course", "2025-06-20"),
    ] + [output("news_brief", f"2025-{m:02d}-05") for m in (3, 5, 7, 9, 11)]
    attestations = {"sy.host.ethics": True, "sy.host.ability": True}
    attestations.update({f"sy.member.tasks@{p}": True for p in MEMBERS})
    return {
        "jurisdiction": "shenyang",
        "description": "",
        "evaluate": {"kind": "annual", "year": 2025},
        "studio": {
            "kind": kind,
            "name": "李明名优教师工作室" if kind == "studio" else "李明名优校长工作坊",
            "county": "和平区",
            "cycle_start": "2024-01-01",
        },
        "schools": schools,
        "people": people,
        "members": members,
        "activities": activities,
        "outputs": outputs,
        "attestations": attestations,
        "findings": [],
        "expenses": [],
    }


def application(kind="studio", date="2025-06-01"):
    s = base(kind)
    s["evaluate"] = {"kind": "application", "date": date}
    s["activities"], s["outputs"] = [], []
    s["attestations"] = {"sy.host.ethics": True, "sy.host.ability": True}
    if kind == "workshop":
        # a rural school's vice principal among the members
        s["people"][-1].update(school="s8", position="vice_principal")
    return s


def person(s, pid):
    return next(p for p in s["people"] if p["id"] == pid)


def drop(s, key, pred):
    s[key] = [x for x in s[key] if not pred(x)]


PASS_STUDIO = {"sy.task.activities": "met", "sy.task.briefs": "met"}
FAIL = ["disqualified", "funds_recovered", "replacement_selection", "funding_stopped"]
SCENARIOS: dict[str, tuple[str, dict, dict]] = {}


def add(name, description, scenario, expect):
    scenario = copy.deepcopy(scenario)
    scenario["description"] = description
    scenario["expect"] = expect
    SCENARIOS[name] = scenario


# --- annual, studio: the base passes -------------------------------------------------------------
s = base()
add(
    "sy.annual-studio-pass",
    "Every task of 2025 met; members assessed by the host",
    s,
    {
        "grade": "pass",
        "criteria": {
            **PASS_STUDIO,
            "sy.task.exchange": "not_applicable",
            "sy.task.advice": "not_applicable",
            "sy.member.tasks": "met",
        },
        "members": {"p1": "pass", "p2": "pass"},
        "consequences": [],
        "funding": "25000.00",
    },
)

# sy.task.activities: 8 met, 7 unmet (the same schools visited)
s = base()
s["activities"][2]["school"] = "s2"
drop(s, "activities", lambda a: a["id"] == "m0")
add(
    "sy.task.activities-8-met",
    "8 activities in 2025",
    s,
    {"grade": "pass", "criteria": {"sy.task.activities": "met", "sy.task.member_schools": "met"}},
)
s["activities"][1]["school"] = "s3"
drop(s, "activities", lambda a: a["id"] == "m1")
add(
    "sy.task.activities-7-unmet",
    "7 activities in 2025: the assessment fails",
    s,
    {
        "grade": "fail",
        "criteria": {"sy.task.activities": "unmet", "sy.task.member_schools": "met"},
        "consequences": FAIL,
        "funding": "0.00",
    },
)

# sy.task.briefs: 5 met (base), 4 unmet
s = base()
s["outputs"].pop()
add(
    "sy.task.briefs-4-unmet",
    "4 news briefs in 2025",
    s,
    {
        "grade": "fail",
        "criteria": {"sy.task.briefs": "unmet", "sy.task.activities": "met"},
        "consequences": FAIL,
        "funding": "0.00",
    },
)
s = base()
add("sy.task.briefs-5-met", "5 news briefs in 2025", s, {"grade": "pass", "criteria": {"sy.task.briefs": "met"}})

# sy.task.member_schools
s = base()
s["activities"][-1]["school"] = "s1"
add(
    "sy.task.member_schools-unmet",
    "No activity at member p7's school s7 in 2025",
    s,
    {"grade": "fail", "criteria": {"sy.task.member_schools": "unmet", "sy.task.activities": "met"}},
)

# sy.task.community / send_teaching / onsite
for rule, aid in (("community", "a1"), ("send_teaching", "a2"), ("onsite", "a3")):
    s = base()
    s["activities"] = [a if a["id"] != aid else {**a, "type": "seminar"} for a in s["activities"]]
    add(
        f"sy.task.{rule}-0-unmet",
        f"No activity of the {rule} type in 2025",
        s,
        {"grade": "fail", "criteria": {f"sy.task.{rule}": "unmet", "sy.task.activities": "met"}},
    )

# sy.task.project: a provincial project approved in 2024 and under way counts; a county one does not
s = base()
s["outputs"][0].update(date="2024-05-01", status="underway", level="provincial")
add(
    "sy.task.project-earlier-underway-met",
    "A provincial project approved in 2024, under way in 2025",
    s,
    {"grade": "pass", "criteria": {"sy.task.project": "met"}},
)
s["outputs"][0].update(status="completed")
add(
    "sy.task.project-earlier-completed-unmet",
    "The only project was completed before 2025",
    s,
    {"grade": "fail", "criteria": {"sy.task.project": "unmet"}},
)
s = base()
s["outputs"][0].update(level="county")
add(
    "sy.task.project-county-unmet",
    "The only project of 2025 is at county level",
    s,
    {"grade": "fail", "criteria": {"sy.task.project": "unmet"}},
)

# sy.task.result: an unpublished paper is no distinctive result; a media report is
s = base()
s["outputs"][1]["published"] = False
add(
    "sy.task.result-unpublished-unmet",
    "The paper of 2025 is not published",
    s,
    {"grade": "fail", "criteria": {"sy.task.result": "unmet"}},
)
s["outputs"][1]["type"] = "media_report"
add(
    "sy.task.result-media-met",
    "A mainstream media report in 2025",
    s,
    {"grade": "pass", "criteria": {"sy.task.result": "met"}},
)

# sy.task.course: per school year (2024-09-01 → 2025-08-31 for 2025)
s = base()
s["outputs"][2]["date"] = "2024-09-01"
add(
    "sy.task.course-schoolyear-start-met",
    "Course developed on the first day of school year 2024-2025",
    s,
    {"grade": "pass", "criteria": {"sy.task.course": "met"}},
)
s["outputs"][2]["date"] = "2025-09-01"
add(
    "sy.task.course-next-schoolyear-unmet",
    "Course developed in school year 2025-2026 only",
    s,
    {"grade": "fail", "criteria": {"sy.task.course": "unmet"}},
)


# --- the cycle's last year: per-cycle tasks due -----------------------------------------------------
def last_year(s):
    s = copy.deepcopy(s)
    for a in s["activities"]:
        a["date"] = "2026" + a["date"][4:]
    for o in s["outputs"]:
        o["date"] = "2026" + o["date"][4:]
    s["evaluate"] = {"kind": "annual", "year": 2026}
    return s


s = last_year(base())
s["outputs"] += [output("consulting_report", "2024-11-01"), output("consulting_report", "2026-03-01")]
s["activities"] += [
    activity("r1", "2025-06-01", "results_promotion"),
    activity("r2", "2026-10-01", "results_promotion"),
]
add(
    "sy.task.advice-2-met",
    "Last year of the cycle: 2 consulting reports and 2 promotions over the cycle",
    s,
    {
        "grade": "pass",
        "criteria": {"sy.task.advice": "met", "sy.task.promotion": "met"},
        "funding": "0.00",
        "consequences": [],
    },
)
s1 = copy.deepcopy(s)
s1["outputs"].pop()
add(
    "sy.task.advice-1-unmet",
    "Last year of the cycle: 1 consulting report",
    s1,
    {
        "grade": "fail",
        "criteria": {"sy.task.advice": "unmet", "sy.task.promotion": "met"},
        "consequences": ["disqualified", "funds_recovered", "replacement_selection"],
        "funding": "0.00",
    },
)
s2 = copy.deepcopy(s)
s2["activities"].pop()
add(
    "sy.task.promotion-1-unmet",
    "Last year of the cycle: 1 results promotion meeting",
    s2,
    {"grade": "fail", "criteria": {"sy.task.promotion": "unmet", "sy.task.advice": "met"}},
)


# cycle evaluation: every year's tasks and the per-cycle tasks
def cycle_scenario():
    s = base()
    extra = []
    for year in ("2024", "2026"):
        for a in base()["activities"]:
            extra.append({**a, "id": a["id"] + "-" + year, "date": year + a["date"][4:]})
        for o in base()["outputs"]:
            s["outputs"].append({**o, "date": year + o["date"][4:]})
    s["activities"] += extra
    s["outputs"] += [output("consulting_report", "2024-11-01"), output("consulting_report", "2026-03-01")]
    s["activities"] += [
        activity("r1", "2025-06-01", "results_promotion"),
        activity("r2", "2026-10-01", "results_promotion"),
    ]
    s["evaluate"] = {"kind": "cycle"}
    return s


s = cycle_scenario()
add(
    "sy.cycle-studio-pass",
    "The whole cycle 2024-2026: every year and every per-cycle task met",
    s,
    {
        "grade": "pass",
        "criteria": {"sy.task.activities": "met", "sy.task.advice": "met", "sy.task.promotion": "met"},
        "consequences": [],
        "funding": "75000.00",
    },
)
s = cycle_scenario()
drop(s, "outputs", lambda o: o["type"] == "news_brief" and o["date"] == "2024-11-05")
add(
    "sy.cycle-briefs-2024-unmet",
    "2024 had 4 briefs: the 2024 assessment failed, no funds after it",
    s,
    {
        "grade": "fail",
        "criteria": {"sy.task.briefs": "unmet", "sy.task.activities": "met"},
        "consequences": ["disqualified", "funds_recovered", "replacement_selection"],
        "funding": "25000.00",
    },
)
s = cycle_scenario()
s["findings"] = [{"type": "misappropriation", "date": "2025-11-01"}]
add(
    "sy.funding-cycle-misappropriation",
    "Funds misappropriated in 2025: 2026's funds are not paid",
    s,
    {"grade": "pass", "funding": "50000.00"},
)

# --- funding -------------------------------------------------------------------------------------------
s = base()
s["findings"] = [{"type": "misappropriation", "date": "2025-11-01"}]
add(
    "sy.funding-misappropriation",
    "Funds misappropriated in 2025: 2026's funds are not paid",
    s,
    {"grade": "pass", "consequences": ["funding_stopped"], "funding": "0.00"},
)
s = base()
s["parameters"] = {"sy.funding.studio": "30000"}
add(
    "sy.funding-parameter-what-if",
    "What if a studio received ¥30,000 a year",
    s,
    {"grade": "pass", "funding": "30000.00"},
)
s = base("workshop")
add("sy.funding-workshop", "A workshop: ¥20,000 for 2026", s, {"grade": "pass", "funding": "20000.00"})
s = base()
s["studio"]["cycle_start"] = "2023-01-01"
s["outputs"] += [output("consulting_report", "2023-11-01"), output("consulting_report", "2025-03-01")]
s["activities"] += [
    activity("r1", "2024-06-01", "results_promotion"),
    activity("r2", "2025-10-01", "results_promotion"),
]
add(
    "sy.funding-outside-cycle",
    "The cycle 2023-2025 ends: nothing payable for 2026",
    s,
    {"grade": "pass", "criteria": {"sy.task.advice": "met"}, "funding": "0.00", "consequences": []},
)

# --- members (第十一条) ---------------------------------------------------------------------------------
s = base()
for i, a in enumerate(s["activities"]):
    for r in a["attendance"]:
        if r["person"] == "p2" and i < 5:
            r["status"] = "absent"
add(
    "sy.member.absence-5of9-unmet",
    "p2 absent from 5 of 9 activities: more than half, removed",
    s,
    {
        "grade": "pass",
        "criteria": {"sy.member.absence": "unmet"},
        "members": {"p2": "removed", "p3": "active"},
        "consequences": ["member_removed"],
        "funding": "25000.00",
    },
)
s = base()
for i, a in enumerate(s["activities"]):
    if i == 8:
        a["attendance"] = [r for r in a["attendance"] if r["person"] != "p2"]
    for r in a["attendance"]:
        if r["person"] == "p2" and i < 4:
            r["status"] = "absent"
add(
    "sy.member.absence-4of8-met",
    "p2 absent from exactly half (4 of 8 recorded activities)",
    s,
    {"grade": "pass", "criteria": {"sy.member.absence": "met"}, "members": {"p2": "active"}, "consequences": []},
)
s = base()
for a in s["activities"]:
    for r in a["attendance"]:
        if r["person"] == "p2":
            r["status"] = "excused"
add(
    "sy.member.absence-excused-met",
    "p2 excused from every activity: excused never counts",
    s,
    {"criteria": {"sy.member.absence": "met"}, "members": {"p2": "active"}},
)
# Leave (jurisdictions.md, "Absences", decided 2026-12-01): p2 is absent from the first 4 of the 9 activities
# (exactly half is allowed) and on leave from the 5th (m1, 2025-06-21). Leave approved on or before the
# activity's date — or recorded without a date — is leave approved in advance; approved after it, it is an
# absence, the 5th of 9: more than half.
for suffix, approved, removed, what in (
    ("without-date-met", None, False, "leave recorded without an approval date is leave approved in advance"),
    ("day-before-met", "2025-06-20", False, "leave approved the day before is in advance"),
    ("same-day-met", "2025-06-21", False, "leave approved on the day is in advance"),
    ("day-after-unmet", "2025-06-22", True, "leave approved the day after counts as an absence: 5 of 9, removed"),
):
    s = base()
    for i, a in enumerate(s["activities"]):
        for r in a["attendance"]:
            if r["person"] == "p2" and i < 4:
                r["status"] = "absent"
            elif r["person"] == "p2" and i == 4:
                r["status"] = "excused"
                if approved:
                    r["leave_approved"] = approved
    add(
        f"sy.member.absence-leave-{suffix}",
        f"p2 absent from 4 of 9 activities and on leave from the 5th (2025-06-21): {what}",
        s,
        {
            "grade": "pass",
            "criteria": {"sy.member.absence": "unmet" if removed else "met"},
            "members": {"p2": "removed" if removed else "active", "p3": "active"},
            "consequences": ["member_removed"] if removed else [],
        },
    )
s = base()
person(s, "p3")["events"] = [{"type": "ethics_violation", "date": "2025-04-01"}]
add(
    "sy.member.conduct-ethics-removed",
    "p3 violated professional ethics on 2025-04-01",
    s,
    {"criteria": {"sy.member.conduct": "unmet"}, "members": {"p3": "removed"}, "consequences": ["member_removed"]},
)
s = base()
s["attestations"]["sy.member.tasks@p4"] = False
add(
    "sy.member.tasks-false-removed",
    "The host found p4's tasks of 2025 not completed",
    s,
    {
        "grade": "pass",
        "criteria": {"sy.member.tasks": "unmet"},
        "members": {"p4": "removed"},
        "consequences": ["member_removed"],
    },
)
s = base()
del s["attestations"]["sy.member.tasks@p5"]
add(
    "sy.member.tasks-pending",
    "The host has not yet assessed p5",
    s,
    {
        "grade": "pass",
        "criteria": {"sy.member.tasks": "pending"},
        "members": {"p5": "pending", "p2": "pass"},
        "consequences": [],
    },
)
s = base()
m = next(x for x in s["members"] if x["person"] == "p2")
m.update(left="2025-03-01", removal_rule="sy.member.absence", removal_reason="经常不参加活动")
for a in s["activities"]:
    for r in a["attendance"]:
        if r["person"] == "p2":
            r["status"] = "absent"
person(s, "p2")["events"] = [{"type": "transferred", "date": "2025-05-01"}]
add(
    "sy.member.already-removed",
    "p2 was removed on 2025-03-01: not removed again",
    s,
    {
        "criteria": {"sy.member.absence": "met", "sy.member.conduct": "met"},
        "members": {"p2": "removed"},
        "consequences": [],
    },
)

# --- host (第十条) ---------------------------------------------------------------------------------------
s = base()
person(s, "p1")["events"] = [{"type": "sanction", "date": "2025-08-01"}]
add(
    "sy.host.disqualification-sanction",
    "The host received a disciplinary sanction in 2025",
    s,
    {
        "grade": "fail",
        "criteria": {"sy.host.disqualification": "unmet", "sy.task.activities": "met"},
        "consequences": FAIL,
        "funding": "0.00",
    },
)

# --- workshop annual --------------------------------------------------------------------------------------
s = base("workshop")
add(
    "sy.annual-workshop-pass",
    "A workshop meeting every task of 2025",
    s,
    {
        "grade": "pass",
        "criteria": {
            "sy.task.exchange": "met",
            "sy.task.onsite": "not_applicable",
            "sy.task.forum_report": "not_applicable",
        },
        "funding": "20000.00",
    },
)
s["activities"][2]["type"] = "seminar"
add(
    "sy.task.exchange-0-unmet",
    "A workshop without an inter-workshop exchange in 2025",
    s,
    {"grade": "fail", "criteria": {"sy.task.exchange": "unmet"}},
)
s = last_year(base("workshop"))
s["outputs"] += [output("consulting_report", "2024-11-01"), output("consulting_report", "2026-03-01")]
s["activities"].append(activity("f1", "2025-06-01", "principals_forum_report", scope="municipal"))
for i, p in enumerate(MEMBERS):
    s["activities"].append(activity(f"x{i}", "2026-06-10", "experience_sharing", scope="county", led_by=[p]))
add(
    "sy.task.member_sharing-all-met",
    "Last year of a workshop's cycle: forum report and every member shared",
    s,
    {"grade": "pass", "criteria": {"sy.task.forum_report": "met", "sy.task.member_sharing": "met"}},
)
s1 = copy.deepcopy(s)
s1["activities"][-1]["scope"] = "school"
add(
    "sy.task.member_sharing-school-unmet",
    "p7 shared only at school level",
    s1,
    {"grade": "fail", "criteria": {"sy.task.member_sharing": "unmet"}, "members": {"p7": "fail", "p2": "pass"}},
)
s3 = last_year(base())
s3["outputs"] += [output("consulting_report", "2024-11-01"), output("consulting_report", "2026-03-01")]
s3["activities"] += [
    activity("r1", "2025-06-01", "results_promotion"),
    activity("r2", "2026-10-01", "results_promotion"),
]
add(
    "sy.task.member_sharing-studio-not-applicable",
    "Last year of a studio's cycle, no member shared experience: the sentence stands in the workshop clause of "
    "第七条7, so it does not apply to a studio (decided 2026-12-01)",
    s3,
    {"grade": "pass", "criteria": {"sy.task.member_sharing": "not_applicable", "sy.task.promotion": "met"}},
)
s2 = copy.deepcopy(s)
next(a for a in s2["activities"] if a["id"] == "f1")["scope"] = "county"
add(
    "sy.task.forum_report-county-unmet",
    "The host's report was at a county forum, not the municipal one",
    s2,
    {"grade": "fail", "criteria": {"sy.task.forum_report": "unmet"}},
)

# --- application (第二、三条) -------------------------------------------------------------------------------
s = application()
add(
    "sy.application-studio-pass",
    "A studio's application on 2025-06-01",
    s,
    {
        "grade": "pass",
        "criteria": {
            "sy.team.size": "met",
            "sy.team.mix": "met",
            "sy.team.schools": "not_applicable",
            "sy.host.retirement": "met",
            "sy.host.priority": "notice",
        },
    },
)
for n in (4, 5):
    s = application()
    drop(s, "members", lambda x, n=n: x["role"] == "member" and int(x["person"][1:]) > n + 1)
    add(
        f"sy.team.size-{n}-{'met' if n == 5 else 'unmet'}",
        f"{n} members",
        s,
        {"grade": "pass" if n == 5 else "fail", "criteria": {"sy.team.size": "met" if n == 5 else "unmet"}},
    )
for n in (10, 11):
    s = application()
    for i in range(8, n + 2):
        s["people"].append(
            {"id": f"p{i}", "name": f"成员{i}", "sex": "M", "born": "1985-01-01", "school": "s1", "position": "teacher"}
        )
        s["members"].append({"person": f"p{i}", "role": "member", "category": "backbone", "joined": "2024-01-01"})
    add(
        f"sy.team.size-{n}-{'met' if n == 10 else 'unmet'}",
        f"{n} members",
        s,
        {"grade": "pass" if n == 10 else "fail", "criteria": {"sy.team.size": "met" if n == 10 else "unmet"}},
    )
s = application()
drop(s, "members", lambda x: x.get("category") == "new_teacher")
add(
    "sy.team.mix-no-new-teacher-unmet",
    "A studio without a new teacher",
    s,
    {"grade": "fail", "criteria": {"sy.team.mix": "unmet", "sy.team.size": "met"}},
)

s = application("workshop")
add(
    "sy.application-workshop-pass",
    "A workshop's application: 6 schools, a rural vice principal",
    s,
    {
        "grade": "pass",
        "criteria": {
            "sy.team.schools": "met",
            "sy.team.rural_leader": "met",
            "sy.host.principal": "met",
            "sy.team.mix": "not_applicable",
        },
    },
)
s = application("workshop")
for pid in ("p3", "p4"):
    person(s, pid)["school"] = "s2"
add(
    "sy.team.schools-4-unmet",
    "Workshop members from 4 schools",
    s,
    {"grade": "fail", "criteria": {"sy.team.schools": "unmet"}},
)
s = application("workshop")
person(s, "p4")["school"] = "s2"
add(
    "sy.team.schools-5-met",
    "Workshop members from 5 schools",
    s,
    {"grade": "pass", "criteria": {"sy.team.schools": "met"}},
)
s = application("workshop")
person(s, "p7")["position"] = "teacher"
add(
    "sy.team.rural_leader-unmet",
    "The rural member is a teacher, not a school leader",
    s,
    {"grade": "fail", "criteria": {"sy.team.rural_leader": "unmet"}},
)
s = application("workshop")
person(s, "p1")["position"] = "vice_principal"
add(
    "sy.host.principal-vice-unmet",
    "A workshop host who is a vice principal",
    s,
    {"grade": "fail", "criteria": {"sy.host.principal": "unmet"}},
)

# attestations: missing → pending; recorded false → unmet
s = application()
del s["attestations"]["sy.host.ethics"]
add(
    "sy.host.ethics-pending",
    "Ethics not yet judged",
    s,
    {"grade": "pending", "criteria": {"sy.host.ethics": "pending"}},
)
s["attestations"]["sy.host.ethics"] = False
add(
    "sy.host.ethics-false-unmet", "Ethics judged not met", s, {"grade": "fail", "criteria": {"sy.host.ethics": "unmet"}}
)
s = application()
del s["attestations"]["sy.host.ethics"]
drop(s, "members", lambda x: x.get("category") == "new_teacher")
add(
    "sy.host.ethics-pending-but-fail",
    "Ethics not judged, but the team lacks a new teacher: fail anyway",
    s,
    {"grade": "fail", "criteria": {"sy.host.ethics": "pending", "sy.team.mix": "unmet"}},
)
s = application()
person(s, "p1").update(title="deputy_senior", backbone_level="county")
add(
    "sy.host.qualification-pending",
    "Neither senior title nor municipal designation: leadership to be judged",
    s,
    {"grade": "pending", "criteria": {"sy.host.qualification": "pending"}},
)
s["attestations"]["sy.host.qualification"] = True
add(
    "sy.host.qualification-attested-met",
    "Outstanding leadership in research and training, judged",
    s,
    {"grade": "pass", "criteria": {"sy.host.qualification": "met"}},
)
s = application()
person(s, "p1").update(title="deputy_senior", backbone_level="county", honors=["provincial_special_grade_teacher"])
add(
    "sy.host.qualification-honor-met",
    "A provincial special-grade teacher (及以上称号)",
    s,
    {"grade": "pass", "criteria": {"sy.host.qualification": "met", "sy.host.priority": "notice"}},
)
s = application()
person(s, "p1").update(title="deputy_senior", backbone_level="county", honors=["municipal_chief_teacher"])
add(
    "sy.host.qualification-chief-teacher-met",
    "A municipal chief teacher (市首席教师), an honour of the priority list of 第三条3: qualifies (decided 2026-12-01)",
    s,
    {"grade": "pass", "criteria": {"sy.host.qualification": "met", "sy.host.priority": "notice"}},
)
s = application()
person(s, "p1").update(title="deputy_senior", backbone_level="county", honors=["previous_host"])
add(
    "sy.host.qualification-previous-host-pending",
    "Only 上届主持人 from the priority list: a role, not a 称号 — priority, but the qualification awaits the "
    "judgement of research-training leadership",
    s,
    {"grade": "pending", "criteria": {"sy.host.qualification": "pending", "sy.host.priority": "notice"}},
)

# sy.host.retirement: recorded date, exactly 3 years and 3 years minus one day
s = application(date="2025-06-01")
person(s, "p1")["retirement_date"] = "2028-06-01"
add(
    "sy.host.retirement-3y-met",
    "Retirement exactly 3 years after the application",
    s,
    {"grade": "pass", "criteria": {"sy.host.retirement": "met"}},
)
person(s, "p1")["retirement_date"] = "2028-05-31"
add(
    "sy.host.retirement-3y-minus-1d-unmet",
    "Retirement 3 years minus one day after the application",
    s,
    {"grade": "fail", "criteria": {"sy.host.retirement": "unmet"}},
)
# computed: a man born 1968-03-15 retires at 60 years 10 months, on 2029-01-15
s = application(date="2026-01-15")
person(s, "p1")["born"] = "1968-03-15"
add(
    "sy.host.retirement-computed-met",
    "Man born 1968-03-15: retires 2029-01-15, exactly 3 years after",
    s,
    {"grade": "pass", "criteria": {"sy.host.retirement": "met"}},
)
s["evaluate"]["date"] = "2026-01-16"
add(
    "sy.host.retirement-computed-unmet",
    "Man born 1968-03-15, application one day later",
    s,
    {"grade": "fail", "criteria": {"sy.host.retirement": "unmet"}},
)
# a woman (55) born 1973-06-10 retires at 55 years 11 months, on 2029-05-10
s = application(date="2026-05-10")
person(s, "p1").update(sex="F", born="1973-06-10")
add(
    "sy.host.retirement-female-met",
    "Woman born 1973-06-10: retires 2029-05-10, exactly 3 years after",
    s,
    {"grade": "pass", "criteria": {"sy.host.retirement": "met"}},
)
s["evaluate"]["date"] = "2026-05-11"
add(
    "sy.host.retirement-female-unmet",
    "Woman born 1973-06-10, application one day later",
    s,
    {"grade": "fail", "criteria": {"sy.host.retirement": "unmet"}},
)


def main() -> None:
    for old in HERE.glob("*.json"):
        old.unlink()
    for name, scenario in SCENARIOS.items():
        text = json.dumps(scenario, ensure_ascii=False, indent=1)
        (HERE / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    print(f"{len(SCENARIOS)} scenarios written")


if __name__ == "__main__":
    main()
