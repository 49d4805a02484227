"""Bundles between tills: export this till's events, import another till's, and the status
figures the Settings → Sync screen and the status bar show."""

from __future__ import annotations

import gc
import json
import logging
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from terminal.app.journal import SCHEMA_VERSION, ChangeSet, record_event, sql_value
from terminal.app.privacy import finish_archive_scrubs_if_free
from terminal.app.settings import get_setting, put_setting
from terminal.app.staff import write_audit
from terminal.app.till import Till, driver_connection
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput, NotFound, StorageError
from terminal.db import bulk_load, journal_archive, report_aggregates
from terminal.db.sync_state import put_state, state
from terminal.sync import staging
from terminal.sync.apply import (
    EVENT_STAMP,
    STAMP_JOIN,
    STAMPED,
    apply_events,
    clock_local_events,
    flag_till_number_twice,
    known_seq,
)
from terminal.sync.bundle import (
    BundleRefused,
    Manifest,
    SignedBundle,
    bundle_name,
    not_written,
    open_bundle,
    write_bundle_lines,
)

log = logging.getLogger("sync")

BIG_BATCH = 10_000  # events
BIG_BATCH_CACHE_KIB = -262_144  # 256 MiB of page cache while applying a big batch
# helper threads SQLite may use to sort while building indexes and recounting after a big batch
# (on 2 cores, building a million-row catch-up's indexes took 8 s instead of 13 s)
BIG_BATCH_SORT_THREADS = min(4, os.cpu_count() or 1)
# A batch this big, and at least a quarter the size of the sales already here, is counted into
# the report aggregates once at the end instead of by the triggers row by row: the triggers'
# per-sale work (~0.17 ms) then costs more than recounting everything (~0.035 ms per sale).
RECOUNT_MIN_EVENTS = 20_000
RECOUNT_SHARE = 4


def shop_key(till: Till, *, make: bool = True) -> bytes:
    """The shop's signing key, made on first need; shared with new tills by the pairing file.

    Reading a bundle is no such need (``make=False``): a till without a key yet belongs to no
    shop of several tills, so no bundle can be its shop's. It gets a key of the moment that
    nothing was signed with, and every bundle is refused as another shop's with nothing
    written, the key included."""
    if not make:
        with till.read() as s:
            key = get_setting(s, "shop_key")
        return bytes.fromhex(key) if key else secrets.token_bytes(32)
    with till.write() as s:
        key = get_setting(s, "shop_key")
        if not key:
            key = secrets.token_hex(32)
            put_setting(s, "shop_key", key, till.now())
    return bytes.fromhex(key)


def shop_id(till: Till) -> str:
    with till.read() as s:
        return str(get_setting(s, "shop_id"))


@dataclass(frozen=True)
class ExportResult:
    path: Path | None
    first_seq: int
    last_seq: int
    count: int


@dataclass(frozen=True)
class ImportResult:
    terminal_id: str
    terminal_number: int
    first_seq: int
    last_seq: int
    applied: int
    skipped: int
    workers: int = 0  # worker processes that parsed the events (sync/staging.py); 0: this one


@dataclass(frozen=True)
class SyncStatus:
    terminal_id: str
    terminal_number: int
    local_events: int
    waiting: int  # local events not yet exported or pushed
    last_export_at: str | None
    last_import_at: str | None
    peers: list[dict[str, Any]]
    open_conflicts: int


def _event_lines(db: sqlite3.Connection, terminal_id: str, since: int) -> Iterator[dict[str, Any]]:
    """This till's (already stamped) events after ``since`` as bundle lines, streamed in
    sequence order straight from SQL."""
    cursor = db.execute(
        "SELECT e.id, e.seq, e.created_at, e.type, e.payload, e.schema_version, "
        f"{EVENT_STAMP} FROM journal_event e {STAMP_JOIN} "
        f"WHERE e.terminal_id = ? AND e.seq > ? AND {STAMPED} ORDER BY e.seq",
        (terminal_id, since),
    )
    while rows := cursor.fetchmany(10_000):
        for r in rows:
            yield {
                "id": r[0],
                "terminal_id": terminal_id,
                "seq": r[1],
                "created_at": r[2].replace(" ", "T"),
                "type": r[3],
                "payload": r[4],
                "schema_version": r[5],
                "hlc": r[6],
            }


