"""reports: covering indexes for the owner dashboard

Revision ID: a_reports
Revises: a_sync

The year dashboard reads every sale and ledger entry of the year. These indexes hold all the
columns those queries need, so SQLite answers from the index alone instead of looking up each
row in the table (one random read per sale on a 1 000 000-sale database).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a_reports"
down_revision = "a_sync"
branch_labels = None
depends_on = None

# (name, table, columns) — created only when missing, so the upgrade can run twice
INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # period totals, active members, first checks, top customers, weekly series
    ("ix_purchase_time_customer_amount", "purchase", ("created_at", "customer_id", "amount")),
    # points issued / redeemed / expired by kind over a period
    ("ix_ledger_time_kind_points", "ledger_entry", ("created_at", "kind", "points")),
    # new members, cohort sizes, members by the period's end
    ("ix_customer_created", "customer", ("created_at",)),
)


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, table, columns in INDEXES:
        if name not in {ix["name"] for ix in inspector.get_indexes(table)}:
            op.create_index(name, table, list(columns), unique=False)


def downgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, table, _columns in INDEXES:
        if name in {ix["name"] for ix in inspector.get_indexes(table)}:
            op.drop_index(name, table_name=table)
