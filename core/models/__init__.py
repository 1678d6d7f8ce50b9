"""The core data model, one module per aggregate. Importing this package registers every table."""

from core.models.activity import Activity, ActivityLeader, Attendance
from core.models.application import StudioTransition
from core.models.assessment import AssessmentRecord
from core.models.audit import AuditEntry
from core.models.funds import Expense, FundAllocation
from core.models.output import Output, OutputPerson, StudentAward
from core.models.parameter import ParameterValue
from core.models.people import BackboneDesignation, Person, PersonEvent, PersonHonor, School
from core.models.review import Attestation, Finding
from core.models.signin import SignInFailure
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
    "SignInFailure",
    "StudentAward",
    "Studio",
    "StudioTransition",
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

    from core.db import Base
    from core.tenancy import tenant_tables

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
    for name in sorted(referenced):
        table = Base.metadata.tables[name]
        Index(f"uq_{name}_tenant_id_id", table.c.tenant_id, table.c.id, unique=True)


_tenant_consistent_references()