def _event_line_chunks(
    db: sqlite3.Connection, terminal_id: str, since: int, until: int
) -> Iterator[bytes]:
    """The lines of :func:`_event_lines` for numbers ``since`` < seq ≤ ``until``, made by
    SQLite's ``json_object`` and handed over as UTF-8 bytes a few thousand lines at a time:
    no Python object per event."""
    cursor = db.execute(
        "SELECT CAST(json_object('id', e.id, 'terminal_id', e.terminal_id, 'seq', e.seq, "
        "'created_at', replace(e.created_at, ' ', 'T'), 'type', e.type, "
        f"'payload', e.payload, 'schema_version', e.schema_version, 'hlc', {EVENT_STAMP}) "
        "|| char(10) AS BLOB) "
        f"FROM journal_event e {STAMP_JOIN} "
        f"WHERE e.terminal_id = ? AND e.seq > ? AND e.seq <= ? AND {STAMPED} ORDER BY e.seq",
        (terminal_id, since, until),
    )
    while rows := cursor.fetchmany(2_000):
        yield b"".join([row[0] for row in rows])


def local_events(db: sqlite3.Connection, terminal_id: str, since: int) -> Iterator[dict[str, Any]]:
    """This till's events after ``since`` as bundle lines (stamped by the HLC first), read a
    few thousand at a time while ``db``'s transaction lasts: a till sending years of history
    to the hub holds one batch of it, not all."""
    clock_local_events(db, terminal_id)
    return _event_lines(db, terminal_id, since)


def events_missing(terminal_number: int, have: int) -> BundleRefused:
    """The refusal of news that start after a gap: this till holds ``have`` of that till's."""
    return BundleRefused(
        QT_TRANSLATE_NOOP("Errors", "Events of till {till} are missing after number {have}."),
        till=terminal_number,
        have=have,
    )


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a bundle is read or written.

    A big bundle creates millions of short-lived dicts and strings, none of them in cycles
    (plain reference counting frees them); the collector, triggered by the allocations alone,
    walks every live object again and again, so the time grew faster than the bundle (parsing
    200 000 events took 6.6 times as long as 50 000 before it was paused).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def mark_sent(
    db: sqlite3.Connection, last_seq: int, now: datetime, how: str, count: int = 0
) -> None:
    sent = int(state(db, "sent_seq") or 0)
    if last_seq > sent:
        put_state(db, "sent_seq", str(last_seq))
    put_state(db, f"last_{how}_at", now.isoformat(timespec="seconds"))
    note_activity(db, "last_sent", now, how, count=count, last_seq=last_seq)


def note_activity(db: sqlite3.Connection, key: str, now: datetime, how: str, **facts: Any) -> None:
    """Remember the last time events left (``last_sent``) or arrived (``last_received``): when,
    how (export, push, import, pull) and how many, for the Settings → Sync screen."""
    record = {"at": now.isoformat(timespec="seconds"), "how": how, **facts}
    put_state(db, key, json.dumps(record))


