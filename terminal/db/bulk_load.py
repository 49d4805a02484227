"""Secondary indexes set aside while a big batch of rows goes in, and built again after.

Inserting a million rows one by one into an index whose keys start with a customer id writes
to pages all over the file: once the indexes outgrow the page cache every row costs disk
reads and writes (a 1 000 000-event catch-up took 9 times as long as 200 000). Building an
index over rows already in the table is one sort. So a bulk loader drops the plain
(non-unique) indexes of the tables it fills inside its transaction, loads, and creates them
again before it reads anything through them; a failure rolls the DROP back with the rest.

Unique indexes (primary keys, ``UNIQUE`` constraints) always stay: they are what makes a
repeated row an ignored duplicate instead of a second copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def drop_plain_indexes(conn: sqlite3.Connection, tables: Iterable[str]) -> list[tuple[str, str]]:
    """Drop the non-unique indexes of ``tables``; returns their names and SQL for
    :func:`restore_indexes`."""
    wanted = list(tables)
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(wanted))}) ORDER BY name",
        wanted,
    ).fetchall()
    plain = [
        (name, sql) for name, sql in rows if not sql.lstrip().upper().startswith("CREATE UNIQUE")
    ]
    for name, _sql in plain:
        conn.execute(f'DROP INDEX "{name}"')
    return plain


def restore_indexes(conn: sqlite3.Connection, indexes: list[tuple[str, str]]) -> None:
    """Create again those of the dropped indexes that are missing (safe to call twice)."""
    present = {
        row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    for name, sql in indexes:
        if name not in present:
            conn.execute(sql)
