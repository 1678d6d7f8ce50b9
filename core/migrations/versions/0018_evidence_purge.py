"""evidence purge: a file's bytes deleted from the store after the retention period, its row kept

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-03 11:00:00

A withdrawn file, or a file of a withdrawn record, is kept for the tenant's retention period
(``common.evidence_retention_years``); then the purge job deletes its bytes from the store and marks
the row (when, by whom). The row stays, so the record's history still names the file. No new table:
the evidence table's row-level security (0014) covers the new columns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("purged_by_name", sa.String(120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("purged_by_name")
        batch.drop_column("purged_at")