def last_activity(db: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """What :func:`note_activity` last wrote under ``key`` (None before the first time)."""
    raw = state(db, key)
    return json.loads(raw) if raw else None


class SyncExchange:
    def __init__(self, till: Till) -> None:
        self.till = till

    def export(
        self,
        out_dir: Path,
        since: int | None = None,
        *,
        writing: Callable[[Manifest], None] | None = None,
    ) -> ExportResult:
        """Write this till's events after ``since`` (default: after the last export or push).

        ``writing``: told the bundle's manifest (how many events) before the file is written
        (a command says so on a big bundle, which takes a while)."""
        key = shop_key(self.till)
        shop = shop_id(self.till)
        now = self.till.now()
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _bundle_not_written(out_dir, exc) from exc
        with self.till.write_driver() as db:
            start = int(state(db, "sent_seq") or 0) if since is None else since
            clock_local_events(db, self.till.terminal_id)
            first, last, count = db.execute(
                "SELECT MIN(e.seq), MAX(e.seq), COUNT(*) FROM journal_event e "
                f"WHERE e.terminal_id = ? AND e.seq > ? AND {STAMPED}",
                (self.till.terminal_id, start),
            ).fetchone()
            # through the small partial index of the events of a newer schema (models.py)
            (schema,) = db.execute(
                "SELECT MAX(schema_version) FROM journal_event WHERE terminal_id = ? "
                "AND seq > ? AND seq <= ? AND schema_version > 1",
                (self.till.terminal_id, start, last or start),
            ).fetchone()
        if not count:
            return ExportResult(None, start + 1, start, 0)
        manifest = Manifest(
            shop_id=shop,
            terminal_id=self.till.terminal_id,
            terminal_number=self.till.terminal_number,
            first_seq=first,
            last_seq=last,
            count=count,
            # the newest its events need (journal.py), so an older till refuses only what
            # it could not apply
            schema_version=int(schema or 1),
            created_at=now.isoformat(timespec="seconds"),
        )
        # The file is written from a read snapshot, not inside the write transaction: the
        # counter keeps selling while a big bundle is written (events it adds come after
        # ``last`` and go in the next bundle).
        if writing is not None:
            writing(manifest)
        with _no_cycle_collection(), self.till.read_driver() as db:
            lines = _event_line_chunks(db, self.till.terminal_id, start, last)
            try:
                path = write_bundle_lines(out_dir / bundle_name(manifest), key, manifest, lines)
            except OSError as exc:  # a full USB stick, a share gone, no right to write there
                raise _bundle_not_written(out_dir, exc) from exc
        with self.till.write_driver() as db:
            mark_sent(db, manifest.last_seq, now, "export", manifest.count)
        log.info("exported events %d..%d to %s", manifest.first_seq, manifest.last_seq, path)
        return ExportResult(path, manifest.first_seq, manifest.last_seq, manifest.count)

    def import_file(
        self,
        path: Path,
        *,
        alone: bool = False,
        applying: Callable[[Manifest, int], None] | None = None,
        staged: bool | None = None,
    ) -> ImportResult:
        """Verify and apply a bundle, all or nothing; a bundle already applied changes nothing.

        ``alone``: the caller is a program of its own (``loyalty-terminal sync import``), not
        the window, so a big catch-up may write with a rollback journal when nobody else has the
        file open (``bulk_load.rollback_journal``). The window never asks: a screen opening a
        connection meanwhile would wait for the import instead of reading beside it.
        ``applying``: told the bundle's manifest and how many of its events are new once the
        bundle is known to follow on what this till has, before they are applied (a command
        says so on a big catch-up, which takes a while).
        ``staged``: whether worker processes parse the events (``sync/staging.py``) where the
        machine has the cores; None: for a big catch-up. The self-test asks for them on a small
        bundle, to prove they start in the installed program.
        """
        key = shop_key(self.till, make=False)
        with (
            _no_cycle_collection(),
            open_bundle(Path(path), key, shop_id(self.till), SCHEMA_VERSION) as bundle,
        ):
            manifest = bundle.manifest
            try:
                applied, workers = self._import(bundle, alone, applying, staged)
            except Exception:
                # Read while verified: a changed file is refused for that, not for what the
                # change broke (its numbers, a row that clashes); nothing of it was kept.
                bundle.verify()
                raise
            # A bundle already applied is read to its end too — a changed copy is refused, not
            # waved through as "nothing new" — unless it is, byte for byte, the file this till
            # verified and archived when it applied it (a re-import then takes a blink instead
            # of decompressing a million events again).
            if applied or not self._archived_as_is(bundle):
                bundle.verify()
        log.info(
            "bundle of till %s: %d new events applied, %d already here (%d worker processes)",
            manifest.terminal_number,
            applied,
            manifest.count - applied,
            workers,
        )
        return ImportResult(
            manifest.terminal_id,
            manifest.terminal_number,
            manifest.first_seq,
            manifest.last_seq,
            applied,
            manifest.count - applied,
            workers,
        )

    def _archived_as_is(self, bundle: SignedBundle) -> bool:
        manifest = bundle.manifest
        with self.till.read_driver() as db:
            return journal_archive.holds_body(
                db, manifest.terminal_id, manifest.first_seq, manifest.last_seq, bundle.raw
            )

    def _import(
        self,
        bundle: SignedBundle,
        alone: bool,
        applying: Callable[[Manifest, int], None] | None = None,
        staged: bool | None = None,
    ) -> tuple[int, int]:
        """Apply an opened bundle (see :meth:`import_file`); returns how many events were new
        and how many worker processes parsed them."""
        manifest = bundle.manifest
        if manifest.terminal_id == self.till.terminal_id:
            raise BundleRefused(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "This bundle was made by this very till; there is nothing to import.",
                )
            )
        now = self.till.now()
        with self.till.read_driver() as db:
            have = known_seq(db, manifest.terminal_id)
            bulk = _bulk_catch_up(db, manifest.count)
        if manifest.first_seq > have + 1:
            raise BundleRefused(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Bundles of till {till} are missing: this till has its events up to "
                    "number {have}, the bundle starts at {first}. Import the earlier bundle "
                    "first (or export again with --since {have}).",
                ),
                till=manifest.terminal_number,
                have=have,
                first=manifest.first_seq,
            )
        applied = workers = 0
        if manifest.last_seq > have:
            if applying is not None:
                applying(manifest, manifest.last_seq - have)
            try:
                try:
                    applied, workers = self._write_bundle(
                        bundle,
                        now,
                        bulk=bulk,
                        alone=alone,
                        staged=bulk if staged is None else staged,
                    )
                except staging.StagingFailed as exc:
                    log.warning(
                        "the worker processes could not import the bundle (%s): "
                        "importing it in this process",
                        exc,
                    )
                    applied, workers = self._write_bundle(
                        bundle.reread(), now, bulk=bulk, alone=alone, staged=False
                    )
            except sqlite3.IntegrityError as exc:
                # e.g. a sale on a customer registered on a third till whose bundle is not
                # here
                raise BundleRefused(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The bundle of till {till} builds on news from other tills that this "
                        "till has not received yet (a customer, card or sale made elsewhere). "
                        "Import the other tills' bundles first, then this one again; nothing "
                        "was changed.",
                    ),
                    till=manifest.terminal_number,
                ) from exc
            if applied:
                finish_archive_scrubs_if_free(self.till)
        return applied, workers

    def _write_bundle(
        self, bundle: SignedBundle, now: datetime, *, bulk: bool, alone: bool, staged: bool
    ) -> tuple[int, int]:
        """Apply the bundle in one write transaction; ``staged``: with worker processes
        (``staging.py``) where this machine has the cores for them. Returns how many events
        were new and how many workers parsed them."""
        manifest = bundle.manifest
        with (
            self._staging(bundle) if staged else nullcontext() as stage,
            self.till.write_driver(
                bulk=bulk and alone, attaching=stage is not None, references_once=bulk
            ) as db,
        ):
            applied = self.apply(
                db,
                manifest.terminal_id,
                manifest.terminal_number,
                bundle.batches() if stage is None else (),
                now,
                size=manifest.count,
                record=bundle.raw,
                staged=stage,
            )
            put_state(db, "last_import_at", now.isoformat(timespec="seconds"))
            note_activity(
                db,
                "last_received",
                now,
                "import",
                tills=[manifest.terminal_number],
                count=applied,
            )
        return applied, 0 if stage is None else stage.workers

    @contextmanager
    def _staging(self, bundle: SignedBundle) -> Iterator[staging.StagedBundle | None]:
        """Worker processes for a big bundle, or None where one process is all there is."""
        workers = staging.worker_count()
        if not workers:
            yield None
            return
        with self.till.read_driver() as db:
            room = db.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED) - 2  # a margin for others
        with staging.StagedBundle(
            bundle,
            self.till.db_path.parent,
            workers,
            min(staging.MAX_STAGING_FILES, room) // workers,
            flushed=self.till.db_path,
        ) as staged:
            yield staged

    def apply(
        self,
        db: sqlite3.Connection,
        terminal_id: str,
        terminal_number: int,
        events: list[dict[str, Any]] | Iterable[list[dict[str, Any]]],
        now: datetime,
        *,
        size: int | None = None,
        record: journal_archive.Body | None = None,
        source: str = "bundle",
        staged: staging.StagedBundle | None = None,
    ) -> int:
        """Apply verified events of one other till inside ``db``'s open transaction.

        ``events``: a list of events in sequence order, or an iterable of such lists (a bundle
        read a block at a time); ``size``, when known, is how many there are in all;
        ``record``: the bundle file they came in, archived as it is (``db/journal_archive.py``; a
        list's events are archived by themselves when there is no file); ``source``: bundle or
        hub.
        """
        have = known_seq(db, terminal_id)
        if isinstance(events, list):
            size = len(events)
            if events and events[0]["seq"] > have + 1:
                raise events_missing(terminal_number, have)
        # the till as its news name it; a till that took a new number (pairing.join_pairing)
        # names the new one in its later news
        db.execute(
            "INSERT INTO terminal (id, number, name, is_local, next_card_serial, created_at) "
            "VALUES (?, ?, ?, 0, 1, ?) ON CONFLICT(id) DO UPDATE SET "
            "number = excluded.number, name = excluded.name "
            "WHERE terminal.is_local = 0 AND terminal.number != excluded.number",
            (
                terminal_id,
                terminal_number,
                f"Till {terminal_number}",
                now.isoformat(sep=" ", timespec="microseconds"),
            ),
        )
        flag_till_number_twice(db, terminal_number, now)
        # A big catch-up (a new till, a month of another till's news) touches indexes all over
        # the file: a larger page cache for this transaction keeps it from spilling to disk.
        (cache,) = db.execute("PRAGMA cache_size").fetchone()
        (threads,) = db.execute("PRAGMA threads").fetchone()
        if size is None or size > BIG_BATCH:
            db.execute(f"PRAGMA cache_size={BIG_BATCH_CACHE_KIB}")
        bulk = _bulk_catch_up(db, size)
        if bulk:
            db.execute(f"PRAGMA threads={BIG_BATCH_SORT_THREADS}")
        triggers = report_aggregates.drop_triggers(db) if bulk else []
        try:
            applied = apply_events(
                db,
                self.till.terminal_id,
                events,
                now,
                record=record,
                source=source,
                bulk=bulk,
                staged=staged,
            )
            if triggers:  # same transaction: a refused bundle rolls the DROP back too
                walk = staged.counted("walk", db) if staged is not None else None
                report_aggregates.rebuild(db, walk.walked if walk is not None else None)
                bulk_load.restore(db, triggers)
            return applied
        finally:
            db.execute(f"PRAGMA cache_size={int(cache)}")
            db.execute(f"PRAGMA threads={int(threads)}")

    def status(self) -> SyncStatus:
        with self.till.read_driver() as db:
            mine = known_seq(db, self.till.terminal_id)
            sent = int(state(db, "sent_seq") or 0)
            peers = [
                {"terminal_id": tid, "number": number, "events": known_seq(db, tid)}
                for tid, number in db.execute(
                    "SELECT id, number FROM terminal WHERE is_local = 0 ORDER BY number"
                ).fetchall()
            ]
            (conflicts,) = db.execute(
                "SELECT COUNT(*) FROM sync_conflict WHERE resolved_at IS NULL"
            ).fetchone()
            return SyncStatus(
                self.till.terminal_id,
                self.till.terminal_number,
                mine,
                max(0, mine - sent),
                state(db, "last_export_at") or state(db, "last_push_at"),
                state(db, "last_import_at") or state(db, "last_pull_at"),
                peers,
                conflicts,
            )

    def conflicts(self) -> list[dict[str, Any]]:
        """Open conflicts for the owner, oldest first."""
        with self.till.read_driver() as db:
            return [
                {
                    "id": r[0],
                    "kind": r[1],
                    "customer_id": r[2],
                    "subject": r[3],
                    "details": json.loads(r[4]),
                    "created_at": r[5],
                }
                for r in db.execute(
                    "SELECT id, kind, customer_id, subject, details, created_at "
                    "FROM sync_conflict WHERE resolved_at IS NULL ORDER BY created_at, id"
                )
            ]

    def settle_conflict(self, conflict_id: str, actor: str | None) -> None:
        """The owner has dealt with a conflict (spoken to the customer, given a new card): it
        leaves the list here, and on every other till once that till has this one's news.

        Written as a field update of the flag (``resolved_at``), which every till applies by
        the hybrid clock like any edit; a till that has not raised the flag yet keeps the
        update and raises the flag already dealt with (``apply._flag``). The audit log names
        who did it."""
        now = self.till.now()
        with self.till.write() as s:
            db = driver_connection(s)
            row = db.execute(
                "SELECT resolved_at FROM sync_conflict WHERE id = ?", (conflict_id,)
            ).fetchone()
            if row is None:
                raise NotFound(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "That conflict is no longer on the list: news from another till "
                        "showed it did not happen.",
                    ),
                    conflict_id=conflict_id,
                )
            if row[0] is not None:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP("Errors", "That conflict is already marked as dealt with."),
                    field="conflict",
                )
            db.execute(
                "UPDATE sync_conflict SET resolved_at = ? WHERE id = ?",
                (sql_value(now), conflict_id),
            )
            changes = ChangeSet(s)
            changes.update("sync_conflict", conflict_id, {"resolved_at": now})
            record_event(s, self.till.terminal_id, "sync.conflict_settled", changes.payload(), now)
            write_audit(s, now, actor or "", "sync.conflict_settled", conflict_id=conflict_id)


