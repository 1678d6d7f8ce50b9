"""credit recognitions (学分认定, Wenzhou 第九条): a tenant's table behind row-level security

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-03 11:00:00

The credits recognized for a person of a studio from a stored end-of-cycle result: proposed by the
platform, confirmed by the administrator, withdrawn with a reason. Every reference carries the tenant
(composite foreign keys, as in 0005 and 0014), so a row can only name its own tenant's studio, person
and result. Credits are an integer count of hundredths.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint"
ALL_TENANTS_PREDICATE = "current_setting('app.all_tenants', true) = 'on'"
TABLE = "credit_recognitions"
#: (column, table) of the references to other tenant rows
RECORDS = (("studio_id", "studios"), ("person_id", "people"), ("assessment_id", "assessment_records"))
USERS = ("proposed_by_id", "confirmed_by_id", "withdrawn_by_id")
INDEXED = ("assessment_id", "confirmed_by_id", "period", "person_id", "proposed_by_id", "state", "studio_id",
           "tenant_id", "withdrawn_by_id")  # fmt: skip


def upgrade() -> None:
    # the composite key to assessment_records needs (tenant_id, id) unique there
    op.create_index("uq_assessment_records_tenant_id_id", "assessment_records", ["tenant_id", "id"], unique=True)
    op.create_table(
        TABLE,
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("studio_id", BigId, nullable=False),
        sa.Column("person_id", BigId, nullable=False),
        sa.Column("assessment_id", BigId, nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("hundredths", sa.BigInteger(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("basis", sa.String(length=64), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("result_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposed_by_id", BigId, nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by_id", BigId, nullable=True),
        sa.Column("confirmed_by_name", sa.String(length=120), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", BigId, nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("tenant_id", BigId, nullable=False),
        sa.CheckConstraint(
            "state IN ('proposed', 'confirmed', 'withdrawn')", name=op.f("ck_credit_recognitions_state")
        ),
        sa.CheckConstraint("hundredths >= 0", name=op.f("ck_credit_recognitions_not_negative")),
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{table}.id"], name=op.f(f"fk_{TABLE}_{column}_{table}"), ondelete="RESTRICT"
            )
            for column, table in RECORDS
        ),
        *(
            sa.ForeignKeyConstraint(
                ["tenant_id", column],
                [f"{table}.tenant_id", f"{table}.id"],
                name=f"fk_{TABLE}_tenant_{column}",
                ondelete="RESTRICT",
            )
            for column, table in RECORDS
        ),
        *(
            sa.ForeignKeyConstraint(
                [column], ["users.id"], name=op.f(f"fk_{TABLE}_{column}_users"), ondelete="RESTRICT"
            )
            for column in USERS
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{TABLE}_tenant_id_tenants"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
    )
    for column in INDEXED:
        op.create_index(op.f(f"ix_{TABLE}_{column}"), TABLE, [column], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # the deployment's role is granted by 'mingshi db upgrade' after the migrations (core/roles.py)
        op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {TABLE} USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
        )
        op.execute(f"CREATE POLICY all_tenants_read ON {TABLE} FOR SELECT USING ({ALL_TENANTS_PREDICATE})")


def downgrade() -> None:
    for column in INDEXED:
        op.drop_index(op.f(f"ix_{TABLE}_{column}"), table_name=TABLE)
    op.drop_table(TABLE)
    op.drop_index("uq_assessment_records_tenant_id_id", table_name="assessment_records")
