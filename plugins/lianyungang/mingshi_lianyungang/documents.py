"""The document 连云港 asks of a studio: 第二十条 工作室在挂牌后一周内报送工作室年度经费开支预算报告 — the budget
report, due ⚙ ``lyg.budget_due_days`` (7) days after the plaque (the cycle's start), in that year."""

from __future__ import annotations

import datetime as dt

from mingshi.jurisdiction import Label, RequiredDocument, RuleDef

RULES = [
    RuleDef(
        "lyg.doc.budget",
        "第二十条",
        Label("挂牌后一周内报送年度经费开支预算报告", "budget report within a week of the plaque"),
        "operation",
    ),
]


def required_documents(studio, year: int, activities, params):
    start = studio.cycle_start
    if start is None or studio.status != "active" or start.year != year:
        return []
    days = int(params.value("lyg.budget_due_days", start))
    return [
        RequiredDocument(
            "lyg.doc.budget",
            Label("年度经费开支预算报告", "annual budget report"),
            "第二十条",
            str(year),
            Label(f"{year}年（挂牌 {start.isoformat()}）", f"{year} (plaque {start.isoformat()})"),
            start + dt.timedelta(days=days),
        )
    ]