def _bundle_not_written(folder: Path, exc: OSError) -> StorageError:
    """What the owner is told when the bundle file cannot be written (its part-written file is
    already gone, and nothing was marked as sent, so the next export carries the same news)."""
    log.warning("bundle not written to %s: %s", folder, exc)
    return not_written(
        exc,
        folder,
        QT_TRANSLATE_NOOP(
            "Errors",
            "The bundle could not be written to {folder}: the disk is full. Nothing was "
            "marked as sent; free some space there or choose another folder.",
        ),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The bundle could not be written to {folder}: {reason}. Nothing was marked as sent.",
        ),
    )


def _bulk_catch_up(db: sqlite3.Connection, size: int | None) -> bool:
    """Whether a batch of ``size`` events is big enough, next to what the till holds, to be
    loaded in bulk: report aggregates recounted once and plain indexes built once after the
    rows, rather than both row by row (the rowid high-water mark stands in for the sales
    count)."""
    if size is None or size < RECOUNT_MIN_EVENTS:
        return False
    (sales,) = db.execute("SELECT COALESCE(MAX(rowid), 0) FROM purchase").fetchone()
    return size * RECOUNT_SHARE >= sales + size


def events_waiting(till: Till) -> int:
    """For the status bar: this till's events not yet exported to a bundle or pushed to a hub."""
    return SyncExchange(till).status().waiting


# The name the status bar calls (terminal/ui/main_window.py).
pending_for_sync = events_waiting
