"""The core data model, one module per aggregate. Importing this package registers every table."""

from core.models.activity import Activity, ActivityLeader, Attendance
from core.models.application import StudioTransition
from core.models.assessment import AssessmentRecord
from core.models.audit import AuditEntry
from core.models.funds import Expense, FundAllocation
from core.models.output import Output, OutputPerson, StudentAward
from core.models.parameter import ParameterValue
from core.models.people import BackboneDesignation, County, Person, PersonEvent, PersonHonor, School
from core.models.review import Attestation, Finding
from core.models.studio import STUDIO_STATUSES, Membership, Pairing, Studio
from core.models.tenant import Tenant
from core.models.user import ROLES, User, UserRole

__all__ = [
    "ROLES",
    "STUDIO_STATUSES",
    "Activity",
    "ActivityLeader",
    "AssessmentRecord",
    "Attendance",
    "Attestation",
    "AuditEntry",
    "BackboneDesignation",
    "County",
    "Expense",
    "Finding",
    "FundAllocation",
    "Membership",
    "Output",
    "OutputPerson",
    "Pairing",
    "ParameterValue",
    "Person",
    "PersonEvent",
    "PersonHonor",
    "School",
    "StudentAward",
    "Studio",
    "StudioTransition",
    "Tenant",
    "User",
    "UserRole",
]
