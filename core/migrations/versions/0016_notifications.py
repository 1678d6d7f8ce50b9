"""notifications: reminders of what awaits a user, and the user's e-mail preference (issue 17)

Revision ID: 0016
Revises: 0019
Create Date: 2026-12-03 10:40:00

``notifications`` is a tenant's table behind row-level security; its user is named with the tenant
(``(tenant_id, user_id) → users(tenant_id, id)``, so a reminder can only go to a user of its own
tenant), and one unresolved reminder per user and thing (a partial unique index). ``users`` gets the
e-mail address, the "e-mail me" preference (on) and the language the user last chose.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint"
ALL_TENANTS_PREDICATE = "current_setting('app.all_tenants', true) = 'on'"


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("email_reminders", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch.add_column(sa.Column("language", sa.String(length=10), nullable=True))
    op.create_index("uq_users_tenant_id_id", "users", ["tenant_id", "id"], unique=True)
    op.create_table(
        "notifications",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("msgid", sa.Text(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("email_next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_error", sa.Text(), nullable=True),
        sa.Column("tenant_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "user_id"],
            ["users.tenant_id", "users.id"],
            name="fk_notifications_tenant_user_id",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_notifications_tenant_id_tenants"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index(op.f("ix_notifications_tenant_id"), "notifications", ["tenant_id"], unique=False)
    op.create_index(op.f("ix_notifications_resolved_at"), "notifications", ["resolved_at"], unique=False)
    op.create_index(op.f("ix_notifications_email_next_at"), "notifications", ["email_next_at"], unique=False)
    op.create_index("ix_notifications_user_id_created_at", "notifications", ["user_id", "created_at"], unique=False)
    op.create_index(
        "uq_notifications_open_key",
        "notifications",
        ["tenant_id", "user_id", "dedupe_key"],
        unique=True,
        sqlite_where=sa.text("resolved_at IS NULL"),
        postgresql_where=sa.text("resolved_at IS NULL"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # the deployment's role is granted by 'mingshi db upgrade' after the migrations (core/roles.py)
        op.execute("ALTER TABLE notifications ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE notifications FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON notifications USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
        )
        op.execute(f"CREATE POLICY all_tenants_read ON notifications FOR SELECT USING ({ALL_TENANTS_PREDICATE})")


def downgrade() -> None:
    op.drop_index("uq_notifications_open_key", table_name="notifications")
    op.drop_index("ix_notifications_user_id_created_at", table_name="notifications")
    op.drop_index(op.f("ix_notifications_email_next_at"), table_name="notifications")
    op.drop_index(op.f("ix_notifications_resolved_at"), table_name="notifications")
    op.drop_index(op.f("ix_notifications_tenant_id"), table_name="notifications")
    op.drop_table("notifications")
    op.drop_index("uq_users_tenant_id_id", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
        batch.drop_column("email_reminders")
        batch.drop_column("email")
