"""沈阳市 (Shenyang): 名优校长工作坊、名优教师工作室 — 沈教发〔2021〕17号, 2021-10-18.

The hook implementations; the rules live in :mod:`.rules` (application, tasks, members), each beside
its article, with :mod:`.assessment`, :mod:`.funding`, :mod:`.quotas` and :mod:`.retirement`.
Shenyang assesses by calendar year, the core's default period: no ``mingshi_assessment_period``.
"""

from mingshi.jurisdiction import FirstYear, hookimpl, months_between

from . import assessment, documents, funding, quotas, rules
from .allocation import allocation
from .demo import DEMO
from .i18n import _
from .info import INFO, RULES, VOCABULARY
from .parameters import PARAMETERS
from .terms import TERMS


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
def mingshi_check_application(facts, on):
    return rules.check_application(facts, on)


@hookimpl
def mingshi_assess(facts, period, kind):
    return assessment.assess(facts, period, kind)


@hookimpl
def mingshi_funding(facts, period, kind, evaluation):
    return funding.funding(facts, period, kind, evaluation)


@hookimpl
def mingshi_quotas(facts, period):
    return quotas.quotas(facts, period)


@hookimpl
def mingshi_member_removals(facts, on):
    return rules.member_removals(facts, on)


@hookimpl
def mingshi_demo_data():
    return DEMO


@hookimpl
def mingshi_allocation(facts, year):
    return allocation(facts, year)


@hookimpl
def mingshi_first_year(studio, period, params):
    """A studio approved mid-year: 第十条 says nothing of the year of 挂牌. Reading (dated parameter
    ``sy.first_year.min_months``): assessed that year from its cycle start only with at least so
    many months of the year, otherwise first assessed the next year (default 12: only a full year)."""
    need = params.value("sy.first_year.min_months", studio.cycle_start)
    months = months_between(studio.cycle_start, period.end)
    return FirstYear(
        months >= need,
        "第十条; ⚙ sy.first_year.min_months",
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
