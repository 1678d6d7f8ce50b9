"""fact revisions: a counter on each studio and each tenant, raised by every write to the facts the
rules read (issue 15: a studio's page computes its checks once per revision, not once per view)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 10:50:00

``studios.facts_rev`` is raised by a write to a row of the studio's record (memberships, activities
and their attendance, outputs, awards, expenses, attestations …), ``tenants.facts_rev`` by a write to
what the tenant's studios share (people, schools, parameters …); both in the writing transaction
(``core/revisions.py``). Existing rows start at 0: nothing has been computed under a revision yet.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN on both databases (SQLite adds a column with a constant default in place)
    for table in ("studios", "tenants"):
        op.add_column(table, sa.Column("facts_rev", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    for table in ("studios", "tenants"):
        op.drop_column(table, "facts_rev")
