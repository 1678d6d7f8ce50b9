"""What every jurisdiction shares: results, statuses, grades, parameters, facts, rule definitions.

Plugins import from here and from :mod:`core.hookspecs`, :mod:`core.periods`,
:mod:`core.vocab` and :mod:`core.i18n` — nothing else of the core.
"""

from core.rules.attendance import Absence, AbsenceReason, is_unexcused_absence, leave_in_advance, unexcused_absence
from core.rules.facts import (
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
from core.rules.jurisdiction import JurisdictionInfo, RuleDef
from core.rules.params import EPOCH, ParameterDef, ParameterError, ParamSet
from core.rules.results import (
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
    "Absence",
    "AbsenceReason",
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
    "is_unexcused_absence",
    "leave_in_advance",
    "status_of",
    "unexcused_absence",
    "with_attestation",
]
