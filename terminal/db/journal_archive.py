"""Other tills' events, kept as they arrived: the record of an import, not rows to query.

A till applies another till's events to its own rows (``sync/apply.py``) and never sends them
on: every till exports only its own events. So once applied, the events are read again only
to say how far this till has got with each other till (the cursor), for ``check`` (the
numbers have no gaps) and by privacy erasure (a person's name and phone in a registration
event). One row per event made them most of an importing till's file and of its import time;
the archive keeps each imported bundle file as it is (gzip, still signed) and the gzip of the
events a hub pull brought, with the run of sequence numbers applied from it. Here in ``db``
because the sync import writes it and ``check`` and privacy erasure (``app``) read it.
"""

from __future__ import annotations

import gzip
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import orjson

# A body is stored in pieces of at most this many bytes (SQLite refuses values of 1 GB).
PIECE_BYTES = 256 << 20
# gzip level for bodies written here (a hub pull's events, a scrubbed body): as for bundles.
COMPRESS_LEVEL = 1

Body = bytes | memoryview


def _stored(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="microseconds")  # as SQLAlchemy stores it


def encode_events(events: Iterable[dict[str, Any]]) -> bytes:
    """The gzip of events as JSON Lines (a hub pull's events, which come without a file)."""
    dumps, keys = orjson.dumps, orjson.OPT_NON_STR_KEYS  # a hub row's keys are str subclasses
    lines = b"".join(dumps(event, option=keys) + b"\n" for event in events)
    return gzip.compress(lines, compresslevel=COMPRESS_LEVEL, mtime=0)


def keep(
    db: sqlite3.Connection,
    terminal_id: str,
    first_seq: int,
    last_seq: int,
    source: str,
    body: Body,
    now: datetime,
) -> None:
    """Archive the run ``first_seq``..``last_seq`` of till ``terminal_id``, applied from
    ``body``, inside the caller's transaction."""
    view = memoryview(body)
    received = _stored(now)
    for piece, start in enumerate(range(0, max(len(view), 1), PIECE_BYTES)):
        db.execute(
            "INSERT INTO journal_archive (terminal_id, first_seq, last_seq, piece, source, "
            "received_at, scrubbed_at, body) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
            (
                terminal_id,
                first_seq,
                last_seq,
                piece,
                source,
                received,
                view[start : start + PIECE_BYTES],
            ),
        )


def highest_seq(db: sqlite3.Connection, terminal_id: str) -> int:
    (last,) = db.execute(
        "SELECT MAX(last_seq) FROM journal_archive WHERE terminal_id = ?", (terminal_id,)
    ).fetchone()
    return int(last or 0)


# Each other till's runs, as (terminal_id, first, last) rows: one per run, whatever its pieces.
RUNS_SQL = "SELECT terminal_id, first_seq, last_seq FROM journal_archive WHERE piece = 0"


def event_count(db: sqlite3.Connection) -> int:
    (count,) = db.execute(
        f"SELECT COALESCE(SUM(last_seq - first_seq + 1), 0) FROM ({RUNS_SQL})"
    ).fetchone()
    return int(count)


def _body(db: sqlite3.Connection, terminal_id: str, first_seq: int) -> bytes:
    return b"".join(
        row[0]
        for row in db.execute(
            "SELECT body FROM journal_archive WHERE terminal_id = ? AND first_seq = ? "
            "ORDER BY piece",
            (terminal_id, first_seq),
        )
    )


def _run_events(text: bytes, first_seq: int, last_seq: int) -> Iterator[dict[str, Any]]:
    """The events of the run in a body's decompressed ``text`` (a bundle's manifest and
    signature lines, and events the till already had when it was applied, are skipped)."""
    for line in text.splitlines():
        if not line:
            continue
        event = orjson.loads(line)
        seq = event.get("seq")
        if isinstance(seq, int) and first_seq <= seq <= last_seq:
            yield event


def events(db: sqlite3.Connection, terminal_id: str) -> Iterator[dict[str, Any]]:
    """Every archived event of till ``terminal_id``, in sequence order."""
    runs = db.execute(
        "SELECT first_seq, last_seq FROM journal_archive WHERE terminal_id = ? AND piece = 0 "
        "ORDER BY first_seq",
        (terminal_id,),
    ).fetchall()
    for first, last in runs:
        yield from _run_events(gzip.decompress(_body(db, terminal_id, first)), first, last)


def rewrite(
    db: sqlite3.Connection,
    needle: str,
    change: Callable[[dict[str, Any]], bool],
    now: datetime,
) -> int:
    """Privacy erasure: every archived event whose text holds ``needle`` is passed to
    ``change``, which edits its payload in place and says whether it changed anything; a body
    with changes is written again (its events only, so no longer signed) and marked scrubbed.
    Returns how many events changed."""
    changed = 0
    marker = needle.encode()
    runs = db.execute(
        "SELECT terminal_id, first_seq, last_seq, source FROM journal_archive WHERE piece = 0 "
        "ORDER BY id"
    ).fetchall()
    for terminal_id, first, last, source in runs:
        text = gzip.decompress(_body(db, terminal_id, first))
        if marker not in text:
            continue
        kept: list[bytes] = []
        touched = 0
        for event in _run_events(text, first, last):
            if needle in event.get("payload", "") and change(event):
                touched += 1
            kept.append(orjson.dumps(event) + b"\n")
        if not touched:
            continue
        body = gzip.compress(b"".join(kept), compresslevel=COMPRESS_LEVEL, mtime=0)
        db.execute(
            "DELETE FROM journal_archive WHERE terminal_id = ? AND first_seq = ?",
            (terminal_id, first),
        )
        keep(db, terminal_id, first, last, source, body, now)
        db.execute(
            "UPDATE journal_archive SET scrubbed_at = ? WHERE terminal_id = ? AND first_seq = ?",
            (_stored(now), terminal_id, first),
        )
        changed += touched
    return changed
