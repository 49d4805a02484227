"""journal archive: other tills' events kept as they arrived, compressed

Revision ID: a_journal_archive
Revises: a_lean_indexes

A till applies another till's events to its own rows and never sends them on (every till
exports only its own events), so the events themselves are kept only as the record: what
arrived, from which till, with which numbers, and for privacy erasure to blank. Kept as one
row per event they were most of an importing till's file and of its import time (a
1 000 000-event bundle of 140 MB became 1.3 GB of journal rows and two 36-character unique
keys per event). ``journal_archive`` keeps the bundle file as it arrived instead (gzip, still
signed), or the gzip of the events a hub pull brought, with the range of sequence numbers it
applied; ``db/journal_archive.py`` reads and writes it.

``journal_archive_scrub`` lists the customers erased whose archived events are still to be
blanked: the erasure notes them in its transaction, the bodies are rewritten after it (seconds
for a big archive, not spent inside the lock the counter waits on).

Events imported before this revision stay rows of ``journal_event``; the cursor of each other
till and ``check`` read both. The downgrade drops the table (events archived by then are lost
from the record, not from the balances, which are rows of their own).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a_journal_archive"
down_revision = "a_lean_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "journal_archive_scrub" not in existing:
        op.create_table(
            "journal_archive_scrub",
            sa.Column("customer_id", sa.String(), nullable=False),
            sa.Column("asked_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("customer_id"),
        )
    if "journal_archive" in existing:
        return
    op.create_table(
        "journal_archive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terminal_id", sa.String(), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("piece", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("scrubbed_at", sa.DateTime(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("terminal_id", "first_seq", "piece", name="uq_journal_archive_run"),
    )


def downgrade() -> None:
    op.drop_table("journal_archive_scrub")
    op.drop_table("journal_archive")
