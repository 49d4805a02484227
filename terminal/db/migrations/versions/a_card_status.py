"""every card status change known, with its stamp: ``sync_card_status``

Revision ID: a_card_status
Revises: a_staff_names

A sale on a card another till had blocked is flagged for the owner. Which sales those are
depends on the card's status at each sale's time; the field clock keeps only the last write, so
a till that heard of the block and a later unblock before the sale decided differently from a
till that heard of the sale first (found by the three-till property test). Every till now keeps
each status change of a card with its HLC stamp, its own and other tills', and decides from
that history. A database of an earlier release starts the history from what its field clock
holds: the last status written to each card, with its stamp.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a_card_status"
down_revision = "a_staff_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if "sync_card_status" not in set(sa.inspect(bind).get_table_names()):
        op.create_table(
            "sync_card_status",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("card", sa.String(), nullable=False),
            sa.Column("hlc", sa.String(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("card", "hlc", name="uq_sync_card_status"),
        )
    op.execute(
        "INSERT OR IGNORE INTO sync_card_status (card, hlc, status) "
        "SELECT key, hlc, json_extract(value, '$') FROM sync_field_clock "
        "WHERE tbl = 'card' AND field = 'status' AND value IS NOT NULL "
        "AND json_type(value) = 'text' ORDER BY hlc"
    )


def downgrade() -> None:
    op.drop_table("sync_card_status")
