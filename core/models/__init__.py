"""The core data model, one module per aggregate. Importing this package registers every table."""

from mingshi.core.models.activity import Activity, ActivityLeader, Attendance
from mingshi.core.models.application import StudioTransition
from mingshi.core.models.assessment import AssessmentRecord
from mingshi.core.models.audit import AuditEntry
from mingshi.core.models.credit import CREDIT_STATES, CreditRecognition
from mingshi.core.models.evidence import Evidence
from mingshi.core.models.funds import Expense, FundAllocation
from mingshi.core.models.job import JOB_STATES, Job
from mingshi.core.models.notification import Notification
from mingshi.core.models.output import Output, OutputPerson, StudentAward
from mingshi.core.models.parameter import ParameterValue
from mingshi.core.models.people import BackboneDesignation, County, Person, PersonEvent, PersonHonor, School
from mingshi.core.models.review import Attestation, Finding
from mingshi.core.models.signin import SignInFailure
from mingshi.core.models.studio import STUDIO_STATUSES, Membership, Pairing, Studio
from mingshi.core.models.submission import SUBMISSION_STATES, DocumentSubmission
from mingshi.core.models.summary import StudioYearSummary, SummaryRefresh
from mingshi.core.models.tenant import Tenant
from mingshi.core.models.user import ROLES, User, UserRole

__all__ = [
    "CREDIT_STATES",
    "JOB_STATES",
    "ROLES",
    "STUDIO_STATUSES",
    "SUBMISSION_STATES",
    "Activity",
    "ActivityLeader",
    "AssessmentRecord",
    "Attendance",
    "Attestation",
    "AuditEntry",
    "BackboneDesignation",
    "County",
    "CreditRecognition",
    "DocumentSubmission",
    "Evidence",
    "Expense",
    "Finding",
    "FundAllocation",
    "Job",
    "Membership",
    "Notification",
    "Output",
    "OutputPerson",
    "Pairing",
    "ParameterValue",
    "Person",
    "PersonEvent",
    "PersonHonor",
    "School",
    "SignInFailure",
    "StudentAward",
    "Studio",
    "StudioTransition",
    "StudioYearSummary",
    "SummaryRefresh",
    "Tenant",
    "User",
    "UserRole",
]


def _tenant_consistent_references() -> None:
    """Every reference between two tenant-owned rows also carries the tenant (migration 0005).

    For each foreign key ``x_id → x.id`` of a tenant-owned table (and of ``users``, whose
    ``person_id`` names a person of the user's tenant) to another tenant-owned table, a composite
    foreign key ``(tenant_id, x_id) → x(tenant_id, id)`` with the same ``ON DELETE``, and on ``x`` the
    unique index ``(tenant_id, id)`` it needs. The database then refuses a row that names another
    tenant's row — on SQLite too, and on PostgreSQL whatever the role (referential checks are not
    subject to row-level security).
    """
    from sqlalchemy import ForeignKeyConstraint, Index

    from mingshi.core.db import Base
    from mingshi.core.tenancy import tenant_tables

    scoped = {t.name for t in tenant_tables()}
    referenced: set[str] = set()
    for table in list(Base.metadata.sorted_tables):
        if table.name not in scoped and table.name != "users":
            continue
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            target = fk.column.table
            if target.name not in scoped or fk.parent.name == "tenant_id":
                continue
            referenced.add(target.name)
            table.append_constraint(
                ForeignKeyConstraint(
                    [table.c.tenant_id, fk.parent],
                    [target.c.tenant_id, target.c.id],
                    name=f"fk_{table.name}_tenant_{fk.parent.name}",
                    ondelete=fk.ondelete,
                )
            )
    # notifications name their user with the tenant (core/models/notification.py): users need the index too
    referenced.add("users")
    for name in sorted(referenced):
        table = Base.metadata.tables[name]
        Index(f"uq_{name}_tenant_id_id", table.c.tenant_id, table.c.id, unique=True)


_tenant_consistent_references()

# every write of a tenant session raises the fact revisions it changes (imported here: whoever writes has the models)
from mingshi.core import revisions as _revisions  # noqa: E402, F401
