"""The documents each jurisdiction requires (hook ``mingshi_required_documents``), on both sides of
each due date and each boundary of what is required; a fifth city requires none."""

from __future__ import annotations

import datetime as dt

import pytest

from mingshi.core.plugins import Jurisdictions
from mingshi.jurisdiction import ActivityFact, Label, RequiredDocument, StudioFact

D = dt.date


@pytest.fixture(scope="module")
def js() -> Jurisdictions:
    return Jurisdictions.load()


def _docs(js, code, studio, year, activities=(), overrides=None):
    j = js.get(code)
    return j.required_documents(
        studio=studio, year=year, activities=tuple(activities), params=j.paramset(overrides=overrides)
    )


def _by(docs):
    return {(d.code, d.period_key): d for d in docs if d.period_key}


def test_every_document_is_a_declared_rule_with_its_article_and_two_labels(js) -> None:
    for j in js.all():
        for rule_id, rule in j.rules.items():
            if ".doc." in rule_id:
                assert rule.basis and rule.title.zh and rule.title.en, rule_id


def test_a_fifth_city_requires_nothing(js) -> None:
    from mingshi.core.plugins import CoreDefaults

    assert CoreDefaults().mingshi_required_documents(studio=None, year=2025, activities=(), params=None) == []
    assert CoreDefaults().mingshi_check_document_title(document=None, title="x", host=None) is None


def test_an_undeclared_code_is_refused(js) -> None:
    from mingshi.core.plugins import PluginLoadError

    j = js.get("shenyang")
    bogus = RequiredDocument("sy.doc.nonsense", Label("x", "x"), "第一条", "2025", Label("x", "x"), D(2025, 1, 1))
    j._callers["mingshi_required_documents"] = lambda **kw: [bogus]
    try:
        with pytest.raises(PluginLoadError, match=r"sy\.doc\.nonsense"):
            j.required_documents(studio=None, year=2025, activities=(), params=None)
    finally:
        del j._callers["mingshi_required_documents"]


# -- 连云港 第二十条: the budget report within a week (⚙ lyg.budget_due_days) of the plaque --------------


def test_lianyungang_budget_report_is_due_seven_days_after_the_plaque(js) -> None:
    studio = StudioFact("s", "S", "science_studio", cycle_start=D(2025, 3, 10))
    docs = _docs(js, "lianyungang", studio, 2025)
    assert [(d.code, d.due, d.basis) for d in docs] == [("lyg.doc.budget", D(2025, 3, 17), "第二十条")]
    assert _docs(js, "lianyungang", studio, 2026) == []  # once, in the year of the plaque
    assert _docs(js, "lianyungang", studio, 2024) == []
    assert _docs(js, "lianyungang", studio, 2025, overrides={"lyg.budget_due_days": 10})[0].due == D(2025, 3, 20)


# -- 沈阳 第十二条: plan and budget at the start of each year, the use of funds at its end --------------


def test_shenyang_plan_and_budget_by_the_end_of_january_within_the_cycle(js) -> None:
    studio = StudioFact("s", "S", "studio", cycle_start=D(2024, 5, 1))
    first = _by(_docs(js, "shenyang", studio, 2024))
    assert first[("sy.doc.plan", "2024")].due == D(2024, 5, 31)  # the plaque year: 30 days after it
    second = _by(_docs(js, "shenyang", studio, 2025))
    assert second[("sy.doc.plan", "2025")].due == D(2025, 1, 31)
    assert second[("sy.doc.budget", "2025")].due == D(2025, 1, 31)
    assert second[("sy.doc.usage", "2025")].due == D(2025, 12, 31)
    assert _docs(js, "shenyang", studio, 2026)  # the third cycle year
    assert _docs(js, "shenyang", studio, 2027)  # the cycle ends on 2027-04-30: its part-year too
    assert _docs(js, "shenyang", studio, 2028) == []  # after the 3-year cycle
    assert _docs(js, "shenyang", studio, 2023) == []
    assert _docs(js, "shenyang", StudioFact("s", "S", "studio"), 2025) == []  # no cycle: nothing yet


# -- 乌审旗 （十五）（十六）（十七）（十八） ------------------------------------------------------------------


