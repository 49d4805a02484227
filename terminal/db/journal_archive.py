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

import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from terminal.db.sync_state import put_state, state

# A body is stored in pieces of at most this many bytes (SQLite refuses values of 1 GB).
PIECE_BYTES = 256 << 20
# gzip level for bodies written here (a hub pull's events, a scrubbed body): as for bundles.
COMPRESS_LEVEL = 1
# Bytes fed to zlib at a time when a body is decompressed or compressed again.
ZLIB_CHUNK = 1 << 20
# A body's text over this size is compressed again in parallel parts (gzip members, which
# joined are one valid gzip file): zlib lets go of the GIL, so two cores take half the time.
PARALLEL_TEXT = 64 << 20

Body = bytes | bytearray | memoryview


def _stored(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="microseconds")  # as SQLAlchemy stores it


def inflated(body: Body, piece_bytes: int = 0) -> Iterator[bytes]:
    """The text of a gzip body, a piece at a time (at most ``piece_bytes`` each; 0: as much as
    a MiB of input gives): every member one after the other, zero padding after the last
    ignored, as ``gzip`` reads a file. Raises ``zlib.error`` for damaged data or a body cut
    short. For an archived body and for a bundle file being imported (``sync/bundle.py``):
    an imported bundle is archived as it arrived, so both must read the same files.

    zlib is fed a MiB at a time, not through ``gzip``: on a million events' body three times as
    fast as ``gzip.decompress`` (no regrowing of one huge buffer), and each call lets go of the
    GIL for a MiB rather than 8 KiB (``gzip.GzipFile``), so a thread inflating beside a busy
    one rarely has to take it back."""
    view = memoryview(body)
    pos = 0
    while True:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        pending: bytes | memoryview = b""
        while not inflater.eof:
            if not pending:
                if pos >= len(view):
                    raise zlib.error("the gzip body is cut short (no end marker)")
                pending = view[pos : pos + ZLIB_CHUNK]
                pos += len(pending)
            piece = inflater.decompress(pending, piece_bytes)
            pending = inflater.unconsumed_tail
            if piece:
                yield piece
        pos -= len(inflater.unused_data)  # the next member starts where this one ended
        rest = view[pos:]
        if not rest or (rest[0] == 0 and not bytes(rest).strip(b"\0")):
            return


def _decompressed(body: bytes) -> bytes:
    return b"".join(inflated(body))


def _compressed(text: bytes) -> bytes:
    """gzip of ``text``; a big text in parallel parts, one gzip member each."""
    return _compressed_parts([memoryview(text)])


def _compressed_parts(parts: list[memoryview]) -> bytes:
    """gzip of the parts joined, without joining them (a body's text is a GB and more): a big
    text is cut into one run of parts per core, each compressed on its own thread into one
    gzip member."""
    size = sum(len(part) for part in parts)
    workers = 1 if size <= PARALLEL_TEXT else min(4, os.cpu_count() or 1)
    runs: list[list[memoryview]] = [[] for _ in range(workers)]
    share, filled = -(-size // workers), 0
    for part in parts:
        while len(part):
            run = min(filled // share, workers - 1)
            take = len(part) if run == workers - 1 else min(len(part), (run + 1) * share - filled)
            runs[run].append(part[:take])
            part, filled = part[take:], filled + take
    if workers == 1:
        return _member(runs[0])
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return b"".join(pool.map(_member, runs))


def _member(parts: list[memoryview]) -> bytes:
    deflate = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, 31)  # 31: with a gzip header
    out = [
        deflate.compress(part[at : at + ZLIB_CHUNK])
        for part in parts
        for at in range(0, len(part), ZLIB_CHUNK)
    ]
    out.append(deflate.flush())
    return b"".join(out)


def _event_text(events: Iterable[dict[str, Any]]) -> bytes:
    dumps, keys = orjson.dumps, orjson.OPT_NON_STR_KEYS  # a hub row's keys are str subclasses
    return b"".join(dumps(event, option=keys) + b"\n" for event in events)


def encode_events(events: Iterable[dict[str, Any]]) -> bytes:
    """The gzip of events as JSON Lines (a hub pull's events, which come without a file)."""
    return _compressed(_event_text(events))


class EventsBody:
    """:func:`encode_events` of events that pass a batch at a time (a hub pull streams a
    till's news): each batch is compressed as it goes by, so only the gzip is held, never
    every event. ``body`` is whole once :meth:`close` has run."""

    def __init__(self) -> None:
        self.body = bytearray()
        self._deflate = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, 31)  # 31: gzip header

    def add(self, events: Iterable[dict[str, Any]]) -> None:
        self.body += self._deflate.compress(_event_text(events))

    def close(self) -> None:
        self.body += self._deflate.flush()


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
    _insert(db, terminal_id, first_seq, last_seq, source, body, _stored(now), None)


