"""a one-time key on fund allocations, so that a double submission of the grant form records once

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 01:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ADD COLUMN and CREATE INDEX, not a batch operation: on SQLite a batch rebuild of the table
# would drop the append-only triggers of 0002 with the old table.
def upgrade() -> None:
    op.add_column("fund_allocations", sa.Column("idempotency_key", sa.String(length=64), nullable=True))
    op.create_index(
        "uq_fund_allocations_tenant_id_idempotency_key",
        "fund_allocations",
        ["tenant_id", "idempotency_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_fund_allocations_tenant_id_idempotency_key", table_name="fund_allocations")
    op.drop_column("fund_allocations", "idempotency_key")
