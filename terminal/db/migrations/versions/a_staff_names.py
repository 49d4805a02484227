"""staff names that travel: ``staff_name``, filled from this till's roster and journaled

Revision ID: a_staff_names
Revises: a_journal_archive

Another till's sales showed no cashier: ``staff`` never travels, because it holds PIN hashes
and lockouts. ``staff_name`` holds only the id, the name and the person's own till, for every
person of every till; a till adds its own people with a ``staff.named`` journal event (journal
schema 2), which other tills apply like any other event. A small partial index finds the
events of a schema above 1, so an export can say in its manifest which schema its events need.

The people already on this till's roster are written here, and one ``staff.named`` event is
appended to this till's journal for each, so they reach the other tills with the next export or
push like someone added today. The events are written the way ``app/journal.record_event``
writes them (the next sequence numbers, a UUIDv7, the time of the upgrade). A database without
a local till yet (a new file: the roster is empty) gets only the table. The downgrade drops the
table; the events stay in the journal (it is append-only, and a release without the table
never reads them: it refuses the bundles that carry them, as made by a newer version).
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from terminal.core.ids import uuid7

revision = "a_staff_names"
down_revision = "a_journal_archive"
branch_labels = None
depends_on = None

STAFF_NAMED_SCHEMA = 2


def upgrade() -> None:
    bind = op.get_bind()
    if "staff_name" not in set(sa.inspect(bind).get_table_names()):
        op.create_table(
            "staff_name",
            sa.Column("id", sa.String(), nullable=False),
            sa.Column("name", sa.String(), nullable=False),
            sa.Column("terminal_id", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_journal_event_newer_schema "
        "ON journal_event (terminal_id, seq, schema_version) WHERE schema_version > 1"
    )
    local = bind.execute(sa.text("SELECT id FROM terminal WHERE is_local = 1")).first()
    if local is None:
        return
    terminal_id = str(local[0])
    people = bind.execute(
        sa.text(
            "SELECT id, name, created_at FROM staff "
            "WHERE id NOT IN (SELECT id FROM staff_name) ORDER BY created_at, id"
        )
    ).all()
    (last,) = bind.execute(
        sa.text("SELECT COALESCE(MAX(seq), 0) FROM journal_event WHERE terminal_id = :t"),
        {"t": terminal_id},
    ).one()
    now = datetime.now().isoformat(sep=" ", timespec="microseconds")
    for offset, (person_id, name, created_at) in enumerate(people, start=1):
        row = {"id": person_id, "name": name, "terminal_id": terminal_id, "created_at": created_at}
        bind.execute(
            sa.text(
                "INSERT INTO staff_name (id, name, terminal_id, created_at) "
                "VALUES (:id, :name, :terminal_id, :created_at)"
            ),
            row,
        )
        # the payload's times as the journal writes them (ISO, a "T"), like row_dict does
        shown = {**row, "created_at": str(created_at).replace(" ", "T", 1)}
        bind.execute(
            sa.text(
                "INSERT INTO journal_event (id, terminal_id, seq, created_at, type, payload, "
                "schema_version, applied_at) VALUES (:id, :terminal_id, :seq, :created_at, "
                "'staff.named', :payload, :schema, NULL)"
            ),
            {
                "id": uuid7(),
                "terminal_id": terminal_id,
                "seq": int(last) + offset,
                "created_at": now,
                "payload": json.dumps(
                    {"rows": {"staff_name": [shown]}, "summary": {"staff_id": person_id}},
                    ensure_ascii=False,
                    separators=(",", ":"),
                ),
                "schema": STAFF_NAMED_SCHEMA,
            },
        )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_journal_event_newer_schema")
    op.drop_table("staff_name")
