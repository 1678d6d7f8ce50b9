"""evidence: the files that prove a record (issue 17), a tenant's table behind row-level security

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-02 17:40:00

Each row names exactly one record (a check), and each reference carries the tenant (composite foreign
keys, as migration 0005 gave every other tenant table), so a file can only prove a record of its own
tenant. The bytes are not in the database: ``storage_key`` names them in the store (core/storage.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint"
ALL_TENANTS_PREDICATE = "current_setting('app.all_tenants', true) = 'on'"
RECORDS = (
    ("activity_id", "activities"),
    ("output_id", "outputs"),
    ("award_id", "student_awards"),
    ("expense_id", "expenses"),
    ("application_id", "studios"),
)
INDEXED = ("activity_id", "application_id", "award_id", "expense_id", "output_id", "studio_id", "tenant_id", "uploaded_by_id")


def upgrade() -> None:
    # the composite keys below need (tenant_id, id) unique on every table they name
    op.create_index("uq_student_awards_tenant_id_id", "student_awards", ["tenant_id", "id"], unique=True)
    one_record = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c, _ in RECORDS) + " = 1"
    op.create_table(
        "evidence",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("studio_id", BigId, nullable=False),
        *(sa.Column(column, BigId, nullable=True) for column, _ in RECORDS),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=80), nullable=False),
        sa.Column("uploaded_by_id", BigId, nullable=True),
        sa.Column("uploaded_by_name", sa.String(length=120), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_name", sa.String(length=120), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("tenant_id", BigId, nullable=False),
        sa.CheckConstraint(one_record, name=op.f("ck_evidence_one_record")),
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{table}.id"], name=op.f(f"fk_evidence_{column}_{table}"), ondelete="RESTRICT"
            )
            for column, table in [*RECORDS, ("studio_id", "studios")]
        ),
        *(
            sa.ForeignKeyConstraint(
                ["tenant_id", column],
                [f"{table}.tenant_id", f"{table}.id"],
                name=f"fk_evidence_tenant_{column}",
                ondelete="RESTRICT",
            )
            for column, table in [*RECORDS, ("studio_id", "studios")]
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_evidence_tenant_id_tenants"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_evidence_uploaded_by_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_evidence_storage_key")),
    )
    for column in INDEXED:
        op.create_index(op.f(f"ix_evidence_{column}"), "evidence", [column], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # the deployment's role is granted by 'mingshi db upgrade' after the migrations (core/roles.py)
        op.execute("ALTER TABLE evidence ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE evidence FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON evidence USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
        )
        op.execute(f"CREATE POLICY all_tenants_read ON evidence FOR SELECT USING ({ALL_TENANTS_PREDICATE})")


def downgrade() -> None:
    for column in INDEXED:
        op.drop_index(op.f(f"ix_evidence_{column}"), table_name="evidence")
    op.drop_table("evidence")
    op.drop_index("uq_student_awards_tenant_id_id", table_name="student_awards")
