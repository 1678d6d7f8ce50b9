"""The public API for jurisdiction plugins: the one module a plugin imports from.

Everything a jurisdiction needs to describe itself and answer the hooks of
:mod:`mingshi.core.hookspecs` is named here; every other module of mingshi is private to it and
may change without notice. ``tests/plugins/test_public_api.py`` fails when a shipped plugin
imports anything of mingshi outside this module, and ``docs/plugins.md`` documents each hook.

::

    from mingshi.jurisdiction import CONTRACT_VERSION, Criterion, JurisdictionInfo, Status, hookimpl

* **The contract**: :data:`hookimpl` (the marker of hook implementations) and
  :data:`CONTRACT_VERSION` (the version this mingshi implements; a plugin writes the version it
  was built for as a literal in ``JurisdictionInfo(contract=…)``).
* **Describing a jurisdiction**: :class:`JurisdictionInfo`, :class:`RuleDef`,
  :class:`PolicyVersion`, :class:`ParameterDef` (dated values: :data:`EPOCH`),
  :class:`Vocabulary`, :class:`Label`, :func:`labels`, :class:`DemoData`, :class:`DemoSchool`, the
  jurisdiction's own words :class:`Terms` (:class:`Term`, :func:`terms`, :class:`Judgement`, :data:`JUDGES`).
* **Facts** (what the hooks read; frozen, never ORM objects): :class:`StudioFacts` and its parts.
* **Results**: :class:`Criterion`, :class:`Status`, :class:`Evaluation`, :class:`Grade`,
  :class:`Consequence`, :class:`MemberResult`, :class:`Removal`, :class:`Funding`, :class:`Credit` and the general
  reading rules (:func:`combine`, :func:`with_attestation`, :func:`is_unexcused_absence` …).
* **Periods**: :class:`Period` and its constructors (:func:`calendar_year`, :func:`cycle` …).
* **Words and money**: :class:`Translator` and :class:`Text` (explanations in zh_CN and en
  through the plugin's own Babel catalog), :func:`format_fen`, the common vocabulary's ranks.
"""

from __future__ import annotations

