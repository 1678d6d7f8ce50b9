"""document_submissions: plans, reports and notices a studio files, and their review (issue 17)

Revision ID: 0015
Revises: 0016
Create Date: 2026-12-03 10:50:00

A tenant's table behind row-level security like ``evidence`` (0014): composite tenant foreign keys to
the studio and the activity, so a document can only belong to its own tenant's records. Files of a
document are evidence: ``evidence.submission_id`` (nullable, with its composite key), and the
``one_record`` check widened to count it. Expenses already name the activity they paid for
(``expenses.activity_id``, 0001), which 温州's reimbursability reads.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint"
ALL_TENANTS_PREDICATE = "current_setting('app.all_tenants', true) = 'on'"
TABLE = "document_submissions"
INDEXED = ("activity_id", "created_by_id", "reviewed_by_id", "studio_id", "submitted_by_id", "tenant_id")
OLD_RECORDS = ("activity_id", "output_id", "award_id", "expense_id", "application_id")
NEW_RECORDS = (*OLD_RECORDS, "submission_id")


def _one_record(columns) -> str:
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns) + " = 1"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("studio_id", BigId, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("period_key", sa.String(length=40), nullable=False),
        sa.Column("activity_id", BigId, nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_submitted_on", sa.Date(), nullable=True),
        sa.Column("submitted_by_id", BigId, nullable=True),
        sa.Column("submitted_by_name", sa.String(length=120), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by_id", BigId, nullable=True),
        sa.Column("reviewed_by_name", sa.String(length=120), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", BigId, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("tenant_id", BigId, nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'approved', 'returned')", name=op.f("ck_document_submissions_state")
        ),
        sa.ForeignKeyConstraint(
            ["studio_id"], ["studios.id"], name=op.f("fk_document_submissions_studio_id_studios"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_document_submissions_activity_id_activities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name="fk_document_submissions_tenant_activity_id",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "studio_id"],
            ["studios.tenant_id", "studios.id"],
            name="fk_document_submissions_tenant_studio_id",
            ondelete="RESTRICT",
        ),
        *(
            sa.ForeignKeyConstraint(
                [column], ["users.id"], name=op.f(f"fk_document_submissions_{column}_users"), ondelete="RESTRICT"
            )
            for column in ("created_by_id", "reviewed_by_id", "submitted_by_id")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_document_submissions_tenant_id_tenants"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_submissions")),
        sa.UniqueConstraint(
            "tenant_id", "studio_id", "code", "period_key", name=op.f("uq_document_submissions_tenant_id_studio_id_code_period_key")
        ),
    )
    for column in INDEXED:
        op.create_index(op.f(f"ix_{TABLE}_{column}"), TABLE, [column], unique=False)
    # evidence names its submission with the tenant: (tenant_id, id) must be unique here
    op.create_index("uq_document_submissions_tenant_id_id", TABLE, ["tenant_id", "id"], unique=True)
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("submission_id", BigId, nullable=True))
        batch.drop_constraint(op.f("ck_evidence_one_record"), type_="check")
        batch.create_check_constraint("one_record", _one_record(NEW_RECORDS))
        batch.create_foreign_key(
            "fk_evidence_submission_id_document_submissions", TABLE, ["submission_id"], ["id"], ondelete="RESTRICT"
        )
        batch.create_foreign_key(
            "fk_evidence_tenant_submission_id", TABLE, ["tenant_id", "submission_id"], ["tenant_id", "id"], ondelete="RESTRICT"
        )
        batch.create_index("ix_evidence_submission_id", ["submission_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # the deployment's role is granted by 'mingshi db upgrade' after the migrations (core/roles.py)
        op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {TABLE} USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
        )
        op.execute(f"CREATE POLICY all_tenants_read ON {TABLE} FOR SELECT USING ({ALL_TENANTS_PREDICATE})")


def downgrade() -> None:
    # the files of filed documents go with their table: their rows could not satisfy the narrower
    # check (their bytes stay in the store, named by nothing, as after any downgrade that drops a table)
    op.execute("DELETE FROM evidence WHERE submission_id IS NOT NULL")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_index("ix_evidence_submission_id")
        batch.drop_constraint("fk_evidence_tenant_submission_id", type_="foreignkey")
        batch.drop_constraint("fk_evidence_submission_id_document_submissions", type_="foreignkey")
        batch.drop_constraint(op.f("ck_evidence_one_record"), type_="check")
        batch.create_check_constraint("one_record", _one_record(OLD_RECORDS))
        batch.drop_column("submission_id")
    op.drop_index("uq_document_submissions_tenant_id_id", table_name=TABLE)
    for column in INDEXED:
        op.drop_index(op.f(f"ix_{TABLE}_{column}"), table_name=TABLE)
    op.drop_table(TABLE)
