"""tenant-consistent references, one reversal per entry

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:30:00

* Every reference between two tenant-owned rows carries the tenant: a composite foreign key
  ``(tenant_id, x_id) → x(tenant_id, id)`` next to the plain one, with the same ``ON DELETE``, and on
  each referenced table the unique index ``(tenant_id, id)`` it needs. Before anything changes the
  migration looks for rows that already name another tenant's row and, if there are any, stops with
  the list (``studios 13 (tenant 2) → schools 1 (tenant 1)``): they are to be corrected by hand, the
  migration never guesses which side is right.
* ``expenses.reverses_id`` and ``fund_allocations.reverses_id`` become unique: an entry is reversed
  at most once, whatever the race.
* ``sign_in_failures``: the failed sign-ins the lockout counts, indexed by user name and time (a
  global table like ``users``, with the same grants to the application role).
* ``audit_log`` gets the indexes of its page and filters: (tenant, time), time, (action, time),
  (user name, time), (entity, entity id).

On SQLite a foreign key can only be added by rebuilding the table (Alembic's batch mode, with
foreign keys off — ``core.migrate`` turns them off and runs ``PRAGMA foreign_key_check`` before the
commit; the migration refuses to run with them on, which would cascade deletes); the append-only
triggers of 0002 go with the old table and are created again. On PostgreSQL the constraints are added in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, column, referenced table, ON DELETE) at revision 0005 — listed, not read from the models
REFERENCES = (
    ("activities", "school_id", "schools", "RESTRICT"),
    ("activities", "studio_id", "studios", "CASCADE"),
    ("activity_leaders", "activity_id", "activities", "CASCADE"),
    ("activity_leaders", "person_id", "people", "RESTRICT"),
    ("assessment_records", "studio_id", "studios", "CASCADE"),
    ("attendance", "activity_id", "activities", "CASCADE"),
    ("attendance", "person_id", "people", "RESTRICT"),
    ("attestations", "person_id", "people", "RESTRICT"),
    ("attestations", "studio_id", "studios", "CASCADE"),
    ("backbone_designations", "person_id", "people", "CASCADE"),
    ("expenses", "activity_id", "activities", "RESTRICT"),
    ("expenses", "reverses_id", "expenses", "RESTRICT"),
    ("expenses", "studio_id", "studios", "RESTRICT"),
    ("findings", "studio_id", "studios", "CASCADE"),
    ("fund_allocations", "reverses_id", "fund_allocations", "RESTRICT"),
    ("fund_allocations", "studio_id", "studios", "RESTRICT"),
    ("memberships", "person_id", "people", "RESTRICT"),
    ("memberships", "studio_id", "studios", "CASCADE"),
    ("output_people", "output_id", "outputs", "CASCADE"),
    ("output_people", "person_id", "people", "RESTRICT"),
    ("outputs", "school_id", "schools", "RESTRICT"),
    ("outputs", "studio_id", "studios", "CASCADE"),
    ("pairings", "person_id", "people", "RESTRICT"),
    ("pairings", "studio_id", "studios", "CASCADE"),
    ("people", "school_id", "schools", "RESTRICT"),
    ("person_events", "person_id", "people", "CASCADE"),
    ("person_honors", "person_id", "people", "CASCADE"),
    ("student_awards", "first_instructor_id", "people", "RESTRICT"),
    ("student_awards", "studio_id", "studios", "CASCADE"),
    ("studio_transitions", "studio_id", "studios", "CASCADE"),
    ("studios", "school_id", "schools", "RESTRICT"),
    ("users", "person_id", "people", None),
)
REVERSIBLE = ("expenses", "fund_allocations")
# as in 0002 (a migration does not import another)
APPEND_ONLY_REBUILT = ("fund_allocations", "expenses")
APP_ROLE = "mingshi_app"
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AUDIT_INDEXES = {
    "ix_audit_log_tenant_id_at": ["tenant_id", "at"],
    "ix_audit_log_at": ["at"],
    "ix_audit_log_action_at": ["action", "at"],
    "ix_audit_log_user_name_at": ["user_name", "at"],
    "ix_audit_log_entity_entity_id": ["entity", "entity_id"],
}


def _fk_name(table: str, column: str) -> str:
    return f"fk_{table}_tenant_{column}"


def _referenced() -> list[str]:
    return sorted({target for _, _, target, _ in REFERENCES})


class CrossTenantRows(RuntimeError):
    """Rows that already reference another tenant's row; the migration stops until they are corrected."""