from mingshi.core.hookspecs import (
    CONTRACT_VERSION as CONTRACT_VERSION,
)
from mingshi.core.hookspecs import (
    hookimpl as hookimpl,
)
from mingshi.core.i18n import (
    SUPPORTED_LOCALES as SUPPORTED_LOCALES,
)
from mingshi.core.i18n import (
    Text as Text,
)
from mingshi.core.i18n import (
    Translator as Translator,
)
from mingshi.core.i18n import (
    normalize_locale as normalize_locale,
)
from mingshi.core.money import (
    format_fen as format_fen,
)
from mingshi.core.periods import (
    Period as Period,
)
from mingshi.core.periods import (
    add_months as add_months,
)
from mingshi.core.periods import (
    add_years as add_years,
)
from mingshi.core.periods import (
    calendar_year as calendar_year,
)
from mingshi.core.periods import (
    cycle as cycle,
)
from mingshi.core.periods import (
    day as day,
)
from mingshi.core.periods import (
    month_day as month_day,
)
from mingshi.core.periods import (
    school_year_containing as school_year_containing,
)
from mingshi.core.periods import (
    school_year_ending_in as school_year_ending_in,
)
from mingshi.core.periods import (
    semester_containing as semester_containing,
)
from mingshi.core.periods import (
    semesters_in as semesters_in,
)
from mingshi.core.rules import (
    EPOCH as EPOCH,
)
from mingshi.core.rules import (
    RECORD_KINDS as RECORD_KINDS,
)
from mingshi.core.rules import (
    Absence as Absence,
)
from mingshi.core.rules import (
    AbsenceReason as AbsenceReason,
)
from mingshi.core.rules import (
    ActivityFact as ActivityFact,
)
from mingshi.core.rules import (
    AttestationFact as AttestationFact,
)
from mingshi.core.rules import (
    AwardFact as AwardFact,
)
from mingshi.core.rules import (
    Consequence as Consequence,
)
from mingshi.core.rules import (
    Credit as Credit,
)
from mingshi.core.rules import (
    Criterion as Criterion,
)
from mingshi.core.rules import (
    Evaluation as Evaluation,
)
from mingshi.core.rules import (
    ExpenseFact as ExpenseFact,
)
from mingshi.core.rules import (
    FindingFact as FindingFact,
)
from mingshi.core.rules import (
    FirstYear as FirstYear,
)
from mingshi.core.rules import (
    Funding as Funding,
)
from mingshi.core.rules import (
    Grade as Grade,
)
from mingshi.core.rules import (
    JurisdictionInfo as JurisdictionInfo,
)
from mingshi.core.rules import (
    MemberResult as MemberResult,
)
from mingshi.core.rules import (
    MembershipFact as MembershipFact,
)
from mingshi.core.rules import (
    OutputFact as OutputFact,
)
from mingshi.core.rules import (
    PairingFact as PairingFact,
)
from mingshi.core.rules import (
    ParameterDef as ParameterDef,
)
from mingshi.core.rules import (
    ParameterError as ParameterError,
)
from mingshi.core.rules import (
    ParamSet as ParamSet,
)
from mingshi.core.rules import (
    PersonFact as PersonFact,
)
from mingshi.core.rules import (
    Removal as Removal,
)
from mingshi.core.rules import (
    RuleDef as RuleDef,
)
from mingshi.core.rules import (
    SchoolFact as SchoolFact,
)
from mingshi.core.rules import (
    Status as Status,
)
from mingshi.core.rules import (
    StudioFact as StudioFact,
)
from mingshi.core.rules import (
    StudioFacts as StudioFacts,
)
from mingshi.core.rules import (
    attestation_only as attestation_only,
)
from mingshi.core.rules import (
    combine as combine,
)
from mingshi.core.rules import (
    count_met as count_met,
)
from mingshi.core.rules import (
    counted as counted,
)
from mingshi.core.rules import (
    grade_allowing_pending as grade_allowing_pending,
)
from mingshi.core.rules import (
    is_unexcused_absence as is_unexcused_absence,
)
from mingshi.core.rules import (
    leave_in_advance as leave_in_advance,
)
from mingshi.core.rules import (
    months_between as months_between,
)
from mingshi.core.rules import (
    parse_ref as parse_ref,
)
from mingshi.core.rules import (
    record_ref as record_ref,
)
from mingshi.core.rules import (
    status_of as status_of,
)
from mingshi.core.rules import (
    unexcused_absence as unexcused_absence,
)
from mingshi.core.rules import (
    with_attestation as with_attestation,
)
from mingshi.core.rules.documents import (
    RequiredDocument as RequiredDocument,
)
from mingshi.core.rules.documents import (
    activity_period_key as activity_period_key,
)
from mingshi.core.rules.documents import (
    ahead as ahead_document,
)
from mingshi.core.rules.documents import (
    for_activity as activity_document,
)
from mingshi.core.rules.jurisdiction import (
    JUDGES as JUDGES,
)
from mingshi.core.rules.jurisdiction import (
    RULE_KINDS as RULE_KINDS,
)
from mingshi.core.rules.jurisdiction import (
    DemoData as DemoData,
)
from mingshi.core.rules.jurisdiction import (
    DemoSchool as DemoSchool,
)
from mingshi.core.rules.jurisdiction import (
    Judgement as Judgement,
)
from mingshi.core.rules.jurisdiction import (
    PolicyVersion as PolicyVersion,
)
from mingshi.core.rules.jurisdiction import (
    Term as Term,
)
from mingshi.core.rules.jurisdiction import (
    Terms as Terms,
)
from mingshi.core.rules.jurisdiction import (
    terms as terms,
)
from mingshi.core.rules.params import KINDS as PARAMETER_KINDS
from mingshi.core.vocab import (
    COMMON as COMMON,
)
from mingshi.core.vocab import (
    LEVELS as LEVELS,
)
from mingshi.core.vocab import (
    SCOPES as SCOPES,
)
from mingshi.core.vocab import (
    TITLES as TITLES,
)
from mingshi.core.vocab import (
    Label as Label,
)
from mingshi.core.vocab import (
    Vocabulary as Vocabulary,
)
from mingshi.core.vocab import (
    labels as labels,
)
from mingshi.core.vocab import (
    level_at_least as level_at_least,
)
from mingshi.core.vocab import (
    level_rank as level_rank,
)
from mingshi.core.vocab import (
    title_at_least as title_at_least,
)

__all__ = [
    "COMMON",
    "CONTRACT_VERSION",
    "EPOCH",
    "JUDGES",
    "LEVELS",
    "PARAMETER_KINDS",
    "RECORD_KINDS",
    "RULE_KINDS",
    "SCOPES",
    "SUPPORTED_LOCALES",
    "TITLES",
    "Absence",
    "AbsenceReason",
    "ActivityFact",
    "AttestationFact",
    "AwardFact",
    "Consequence",
    "Credit",
    "Criterion",
    "DemoData",
    "DemoSchool",
    "Evaluation",
    "ExpenseFact",
    "FindingFact",
    "FirstYear",
    "Funding",
    "Grade",
    "Judgement",
    "JurisdictionInfo",
    "Label",
    "MemberResult",
    "MembershipFact",
    "OutputFact",
    "PairingFact",
    "ParamSet",
    "ParameterDef",
    "ParameterError",
    "Period",
    "PersonFact",
    "PolicyVersion",
    "Removal",
    "RequiredDocument",
    "RuleDef",
    "SchoolFact",
    "Status",
    "StudioFact",
    "StudioFacts",
    "Term",
    "Terms",
    "Text",
    "Translator",
    "Vocabulary",
    "activity_document",
    "activity_period_key",
    "add_months",
    "add_years",
    "ahead_document",
    "attestation_only",
    "calendar_year",
    "combine",
    "count_met",
    "counted",
    "cycle",
    "day",
    "format_fen",
    "grade_allowing_pending",
    "hookimpl",
    "is_unexcused_absence",
    "labels",
    "leave_in_advance",
    "level_at_least",
    "level_rank",
    "month_day",
    "months_between",
    "normalize_locale",
    "parse_ref",
    "record_ref",
    "school_year_containing",
    "school_year_ending_in",
    "semester_containing",
    "semesters_in",
    "status_of",
    "terms",
    "title_at_least",
    "unexcused_absence",
    "with_attestation",
]
