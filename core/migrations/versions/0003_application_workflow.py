"""application workflow: the history of every studio's status transitions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# as in 0002 (a migration does not import another: each stays as it was written); the application
# role's grants are given by ``mingshi db upgrade`` after the migrations (core/roles.py)
TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint"
ALL_TENANTS_PREDICATE = "current_setting('app.all_tenants', true) = 'on'"


def upgrade() -> None:
    op.create_table(
        "studio_transitions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("studio_id", BigId, nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("notice_until", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("user_id", BigId, nullable=True),
        sa.Column("user_name", sa.String(length=120), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["studio_id"], ["studios.id"], name=op.f("fk_studio_transitions_studio_id_studios"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_studio_transitions_tenant_id_tenants"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_studio_transitions_user_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studio_transitions")),
    )
    with op.batch_alter_table("studio_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_studio_transitions_studio_id"), ["studio_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_studio_transitions_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_studio_transitions_user_id"), ["user_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # the same walls as every tenant table of 0002: row-level security
        op.execute("ALTER TABLE studio_transitions ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE studio_transitions FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON studio_transitions USING ({TENANT_PREDICATE}) "
            f"WITH CHECK ({TENANT_PREDICATE})"
        )
        op.execute(f"CREATE POLICY all_tenants_read ON studio_transitions FOR SELECT USING ({ALL_TENANTS_PREDICATE})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS all_tenants_read ON studio_transitions")
        op.execute("DROP POLICY IF EXISTS tenant_isolation ON studio_transitions")
    with op.batch_alter_table("studio_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_studio_transitions_user_id"))
        batch_op.drop_index(batch_op.f("ix_studio_transitions_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_studio_transitions_studio_id"))
    op.drop_table("studio_transitions")