def _insert(
    db: sqlite3.Connection,
    terminal_id: str,
    first_seq: int,
    last_seq: int,
    source: str,
    body: Body,
    received_at: str,
    scrubbed_at: str | None,
) -> None:
    view = memoryview(body)
    for piece, start in enumerate(range(0, max(len(view), 1), PIECE_BYTES)):
        db.execute(
            "INSERT INTO journal_archive (terminal_id, first_seq, last_seq, piece, source, "
            "received_at, scrubbed_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                terminal_id,
                first_seq,
                last_seq,
                piece,
                source,
                received_at,
                scrubbed_at,
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


def holds_body(
    db: sqlite3.Connection, terminal_id: str, first_seq: int, last_seq: int, body: Body
) -> bool:
    """Whether ``body`` is, byte for byte, a body archived unchanged for a run of till
    ``terminal_id`` inside ``first_seq``..``last_seq``: a bundle file applied (and verified)
    here before. Lengths are compared before any body is read."""
    size = len(body)
    for (first,) in db.execute(
        "SELECT first_seq FROM journal_archive WHERE terminal_id = ? AND piece = 0 "
        "AND scrubbed_at IS NULL AND first_seq BETWEEN ? AND ? AND last_seq <= ?",
        (terminal_id, first_seq, last_seq, last_seq),
    ).fetchall():
        (stored,) = db.execute(
            "SELECT SUM(length(body)) FROM journal_archive WHERE terminal_id = ? AND first_seq = ?",
            (terminal_id, first),
        ).fetchone()
        if stored == size and _body(db, terminal_id, first) == body:
            return True
    return False


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
        yield from _run_events(_decompressed(_body(db, terminal_id, first)), first, last)


def ask_scrub(db: sqlite3.Connection, customer_id: str, now: datetime) -> None:
    """Note, inside the erasure's transaction, that the archive must lose this person; the work
    itself (:func:`prepare_scrub`, :func:`write_scrub`) is done after it, outside the lock."""
    db.execute(
        "INSERT OR IGNORE INTO journal_archive_scrub (customer_id, asked_at) VALUES (?, ?)",
        (customer_id, _stored(now)),
    )


# sync_state key: customers erased whose data may still be in the bundles of a sync folder
FOLDER_SCRUBS = "folder_erasures"


def ask_folder_scrub(db: sqlite3.Connection, customer_id: str) -> None:
    """Note that the next folder-sync round must blank this person in the folder's bundles
    (``sync/folder.py``); kept until a round has gone through every bundle there."""
    _put_folder_scrubs(db, [*folder_scrubs(db), customer_id])


def folder_scrubs(db: sqlite3.Connection) -> list[str]:
    return list(orjson.loads(state(db, FOLDER_SCRUBS) or "[]"))


def forget_folder_scrubs(db: sqlite3.Connection, customers: list[str]) -> None:
    _put_folder_scrubs(db, [c for c in folder_scrubs(db) if c not in set(customers)])


def _put_folder_scrubs(db: sqlite3.Connection, customers: list[str]) -> None:
    put_state(db, FOLDER_SCRUBS, orjson.dumps(sorted(set(customers))).decode())


def waiting_scrubs(db: sqlite3.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT customer_id FROM journal_archive_scrub ORDER BY 1")]


@dataclass(frozen=True)
class BodyRewrite:
    """A body with some events changed, ready to replace the one read (row ``row_id``)."""

    row_id: int
    terminal_id: str
    first_seq: int
    last_seq: int
    source: str
    body: bytes
    events: int


@dataclass(frozen=True)
class ScrubPlan:
    customers: list[str]
    newest_row: int  # the archive as read: a run archived after it is not covered
    rewrites: list[BodyRewrite]


def prepare_scrub(
    db: sqlite3.Connection, customers: list[str], change: Callable[[dict[str, Any]], bool]
) -> ScrubPlan:
    """Read-only (a snapshot, no lock held): every archived event whose line names one of
    ``customers`` is passed to ``change``, which edits its payload in place and says whether it
    changed anything; each body with changes is compressed again, every other line as it was
    (the signature line of a bundle then no longer matches; ``scrubbed_at`` will say why).

    Only the lines that name someone are parsed: a body of a million events is searched in the
    time it takes to decompress it, and compressed again only when someone in it changed — the
    seconds that takes are spent here, not inside the write lock the counter waits on.
    """
    (newest,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM journal_archive").fetchone()
    rewrites = []
    runs = db.execute(
        "SELECT id, terminal_id, first_seq, last_seq, source FROM journal_archive "
        "WHERE piece = 0 ORDER BY id"
    ).fetchall()
    for row_id, terminal_id, first, last, source in runs:
        text = _decompressed(_body(db, terminal_id, first))
        parts, changed = edited_lines(text, customers, change)
        if changed:
            body = _compressed_parts(parts)
            rewrites.append(BodyRewrite(row_id, terminal_id, first, last, source, body, changed))
    return ScrubPlan(customers, int(newest), rewrites)


def edited_lines(
    text: bytes, needles: list[str], change: Callable[[dict[str, Any]], bool]
) -> tuple[list[memoryview], int]:
    """JSON Lines ``text`` with its events edited: every event line holding one of
    ``needles`` is passed to ``change``, which edits the event in place and says whether it
    changed anything. Returns the new text as parts to join (or compress) in order — every line
    not changed is the old text, not copied — and how many events changed (0: leave it be).
    For an archived body and for a bundle in a sync folder (``bundle.rewrite_bundle``)."""
    view = memoryview(text)
    spans = sorted({span for needle in needles for span in _lines_holding(text, needle.encode())})
    parts: list[memoryview] = []
    done = 0  # text[:done] is in parts
    for start, end in spans:
        event = orjson.loads(text[start:end])
        # (a bundle's manifest and signature lines have no payload)
        if isinstance(event, dict) and isinstance(event.get("payload"), str) and change(event):
            parts += [view[done:start], memoryview(orjson.dumps(event))]
            done = end
    if not parts:
        return [], 0
    parts.append(view[done:])
    return parts, (len(parts) - 1) // 2


def _lines_holding(text: bytes, marker: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of every line of ``text`` that holds ``marker``."""
    hit = text.find(marker)
    while hit != -1:
        start = text.rfind(b"\n", 0, hit) + 1
        end = text.find(b"\n", hit)
        end = len(text) if end == -1 else end
        yield start, end
        hit = text.find(marker, end)


def write_scrub(db: sqlite3.Connection, plan: ScrubPlan, now: datetime) -> tuple[int, bool]:
    """Inside a write transaction: put the rewritten bodies in place of those read, and forget
    the request when the plan covered the whole archive. Returns (events changed, done); not
    done when the archive changed since :func:`prepare_scrub` read it (a body rewritten by
    someone else, a run archived since): plan again."""
    changed = 0
    done = True
    for rewrite in plan.rewrites:
        still = db.execute(
            "SELECT received_at FROM journal_archive "
            "WHERE id = ? AND terminal_id = ? AND first_seq = ?",
            (rewrite.row_id, rewrite.terminal_id, rewrite.first_seq),
        ).fetchone()
        if still is None:
            done = False
            continue
        db.execute(
            "DELETE FROM journal_archive WHERE terminal_id = ? AND first_seq = ?",
            (rewrite.terminal_id, rewrite.first_seq),
        )
        _insert(
            db,
            rewrite.terminal_id,
            rewrite.first_seq,
            rewrite.last_seq,
            rewrite.source,
            rewrite.body,
            still[0],  # when it arrived stays as it was
            _stored(now),
        )
        changed += rewrite.events
    (newest,) = db.execute(
        "SELECT COALESCE(MAX(id), 0) FROM journal_archive WHERE id > ? AND scrubbed_at IS NULL",
        (plan.newest_row,),
    ).fetchone()
    done = done and not newest
    if done:
        db.executemany(
            "DELETE FROM journal_archive_scrub WHERE customer_id = ?",
            [(customer,) for customer in plan.customers],
        )
    return changed, done
