"""Secondary indexes set aside while a big batch of rows goes in, and built again after.

Inserting a million rows one by one into an index whose keys start with a customer id writes
to pages all over the file: once the indexes outgrow the page cache every row costs disk
reads and writes (a 1 000 000-event catch-up took 9 times as long as 200 000). Building an
index over rows already in the table is one sort. So a bulk loader drops the plain
(non-unique) indexes of the tables it fills inside its transaction, loads, and creates them
again before it reads anything through them; a failure rolls the DROP back with the rest.

Unique indexes (primary keys, ``UNIQUE`` constraints) always stay: they are what makes a
repeated row an ignored duplicate instead of a second copy. The report triggers are set aside the
same way (``report_aggregates.drop_triggers``) and both come back through :func:`restore`.
Used by the sync catch-up (``sync/apply.py``, ``sync/exchange.py``) and the demo loader.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger("db")

# Schema objects set aside: (type, name, the SQL that creates it), as sqlite_master has them.
SetAside = list[tuple[str, str, str]]


def set_aside(conn: sqlite3.Connection, objects: SetAside) -> SetAside:
    """Drop ``objects`` (indexes or triggers, from sqlite_master) inside the caller's
    transaction; returns them for :func:`restore`."""
    for kind, name, _sql in objects:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    return objects


def restore(conn: sqlite3.Connection, objects: SetAside) -> None:
    """Create again those of the set-aside objects that are missing (safe to call twice)."""
    present = set(conn.execute("SELECT type, name FROM sqlite_master"))
    for kind, name, sql in objects:
        if (kind, name) not in present:
            conn.execute(sql)


def drop_plain_indexes(
    conn: sqlite3.Connection, tables: Iterable[str], *, keep_led_by: Collection[str] = ()
) -> SetAside:
    """Drop the non-unique indexes of ``tables``; returns them for :func:`restore`.

    ``keep_led_by``: columns whose values grow as the rows are made (a time, a time-ordered
    id). An index led by one is kept: rows that arrive in the order they were made land at its
    right edge, on pages already in the cache, so keeping it up row by row is cheaper than
    building it again after — and that work then happens while the rows go in, where a staged
    import (``sync/staging.py``) has other cores busy, not after them."""
    wanted = list(tables)
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(wanted))}) ORDER BY name",
        wanted,
    ).fetchall()
    plain = [row for row in rows if not row[2].lstrip().upper().startswith("CREATE UNIQUE")]
    return set_aside(
        conn, [row for row in plain if _leading_column(conn, row[1]) not in keep_led_by]
    )


def _leading_column(conn: sqlite3.Connection, index: str) -> str | None:
    first = conn.execute(f'PRAGMA index_info("{index}")').fetchone()
    return None if first is None else first[2]


@contextmanager
def rollback_journal(conn: sqlite3.Connection) -> Iterator[bool]:
    """Run a bulk load (outside any transaction yet) with a rollback journal instead of WAL
    when nobody else has the file open; yields whether it does, and goes back to WAL after.

    In WAL every page of the load is written twice: into the WAL at commit, then into the
    file by the checkpoint (for a 1 000 000-event catch-up, a fifth of the import). With a
    rollback journal the pages new to the file are written once, and only what existing pages
    held before goes to the journal; the transaction stays all or nothing, and a crash half-way
    is rolled back by SQLite the next time the file is opened (every connection then sets WAL
    again, ``db/engine.py``). Leaving WAL needs this to be the only connection to the file:
    with the counter or another program on it SQLite refuses at once (no waiting, the busy
    timeout is off for the attempt) and the load runs in WAL as always, so readers are never
    locked out by it.
    """
    (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
    conn.execute("PRAGMA busy_timeout=0")
    try:
        (mode,) = conn.execute("PRAGMA main.journal_mode=DELETE").fetchone()
    except sqlite3.OperationalError:  # "database is locked": someone else has the file open
        mode = "wal"
    finally:
        conn.execute(f"PRAGMA busy_timeout={int(timeout)}")
    alone = mode == "delete"
    log.info("bulk load with %s", "a rollback journal" if alone else "WAL (file shared)")
    try:
        yield alone
    finally:
        if alone:
            conn.execute("PRAGMA main.journal_mode=WAL")


# A key naming no row: (table, the key's number in the table, the value named), one for all the
# rows that name it.
BrokenReference = tuple[str, int, Any]


def broken_references(conn: sqlite3.Connection) -> set[BrokenReference]:
    """Every value a foreign key of ``conn``'s main file names that is not in the table it
    names — what ``PRAGMA foreign_key_check`` finds, by value rather than by row.

    By value because that is far cheaper on a big file: the distinct values of a key are
    read from an index led by it where there is one (a million sales name ten thousand
    customers: 0.08 s, against 0.43 s for ``foreign_key_check``, which looks each row's
    customer up)."""
    broken: set[BrokenReference] = set()
    tables = conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for (table,) in tables:
        for number, _seq, parent, column, key, *_ in conn.execute(
            f'PRAGMA main.foreign_key_list("{table}")'
        ).fetchall():
            if key is None:  # names the parent's primary key (not a form this schema uses)
                (key,) = [
                    row[1]
                    for row in conn.execute(f'PRAGMA main.table_info("{parent}")')
                    if row[5] == 1
                ]
            broken.update(
                (table, number, value)
                for (value,) in conn.execute(
                    f'SELECT v FROM (SELECT DISTINCT "{column}" AS v FROM main."{table}" '
                    f'WHERE "{column}" IS NOT NULL) '
                    f'WHERE v NOT IN (SELECT "{key}" FROM main."{parent}")'
                )
            )
    return broken


class ReferencesOnce:
    """The foreign keys of one bulk transaction, checked once before its commit: a row the
    transaction left naming no row fails the commit as SQLite's own deferred check would."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._broken_before: set[BrokenReference] = set()

    def begun(self) -> None:
        """At the start of the transaction: what was broken already is not its doing (SQLite's
        own check counts only what the transaction breaks or mends)."""
        self._broken_before = broken_references(self.conn)

    def ending(self) -> None:
        """Before the commit: raise what SQLite raises there if the transaction left a row
        naming a row that is not in the file."""
        broken = broken_references(self.conn) - self._broken_before
        if broken:
            table, _, value = min(broken, key=repr)
            log.warning(
                "%d keys name rows that are not here (first: %s names %r)",
                len(broken),
                table,
                value,
            )
            raise sqlite3.IntegrityError("FOREIGN KEY constraint failed")


@contextmanager
def references_checked_once(conn: sqlite3.Connection) -> Iterator[ReferencesOnce]:
    """Run a bulk transaction (not begun yet) with its foreign keys checked once, over the
    whole file, before it commits (:class:`ReferencesOnce`), instead of row by row.

    Checked row by row, each of a million-event catch-up's three million rows looks its
    customer up as it goes in: 4.7 s of a 7.7 s copy, measured, where reading the file's
    broken references once afterwards (:func:`broken_references`) takes 0.5-0.8 s (``PRAGMA
    foreign_key_check``, row by row again, 0.8-1.3 s). SQLite only switches the
    row-by-row check off between transactions, so this wraps the transaction and switches it
    on again after, whatever way the transaction ends (the connection goes back to a pool).
    """
    conn.execute("PRAGMA foreign_keys=OFF")
    try:
        yield ReferencesOnce(conn)
    finally:
        conn.execute("PRAGMA foreign_keys=ON")
