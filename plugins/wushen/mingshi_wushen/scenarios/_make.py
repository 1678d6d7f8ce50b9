"""Write Wushen's rule scenarios: each file sits on one side of the boundary of one rule.

Deterministic: ``python plugins/wushen/mingshi_wushen/scenarios/_make.py`` rewrites the JSON files beside it (the
tests read the JSON files). A small studio — host p1 and members p2, p3, p4 — that meets every item
of school year 2023–2024 is the base; each scenario changes one thing and says what to expect.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).parent
PEOPLE = ("p1", "p2", "p3", "p4")


def person(pid, name, born, position, level, honors=(), history=None):
    out = {
        "id": pid,
        "name": name,
        "sex": "F",
        "born": born,
        "school": "s1" if pid in ("p1", "p3") else "s2",
        "position": position,
        "title": "senior" if position == "researcher" else "intermediate",
        "backbone_level": level,
        "honors": list(honors),
    }
    if history:
        out["backbone_history"] = history
    return out


def activity(aid, date, type_, scope="studio", led_by=("p1",), plan=None, title=None):
    out = {
        "id": aid,
        "date": date,
        "type": type_,
        "scope": scope,
        "led_by": list(led_by),
        "title": title or aid,
        "attendance": [{"person": p, "status": "present"} for p in PEOPLE],
    }
    if plan:
        out["plan_approved"] = plan
    return out


def school_year(y: int) -> tuple[list, list]:
    """Activities and outputs that meet every item of the school year ending in ``y``."""
    a, s = y - 1, y
    acts = [
        activity(f"pa{y}", f"{a}-09-05", "planning_meeting", title=f"{a}年秋季学期工作部署会"),
        activity(f"sema{y}-1", f"{a}-10-20", "seminar", "county", plan=f"{a}-09-20", title="旗级专题研讨一"),
        activity(f"la{y}", f"{a}-11-10", "lecture", "county", plan=f"{a}-10-20", title="面向全旗的公开讲座"),
        activity(f"sema{y}-2", f"{a}-11-21", "seminar", "county", plan=f"{a}-09-20", title="旗级专题研讨二"),
        activity(f"sa{y}", f"{s}-01-10", "summary_meeting", title=f"{a}年秋季学期总结会"),
        activity(f"pb{y}", f"{s}-02-26", "planning_meeting", title=f"{s}年春季学期工作部署会"),
        activity(f"semb{y}-1", f"{s}-03-20", "seminar", "county", plan=f"{s}-02-28", title="旗级专题研讨三"),
        activity(f"lb{y}", f"{s}-04-10", "report_meeting", "county", plan=f"{s}-03-20", title="成果报告会"),
        activity(f"semb{y}-2", f"{s}-04-21", "seminar", "county", plan=f"{s}-02-28", title="旗级专题研讨四"),
        activity(f"ob{y}", f"{s}-05-15", "send_teaching", "county", plan=f"{s}-04-20", title="送教下乡"),
        activity(f"sb{y}", f"{s}-07-01", "summary_meeting", title=f"{s}年春季学期总结会"),
    ]
    for i, p in enumerate(PEOPLE):
        acts.append(
            activity(f"in{y}-{p}", f"{s}-05-{20 + i}", "seminar", led_by=(p,), title=f"工作室内专题研讨（{p}）")
        )
    outs = []
    for p in PEOPLE:
        outs += [
            {"type": "paper", "date": f"{a}-12-15", "people": [p], "chars": 2050, "title": f"秋季论文{p}"},
            {"type": "paper", "date": f"{s}-06-15", "people": [p], "chars": 1980, "title": f"春季论文{p}"},
            {"type": "reflection", "date": f"{s}-07-10", "people": [p], "chars": 1100, "title": f"反思{p}"},
            {"type": "teaching_design", "date": f"{a}-10-01", "people": [p], "title": f"教学设计一{p}"},
            {"type": "teaching_design", "date": f"{s}-04-01", "people": [p], "title": f"教学设计二{p}"},
        ]
    return acts, outs


def base(years=(2024,), kind="annual") -> dict:
    acts, outs = [], []
    for y in years:
        more_acts, more_outs = school_year(y)
        acts += more_acts
        outs += more_outs
    evaluate = {"kind": "annual", "year": years[-1]} if kind == "annual" else {"kind": "cycle"}
    return {
        "jurisdiction": "wushen",
        "evaluate": evaluate,
        "studio": {
            "kind": "studio",
            "name": "乌审旗初中数学名师工作室",
            "county": "乌审旗",
            "cycle_start": "2023-09-01",
        },
        "schools": [
            {"id": "s1", "name": "乌审旗第一中学", "rural": False, "county": "乌审旗"},
            {"id": "s2", "name": "乌审旗嘎鲁图镇第二小学", "rural": False, "county": "乌审旗"},
        ],
        "people": [
            person("p1", "巴特尔", "1978-04-01", "researcher", "municipal"),
            person("p2", "高娜", "1993-06-01", "teacher", "county"),
            person("p3", "李敏", "1992-03-01", "teacher", "school", ["basic_skills_first_prize"]),
            person("p4", "王芳", "1980-06-01", "teacher", "municipal"),
        ],
        "members": [
            {"person": p, "role": "host" if p == "p1" else "member", "joined": "2023-09-01", "left": None}
            for p in PEOPLE
        ],
        "activities": acts,
        "outputs": outs,
        "pairings": [],
        "attestations": {},
        "expenses": [],
    }


def cycle_base() -> dict:
    """The whole cycle 2023-09-01 → 2026-08-31 with every item met."""
    data = base((2024, 2025, 2026), kind="cycle")
    data["outputs"].append(
        {
            "type": "research_project",
            "level": "county",
            "date": "2025-12-20",
            "people": list(PEOPLE),
            "status": "completed",
            "title": "初中数学大单元教学研究",
        }
    )
    data["pairings"] = [{"person": p, "rural_teacher": f"乡村教师{p}", "date": "2023-10-15"} for p in PEOPLE]
    # p3, young, becomes a banner-level backbone teacher in the cycle
    people = {p["id"]: p for p in data["people"]}
    people["p3"]["backbone_history"] = [
        {"level": "school", "date": "2020-09-01"},
        {"level": "county", "date": "2025-06-01"},
    ]
    people["p3"]["backbone_level"] = "county"
    return data


def application_base() -> dict:
    data = base()
    data["evaluate"] = {"kind": "application", "date": "2023-09-01"}
    data["activities"], data["outputs"] = [], []
    return data


# ---------------------------------------------------------------------------------------------
# helpers to change one thing


def act(data, aid):
    return next(a for a in data["activities"] if a["id"] == aid)


def drop(data, *aids):
    data["activities"] = [a for a in data["activities"] if a["id"] not in aids]


def output(data, type_, who, date_prefix=""):
    return next(
        o for o in data["outputs"] if o["type"] == type_ and o["people"] == [who] and o["date"].startswith(date_prefix)
    )


def absent(data, who, count, status="absent"):
    """Mark ``who`` absent (or excused) from the first ``count`` activities of the period."""
    for a in sorted(data["activities"], key=lambda a: a["date"])[:count]:
        for rec in a["attendance"]:
            if rec["person"] == who:
                rec["status"] = status


PASS_ANNUAL = {
    "ws.team.lecture": "met",
    "ws.team.seminar": "met",
    "ws.team.outreach": "met",
    "ws.ops.meetings": "met",
    "ws.ops.study": "met",
    "ws.ops.filing": "met",
    "ws.ind.paper": "met",
    "ws.ind.reflection": "met",
    "ws.ind.designs": "met",
    "ws.ind.seminar": "met",
    "ws.ind.participation": "met",
    "ws.team.project": "not_applicable",
    "ws.team.backbone": "not_applicable",
    "ws.team.pairing": "not_applicable",
    "ws.ind.project": "not_applicable",
}

SCENARIOS: dict[str, tuple[dict, dict]] = {}


def scenario(name, data, grade, criteria=None, members=None, funding="0.00", consequences=()):
    expect = {"grade": grade, "criteria": criteria or {}, "consequences": list(consequences), "funding": funding}
    if members:
        expect["members"] = members
    if data["evaluate"]["kind"] == "application":
        expect.pop("funding")
    SCENARIOS[name] = (data, expect)


def all_pass(**extra):
    return {p: "pass" for p in PEOPLE} | extra


# --- the base: school year 2023–2024, everything met ------------------------------------------
scenario("ws.annual-all-met", base(), "pass", PASS_ANNUAL, all_pass())

# --- （二十）3 ws.team.lecture: one banner-wide lecture or report meeting each semester ---------
d = base()
drop(d, "lb2024")
scenario("ws.team.lecture-0-in-spring-unmet", d, "fail", {"ws.team.lecture": "unmet"})
d = base()
act(d, "lb2024")["scope"] = "school"
scenario("ws.team.lecture-school-scope-unmet", d, "fail", {"ws.team.lecture": "unmet"})
d = base()
act(d, "lb2024")["type"] = "lecture"
scenario("ws.team.lecture-1-met", d, "pass", {"ws.team.lecture": "met"})

# --- （二十）4 ws.team.seminar: two banner-level seminars each semester --------------------------
d = base()
drop(d, "semb2024-2")
scenario("ws.team.seminar-1-unmet", d, "fail", {"ws.team.seminar": "unmet", "ws.ops.study": "met"})
d = base()
act(d, "sema2024-2")["scope"] = "municipal"
scenario("ws.team.seminar-2-met", d, "pass", {"ws.team.seminar": "met"})

# --- （十一） ws.team.outreach: one support-teaching or sent-teaching activity each school year -----
d = base()
drop(d, "ob2024")
scenario("ws.team.outreach-0-unmet", d, "fail", {"ws.team.outreach": "unmet", "ws.ops.filing": "met"})
d = base()
act(d, "ob2024")["type"] = "support_teaching"
act(d, "ob2024")["scope"] = "studio"
scenario("ws.team.outreach-1-met", d, "pass", {"ws.team.outreach": "met"})

# --- （十八）1 ws.ops.meetings: a planning and a summary meeting each semester --------------------
d = base()
drop(d, "sa2024")
scenario("ws.ops.meetings-no-autumn-summary-unmet", d, "fail", {"ws.ops.meetings": "unmet"})
d = base()
act(d, "sa2024")["date"] = "2024-01-31"
scenario("ws.ops.meetings-summary-on-last-day-met", d, "pass", {"ws.ops.meetings": "met"})
d = base()
act(d, "sa2024")["date"] = "2024-02-01"
scenario("ws.ops.meetings-summary-a-day-late-unmet", d, "fail", {"ws.ops.meetings": "unmet"})

# --- （十八）1 ws.ops.study: two work seminars, report meetings or study visits each semester -------
d = base()
drop(d, "sema2024-2")
scenario("ws.ops.study-1-unmet", d, "fail", {"ws.ops.study": "unmet", "ws.team.seminar": "unmet"})
d = base()
drop(d, "sema2024-2")
d["activities"].append(activity("obs2024", "2023-12-05", "observation", "municipal", title="外出观摩学习"))
scenario("ws.ops.study-2-met", d, "fail", {"ws.ops.study": "met", "ws.team.seminar": "unmet"})
d = base()
drop(d, "sema2024-2")
d["activities"].append(activity("tr2024", "2023-12-05", "training", "municipal", title="外出学习培训"))
scenario("ws.ops.study-training-counts-met", d, "fail", {"ws.ops.study": "met", "ws.team.seminar": "unmet"})
d = base()
drop(d, "sema2024-2")
# 乌审旗名师工作室管理办法 names no forum (论坛): a forum is recorded as ``other``, which （十八）1 does not list
d["activities"].append(activity("fo2024", "2023-12-05", "other", "municipal", title="教育论坛"))
scenario("ws.ops.study-forum-not-listed-unmet", d, "fail", {"ws.ops.study": "unmet", "ws.team.seminar": "unmet"})

# --- （十五） ws.ops.filing: banner-wide plans approved before the activity ------------------------
d = base()
act(d, "lb2024")["plan_approved"] = "2024-04-11"
scenario("ws.ops.filing-approved-a-day-late-unmet", d, "fail", {"ws.ops.filing": "unmet", "ws.team.lecture": "met"})
d = base()
act(d, "lb2024")["plan_approved"] = "2024-04-10"
scenario("ws.ops.filing-approved-same-day-met", d, "pass", {"ws.ops.filing": "met"})
d = base()
del act(d, "sema2024-1")["plan_approved"]
scenario("ws.ops.filing-missing-unmet", d, "fail", {"ws.ops.filing": "unmet", "ws.team.seminar": "met"})

# --- （二十一）2 ws.ind.paper: a paper of about 2,000 characters (⚙ ≥ 1,800) each semester ------
d = base()
output(d, "paper", "p3", "2024")["chars"] = 1799
scenario("ws.ind.paper-1799-unmet", d, "pass", {"ws.ind.paper": "unmet"}, all_pass(p3="fail"))
d = base()
output(d, "paper", "p3", "2024")["chars"] = 1800
scenario("ws.ind.paper-1800-met", d, "pass", {"ws.ind.paper": "met"}, all_pass())
d = base()
for p in PEOPLE:
    output(d, "paper", p, "2024")["chars"] = 2000
output(d, "paper", "p3", "2024")["chars"] = 1900
d["parameters"] = {"ws.paper.min_chars": "2000"}
scenario("ws.ind.paper-1900-with-2000-required-unmet", d, "pass", {"ws.ind.paper": "unmet"}, all_pass(p3="fail"))
d = base()
del output(d, "paper", "p3", "2024")["chars"]
scenario("ws.ind.paper-no-length-unmet", d, "pass", {"ws.ind.paper": "unmet"}, all_pass(p3="fail"))
d = base()
output(d, "paper", "p3", "2023")["date"] = "2024-02-01"
scenario("ws.ind.paper-two-in-spring-none-in-autumn-unmet", d, "pass", {"ws.ind.paper": "unmet"}, all_pass(p3="fail"))

# --- （二十一）3 ws.ind.reflection: about 1,000 characters (⚙ ≥ 900) each school year -----------
d = base()
output(d, "reflection", "p2")["chars"] = 899
scenario("ws.ind.reflection-899-unmet", d, "pass", {"ws.ind.reflection": "unmet"}, all_pass(p2="fail"))
d = base()
output(d, "reflection", "p2")["chars"] = 900
scenario("ws.ind.reflection-900-met", d, "pass", {"ws.ind.reflection": "met"}, all_pass())
d = base()
output(d, "reflection", "p2")["date"] = "2024-09-01"
scenario("ws.ind.reflection-next-school-year-unmet", d, "pass", {"ws.ind.reflection": "unmet"}, all_pass(p2="fail"))

# --- （二十一）4 ws.ind.designs: two teaching designs each school year --------------------------
d = base()
d["outputs"].remove(output(d, "teaching_design", "p4", "2024"))
scenario("ws.ind.designs-1-unmet", d, "pass", {"ws.ind.designs": "unmet"}, all_pass(p4="fail"))
d = base()
output(d, "teaching_design", "p4", "2024")["people"] = ["p4", "p2"]
scenario("ws.ind.designs-2-met", d, "pass", {"ws.ind.designs": "met"}, all_pass())

# --- （二十一）5 ws.ind.seminar: organise one in-studio seminar each school year -----------------
d = base()
act(d, "in2024-p2")["led_by"] = ["p1"]
scenario("ws.ind.seminar-0-unmet", d, "pass", {"ws.ind.seminar": "unmet"}, all_pass(p2="fail"))
d = base()
act(d, "in2024-p2")["led_by"] = ["p1", "p2"]
scenario("ws.ind.seminar-1-co-led-met", d, "pass", {"ws.ind.seminar": "met"}, all_pass())
d = base()
act(d, "in2024-p2")["scope"] = "county"
act(d, "in2024-p2")["plan_approved"] = "2024-05-01"
scenario("ws.ind.seminar-banner-scope-not-in-studio-unmet", d, "pass", {"ws.ind.seminar": "unmet"}, all_pass(p2="fail"))

# --- （二十一）6 ws.ind.participation: absent from at most half (⚙ 0.5) -------------------------
# 15 activities; p4's record is removed from one, leaving 14 recorded
d = base()
act(d, "in2024-p1")["attendance"] = [r for r in act(d, "in2024-p1")["attendance"] if r["person"] != "p4"]
absent(d, "p4", 7)
scenario("ws.ind.participation-7-of-14-exactly-half-met", d, "pass", {"ws.ind.participation": "met"}, all_pass())
d = base()
act(d, "in2024-p1")["attendance"] = [r for r in act(d, "in2024-p1")["attendance"] if r["person"] != "p4"]
absent(d, "p4", 8)
scenario(
    "ws.ind.participation-8-of-14-over-half-unmet", d, "pass", {"ws.ind.participation": "unmet"}, all_pass(p4="fail")
)
d = base()
absent(d, "p4", 12, "excused")
scenario("ws.ind.participation-excused-never-counts-met", d, "pass", {"ws.ind.participation": "met"}, all_pass())

# Leave (jurisdictions.md, "Absences", decided 2026-12-01): with 14 recorded, p4 is absent from the first 7
# (exactly half) and on leave from the 8th, lb2024 on 2024-04-10. Leave approved on or before the activity's
# date, or recorded without a date, is leave approved in advance; approved after it, it is the 8th absence.
for suffix, approved, over in (
    ("without-date-met", None, False),
    ("day-before-met", "2024-04-09", False),
    ("same-day-met", "2024-04-10", False),
    ("day-after-unmet", "2024-04-11", True),
):
    d = base()
    act(d, "in2024-p1")["attendance"] = [r for r in act(d, "in2024-p1")["attendance"] if r["person"] != "p4"]
    absent(d, "p4", 7)
    leave = next(r for r in act(d, "lb2024")["attendance"] if r["person"] == "p4")
    leave["status"] = "excused"
    if approved:
        leave["leave_approved"] = approved
    scenario(
        f"ws.ind.participation-leave-{suffix}",
        d,
        "pass",
        {"ws.ind.participation": "unmet" if over else "met"},
        all_pass(p4="fail") if over else all_pass(),
    )

# --- removed members stay removed ---------------------------------------------------------------
d = base()
ms = next(m for m in d["members"] if m["person"] == "p4")
ms.update(left="2024-03-01", removal_rule="manual", removal_reason="调离原工作岗位")
d["outputs"] = [o for o in d["outputs"] if o["people"] != ["p4"]]
scenario(
    "ws.member-removed-not-assessed",
    d,
    "pass",
    {"ws.ind.paper": "met", "ws.ind.participation": "met"},
    {"p1": "pass", "p2": "pass", "p3": "pass", "p4": "removed"},
)
d = base()
next(m for m in d["members"] if m["person"] == "p4")["joined"] = "2024-02-01"
d["outputs"] = [o for o in d["outputs"] if not (o["people"] == ["p4"] and o["date"].startswith("2023"))]
scenario("ws.member-joined-in-spring-autumn-not-due-met", d, "pass", {"ws.ind.paper": "met"}, all_pass())

# --- funding （十九）: the amount for the school year that starts in Y; ⚙ ¥0 until set ----------
d = base()
d["parameters"] = {"ws.funding.annual": "20000"}
scenario("ws.funding-annual-set-20000", d, "pass", funding="20000.00")
d = base((2024, 2025, 2026))
d["parameters"] = {"ws.funding.annual": "20000"}
scenario("ws.funding-last-school-year-outside-cycle-zero", d, "pass", {"ws.team.outreach": "met"}, funding="0.00")
d = base()
scenario("ws.funding-default-zero", d, "pass", funding="0.00")

# --- the cycle ---------------------------------------------------------------------------------
PASS_CYCLE = {k: "met" for k in PASS_ANNUAL}
scenario("ws.cycle-all-met", cycle_base(), "pass", PASS_CYCLE, all_pass(), funding="0.00")
d = cycle_base()
d["parameters"] = {"ws.funding.annual": "20000"}
scenario("ws.funding-cycle-total-60000", d, "pass", {"ws.team.project": "met"}, all_pass(), funding="60000.00")

# （二十）1 ws.team.project
d = cycle_base()
d["outputs"][-1]["status"] = "underway"
scenario("ws.team.project-underway-unmet", d, "fail", {"ws.team.project": "unmet", "ws.ind.project": "met"})
d = cycle_base()
d["outputs"][-1]["level"] = "school"
scenario("ws.team.project-school-level-unmet", d, "fail", {"ws.team.project": "unmet", "ws.ind.project": "unmet"})
d = cycle_base()
d["outputs"][-1]["date"] = "2026-09-01"
scenario("ws.team.project-after-cycle-end-unmet", d, "fail", {"ws.team.project": "unmet"})
d = cycle_base()
d["outputs"][-1]["date"] = "2026-08-31"
scenario("ws.team.project-on-last-day-met", d, "pass", {"ws.team.project": "met"})

# （二十一）1 ws.ind.project
d = cycle_base()
d["outputs"][-1]["people"] = ["p1", "p2", "p3"]
scenario("ws.ind.project-not-joined-unmet", d, "pass", {"ws.ind.project": "unmet"}, all_pass(p4="fail"))

# （二十）2 ws.team.backbone: 3 × (young at banner level at the cycle end) ≥ young members
# p2 (county) and p3 (county from 2025) are young; p4 (school level here) is made young or not
d = cycle_base()
people = {p["id"]: p for p in d["people"]}
people["p3"]["backbone_history"] = [{"level": "school", "date": "2020-09-01"}]
people["p3"]["backbone_level"] = "school"
people["p2"]["backbone_level"] = "school"
scenario("ws.team.backbone-0-of-2-unmet", d, "fail", {"ws.team.backbone": "unmet"})


def backbone_case(born: str) -> dict:
    d = cycle_base()
    people = {p["id"]: p for p in d["people"]}
    people["p3"]["backbone_history"] = [{"level": "school", "date": "2020-09-01"}]
    people["p3"]["backbone_level"] = "school"
    d["people"].append(person("p5", "赵磊", born, "teacher", "school", ["moral_education_first_prize"]))
    d["people"].append(person("p6", "刘洋", "1995-01-01", "teacher", "school", ["basic_skills_first_prize"]))
    d["members"] += [{"person": p, "role": "member", "joined": "2023-09-01", "left": None} for p in ("p5", "p6")]
    d["pairings"] += [{"person": p, "rural_teacher": f"乡村教师{p}", "date": "2024-03-01"} for p in ("p5", "p6")]
    return d


# young: p2 (county), p3, p6 and p5 if under 35 on 2023-09-01 → 1 of 3 met, 1 of 4 unmet
scenario("ws.team.backbone-age-35-not-young-met", backbone_case("1988-09-01"), "pass", {"ws.team.backbone": "met"})
scenario("ws.team.backbone-age-34-young-unmet", backbone_case("1988-09-02"), "fail", {"ws.team.backbone": "unmet"})

# （十一） ws.team.pairing
d = cycle_base()
d["pairings"] = [p for p in d["pairings"] if p["person"] != "p3"]
scenario("ws.team.pairing-one-missing-unmet", d, "fail", {"ws.team.pairing": "unmet"}, all_pass())
d = cycle_base()
d["pairings"][2]["date"] = "2026-08-31"
scenario("ws.team.pairing-on-last-day-met", d, "pass", {"ws.team.pairing": "met"}, all_pass())

# --- application （四）（五）（六）: measurable part + reviewer's judgement ---------------------------
d = application_base()
scenario(
    "ws.application-attestations-missing-pending",
    d,
    "pending",
    {"ws.host.qualification": "met", "ws.member.qualification": "pending", "ws.team.composition": "met"},
    {"p1": "pass", "p2": "pending", "p3": "pending", "p4": "pending"},
)
d = application_base()
d["attestations"] = {"ws.member.qualification": True}
scenario(
    "ws.application-team-attested-pass",
    d,
    "pass",
    {"ws.host.qualification": "met", "ws.member.qualification": "met", "ws.team.composition": "met"},
    {"p1": "pass", "p2": "pass", "p3": "pass", "p4": "pass"},
)
d = application_base()
d["attestations"] = {"ws.member.qualification": True, "ws.member.qualification@p3": False}
scenario(
    "ws.member.qualification-attested-false-unmet",
    d,
    "fail",
    {"ws.member.qualification": "unmet"},
    {"p2": "pass", "p3": "fail"},
)
d = application_base()
people = {p["id"]: p for p in d["people"]}
people["p3"]["honors"] = []
scenario(
    "ws.member.qualification-school-level-no-prize-unmet",
    d,
    "fail",
    {"ws.member.qualification": "unmet"},
    {"p3": "fail"},
)
d = application_base()
people = {p["id"]: p for p in d["people"]}
people["p3"]["honors"] = ["moral_education_first_prize"]
d["attestations"] = {"ws.member.qualification": True}
scenario("ws.member.qualification-moral-prize-met", d, "pass", {"ws.member.qualification": "met"})
d = application_base()
people = {p["id"]: p for p in d["people"]}
people["p3"]["honors"] = []
people["p3"]["backbone_history"] = [{"level": "county", "date": "2023-09-02"}]
d["attestations"] = {"ws.member.qualification": True}
scenario("ws.member.qualification-county-a-day-after-unmet", d, "fail", {"ws.member.qualification": "unmet"})
d = application_base()
people = {p["id"]: p for p in d["people"]}
people["p3"]["honors"] = []
people["p3"]["backbone_history"] = [{"level": "county", "date": "2023-09-01"}]
d["attestations"] = {"ws.member.qualification": True}
scenario("ws.member.qualification-county-on-the-day-met", d, "pass", {"ws.member.qualification": "met"})

d = application_base()
people = {p["id"]: p for p in d["people"]}
people["p1"]["position"] = "teacher"
d["attestations"] = {"ws.member.qualification": True}
scenario("ws.host.qualification-teacher-pending", d, "pending", {"ws.host.qualification": "pending"}, {"p1": "pending"})
d = application_base()
people = {p["id"]: p for p in d["people"]}
people["p1"]["position"] = "teacher"
d["attestations"] = {"ws.member.qualification": True, "ws.host.qualification": True}
scenario("ws.host.qualification-teacher-attested-met", d, "pass", {"ws.host.qualification": "met"}, {"p1": "pass"})
d = application_base()
people = {p["id"]: p for p in d["people"]}
people["p1"]["position"] = "teacher"
d["attestations"] = {"ws.member.qualification": True, "ws.host.qualification": False}
scenario("ws.host.qualification-teacher-attested-false-unmet", d, "fail", {"ws.host.qualification": "unmet"})
d = application_base()
people = {p["id"]: p for p in d["people"]}
people["p1"]["position"] = "teacher"
people["p3"]["honors"] = []
scenario(
    "ws.application-fail-whatever-the-pending-attestations",
    d,
    "fail",
    {"ws.host.qualification": "pending", "ws.member.qualification": "unmet"},
)
d = application_base()
d["members"] = [m for m in d["members"] if m["role"] == "host"]
scenario("ws.team.composition-no-member-unmet", d, "fail", {"ws.team.composition": "unmet"})


def main() -> None:
    for old in HERE.glob("*.json"):
        old.unlink()
    for name, (data, expect) in SCENARIOS.items():
        out = copy.deepcopy(data)
        out["expect"] = expect
        text = json.dumps(out, ensure_ascii=False, indent=1)
        (HERE / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    print(f"{len(SCENARIOS)} scenarios written to {HERE}")


if __name__ == "__main__":
    main()
