"""a real bureau: tenants can be disabled, temporary passwords, the counties list, school and person fields

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 01:10:00

* ``tenants.active``: a disabled tenant's users cannot sign in; nothing is deleted.
* ``users.must_change_password``: set with a one-time password; the user changes it at sign-in.
* ``counties``: the tenant's managed list of counties/districts (tenant-owned: row-level security).
* ``schools.weak`` (薄弱学校), ``people.version`` (optimistic locking of the registry),
  ``person_honors.evidence`` (what the honour was recorded from).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# as in 0002 (a migration does not import another: each stays as it was written)
APP_ROLE = "mingshi_app"
TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint"
ALL_TENANTS_PREDICATE = "current_setting('app.all_tenants', true) = 'on'"


# Plain ADD COLUMN, not batch operations: a batch rebuild on SQLite would drop 0002's triggers.
def upgrade() -> None:
    op.add_column("tenants", sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column(
        "users", sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("schools", sa.Column("weak", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("people", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("person_honors", sa.Column("evidence", sa.String(length=500), nullable=True))
    op.create_table(
        "counties",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tenant_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_counties_tenant_id_tenants"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counties")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_counties_tenant_id_name")),
    )
    op.create_index(op.f("ix_counties_tenant_id"), "counties", ["tenant_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # the same walls as every tenant table of 0002: the app role's grants and row-level security
        # the server-wide role of before 2026-12 only where it still exists (a database migrated then);
        # the deployment's own role is granted by 'mingshi db upgrade' after the migrations (core/roles.py)
        if op.get_bind().scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}):
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON counties TO {APP_ROLE}")
            sequence = op.get_bind().scalar(sa.text("SELECT pg_get_serial_sequence('counties', 'id')"))
            op.execute(f"GRANT USAGE ON SEQUENCE {sequence} TO {APP_ROLE}")
        op.execute("ALTER TABLE counties ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE counties FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON counties USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
        )
        op.execute(f"CREATE POLICY all_tenants_read ON counties FOR SELECT USING ({ALL_TENANTS_PREDICATE})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS all_tenants_read ON counties")
        op.execute("DROP POLICY IF EXISTS tenant_isolation ON counties")
    op.drop_index(op.f("ix_counties_tenant_id"), table_name="counties")
    op.drop_table("counties")
    op.drop_column("person_honors", "evidence")
    op.drop_column("people", "version")
    op.drop_column("schools", "weak")
    op.drop_column("users", "must_change_password")
    op.drop_column("tenants", "active")
