"""The contract between the core and a jurisdiction plugin (pluggy hook specifications).

A jurisdiction is a module (or object) registered through the entry-point group
``mingshi.jurisdictions``; the entry point's name is the jurisdiction's code. It implements
the hooks below with :data:`hookimpl`::

    from mingshi.core.hookspecs import hookimpl

    @hookimpl
    def mingshi_jurisdiction():
        return JurisdictionInfo(code="shenyang", ...)

**Routing.** Every hook is answered by *one* jurisdiction: the facade in :mod:`mingshi.core.plugins`
calls each hook through ``PluginManager.subset_hook_caller`` with every *other* jurisdiction
removed, so an implementation never checks which jurisdiction it is asked about. The core
registers defaults for some hooks as ``trylast`` implementations (``core.plugins.CoreDefaults``);
every spec is ``firstresult``, so a plugin's non-None answer wins over the default, and
``None`` means "no answer: use the default". No caller writes ``pm.hook.…``: use
:class:`mingshi.core.plugins.Jurisdiction`.

**Facts.** Hooks receive :class:`mingshi.core.rules.facts.StudioFacts`, a frozen snapshot built from
the database models (the same for the web application and for ``mingshi evaluate``). Hooks
never touch the database, the request or the clock: they are pure functions of their
arguments, which is what makes a what-if or a re-run trustworthy.

Hooks must be called with keyword arguments.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from mingshi.core.i18n import Text
    from mingshi.core.periods import Period
    from mingshi.core.rules.documents import RequiredDocument
    from mingshi.core.rules.facts import ActivityFact, StudioFact, StudioFacts
    from mingshi.core.rules.jurisdiction import DemoData, JurisdictionInfo, RuleDef, Terms
    from mingshi.core.rules.params import ParameterDef, ParamSet
    from mingshi.core.rules.results import Credit, Criterion, Evaluation, FirstYear, Funding, Removal
    from mingshi.core.vocab import Vocabulary

PROJECT = "mingshi"

#: The version of this contract. A plugin states the version it was written for as a literal
#: (``JurisdictionInfo(contract=1, …)``); the core refuses a plugin built for another, by name.
#: It changes only when a hook changes in a way an existing plugin cannot follow.
CONTRACT_VERSION = 1

_spec = pluggy.HookspecMarker(PROJECT)
#: the marker a plugin decorates its hook implementations with
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------------------------------------
# Description: who the jurisdiction is, its parameters, rules and words


@_spec(firstresult=True)
def mingshi_jurisdiction() -> JurisdictionInfo:
    """Describe the jurisdiction: code, names, policy document, studio kinds, cycle, grade labels.

    Required. ``code`` must equal the entry-point name the plugin is registered under.
    """


@_spec(firstresult=True)
def mingshi_parameters() -> list[ParameterDef]:
    """The jurisdiction's parameters (⚙ in the digest), each with dated defaults and its article.

    Required (an empty list is an answer). The core adds the common ones
    (``common.school_year_start`` …); a plugin must not redeclare them.
    """


@_spec(firstresult=True)
def mingshi_rules() -> list[RuleDef]:
    """Every rule the jurisdiction applies: id, article, title in both languages, kind.

    Required. Every criterion id a hook returns must be declared here.
    """


@_spec(firstresult=True)
def mingshi_vocabulary() -> Vocabulary:
    """Codes the jurisdiction adds to the common vocabulary (activity and output types, expense
    categories, honors, member categories …), with labels. ``expense_categories`` is required
    for a jurisdiction that funds studios. ``None``: nothing added."""


@_spec(firstresult=True)
def mingshi_terms() -> Terms:
    """The jurisdiction's own words: the activity types, output types and site fields its workspace
    offers, and the per-person judgements it asks someone to record.

    :return: a :class:`~mingshi.core.rules.jurisdiction.Terms` whose codes are in the vocabulary,
        each :class:`~mingshi.core.rules.jurisdiction.Term` citing the article that names it (empty
        where the policy names nothing, as for ``other``); each
        :class:`~mingshi.core.rules.jurisdiction.Judgement` names an attestation rule judged per
        person, the period it is recorded for and who records it. A kind left ``None`` offers the
        whole vocabulary of that kind. ``None``: the core default — every activity and output type
        and every site field of the vocabulary, and no per-person judgement.
    """


# ---------------------------------------------------------------------------------------------
# Periods


@_spec(firstresult=True)
def mingshi_annual_period(year: int, params: ParamSet) -> Period:
    """The period the annual assessment of ``year`` covers, the same for every studio of the
    jurisdiction (central staff compare tenants year by year with it).

    :param year: the assessed year
    :param params: the jurisdiction's parameters (read with ``params.value(id, on=date)``)
    :return: the period. ``None``: the core default — by ``JurisdictionInfo.annual_period``, the
        calendar year (``calendar_year``) or the school year ending in ``year`` (``school_year``,
        from ``common.school_year_start``).
    """


@_spec(firstresult=True)
def mingshi_assessment_period(studio: StudioFact, kind: str, year: int | None, params: ParamSet) -> Period:
    """The period an evaluation of one studio covers, where it depends on the studio.

    :param studio: the studio (its ``cycle_start``)
    :param kind: ``annual`` (with ``year``) or ``cycle``
    :param year: the assessed year for ``annual``; None for ``cycle``
    :param params: the jurisdiction's parameters (read with ``params.value(id, on=date)``)
    :return: the period. ``None``: the core default — ``mingshi_annual_period(year)`` for
        ``annual``, the whole cycle (``cycle_years_param`` long from ``cycle_start``) for ``cycle``.
    """


@_spec(firstresult=True)
def mingshi_policy_version(studio: StudioFact, kind: str, period: Period) -> str:
    """The key of the policy version (``JurisdictionInfo.policy_versions``) a studio is assessed
    under for ``period``.

    :return: a version key. ``None``: the core default — the latest version in force on the first
        day of the studio's cycle (or of the period, for a studio without a cycle start).
    """


@_spec(firstresult=True)
def mingshi_first_year(studio: StudioFact, period: Period, params: ParamSet) -> FirstYear:
    """How a studio approved mid-year is treated in its first year.

    Called for an annual assessment whose ``period`` begins before the studio's ``cycle_start``
    (the studio was approved, 挂牌, during the period). When the answer is ``assessed``, the
    studio is assessed on the part of the period from its cycle start (the core shortens the
    period); when not, the year is not assessed and its first annual assessment is the next one.

    :param studio: the studio (its ``cycle_start`` lies inside ``period``)
    :param period: the annual period as the jurisdiction defines it (before shortening)
    :param params: the jurisdiction's parameters
    :return: a :class:`~mingshi.core.rules.results.FirstYear` whose ``basis`` cites the article, or
        names the dated parameter stating the jurisdiction's reading where the policy is silent.
        ``None``: the core default — **not assessed** in that year (a year's quotas are never
        asked of a part-year), with the basis "core default".
    """


# ---------------------------------------------------------------------------------------------
# Rules


@_spec(firstresult=True)
def mingshi_check_application(facts: StudioFacts, on: dt.date) -> Evaluation:
    """Eligibility of an application as of ``on``: host, members, team composition and site.

    :return: an :class:`Evaluation` whose grade is ``pass`` (eligible), ``fail`` or ``pending``
        (an attestation is missing and could change the answer); criteria cite their articles;
        advisory rules give ``notice``. Required.
    """


@_spec(firstresult=True)
def mingshi_quotas(facts: StudioFacts, period: Period) -> list[Criterion]:
    """Task quotas and the progress made in ``period`` (a year, semester, school year or cycle).

    Used for the live progress bars: each criterion has a numeric ``value`` (done) and
    ``target``. ``None``: the jurisdiction has no quotas for this period (the default gives [])."""


@_spec(firstresult=True)
def mingshi_assess(facts: StudioFacts, period: Period, kind: str) -> Evaluation:
    """The annual (``kind="annual"``) or end-of-cycle (``kind="cycle"``) assessment of ``period``.

    :return: grade, criteria, per-member results (individual grades, trainee duties), the
        consequences (funding stopped, disqualification, priority recommendation …) and the
        members the rules remove (:class:`Removal`). Required.
    """


@_spec(firstresult=True)
def mingshi_funding(facts: StudioFacts, period: Period, kind: str, evaluation: Evaluation) -> Funding:
    """The funding that follows from an assessment.

    Annual evaluation of year Y: the amount payable for Y+1 (0 when Y+1 lies outside the cycle
    or a stop applies; each stop also appears as a ``funding_stopped`` consequence of the
    evaluation). Cycle evaluation: the cycle's total as allocated under the rules. Required.
    """


@_spec(firstresult=True)
def mingshi_credits(facts: StudioFacts, period: Period, evaluation: Evaluation) -> list[Credit]:
    """The credits (学分认定) the rules propose for the host and members from a stored end-of-cycle result.

    :param facts: the studio's facts for the cycle (its host, memberships and people)
    :param period: the cycle the result covers (it has ended)
    :param evaluation: the stored result the administrator confirmed: its grade, consequences and per-member
        results as the core stored them (``status`` ``removed`` for a member a rule removed, their grade)
    :return: one :class:`~mingshi.core.rules.results.Credit` per person the rules recognize credits for
        (``0`` with the reason where the rules give none, e.g. a removed member), each citing its
        article and rule. ``None``: the core default — the jurisdiction recognizes no credits (``[]``).
    """


@_spec(firstresult=True)
def mingshi_allocation(facts: StudioFacts, year: int) -> Funding:
    """The funds the rules allocate to a studio for ``year`` — its first year included — which the
    administrator is offered as the grant to record.

    :param facts: the studio's facts as of the end of ``year - 1`` (its cycle, assessments' data)
    :param year: the year to be funded
    :return: the amount with its article and explanation (``amount_fen=0`` with the reason when
        nothing is payable). ``None``: the core default — for a year after the cycle's first, the
        funding that follows from the annual assessment of ``year - 1`` (``mingshi_funding``); for
        the first year, no proposal (the administrator enters the amount).
    """


@_spec(firstresult=True)
def mingshi_demo_data() -> DemoData:
    """Places, schools and themes for ``mingshi demo``'s tenant of this jurisdiction. The core
    generates people, studios and a year of activity from them with a fixed seed.

    ``None``: the core's generic demo (a city with three districts and five schools)."""