def test_wushen_documents_of_a_school_year(js) -> None:
    studio = StudioFact("s", "S", "studio", cycle_start=D(2024, 9, 1))
    banner = ActivityFact("7", D(2025, 3, 10), "seminar", scope="county", title="旗级研讨")
    own = ActivityFact("8", D(2025, 3, 12), "seminar", scope="studio", title="室内研讨")
    docs = _docs(js, "wushen", studio, 2025, [banner, own])
    found = _by(docs)
    assert found[("ws.doc.training_plan", "cycle-2024-09-01")].due == D(2024, 10, 1)
    assert found[("ws.doc.summary", "2025")].due == D(2025, 8, 31)
    assert found[("ws.doc.stage_summary", "2024-autumn")].due == D(2025, 1, 31)
    assert found[("ws.doc.stage_summary", "2025-spring")].due == D(2025, 8, 31)
    plan = found[("ws.doc.activity_plan", "2025-03-10")]
    assert (plan.timing, plan.activity, plan.due) == ("before", "7", D(2025, 3, 7))
    record = found[("ws.doc.activity_record", "2025-03-10")]
    assert (record.timing, record.due) == ("after", D(2025, 3, 17))
    # an in-studio activity (scope below county) needs no plan: only banner-wide ones (（十五）)
    assert ("ws.doc.activity_plan", "2025-03-12") not in found
    # a plan may be filed ahead of an activity still to come
    assert [d.code for d in docs if d.activity is None and d.per_activity] == ["ws.doc.activity_plan"]
    # the research report is due on the cycle's last day, in the school year containing it
    last = _by(_docs(js, "wushen", studio, 2027))
    assert last[("ws.doc.research_report", "cycle-2024-09-01")].due == D(2027, 8, 31)
    assert ("ws.doc.research_report", "cycle-2024-09-01") not in found
    assert _docs(js, "wushen", studio, 2028) == []  # after the cycle


def test_wushen_plan_days_before_is_a_dated_parameter(js) -> None:
    studio = StudioFact("s", "S", "studio", cycle_start=D(2024, 9, 1))
    banner = ActivityFact("7", D(2025, 3, 10), "lecture", scope="municipal", title="讲座")
    docs = _by(_docs(js, "wushen", studio, 2025, [banner], overrides={"ws.doc.plan_days_before": 0}))
    assert docs[("ws.doc.activity_plan", "2025-03-10")].due == D(2025, 3, 10)


# -- 温州 第八条(一)(三) ---------------------------------------------------------------------------------


def test_wenzhou_notice_on_the_day_and_report_a_week_after_each_activity(js) -> None:
    studio = StudioFact("s", "S", "outreach_studio", cycle_start=D(2024, 9, 1))
    first = ActivityFact("1", D(2024, 10, 8), "lecture", title="a")
    second = ActivityFact("2", D(2025, 4, 2), "lecture", title="b")
    docs = _by(_docs(js, "wenzhou", studio, 2025, [first, second]))
    notice = docs[("wz.doc.notice", "2025-04-02")]
    assert (notice.due, notice.timing, notice.reimbursement_basis) == (D(2025, 4, 2), "before", True)
    report = docs[("wz.doc.report", "2025-04-02")]
    assert (report.due, report.number, report.checks_title) == (D(2025, 4, 9), 2, True)
    assert ("wz.doc.notice", "2024-10-08") not in docs  # that activity is in 2024's list


def test_wenzhou_two_activities_on_one_day_have_a_document_each(js) -> None:
    studio = StudioFact("s", "S", "outreach_studio", cycle_start=D(2024, 9, 1))
    a = ActivityFact("1", D(2025, 4, 2), "lecture", title="a")
    b = ActivityFact("2", D(2025, 4, 2), "lecture", title="b")
    keys = {d.period_key for d in _docs(js, "wenzhou", studio, 2025, [a, b]) if d.code == "wz.doc.report"}
    assert keys == {"2025-04-02#1", "2025-04-02#2"}


def test_wenzhou_report_title_checked_on_both_sides(js) -> None:
    j = js.get("wenzhou")
    studio = StudioFact("s", "S", "outreach_studio", cycle_start=D(2024, 9, 1))
    acts = [ActivityFact("1", D(2025, 4, 2), "lecture", title="a"), ActivityFact("2", D(2025, 4, 9), "lecture")]
    report = _by(_docs(js, "wenzhou", studio, 2025, acts))[("wz.doc.report", "2025-04-09")]
    good = "《走进课堂——记温州市李明“名师送教”工作室第2次活动》"
    assert j.check_document_title(document=report, title=good, host="李明") is None
    assert j.check_document_title(document=report, title=good.replace("第2次", "第二次"), host="李明") is None
    wrong_number = j.check_document_title(document=report, title=good.replace("第2次", "第3次"), host="李明")
    assert wrong_number is not None and "第2次活动" in wrong_number.render("zh_CN")
    assert j.check_document_title(document=report, title="活动报道", host="李明") is not None
    notice = _by(_docs(js, "wenzhou", studio, 2025, acts))[("wz.doc.notice", "2025-04-09")]
    assert j.check_document_title(document=notice, title="anything", host="李明") is None  # not checked
