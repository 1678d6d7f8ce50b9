"""What every jurisdiction shares: results, statuses, grades, parameters, facts, rule definitions.

Plugins import from here and from :mod:`mingshi.core.hookspecs`, :mod:`mingshi.core.periods`,
:mod:`mingshi.core.vocab` and :mod:`mingshi.core.i18n` — nothing else of the core.
"""

from mingshi.core.rules.facts import (
    ActivityFact,
    AttestationFact,
    AwardFact,
    ExpenseFact,
    FindingFact,
    MembershipFact,
    OutputFact,
    PairingFact,
    PersonFact,
    SchoolFact,
    StudioFact,
    StudioFacts,
)
from mingshi.core.rules.jurisdiction import JurisdictionInfo, RuleDef
from mingshi.core.rules.params import EPOCH, ParameterDef, ParameterError, ParamSet
from mingshi.core.rules.results import (
    Consequence,
    Criterion,
    Evaluation,
    Funding,
    Grade,
    MemberResult,
    Removal,
    Status,
    attestation_only,
    combine,
    count_met,
    grade_allowing_pending,
    status_of,
    with_attestation,
)

__all__ = [
    "EPOCH",
    "ActivityFact",
    "AttestationFact",
    "AwardFact",
    "Consequence",
    "Criterion",
    "Evaluation",
    "ExpenseFact",
    "FindingFact",
    "Funding",
    "Grade",
    "JurisdictionInfo",
    "MemberResult",
    "MembershipFact",
    "OutputFact",
    "PairingFact",
    "ParamSet",
    "ParameterDef",
    "ParameterError",
    "PersonFact",
    "Removal",
    "RuleDef",
    "SchoolFact",
    "Status",
    "StudioFact",
    "StudioFacts",
    "attestation_only",
    "combine",
    "count_met",
    "grade_allowing_pending",
    "status_of",
    "with_attestation",
]
