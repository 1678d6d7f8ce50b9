"""连云港市 (Lianyungang): 青少年科技教育名师工作室 — 连云港市青少年科技教育名师工作室创建与管理办法（试行）.

The hook implementations; the rules live in :mod:`.application`, :mod:`.assessment` and
:mod:`.funding`, each beside its article. The annual assessment covers the calendar year (the core's
default period), the cycle assessment the whole management cycle (第四条). Lianyungang removes no
member automatically, so ``mingshi_member_removals`` keeps the core's default (nobody).
"""

from mingshi.jurisdiction import FirstYear, hookimpl, months_between

from . import documents
from .allocation import allocation
from .application import check_application
from .assessment import assess, quotas
from .demo import DEMO
from .funding import funding
from .i18n import _
from .info import INFO, RULES, VOCABULARY
from .parameters import PARAMETERS
from .terms import TERMS


@hookimpl
def mingshi_jurisdiction():
    return INFO


@hookimpl
def mingshi_parameters():
    return PARAMETERS


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
def mingshi_demo_data():
    return DEMO


@hookimpl
def mingshi_allocation(facts, year):
    return allocation(facts, year)


@hookimpl
def mingshi_first_year(studio, period, params):
    """A studio approved mid-year: 第四条 says nothing of the year of 挂牌. Reading (dated parameter
    ``lyg.first_year.min_months``): assessed that year from its cycle start only with at least so
    many months of the year, otherwise first assessed the next year (default 12: only a full year)."""
    need = params.value("lyg.first_year.min_months", studio.cycle_start)
    months = months_between(studio.cycle_start, period.end)
    return FirstYear(
        months >= need,
        "第四条; ⚙ lyg.first_year.min_months",
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
