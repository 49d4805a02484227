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

An index is dropped only with its longer replacement in place: the replacement is created here
when missing (a database from a development build of ``a_aggregates`` lacked the member-order
index; without it SQLite walks every sale in time order to find one customer's last visits). A
database whose statistics were gathered (``ANALYZE``; the demo does it) has them gathered again
for these tables, as DROP INDEX takes the dropped index's row out of ``sqlite_stat1`` and an
index created after the last ``ANALYZE`` has none.

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
# the longer indexes that answer for them (the unique (terminal_id, seq) is part of the table)
REPLACEMENTS = (
    "CREATE INDEX IF NOT EXISTS ix_purchase_member_order "
    "ON purchase (customer_id, created_at, id, amount)",
    "CREATE INDEX IF NOT EXISTS ix_purchase_time_customer_amount "
    "ON purchase (created_at, customer_id, amount)",
)


def upgrade() -> None:
    for replacement in REPLACEMENTS:
        op.execute(replacement)
    for name, _table, _columns in REDUNDANT:
        op.execute(f'DROP INDEX IF EXISTS "{name}"')
    bind = op.get_bind()
    if sa.inspect(bind).has_table("sqlite_stat1"):
        for table in sorted({table for _name, table, _columns in REDUNDANT}):
            op.execute(f'ANALYZE "{table}"')


def downgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, table, columns in REDUNDANT:
        if name not in {ix["name"] for ix in inspector.get_indexes(table)}:
            op.create_index(name, table, list(columns), unique=False)