def cross_tenant_rows(connection, limit: int = 20) -> list[str]:
    """``"studios 13 (tenant 2) → schools 1 (tenant 1)"`` for every reference that crosses tenants."""
    found: list[str] = []
    for table, column, target, _ in REFERENCES:
        rows = connection.execute(
            text(
                f"SELECT c.id, c.tenant_id, p.id, p.tenant_id FROM {table} c JOIN {target} p ON p.id = c.{column} "
                f"WHERE c.tenant_id IS NOT NULL AND p.tenant_id <> c.tenant_id ORDER BY c.id LIMIT {int(limit)}"
            )
        )
        found += [f"{table} {cid} (tenant {ct}) → {target} {pid} (tenant {pt})" for cid, ct, pid, pt in rows]
    return found


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:  # the report reads every tenant (a migration role without BYPASSRLS sees nothing otherwise)
        bind.execute(text("SELECT set_config('app.all_tenants', 'on', true)"))
    crossing = cross_tenant_rows(bind)
    if postgres:
        bind.execute(text("SELECT set_config('app.all_tenants', '', true)"))
    if crossing:
        raise CrossTenantRows(
            "rows that reference another tenant's row; correct them, then migrate again:\n  " + "\n  ".join(crossing)
        )
    for table in REVERSIBLE:
        op.drop_index(f"ix_{table}_reverses_id", table_name=table)
        op.create_index(f"uq_{table}_reverses_id", table, ["reverses_id"], unique=True)
    for name, columns in AUDIT_INDEXES.items():
        op.create_index(name, "audit_log", columns)
    _create_sign_in_failures(postgres)
    for table in _referenced():
        op.create_index(f"uq_{table}_tenant_id_id", table, ["tenant_id", "id"], unique=True)
    if postgres:
        for table, column, target, ondelete in REFERENCES:
            op.create_foreign_key(
                _fk_name(table, column), table, target, ["tenant_id", column], ["tenant_id", "id"], ondelete=ondelete
            )
        return
    _sqlite_rebuild(add=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column, _, _ in REFERENCES:
            op.drop_constraint(_fk_name(table, column), table, type_="foreignkey")
    else:
        _sqlite_rebuild(add=False)
    for table in _referenced():
        op.drop_index(f"uq_{table}_tenant_id_id", table_name=table)
    for table in REVERSIBLE:
        op.drop_index(f"uq_{table}_reverses_id", table_name=table)
        op.create_index(f"ix_{table}_reverses_id", table, ["reverses_id"], unique=False)
    for name in AUDIT_INDEXES:
        op.drop_index(name, table_name="audit_log")
    op.drop_index("ix_sign_in_failures_username_at", table_name="sign_in_failures")
    op.drop_index("ix_sign_in_failures_at", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")


def _create_sign_in_failures(postgres: bool) -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    op.create_index("ix_sign_in_failures_at", "sign_in_failures", ["at"])
    op.create_index("ix_sign_in_failures_username_at", "sign_in_failures", ["username", "at"])
    # the server-wide role of before 2026-12 only where it still exists (a database migrated then); the
    # deployment's own role is granted after the migrations by 'mingshi db upgrade' (core/roles.py)
    if postgres and op.get_bind().scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}):
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_failures TO {APP_ROLE}")
        sequence = op.get_bind().scalar(text("SELECT pg_get_serial_sequence('sign_in_failures', 'id')"))
        op.execute(f"GRANT USAGE ON SEQUENCE {sequence} TO {APP_ROLE}")


def _sqlite_rebuild(*, add: bool) -> None:
    # Dropping the old table with foreign keys on would run its ON DELETE CASCADE actions (rows of
    # other tables deleted): core.migrate runs migrations with them off and checks them before the commit.
    if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("migration 0005 rebuilds tables: run it through 'mingshi db upgrade' (foreign keys off)")
    tables = sorted({table for table, _, _, _ in REFERENCES})
    for table in tables:
        with op.batch_alter_table(table, recreate="always") as batch:
            for t, column, target, ondelete in REFERENCES:
                if t != table:
                    continue
                if add:
                    batch.create_foreign_key(
                        _fk_name(table, column), target, ["tenant_id", column], ["tenant_id", "id"], ondelete=ondelete
                    )
                else:
                    batch.drop_constraint(_fk_name(table, column), type_="foreignkey")
    for table in APPEND_ONLY_REBUILT:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER IF EXISTS append_only_{table}_{action.lower()}")
            op.execute(
                f"CREATE TRIGGER append_only_{table}_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only: {action} on {table} is refused; "
                f"record a new entry (a correction reverses the original)'); END"
            )
