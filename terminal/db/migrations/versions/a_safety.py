"""data safety: consent history

Revision ID: a_safety
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a_safety"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if sa.inspect(bind).has_table("consent_change"):
        return
    op.create_table(
        "consent_change",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("customer_id", sa.String(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consent_change", schema=None) as batch_op:
        batch_op.create_index("ix_consent_change_customer_id", ["customer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("consent_change", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_change_customer_id")
    op.drop_table("consent_change")
