"""Project subsidy (第十九条、第二十二条).

第十九条 管理期内，每年由市科协为每个工作室安排项目补助资金1万元，连续安排3年，专款专用。
第二十二条 工作室年度考核不合格的，次年不再拨付补助资金。

The subsidised years are the calendar year of the plaque (the cycle start) and the following ones, as
many as the cycle has years. An annual evaluation of Y gives the amount payable for Y+1; a cycle
evaluation the total over the subsidised years. The amount is the value of ``lyg.funding.annual`` in
force on 1 January of the subsidised year.
"""

from __future__ import annotations

import datetime as dt

from mingshi.jurisdiction import Evaluation, Funding, Grade, StudioFacts, calendar_year

from .assessment import grade_for
from .i18n import _
from .words import GRADES, budget_years, names, yuan

BASIS = "第十九条、第二十二条"


def _amount(facts: StudioFacts, year: int) -> int:
    return int(facts.param("lyg.funding.annual", on=dt.date(year, 1, 1)))


def annual_funding(facts: StudioFacts, year: int, evaluation: Evaluation) -> Funding:
    payable = year + 1
    years = budget_years(facts)
    if not years:
        return Funding(0, BASIS, _("No subsidy computed: the studio's cycle start is not recorded"), year=payable)
    if payable not in years:
        return Funding(
            0,
            "第十九条",
            _(
                "No subsidy for %(year)s: it is paid for %(count)s years only, %(first)s to %(last)s",
                year=payable,
                count=len(years),
                first=years[0],
                last=years[-1],
            ),
            year=payable,
        )
    amount = _amount(facts, payable)
    index = years.index(payable) + 1
    if evaluation.grade == Grade.FAIL:
        return Funding(
            0,
            "第二十二条",
            _("No subsidy for %(year)s: the annual assessment of %(prev)s is fail", year=payable, prev=year),
            year=payable,
        )
    if evaluation.grade == Grade.PENDING:
        return Funding(
            amount,
            BASIS,
            _(
                "Subsidy for %(year)s (year %(index)s of %(count)s): ¥%(amount)s, unless the assessment of %(prev)s, "
                "still pending, ends as fail",
                year=payable,
                index=index,
                count=len(years),
                amount=yuan(amount),
                prev=year,
            ),
            year=payable,
        )
    return Funding(
        amount,
        BASIS,
        _(
            "Subsidy for %(year)s (year %(index)s of %(count)s): ¥%(amount)s; the annual assessment of %(prev)s is "
            "%(grade)s",
            year=payable,
            index=index,
            count=len(years),
            amount=yuan(amount),
            prev=year,
            grade=GRADES[evaluation.grade],
        ),
        year=payable,
    )


def cycle_funding(facts: StudioFacts) -> Funding:
    years = budget_years(facts)
    if not years:
        return Funding(0, BASIS, _("No subsidy computed: the studio's cycle start is not recorded"))
    paid: list[int] = []
    stopped: list[int] = []
    total = 0
    for y in years:
        # the first year follows no assessment; each later one follows the annual assessment of the year before
        if y != years[0]:
            grade, _criteria = grade_for(facts, calendar_year(y - 1), "annual")
            if grade == Grade.FAIL:
                stopped.append(y)
                continue
        paid.append(y)
        total += _amount(facts, y)
    return Funding(
        total,
        BASIS,
        _(
            "Subsidy over the cycle: ¥%(total)s for %(paid)s of %(count)s years (%(years)s); withheld after a failed "
            "annual assessment: %(stopped)s",
            total=yuan(total),
            paid=len(paid),
            count=len(years),
            years=names(paid),
            stopped=names(stopped),
        ),
    )


def funding(facts: StudioFacts, period, kind: str, evaluation: Evaluation) -> Funding:
    if kind == "cycle":
        return cycle_funding(facts)
    return annual_funding(facts, period.end.year, evaluation)
