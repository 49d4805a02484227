"""lean indexes: drop three indexes that a longer index already answers

Revision ID: a_lean_indexes
Revises: a_aggregates

Each index is one more B-tree every sale writes (and a catch-up import builds). Three of them are
the leading columns of another index, so every query they served is served as well by the longer
one, which also covers more columns:

* ``ix_purchase_customer_time`` (customer_id, created_at) — by ``ix_purchase_member_order``
  (customer_id, created_at, id, amount): a customer's last visits, the desk history;
* ``ix_purchase_time`` (created_at) — by ``ix_purchase_time_customer_amount``
  (created_at, customer_id, amount): sales of a period;
* ``ix_journal_event_terminal_id`` (terminal_id) — by the unique (terminal_id, seq) constraint:
  a till's events, its highest sequence number.

The downgrade creates them again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a_lean_indexes"
down_revision = "a_aggregates"
branch_labels = None
depends_on = None

# (name, table, columns) of the indexes this revision drops
REDUNDANT: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ix_purchase_customer_time", "purchase", ("customer_id", "created_at")),
    ("ix_purchase_time", "purchase", ("created_at",)),
    ("ix_journal_event_terminal_id", "journal_event", ("terminal_id",)),
)


def upgrade() -> None:
    for name, _table, _columns in REDUNDANT:
        op.execute(f'DROP INDEX IF EXISTS "{name}"')


def downgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, table, columns in REDUNDANT:
        if name not in {ix["name"] for ix in inspector.get_indexes(table)}:
            op.create_index(name, table, list(columns), unique=False)
