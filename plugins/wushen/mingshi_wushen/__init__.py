"""乌审旗 (Wushen Banner): 名师工作室 — 《乌审旗名师工作室管理办法（修订）》, 2023-11-13.

The hook implementations; the rules live in :mod:`.rules` (assessment items), :mod:`.application`
(eligibility) and :mod:`.assessment` (grades, funding, quotas), each beside its article. Wushen works by
school year: an annual assessment of year Y covers the school year that ends in Y.
"""

import datetime as dt

from mingshi.jurisdiction import FirstYear, hookimpl, months_between

from . import documents
from .allocation import allocation
from .application import check_application
from .assessment import assess, funding, quotas
from .demo import DEMO
from .i18n import _
from .info import INFO, RULES, VOCABULARY
from .parameters import PARAMETERS
from .terms import TERMS
from .timeline import annual_period


@hookimpl
def mingshi_jurisdiction():
    return INFO


@hookimpl
def mingshi_parameters():
    return [*PARAMETERS, *documents.PARAMETERS]


@hookimpl
def mingshi_rules():
    return [*RULES, *documents.RULES]


@hookimpl
def mingshi_vocabulary():
    return VOCABULARY


@hookimpl
def mingshi_terms():
    return TERMS


@hookimpl
def mingshi_annual_period(year, params):
    """The school year ending in ``year`` (（三）: the studio works by school years), from the school
    year's first day in force in that year."""
    return annual_period(year, params.value("common.school_year_start", dt.date(year - 1, 12, 31)))


@hookimpl
def mingshi_check_application(facts, on):
    return check_application(facts, on)


@hookimpl
def mingshi_assess(facts, period, kind):
    return assess(facts, period, kind)


@hookimpl
def mingshi_funding(facts, period, kind, evaluation):
    return funding(facts, period, kind, evaluation)


@hookimpl
def mingshi_quotas(facts, period):
    return quotas(facts, period)


@hookimpl
def mingshi_member_removals(facts, on):
    """The text removes nobody automatically (（三）"动态管理" names no ground): no removals."""
    return []


@hookimpl
def mingshi_demo_data():
    return DEMO


@hookimpl
def mingshi_allocation(facts, year):
    return allocation(facts, year)


@hookimpl
def mingshi_first_year(studio, period, params):
    """A studio approved mid-year: （十四） says nothing of the year of 挂牌. Reading (dated parameter
    ``ws.first_year.min_months``): assessed that year from its cycle start only with at least so
    many months of the year, otherwise first assessed the next year (default 12: only a full year)."""
    need = params.value("ws.first_year.min_months", studio.cycle_start)
    months = months_between(studio.cycle_start, period.end)
    return FirstYear(
        months >= need,
        "（十四）; ⚙ ws.first_year.min_months",
        _(
            "approved on %(start)s: %(months)s months in the assessed year; a studio is assessed in its first "
            "year only with at least %(need)s months, otherwise from the next year",
            start=studio.cycle_start,
            months=months,
            need=need,
        ),
    )


@hookimpl
def mingshi_required_documents(studio, year, activities, params):
    return documents.required_documents(studio, year, activities, params)
