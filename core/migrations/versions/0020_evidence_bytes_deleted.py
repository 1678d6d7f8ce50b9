"""evidence bytes deleted: a purged file's bytes are known to be gone from the store

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-03 14:40:00

The purge (0018) marks a row purged and commits before it deletes the bytes; a store that fails
then (a network error to S3) left the bytes behind under a purged row, and no later purge tried
again. ``bytes_deleted_at`` is set once the store has deleted them; every purge retries the purged
rows without it (deleting is idempotent in both stores). Rows purged before this revision have no
such date, so the next purge deletes their bytes again, harmlessly, and records it. A partial index
keeps the rows still to delete cheap to find. No new table: the evidence table's row-level security
(0014) covers the column.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEFT = sa.text("purged_at IS NOT NULL AND bytes_deleted_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("bytes_deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_evidence_bytes_left", "evidence", ["tenant_id", "id"], postgresql_where=LEFT, sqlite_where=LEFT
    )


def downgrade() -> None:
    op.drop_index("ix_evidence_bytes_left", table_name="evidence")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("bytes_deleted_at")
