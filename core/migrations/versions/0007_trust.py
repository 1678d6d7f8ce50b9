"""trust: an assessment remembers what storing it changed and can be withdrawn; a grant over a funding
stop carries the administrator's reason

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


# fund_allocations: plain ADD COLUMN, never a batch: on SQLite a rebuild would drop the append-only
# triggers of 0002.
def upgrade() -> None:
    # assessment_records has no trigger: a batch (rebuild on SQLite) is safe and adds the foreign key
    with op.batch_alter_table("assessment_records") as batch:
        batch.add_column(sa.Column("applied", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("withdrawn_by_id", BigId, nullable=True))
        batch.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=True))
        batch.create_foreign_key(
            "fk_assessment_records_withdrawn_by_id_users", "users", ["withdrawn_by_id"], ["id"], ondelete="RESTRICT"
        )
        batch.create_index("ix_assessment_records_withdrawn_by_id", ["withdrawn_by_id"])
    op.add_column("fund_allocations", sa.Column("override_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("fund_allocations", "override_reason")
    with op.batch_alter_table("assessment_records") as batch:
        batch.drop_index("ix_assessment_records_withdrawn_by_id")
        batch.drop_constraint("fk_assessment_records_withdrawn_by_id_users", type_="foreignkey")
        batch.drop_column("withdrawal_reason")
        batch.drop_column("withdrawn_by_id")
        batch.drop_column("withdrawn_at")
        batch.drop_column("applied")
