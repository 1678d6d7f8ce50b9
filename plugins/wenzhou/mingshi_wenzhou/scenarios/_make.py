"""Generate Wenzhou's boundary scenarios (deterministic): ``python plugins/wenzhou/mingshi_wenzhou/scenarios/_make.py``.

Each file is the small base studio below with one change, named after the rule and the side of the
boundary it sits on. The JSON files are what the tests read; this script only writes them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
HOST = "陈晓"
#: what an activity that fills none of the duties becomes: 温州市“名师送教”管理办法 names no seminar (研讨),
#: so a scenario takes a duty's activity away by recording it as ``other`` (declared, for what fits nowhere)
OTHER = "other"
TRAINEES = [f"t{i}" for i in range(1, 11)]


def title(n: int, host: str = HOST) -> str:
    return f"课堂转型——记温州市{host}“名师送教”工作室第{n}次活动"


# (date, type, mode, school, led_by); numbered in date order for the report titles
ACTIVITIES = [
    ("2022-03-15", "open_class", "offline", None, ["p1"]),  # duty 3
    ("2022-04-15", "assignment_design", "offline", "s1", ["p1"]),  # duty 4
    ("2022-05-15", "survey", "offline", "s1", ["p1"]),  # duty 6
    ("2022-06-15", "school_based_study", "offline", "s2", ["p1"]),  # duty 8 (school-based study)
    ("2022-09-20", "open_class", "online", None, TRAINEES[:5]),  # trainee duty (二)
    ("2022-10-20", "lecture", "online", None, TRAINEES[5:]),  # trainee duty (二)
    ("2023-03-15", "cross_subject_study", "offline", "s2", ["p1"]),  # duty 9; the 5th offline
    ("2023-04-15", "cross_region_study", "online", None, ["p1"]),  # duty 10
    ("2023-05-15", "county_joint_study", "online", "s1", ["p1"]),  # duty 11
    ("2023-06-15", "reading", "online", "s1", ["p1"]),  # duty 8 (professional reading)
]


def base(kind: str = "cycle") -> dict:
    people = [
        {
            "id": "p1",
            "name": HOST,
            "born": "1978-03-01",
            "school": "s0",
            "title": "deputy_senior",
            "honors": ["provincial_special_grade_teacher"],
        }
    ]
    members = [{"person": "p1", "role": "host", "joined": "2022-01-01", "left": None}]
    outputs = [
        {
            "type": "research_project",
            "level": "county",
            "date": "2022-04-01",
            "people": ["p1"],
            "status": "approved",
            "title": "结对学校作业设计短板研究",
            "school": "s1",
        },  # duties 5 and 7
        {"type": "news_brief", "date": "2023-06-01", "people": ["p1"], "title": "送教亮点"},  # duty 12
    ]
    for i, t in enumerate(TRAINEES):
        people.append(
            {
                "id": t,
                "name": f"学员{i + 1}",
                "born": "1990-05-01",
                "school": "s1" if i % 2 else "s2",
                "title": "junior",
            }
        )
        members.append({"person": t, "role": "trainee", "joined": "2022-01-01", "left": None})
        outputs += [
            {"type": "growth_plan", "date": "2022-02-01", "people": [t], "title": "三年成长规划"},
            {"type": "assignment_design", "date": "2022-11-01", "people": [t], "title": "单元作业设计"},
            {"type": "lesson_case", "date": "2023-03-01", "people": [t], "title": "课例"},
        ]
    activities = []
    for n, (day, type_, mode, school, led) in enumerate(ACTIVITIES, start=1):
        notice = day[:-2] + f"{int(day[-2:]) - 3:02d}"
        activity = {
            "id": f"a{n}",
            "date": day,
            "type": type_,
            "mode": mode,
            "led_by": led,
            "notice_published": notice,
            "title": title(n),
            "report_published": day[:-2] + "28",
        }
        if school:
            activity["school"] = school
        activities.append(activity)
    evaluate = {"kind": "cycle"} if kind == "cycle" else {"kind": "application", "date": "2022-01-01"}
    return {
        "jurisdiction": "wenzhou",
        "description": "",
        "evaluate": evaluate,
        "studio": {
            "kind": "outreach_studio",
            "name": "陈晓“名师送教”工作室",
            "county": "文成县",
            "cycle_start": "2022-01-01",
        },
        "schools": [
            {"id": "s0", "name": "温州市实验中学", "county": "鹿城区"},
            {"id": "s1", "name": "文成县实验小学", "county": "文成县", "rural": True},
            {"id": "s2", "name": "文成县黄坦镇中学", "county": "文成县", "rural": True},
        ],
        "people": people,
        "members": members,
        "activities": activities,
        "outputs": outputs,
        "attestations": {"wz.duty.1": True},
    }


def activity(s: dict, n: int) -> dict:
    return s["activities"][n - 1]


def attend(s: dict, n: int, person: str, status: str, leave: str | None = None) -> None:
    record = {"person": person, "status": status}
    if leave:
        record["leave_approved"] = leave
    activity(s, n).setdefault("attendance", []).append(record)


SCENARIOS: list[tuple[str, str, Callable[[dict], None] | None, dict]] = []


def scenario(name: str, description: str, expect: dict, kind: str = "cycle"):
    def register(change: Callable[[dict], None]) -> Callable[[dict], None]:
        SCENARIOS.append((name, description, change, {"kind": kind, **expect}))
        return change

    return register


ALL_TRAINEES_PASS = {t: "pass" for t in TRAINEES}


# -- 第九条: grades ----------------------------------------------------------------------------
@scenario(
    "wz.assess-excellent",
    "All 12 host duties, 5 offline activities, 10 trainees: excellent.",
    {
        "grade": "excellent",
        "criteria": {"wz.duty.10": "met", "wz.ops.offline": "met", "wz.team.size": "met"},
        "members": ALL_TRAINEES_PASS,
        "consequences": ["excellent_trainee"],
        "funding": "20000.00",
    },
)
def _excellent(s):
    pass


for _item, _type, _sub in [(9, "cross_subject_study", 7), (10, "cross_region_study", 8), (11, "county_joint_study", 9)]:

    @scenario(
        f"wz.duty.{_item}-unmet-pass",
        f"No {_type} activity: a development duty unmet, grade pass.",
        {
            "grade": "pass",
            "criteria": {f"wz.duty.{_item}": "unmet"},
            "consequences": ["excellent_trainee"],
            "funding": "20000.00",
        },
    )
    def _dev(s, _sub=_sub):
        activity(s, _sub)["type"] = OTHER


@scenario(
    "wz.duty.12-unmet-pass",
    "No news brief: development duty 12 unmet, grade pass.",
    {"grade": "pass", "criteria": {"wz.duty.12": "unmet"}, "consequences": ["excellent_trainee"]},
)
def _d12(s):
    s["outputs"] = [o for o in s["outputs"] if o["type"] != "news_brief"]


FAIL = ["excellent_trainee", "no_awards_this_year", "backbone_grade_lowered"]


@scenario(
    "wz.duty.1-pending",
    "No reviewer has judged duty 1 yet; it could make the studio excellent or fail.",
    {"grade": "pending", "criteria": {"wz.duty.1": "pending"}, "consequences": ["excellent_trainee"]},
)
def _d1_pending(s):
    s["attestations"] = {}


@scenario(
    "wz.duty.1-unmet-fail",
    "A reviewer recorded that duty 1 was not done: a basic duty unmet, fail.",
    {"grade": "fail", "criteria": {"wz.duty.1": "unmet"}, "consequences": FAIL, "funding": "20000.00"},
)
def _d1_false(s):
    s["attestations"] = {"wz.duty.1": False}


@scenario(
    "wz.duty.1-pending-grade-fail",
    "Duty 1 awaits a reviewer, but only 4 offline activities: fail whatever "
    "the reviewer says, so the grade is not pending.",
    {"grade": "fail", "criteria": {"wz.duty.1": "pending", "wz.ops.offline": "unmet"}, "consequences": FAIL},
)
def _d1_pending_fail(s):
    s["attestations"] = {}
    activity(s, 7)["mode"] = "online"


@scenario(
    "wz.duty.1-pending-grade-pass-or-fail",
    "Duty 1 awaits a reviewer and duty 10 is unmet: pass or fail.",
    {"grade": "pending", "criteria": {"wz.duty.1": "pending", "wz.duty.10": "unmet"}},
)
def _d1_pending_pass(s):
    s["attestations"] = {}
    activity(s, 8)["type"] = OTHER


@scenario(
    "wz.duty.2-unmet-fail",
    "学员3 has no growth plan: basic duty 2 unmet (fail), and 学员3's own duties unmet.",
    {
        "grade": "fail",
        "criteria": {"wz.duty.2": "unmet", "wz.trainee.duties": "unmet"},
        "members": {"t3": "fail", "t4": "pass"},
        "consequences": FAIL,
    },
)
def _d2(s):
    s["outputs"] = [o for o in s["outputs"] if not (o["type"] == "growth_plan" and o["people"] == ["t3"])]


@scenario(
    "wz.duty.3-unmet-fail",
    "The only demonstration class is given by a trainee, not the host: duty 3 unmet.",
    {"grade": "fail", "criteria": {"wz.duty.3": "unmet"}, "consequences": FAIL},
)
def _d3(s):
    activity(s, 1)["led_by"] = ["t1"]


@scenario(
    "wz.duty.3-lecture-met",
    "The host gives a lecture instead of an open class: duty 3 met.",
    {"grade": "excellent", "criteria": {"wz.duty.3": "met"}},
)
def _d3_lecture(s):
    activity(s, 1)["type"] = "lecture"


@scenario(
    "wz.duty.4-unmet-fail",
    "No assignment-design activity: duty 4 unmet, fail.",
    {"grade": "fail", "criteria": {"wz.duty.4": "unmet"}, "consequences": FAIL},
)
def _d4(s):
    activity(s, 2)["type"] = OTHER


@scenario(
    "wz.duty.5-unmet-fail",
    "No research project at all: duties 5 and 7 unmet, fail.",
    {"grade": "fail", "criteria": {"wz.duty.5": "unmet", "wz.duty.7": "unmet"}, "consequences": FAIL},
)
def _d5(s):
    s["outputs"] = [o for o in s["outputs"] if o["type"] != "research_project"]


@scenario(
    "wz.duty.6-unmet-fail",
    "The survey takes place at the host's own school in 鹿城区, not a paired school.",
    {"grade": "fail", "criteria": {"wz.duty.6": "unmet"}, "consequences": FAIL},
)
def _d6(s):
    activity(s, 3)["school"] = "s0"


@scenario(
    "wz.duty.7-unmet-fail",
    "The research project addresses the host's own school, not a paired school.",
    {"grade": "fail", "criteria": {"wz.duty.5": "met", "wz.duty.7": "unmet"}, "consequences": FAIL},
)
def _d7(s):
    s["outputs"][0]["school"] = "s0"


# 第五条(二)8 校本研修活动和专业阅读活动: both kinds at a paired school (digest, decided 2026-12-01).
# Activity 4 is the school-based study (at s2), activity 10 the professional reading (at s1).
@scenario(
    "wz.duty.8-both-paired-met",
    "School-based study at 文成县黄坦镇中学 and professional reading at 文成县实验小学, both paired schools: met.",
    {"grade": "excellent", "criteria": {"wz.duty.8": "met"}, "consequences": ["excellent_trainee"]},
)
def _d8_both(s):
    pass


@scenario(
    "wz.duty.8-study-only-unmet-fail",
    "School-based study at a paired school but no professional reading (activity 10 is 'other'): duty 8 unmet, fail.",
    {"grade": "fail", "criteria": {"wz.duty.8": "unmet"}, "consequences": FAIL},
)
def _d8_study_only(s):
    activity(s, 10)["type"] = OTHER


@scenario(
    "wz.duty.8-reading-only-unmet-fail",
    "Professional reading at a paired school but no school-based study (activity 4 is 'other'): duty 8 unmet, fail.",
    {"grade": "fail", "criteria": {"wz.duty.8": "unmet"}, "consequences": FAIL},
)
def _d8_reading_only(s):
    activity(s, 4)["type"] = OTHER


@scenario(
    "wz.duty.8-both-outside-county-unmet-fail",
    "Both the school-based study and the professional reading take place at the host's own school in 鹿城区, "
    "outside the county: neither is at a paired school, duty 8 unmet.",
    {"grade": "fail", "criteria": {"wz.duty.8": "unmet"}, "consequences": FAIL},
)
def _d8_outside(s):
    activity(s, 4)["school"] = "s0"
    activity(s, 10)["school"] = "s0"


@scenario(
    "wz.duty.8-unmet-fail",
    "School-based study recorded without a school: not at a paired school, duty 8 unmet.",
    {"grade": "fail", "criteria": {"wz.duty.8": "unmet"}, "consequences": FAIL},
)
def _d8(s):
    del activity(s, 4)["school"]


# -- 第八条(二): offline activities -------------------------------------------------------------
@scenario(
    "wz.ops.offline-5-met",
    "Exactly 5 offline activities in the cycle (4 online).",
    {"grade": "excellent", "criteria": {"wz.ops.offline": "met"}},
)
def _off5(s):
    pass


@scenario(
    "wz.ops.offline-4-unmet",
    "One offline activity moved online: 4 offline, fail.",
    {"grade": "fail", "criteria": {"wz.ops.offline": "unmet"}, "consequences": FAIL, "funding": "20000.00"},
)
def _off4(s):
    activity(s, 7)["mode"] = "online"


@scenario(
    "wz.ops.offline-param-6-unmet",
    "What-if: the bureau asks for 6 offline activities; 5 held.",
    {"grade": "fail", "criteria": {"wz.ops.offline": "unmet"}},
)
def _off_param(s):
    s["parameters"] = {"wz.ops.offline_min": "6"}


# -- 第四条(一): team size ----------------------------------------------------------------------
@scenario(
    "wz.team.size-10-met",
    "10 trainees from schools of 文成县.",
    {"grade": "excellent", "criteria": {"wz.team.size": "met"}},
)
def _team10(s):
    pass


def _drop_trainee(s: dict, t: str) -> None:
    s["members"] = [m for m in s["members"] if m["person"] != t]
    s["people"] = [p for p in s["people"] if p["id"] != t]
    s["outputs"] = [o for o in s["outputs"] if o["people"] != [t]]
    for a in s["activities"]:
        a["led_by"] = [p for p in a["led_by"] if p != t]


@scenario(
    "wz.team.size-9-unmet",
    "Only 9 trainees admitted: fail.",
    {"grade": "fail", "criteria": {"wz.team.size": "unmet"}, "consequences": FAIL},
)
def _team9(s):
    _drop_trainee(s, "t10")


@scenario(
    "wz.team.size-outside-county-unmet",
    "11 trainees, one of them teaching in 鹿城区, outside the county: 10 from the county but not all, unmet.",
    {"grade": "fail", "criteria": {"wz.team.size": "unmet"}},
)
def _team_outside(s):
    s["people"].append({"id": "t11", "name": "学员11", "school": "s0", "title": "junior"})
    s["members"].append({"person": "t11", "role": "trainee", "joined": "2022-01-01", "left": None})
    s["outputs"].append({"type": "growth_plan", "date": "2022-02-01", "people": ["t11"]})


# -- 第七条: absences ---------------------------------------------------------------------------
@scenario(
    "wz.trainee.absence-1-met",
    "学员3 is absent once: keeps the place.",
    {
        "grade": "excellent",
        "criteria": {"wz.trainee.absence": "met"},
        "members": {"t3": "active"},
        "consequences": ["excellent_trainee"],
    },
)
def _abs1(s):
    attend(s, 1, "t3", "present")
    attend(s, 2, "t3", "absent")
    attend(s, 3, "t3", "present")


@scenario(
    "wz.trainee.absence-2-removed",
    "学员3 is absent twice: removed from the date of the second absence "
    "(2022-05-15); the studio's grade is not affected.",
    {
        "grade": "excellent",
        "criteria": {"wz.trainee.absence": "unmet", "wz.team.size": "met"},
        "members": {"t3": "removed", "t4": "pass"},
        "consequences": ["excellent_trainee", "member_removed"],
    },
)
def _abs2(s):
    attend(s, 2, "t3", "absent")
    attend(s, 3, "t3", "absent")


# Leave (jurisdictions.md, "Absences", decided 2026-12-01): approved on or before the activity's date is
# in advance, and so is an "excused" record without a date; approved after the date, it counts as absent.
# 学员3 is absent from activity 2 (2022-04-15); activity 3 (2022-05-15) is the leave under test.
@scenario(
    "wz.trainee.absence-excused-in-advance-met",
    "学员3: one absence, and one leave approved the day before the activity: one unexcused absence, keeps the place.",
    {"criteria": {"wz.trainee.absence": "met"}, "members": {"t3": "active"}},
)
def _abs_leave_ok(s):
    attend(s, 2, "t3", "absent")
    attend(s, 3, "t3", "excused", leave="2022-05-14")


@scenario(
    "wz.trainee.absence-leave-on-the-day-met",
    "学员3: one absence, and leave approved on the day of the activity: approved on or before the day is in "
    "advance, so one unexcused absence, keeps the place.",
    {
        "grade": "excellent",
        "criteria": {"wz.trainee.absence": "met"},
        "members": {"t3": "active"},
        "consequences": ["excellent_trainee"],
    },
)
def _abs_leave_day(s):
    attend(s, 2, "t3", "absent")
    attend(s, 3, "t3", "excused", leave="2022-05-15")


@scenario(
    "wz.trainee.absence-leave-without-date-met",
    "学员3: one absence, and an 'excused' record without an approval date: excused is leave approved in "
    "advance, a missing date does not make it 旷课; one unexcused absence, keeps the place.",
    {
        "grade": "excellent",
        "criteria": {"wz.trainee.absence": "met"},
        "members": {"t3": "active"},
        "consequences": ["excellent_trainee"],
    },
)
def _abs_leave_none(s):
    attend(s, 2, "t3", "absent")
    attend(s, 3, "t3", "excused")


@scenario(
    "wz.trainee.absence-leave-day-after-removed",
    "学员3: one absence, and leave approved only the day after the activity (2022-05-16): not in advance, "
    "按旷课处理 — the second unexcused absence, removed from 2022-05-15.",
    {
        "grade": "excellent",
        "criteria": {"wz.trainee.absence": "unmet", "wz.team.size": "met"},
        "members": {"t3": "removed", "t4": "pass"},
        "consequences": ["excellent_trainee", "member_removed"],
    },
)
def _abs_leave_after(s):
    attend(s, 2, "t3", "absent")
    attend(s, 3, "t3", "excused", leave="2022-05-16")


@scenario(
    "wz.trainee.absence-leave-day-after-once-met",
    "学员3: leave approved the day after activity 3, and no other absence: one unexcused absence, keeps the place.",
    {"criteria": {"wz.trainee.absence": "met"}, "members": {"t3": "active"}},
)
def _abs_leave_after_once(s):
    attend(s, 2, "t3", "present")
    attend(s, 3, "t3", "excused", leave="2022-05-16")


@scenario(
    "wz.trainee.absence-already-removed",
    "学员3 was removed on 2022-05-15 by this rule earlier: stays removed, no second removal.",
    {"criteria": {"wz.trainee.absence": "unmet"}, "members": {"t3": "removed"}, "consequences": ["excellent_trainee"]},
)
def _abs_removed(s):
    attend(s, 2, "t3", "absent")
    attend(s, 3, "t3", "absent")
    for m in s["members"]:
        if m["person"] == "t3":
            m.update(left="2022-05-15", removal_rule="wz.trainee.absence", removal_reason="无故缺席2次")


@scenario(
    "wz.trainee.absence-param-3-met",
    "What-if: removal at the 3rd unexcused absence; 学员3 missed 2.",
    {"criteria": {"wz.trainee.absence": "met"}, "members": {"t3": "active"}},
)
def _abs_param(s):
    s["parameters"] = {"wz.trainee.max_unexcused": "3"}
    attend(s, 2, "t3", "absent")
    attend(s, 3, "t3", "absent")


# -- 第六条: trainee duties  ---------------------------------------------------------------------
@scenario(
    "wz.trainee.duties-left-not-assessed",
    "学员10 left the studio on 2022-12-31 (transferred, not removed): duties not assessed, no individual grade; "
    "10 trainees were admitted, so the team size is met.",
    {
        "grade": "excellent",
        "criteria": {"wz.trainee.duties": "met", "wz.team.size": "met", "wz.duty.2": "met"},
        "members": {"t10": "active", "t9": "pass"},
        "consequences": ["excellent_trainee"],
    },
)
def _duties_left(s):
    s["members"][-1]["left"] = "2022-12-31"
    s["outputs"] = [o for o in s["outputs"] if not (o["type"] == "lesson_case" and o["people"] == ["t10"])]


@scenario(
    "wz.trainee.duties-met",
    "Every trainee: growth plan, an open class or lecture led, an assignment design and a lesson case.",
    {"criteria": {"wz.trainee.duties": "met"}, "members": ALL_TRAINEES_PASS},
)
def _duties_met(s):
    pass


@scenario(
    "wz.trainee.duties-unmet",
    "学员2 wrote no paper or lesson case: 学员2's duties unmet (no excellent-trainee "
    "candidacy); the studio stays excellent.",
    {
        "grade": "excellent",
        "criteria": {"wz.trainee.duties": "unmet"},
        "members": {"t2": "fail", "t1": "pass"},
        "consequences": ["excellent_trainee"],
    },
)
def _duties_unmet(s):
    s["outputs"] = [o for o in s["outputs"] if not (o["type"] == "lesson_case" and o["people"] == ["t2"])]


@scenario(
    "wz.trainee.duties-design-activity-met",
    "学员2 has no assignment-design output but led an assignment-design activity: the duty is met.",
    {"criteria": {"wz.trainee.duties": "met"}, "members": {"t2": "pass"}},
)
def _duties_design(s):
    s["outputs"] = [o for o in s["outputs"] if not (o["type"] == "assignment_design" and o["people"] == ["t2"])]
    activity(s, 2)["led_by"] = ["p1", "t2"]


# -- 第八条(一): notices ------------------------------------------------------------------------
@scenario(
    "wz.ops.notice-day-before-met",
    "Every notice published before the activity (one the day before).",
    {"grade": "excellent", "criteria": {"wz.ops.notice": "met"}},
)
def _notice_before(s):
    activity(s, 5)["notice_published"] = "2022-09-19"


@scenario(
    "wz.ops.notice-same-day-met",
    "A notice published on the day of the activity is on time.",
    {"criteria": {"wz.ops.notice": "met"}},
)
def _notice_same(s):
    activity(s, 5)["notice_published"] = "2022-09-20"


@scenario(
    "wz.ops.notice-day-after-unmet",
    "One notice published the day after the activity: unmet (no basis for reimbursement); the grade is not affected.",
    {"grade": "excellent", "criteria": {"wz.ops.notice": "unmet", "wz.ops.offline": "met"}},
)
def _notice_after(s):
    activity(s, 5)["notice_published"] = "2022-09-21"


@scenario("wz.ops.notice-missing-unmet", "One activity without any notice.", {"criteria": {"wz.ops.notice": "unmet"}})
def _notice_missing(s):
    del activity(s, 3)["notice_published"]


# -- 第八条(三): report titles ------------------------------------------------------------------
@scenario(
    "wz.ops.report_title-matching-met",
    "Titles in the accepted variants: 《》, straight quotes, Chinese numerals.",
    {"criteria": {"wz.ops.report_title": "met"}},
)
def _title_ok(s):
    activity(s, 2)["title"] = "《作业设计——记温州市陈晓“名师送教”工作室第2次活动》"
    activity(s, 3)["title"] = '调研先行——记温州市陈晓"名师送教"工作室第3次活动'
    activity(s, 9)["title"] = "融通研修——记温州市陈晓“名师送教”工作室第九次活动"


@scenario(
    "wz.ops.report_title-wrong-number-unmet",
    "The 4th activity's report calls itself the 5th.",
    {"grade": "excellent", "criteria": {"wz.ops.report_title": "unmet"}},
)
def _title_number(s):
    activity(s, 4)["title"] = title(5)


@scenario(
    "wz.ops.report_title-wrong-form-unmet",
    "A report titled without the prescribed “——记温州市…” part.",
    {"criteria": {"wz.ops.report_title": "unmet"}},
)
def _title_form(s):
    activity(s, 6)["title"] = "学员讲座活动报道"


@scenario(
    "wz.ops.report_title-wrong-host-unmet",
    "A report naming another host.",
    {"criteria": {"wz.ops.report_title": "unmet"}},
)
def _title_host(s):
    activity(s, 1)["title"] = title(1, host="王芳")


# -- 第十二条: funding --------------------------------------------------------------------------
@scenario(
    "wz.funding-override",
    "What-if: 30,000 yuan per cycle; a failing studio keeps its funds.",
    {"grade": "fail", "funding": "30000.00"},
)
def _funding(s):
    s["parameters"] = {"wz.funding.cycle": "30000"}
    activity(s, 7)["mode"] = "online"


@scenario(
    "wz.funding.use-expenses-notice",
    "Expenses of 1,320.50 yuan: an advisory notice, never a refusal.",
    {"grade": "excellent", "criteria": {"wz.funding.use": "notice"}, "funding": "20000.00"},
)
def _expenses(s):
    s["expenses"] = [
        {"date": "2022-03-15", "category": "transport", "amount": "320.50"},
        {"date": "2022-05-15", "category": "expert_fee", "amount": "1000"},
    ]


# -- application (第二、三、四条) ---------------------------------------------------------------
APP_OK = {
    "wz.studio.county": "met",
    "wz.host.qualification": "met",
    "wz.team.size": "met",
    "wz.trainee.admission": "notice",
}


@scenario(
    "wz.application-pass",
    "Host a provincial special-grade teacher, 10 trainees of 文成县, studio in 文成县.",
    {"grade": "pass", "criteria": APP_OK},
    kind="application",
)
def _app(s):
    pass


@scenario(
    "wz.host.qualification-senior-title-met",
    "A host with no listed honour but a senior (正高级) title.",
    {"grade": "pass", "criteria": {"wz.host.qualification": "met"}},
    kind="application",
)
def _host_senior(s):
    s["people"][0].update(honors=[], title="senior")


@scenario(
    "wz.host.qualification-rising-star-met",
    "A host who is a provincial rising star (省教坛新秀).",
    {"grade": "pass", "criteria": {"wz.host.qualification": "met"}},
    kind="application",
)
def _host_star(s):
    s["people"][0]["honors"] = ["provincial_rising_star"]


@scenario(
    "wz.host.qualification-unmet",
    "A deputy-senior host without any listed honour: not eligible.",
    {"grade": "fail", "criteria": {"wz.host.qualification": "unmet"}},
    kind="application",
)
def _host_none(s):
    s["people"][0]["honors"] = []


@scenario(
    "wz.host.qualification-equivalent-attested-met",
    "No listed honour, but a reviewer accepted an equivalent one (第三条(三) '等').",
    {"grade": "pass", "criteria": {"wz.host.qualification": "met"}},
    kind="application",
)
def _host_equiv(s):
    s["people"][0]["honors"] = []
    s["attestations"] = {"wz.host.qualification": True}


@scenario(
    "wz.studio.county-unmet",
    "A studio set up in 鹿城区, not one of the five counties.",
    {"grade": "fail", "criteria": {"wz.studio.county": "unmet"}},
    kind="application",
)
def _county(s):
    s["studio"]["county"] = "鹿城区"


@scenario(
    "wz.team.size-application-9-unmet",
    "On 2022-01-01 only 9 trainees have joined (the 10th joins later).",
    {"grade": "fail", "criteria": {"wz.team.size": "unmet"}},
    kind="application",
)
def _app_team(s):
    s["members"][-1]["joined"] = "2022-01-02"


def main() -> None:
    for old in HERE.glob("*.json"):
        old.unlink()
    for name, description, change, expect in SCENARIOS:
        kind = expect.pop("kind")
        s = base(kind)
        s["description"] = description
        if change is not None:
            change(s)
        if kind == "application":
            s["activities"], s["outputs"] = [], []
            s["attestations"] = {k: v for k, v in s["attestations"].items() if k != "wz.duty.1"}
        s["expect"] = copy.deepcopy(expect)
        (HERE / f"{name}.json").write_text(json.dumps(s, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(SCENARIOS)} scenarios written to {HERE}")


if __name__ == "__main__":
    main()
