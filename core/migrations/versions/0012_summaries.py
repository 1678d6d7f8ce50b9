"""central at national scale: per-studio-year summaries (refreshed by a job) and the audit page's keyset index

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-02 17:40:00

* ``studio_year_summaries`` (tenant, year, studio) and ``summary_refreshes`` (tenant): what the
  central comparison reads instead of aggregating every tenant's raw rows per view. Tenant-owned:
  row-level security as every tenant table (``tenant_isolation`` and ``all_tenants_read``); the
  deployment's role is granted by ``mingshi db upgrade`` after the migrations (``core/roles.py``).
* ``ix_audit_log_tenant_id_id``: the audit page reads a tenant's entries newest first by id, a
  page at a time from the last id seen (keyset), instead of sorting the tenant's rows with OFFSET.
* ``ix_studios_tenant_id_name_id``: the studio list (a tenant's studios by name) without a sort.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint"
ALL_TENANTS_PREDICATE = "current_setting('app.all_tenants', true) = 'on'"
COUNTS = (
    "members",
    "members_distinct",
    "act_teaching",
    "act_outreach",
    "act_research",
    "act_training",
    "act_other",
    "out_school",
    "out_county",
    "out_municipal",
    "out_provincial",
    "out_national",
    "out_none",
)


def _walls(table: str) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
    )
    op.execute(f"CREATE POLICY all_tenants_read ON {table} FOR SELECT USING ({ALL_TENANTS_PREDICATE})")


def upgrade() -> None:
    op.create_table(
        "studio_year_summaries",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("studio_id", BigId, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("ran", sa.Boolean(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
        sa.Column("record_id", BigId, nullable=True),
        sa.Column("grade", sa.String(length=10), nullable=True),
        sa.Column("criteria_met", sa.Integer(), nullable=False),
        sa.Column("criteria_unmet", sa.Integer(), nullable=False),
        sa.Column("criteria_pending", sa.Integer(), nullable=False),
        sa.Column("allocated_fen", sa.BigInteger(), nullable=False),
        sa.Column("spent_fen", sa.BigInteger(), nullable=False),
        sa.Column("removals", sa.JSON(), nullable=True),
        sa.Column("tenant_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_studio_year_summaries_tenant_id_tenants"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "year", "studio_id", name="pk_studio_year_summaries"),
    )
    op.create_index(op.f("ix_studio_year_summaries_tenant_id"), "studio_year_summaries", ["tenant_id"], unique=False)
    op.create_table(
        "summary_refreshes",
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("first_activity", sa.Date(), nullable=True),
        sa.Column("assessed_years", sa.JSON(), nullable=False),
        sa.Column("tenant_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_summary_refreshes_tenant_id_tenants"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_summary_refreshes"),
    )
    op.create_index(op.f("ix_summary_refreshes_tenant_id"), "summary_refreshes", ["tenant_id"], unique=False)
    op.create_index("ix_audit_log_tenant_id_id", "audit_log", ["tenant_id", "id"], unique=False)
    op.create_index("ix_studios_tenant_id_name_id", "studios", ["tenant_id", "name", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _walls("studio_year_summaries")
        _walls("summary_refreshes")


def downgrade() -> None:
    op.drop_index("ix_studios_tenant_id_name_id", table_name="studios")
    op.drop_index("ix_audit_log_tenant_id_id", table_name="audit_log")
    op.drop_index(op.f("ix_summary_refreshes_tenant_id"), table_name="summary_refreshes")
    op.drop_table("summary_refreshes")
    op.drop_index(op.f("ix_studio_year_summaries_tenant_id"), table_name="studio_year_summaries")
    op.drop_table("studio_year_summaries")