@_spec(firstresult=True)
def mingshi_member_removals(facts: StudioFacts, on: dt.date) -> list[Removal]:
    """Members that the jurisdiction's automatic rules remove as of ``on`` (e.g. Wenzhou's second
    unexcused absence), computed from the workspace data after each change.

    Members already removed must not be returned again with another date. ``None``: the
    jurisdiction removes nobody automatically (the default gives [])."""


# ---------------------------------------------------------------------------------------------
# Documents: plans, reports and notices the policy asks a studio to file


@_spec(firstresult=True)
def mingshi_required_documents(
    studio: StudioFact, year: int, activities: tuple[ActivityFact, ...], params: ParamSet
) -> list[RequiredDocument]:
    """The documents the studio must file for ``year`` and when each is due.

    :param studio: the studio (its ``cycle_start`` for documents due after the plaque or per cycle)
    :param year: the year asked about (the calendar year, or the school year ending in it where
        the jurisdiction works by school year)
    :param activities: every recorded activity of the studio, in date order (for documents due
        before or after an activity, and its number in the studio's order)
    :param params: the jurisdiction's parameters (days before/after, due dates …)
    :return: :class:`~mingshi.core.rules.documents.RequiredDocument`\\ s whose ``code`` is a declared
        rule; a "before" document with ``activity=None`` is the form of a document that may be filed
        ahead of an activity still to come. ``None``: the core default — no documents.
    """


@_spec(firstresult=True)
def mingshi_check_document_title(document: RequiredDocument, title: str, host: str | None) -> Text:
    """The problem with the title of a document being submitted, where the policy prescribes it
    (``document.checks_title``), e.g. 温州 第八条(三).

    :param document: the document as the plugin required it (its ``number`` …)
    :param title: the title as typed
    :param host: the studio's host's name, if known
    :return: a :class:`~mingshi.core.i18n.Text` saying what is wrong, or ``None`` when the title is
        right. The core default accepts every title.
    """
