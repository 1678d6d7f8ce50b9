"""The documents 乌审旗 asks a studio to file, each beside its article, and when each is due.

* （十六）1 主持人制定工作室培养计划 — the training plan, once per cycle, ⚙ ``ws.doc.training_plan_days``
  days after the cycle starts (the text sets no day).
* （十六）3 撰写研究报告 — the research report, once per cycle, due on the cycle's last day.
* （十四）各工作室每年要对自己的工作进行书面总结; （十六）3 工作室总结 — the studio's summary, each school year
  of the cycle, due on the school year's last day.
* （十七）3 每学期进行研究课题的阶段成果总结 — a stage summary each semester, due on its last day.
* （十五）面向全旗的教育活动，要提前将活动方案报…经过审核确定发文后，组织开展活动 — the activity plan of every
  banner-wide activity (scope ≥ county), ⚙ ``ws.doc.plan_days_before`` days before it; it may be filed
  ahead of the activity.
* （十八）3 档案管理制度: 活动方案和活动情况记录 — the record of each banner-wide activity, ⚙
  ``ws.doc.record_days_after`` days after it.
"""

from __future__ import annotations

import datetime as dt

from mingshi.jurisdiction import (
    Label,
    ParameterDef,
    RequiredDocument,
    RuleDef,
    activity_document,
    add_years,
    ahead_document,
    level_at_least,
    school_year_ending_in,
    semesters_in,
)

from .parameters import POLICY_DATE

PLAN_TITLE = Label("活动方案", "activity plan")
#: （十五） 要提前将活动方案报…办公室，经过审核确定发文后，组织开展活动: the plan's approval is the
#: activity's ``plan_approved`` (what ``ws.ops.filing`` reads)
PLAN_DATES = ("plan_approved", "approved")
RECORD_TITLE = Label("活动情况记录", "record of the activity")

RULES = [
    RuleDef(
        "ws.doc.training_plan",
        "（十六）1",
        Label("工作室培养计划", "the studio's training plan"),
        "operation",
    ),
    RuleDef(
        "ws.doc.research_report",
        "（十六）3",
        Label("研究报告", "research report"),
        "operation",
    ),
    RuleDef(
        "ws.doc.summary",
        "（十四）、（十六）3",
        Label("工作室年度书面总结", "the studio's yearly written summary"),
        "operation",
    ),
    RuleDef(
        "ws.doc.stage_summary", "（十七）3", Label("学期阶段成果总结", "stage summary of the semester"), "operation"
    ),
    RuleDef(
        "ws.doc.activity_plan",
        "（十五）",
        Label(
            "面向全旗活动的活动方案（提前报送审核）",
            "plan of a banner-wide activity, filed and approved before it",
        ),
        "operation",
    ),
    RuleDef(
        "ws.doc.activity_record",
        "（十八）3",
        Label("面向全旗活动的活动情况记录", "record of a banner-wide activity"),
        "operation",
    ),
]

PARAMETERS = [
    ParameterDef(
        "ws.doc.training_plan_days",
        "int",
        "（十六）1 (no day in the text; decided 2026-12-03)",
        Label("周期开始后报送工作室培养计划的期限（天）", "days after the cycle starts to file the training plan"),
        ((POLICY_DATE, "30"),),
        maximum=366,
    ),
    ParameterDef(
        "ws.doc.plan_days_before",
        "int",
        "（十五） 提前 (no day in the text; decided 2026-12-03)",
        Label("面向全旗活动提前报送活动方案（天）", "days before a banner-wide activity its plan is due"),
        ((POLICY_DATE, "3"),),
        maximum=90,
    ),
    ParameterDef(
        "ws.doc.record_days_after",
        "int",
        "（十八）3 (no day in the text; decided 2026-12-03)",
        Label("活动后报送活动情况记录的期限（天）", "days after a banner-wide activity its record is due"),
        ((POLICY_DATE, "7"),),
        maximum=90,
    ),
]


def _banner_wide(activity) -> bool:
    return level_at_least(activity.scope, "county")


def required_documents(studio, year: int, activities, params) -> list[RequiredDocument]:
    start = studio.cycle_start
    if start is None or studio.status != "active":
        return []
    years = int(params.value("ws.cycle_years", start))
    cycle_end = add_years(start, years) - dt.timedelta(days=1)
    school_year = school_year_ending_in(year, params.value("common.school_year_start", dt.date(year - 1, 12, 31)))
    if school_year.end < start or school_year.start > cycle_end:
        return []
    cycle_key = f"cycle-{start.isoformat()}"
    cycle_label = Label(f"{start.isoformat()} 起的建设周期", f"the cycle from {start.isoformat()}")
    found: list[RequiredDocument] = []
    plan_due = start + dt.timedelta(days=int(params.value("ws.doc.training_plan_days", start)))
    if plan_due in school_year:
        found.append(
            RequiredDocument("ws.doc.training_plan", RULES[0].title, "（十六）1", cycle_key, cycle_label, plan_due)
        )
    if cycle_end in school_year:
        found.append(
            RequiredDocument("ws.doc.research_report", RULES[1].title, "（十六）3", cycle_key, cycle_label, cycle_end)
        )
    found.append(
        RequiredDocument(
            "ws.doc.summary",
            RULES[2].title,
            "（十四）、（十六）3",
            str(year),
            Label(f"{year - 1}—{year}学年", f"school year {year - 1}–{year}"),
            min(school_year.end, cycle_end),
        )
    )
    spring = params.value("common.spring_start", school_year.end)
    autumn = params.value("common.autumn_start", school_year.end)
    for semester in semesters_in(school_year, spring, autumn):
        if semester.end < start or semester.start > cycle_end:
            continue
        label_zh = semester.key.replace("-autumn", "年秋季学期").replace("-spring", "年春季学期")
        label_en = semester.key.replace("-autumn", " autumn semester").replace("-spring", " spring semester")
        found.append(
            RequiredDocument(
                "ws.doc.stage_summary",
                RULES[3].title,
                "（十七）3",
                semester.key,
                Label(label_zh, label_en),
                min(semester.end, cycle_end),
            )
        )
    for activity in activities:
        if activity.date not in school_year or not _banner_wide(activity) or activity.date < start:
            continue
        before = int(params.value("ws.doc.plan_days_before", activity.date))
        after = int(params.value("ws.doc.record_days_after", activity.date))
        found.append(
            activity_document(
                "ws.doc.activity_plan",
                PLAN_TITLE,
                "（十五）",
                activity,
                activities,
                timing="before",
                offset_days=-before,
                dates=PLAN_DATES,
            )
        )
        found.append(
            activity_document(
                "ws.doc.activity_record",
                RECORD_TITLE,
                "（十八）3",
                activity,
                activities,
                timing="after",
                offset_days=after,
            )
        )
    day = school_year.end
    found.append(
        ahead_document(
            "ws.doc.activity_plan",
            PLAN_TITLE,
            "（十五）",
            offset_days=-int(params.value("ws.doc.plan_days_before", day)),
            dates=PLAN_DATES,
        )
    )
    return found
