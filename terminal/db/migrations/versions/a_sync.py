"""sync between tills: HLC state, field clocks, conflicts

Revision ID: a_sync
Revises: a_safety
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a_sync"
down_revision = "a_safety"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "sync_state" not in existing:
        op.create_table(
            "sync_state",
            sa.Column("key", sa.String(), nullable=False),
            sa.Column("value", sa.String(), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )
    if "sync_event_clock" not in existing:
        op.create_table(
            "sync_event_clock",
            sa.Column("event_id", sa.String(), nullable=False),
            sa.Column("hlc", sa.String(), nullable=False),
            sa.PrimaryKeyConstraint("event_id"),
        )
    if "sync_field_clock" not in existing:
        op.create_table(
            "sync_field_clock",
            sa.Column("tbl", sa.String(), nullable=False),
            sa.Column("key", sa.String(), nullable=False),
            sa.Column("field", sa.String(), nullable=False),
            sa.Column("hlc", sa.String(), nullable=False),
            sa.Column("value", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("tbl", "key", "field"),
        )
    else:
        columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("sync_field_clock")}
        if "value" not in columns:
            with op.batch_alter_table("sync_field_clock", schema=None) as batch_op:
                batch_op.add_column(sa.Column("value", sa.Text(), nullable=True))
    if "sync_conflict" not in existing:
        op.create_table(
            "sync_conflict",
            sa.Column("id", sa.String(), nullable=False),
            sa.Column("kind", sa.String(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=True),
            sa.Column("subject", sa.String(), nullable=False),
            sa.Column("details", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("resolved_at", sa.DateTime(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
            batch_op.create_index("ix_sync_conflict_kind", ["kind"], unique=False)
            batch_op.create_index("ix_sync_conflict_customer_id", ["customer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflict_customer_id")
        batch_op.drop_index("ix_sync_conflict_kind")
    op.drop_table("sync_conflict")
    op.drop_table("sync_field_clock")
    op.drop_table("sync_event_clock")
    op.drop_table("sync_state")
