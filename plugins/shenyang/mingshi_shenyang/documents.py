"""The documents 沈阳 asks of a studio each year, beside their articles.

* 第十二条 各工作坊(室)按照要求每年年初…提报工作计划及经费预算; 第六条 主持人负责制定…年度计划;
  第七条2 制定年度工作计划及预期成果 — the yearly work plan (with its expected results) and the budget,
  due ⚙ ``sy.doc.plan_due``
  (年初: by January 31), or in the year of the plaque ⚙ ``sy.doc.first_plan_days`` days after it.
* 第十二条 年末报送经费使用情况 — the report on the use of funds, due ⚙ ``sy.doc.usage_due`` (年末: December 31).

Only for the years of the studio's cycle (3 years ⚙ ``sy.cycle_years``).
"""

from __future__ import annotations

import datetime as dt

from mingshi.jurisdiction import Label, ParameterDef, RequiredDocument, RuleDef, add_years, month_day

from .parameters import POLICY_DATE

RULES = [
    RuleDef(
        "sy.doc.plan",
        "第十二条、第六条、第七条2",
        Label("年度工作计划及预期成果", "yearly work plan and expected results"),
        "operation",
    ),
    RuleDef(
        "sy.doc.budget",
        "第十二条",
        Label("年度经费预算", "yearly budget"),
        "operation",
    ),
    RuleDef(
        "sy.doc.usage",
        "第十二条",
        Label("年末经费使用情况", "year-end report on the use of funds"),
        "operation",
    ),
]

PARAMETERS = [
    ParameterDef(
        "sy.doc.plan_due",
        "month_day",
        "第十二条 每年年初 (decided 2026-12-03: by the end of January)",
        Label("年度工作计划及经费预算报送截止日", "day the yearly plan and budget are due"),
        ((POLICY_DATE, "01-31"),),
    ),
    ParameterDef(
        "sy.doc.first_plan_days",
        "int",
        "第十二条 (the year of the plaque; decided 2026-12-03)",
        Label(
            "认定当年报送工作计划及经费预算的期限（认定后天数）",
            "days after the plaque the first plan and budget are due",
        ),
        ((POLICY_DATE, "30"),),
        maximum=366,
    ),
    ParameterDef(
        "sy.doc.usage_due",
        "month_day",
        "第十二条 年末 (decided 2026-12-03: December 31)",
        Label("年末经费使用情况报送截止日", "day the year-end report on the funds is due"),
        ((POLICY_DATE, "12-31"),),
    ),
]


def _on(year: int, md: str) -> dt.date:
    month, day = month_day(md)
    return dt.date(year, month, day)


def required_documents(studio, year: int, activities, params):
    start = studio.cycle_start
    if start is None or studio.status != "active":
        return []
    end = add_years(start, int(params.value("sy.cycle_years", start))) - dt.timedelta(days=1)
    if not start.year <= year <= end.year:
        return []
    on = dt.date(year, 1, 1)
    if year == start.year:
        due = start + dt.timedelta(days=int(params.value("sy.doc.first_plan_days", start)))
    else:
        due = _on(year, params.value("sy.doc.plan_due", on))
    label = Label(f"{year}年", str(year))
    usage_due = _on(year, params.value("sy.doc.usage_due", on))
    return [
        RequiredDocument("sy.doc.plan", RULES[0].title, RULES[0].basis, str(year), label, due),
        RequiredDocument("sy.doc.budget", RULES[1].title, RULES[1].basis, str(year), label, due),
        RequiredDocument("sy.doc.usage", RULES[2].title, RULES[2].basis, str(year), label, max(usage_due, due)),
    ]
