"""Small named values of a till's sync (``sync_state``: the HLC, cursors, the last round…).

Here in ``db`` because both the sync layer and the journal archive (also in ``db``) keep values
there.
"""

from __future__ import annotations

import sqlite3


def state(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def put_state(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
