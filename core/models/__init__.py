"""The core data model, one module per aggregate. Importing this package registers every table."""

from mingshi.core.models.activity import Activity, ActivityLeader, Attendance
from mingshi.core.models.application import StudioTransition
from mingshi.core.models.assessment import AssessmentRecord
from mingshi.core.models.audit import AuditEntry
from mingshi.core.models.funds import Expense, FundAllocation
from mingshi.core.models.job import JOB_STATES, Job
from mingshi.core.models.output import Output, OutputPerson, StudentAward
from mingshi.core.models.parameter import ParameterValue
from mingshi.core.models.people import BackboneDesignation, County, Person, PersonEvent, PersonHonor, School
from mingshi.core.models.review import Attestation, Finding
from mingshi.core.models.studio import STUDIO_STATUSES, Membership, Pairing, Studio
from mingshi.core.models.tenant import Tenant
from mingshi.core.models.user import ROLES, User, UserRole

__all__ = [
    "JOB_STATES",
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
    "Job",
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
