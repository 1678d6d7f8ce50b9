"""温州市 (Wenzhou): 助力5个加快发展县跨越式高质量发展“名师送教”管理办法 — 温名师办〔2021〕100号, 2021-10-29.

The hook implementations; the rules live in :mod:`.rules` (each beside its article) and are put
together in :mod:`.assessment`.
"""

from mingshi.jurisdiction import FirstYear, hookimpl

from . import assessment, credits, documents
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
    return assessment.check_application(facts, on)


@hookimpl
def mingshi_assess(facts, period, kind):
    return assessment.assess(facts, period, kind)


@hookimpl
def mingshi_funding(facts, period, kind, evaluation):
    return assessment.funding(facts, period, kind, evaluation)


@hookimpl
def mingshi_quotas(facts, period):
    return assessment.quotas(facts, period)


@hookimpl
def mingshi_member_removals(facts, on):
    return assessment.member_removals(facts, on)


@hookimpl
def mingshi_credits(facts, period, evaluation):
    return credits.credits(facts, period, evaluation)


@hookimpl
def mingshi_demo_data():
    return DEMO


@hookimpl
def mingshi_allocation(facts, year):
    return allocation(facts, year)


@hookimpl
def mingshi_first_year(studio, period, params):
    """Wenzhou has no annual assessment (第九条: one assessment at the end of the cycle, which starts
    when the studio starts), so no studio has a part-year: the cycle is assessed as a whole."""
    return FirstYear(
        True, "第九条", _("Wenzhou assesses the whole cycle from the studio's start; there is no part-year")
    )


@hookimpl
def mingshi_required_documents(studio, year, activities, params):
    return documents.required_documents(studio, year, activities, params)


@hookimpl
def mingshi_check_document_title(document, title, host):
    return documents.check_document_title(document, title, host)
