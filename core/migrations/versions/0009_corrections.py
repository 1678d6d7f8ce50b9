"""corrections: activities, outputs and awards are edited under optimistic locking and withdrawn
(kept, marked, no longer counted) instead of deleted; a membership remembers a reinstatement

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLES = ("activities", "outputs", "student_awards")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
            batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
            batch.add_column(sa.Column("withdrawn_by_id", BigId, nullable=True))
            batch.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=True))
            batch.create_foreign_key(
                f"fk_{table}_withdrawn_by_id_users", "users", ["withdrawn_by_id"], ["id"], ondelete="RESTRICT"
            )
            batch.create_index(f"ix_{table}_withdrawn_by_id", ["withdrawn_by_id"])
    with op.batch_alter_table("memberships") as batch:
        batch.add_column(sa.Column("reinstated_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("reinstatement_reason", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("memberships") as batch:
        batch.drop_column("reinstatement_reason")
        batch.drop_column("reinstated_on")
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_withdrawn_by_id")
            batch.drop_constraint(f"fk_{table}_withdrawn_by_id_users", type_="foreignkey")
            batch.drop_column("withdrawal_reason")
            batch.drop_column("withdrawn_by_id")
            batch.drop_column("withdrawn_at")
            batch.drop_column("version")
