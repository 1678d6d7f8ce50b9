"""database walls: row-level security and the application role (PostgreSQL), append-only money and audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00

PostgreSQL
    * The application role is not this migration's business: it is the deployment's (named by
      ``MINGSHI_APP_ROLE``, default ``<dbname>_app``), and ``mingshi db upgrade`` creates and grants it
      after the migrations (``core/roles.py``). Until 2026-12 this migration created one role
      ``mingshi_app`` for the whole server, shared by every deployment on it; a database migrated
      then keeps that role's grants until they are revoked.
    * Every tenant-owned table (listed below, on purpose: a migration must not change when the models
      do) has ``ENABLE`` and ``FORCE ROW LEVEL SECURITY`` and two policies: ``tenant_isolation`` (rows
      of the tenant of the transaction, ``set_config('app.tenant_id', …, true)``; for reading and for
      writing) and ``all_tenants_read`` (``SELECT`` only, when the transaction set ``app.all_tenants``
      to ``on`` for an explicit cross-tenant read). No tenant set: no row.
    * ``FORCE`` subjects the owner too; superusers and roles with ``BYPASSRLS`` are not subject, so
      backups (``pg_dump``) and data migrations run as such a role.

Both databases
    * ``fund_allocations``, ``expenses`` and ``audit_log`` refuse ``UPDATE`` and ``DELETE`` by trigger
      (row-level; ``TRUNCATE`` is not refused, which the tests use to clean PostgreSQL).

A later migration that adds a tenant-owned table does the same for it: the grants, ``ENABLE`` +
``FORCE ROW LEVEL SECURITY`` and the two policies (``tests/security`` fails until it does).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the tables owned by a tenant at revision 0002 (``TenantScoped`` models)
TENANT_TABLES = (
    "activities",
    "activity_leaders",
    "assessment_records",
    "attendance",
    "attestations",
    "backbone_designations",
    "expenses",
    "findings",
    "fund_allocations",
    "memberships",
    "output_people",
    "outputs",
    "pairings",
    "parameter_values",
    "people",
    "person_events",
    "person_honors",
    "schools",
    "student_awards",
    "studios",
)
#: tables without row-level security: sign-in finds users before a tenant is known
GLOBAL_TABLES = ("tenants", "users", "user_roles", "audit_log")
APPEND_ONLY = ("fund_allocations", "expenses", "audit_log")

TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint"
ALL_TENANTS_PREDICATE = "current_setting('app.all_tenants', true) = 'on'"
REFUSE_FUNCTION = "mingshi_refuse_update_delete"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgres_downgrade()
    else:
        _sqlite_downgrade()


# ---------------------------------------------------------------------------------------------
# SQLite: triggers only (the ORM keeps the tenant wall)


def _sqlite_upgrade() -> None:
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER append_only_{table}_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only: {action} on {table} is refused; "
                f"record a new entry (a correction reverses the original)'); END"
            )


def _sqlite_downgrade() -> None:
    for table in APPEND_ONLY:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS append_only_{table}_{action}")


# ---------------------------------------------------------------------------------------------
# PostgreSQL


def _quote(name: str) -> str:
    return op.get_bind().dialect.identifier_preparer.quote(name)


def _postgres_upgrade() -> None:
    for table in TENANT_TABLES:
        t = _quote(table)
        op.execute(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON {t} USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})")
        op.execute(f"CREATE POLICY all_tenants_read ON {t} FOR SELECT USING ({ALL_TENANTS_PREDICATE})")

    op.execute(
        f"CREATE FUNCTION {REFUSE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'append-only: % on % is refused; record a new entry "
        "(a correction reverses the original)', TG_OP, TG_TABLE_NAME "
        "USING ERRCODE = 'restrict_violation'; END $$"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON {_quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {REFUSE_FUNCTION}()"
        )


def _postgres_downgrade() -> None:
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS append_only ON {_quote(table)}")
    op.execute(f"DROP FUNCTION IF EXISTS {REFUSE_FUNCTION}()")
    for table in TENANT_TABLES:
        t = _quote(table)
        op.execute(f"DROP POLICY IF EXISTS all_tenants_read ON {t}")
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {t}")
        op.execute(f"ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY")
