"""A big catch-up's events parsed and bound on other cores, then copied in by SQLite itself.

Why: in one process, a million-event import is bound by Python — parsing the JSON and binding
each value through the sqlite3 module (~5.8 µs a row of ~15 values) — while SQLite copies the
same rows from another file by ``INSERT … SELECT`` at ~1.3 µs a row. So for a big catch-up
the importing process only decompresses and verifies the file (on its inflating thread), hands
line-aligned blocks of it to worker processes, and copies what they staged into the till:

* block *k* goes to worker *k mod W*, which parses it, checks its run of sequence numbers
  (``bundle._RunCheck``), and writes its rows, through the very INSERTs the one-process path
  uses (``rows.py``: the same time conversion, the same handling of another release's
  columns), into a staging file of its own — a plain SQLite file without indexes, journal or
  fsync, in a scratch folder beside the till's database;
* the events are cut into a few *segments*; a segment's files are complete before the till
  attaches them (an attached file read inside the till's one transaction is read at the
  snapshot of the first read, so a file still being written would be read short), and SQLite
  allows ten attached files, so there are at most ``MAX_STAGING_FILES`` of them in all;
* the till copies a segment's rows block by block, in the order of the blocks, so every row
  gets the rowid the one-process path gives it, while the workers stage the next segment.

Nothing here decides anything: the worker reports for each block what the one-process
``EventApplier.feed`` would have worked out (the newest stamp, the field updates, the stamps
rows were born with, the first and last new event), and the importer takes it as it would
have (``apply.EventApplier.feed_staged``). A refusal found by a worker (a run out of order, a
line that is not JSON) is raised in the till only once the whole file is read, exactly like
the one-process path: a changed file is refused for being changed. Anything else going wrong
with the worker processes (they cannot start, a staging file cannot be written) raises
:class:`StagingFailed`, and the importer imports the bundle in one process instead.

This module is what a worker process imports: nothing of SQLAlchemy, SQLModel or Qt.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import queue
import shutil
import signal
import sqlite3
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, repeat
from multiprocessing.connection import Connection
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from terminal.core.errors import QT_TRANSLATE_NOOP
from terminal.db.binding import bind_plain_values_fast
from terminal.sync import rows, staged_counts
from terminal.sync.bundle import BundleRefused, Manifest, SignedBundle, _RunCheck

try:
    import fcntl
except ImportError:  # Windows: its pipes keep their size
    fcntl = None  # type: ignore[assignment]

# Staging files the till attaches at most, segments times workers (SQLite attaches ten).
MAX_STAGING_FILES = 8
# Worker processes: one per core, at least two (the till copies while they stage), at most
# four (beyond that the till's copying is the bottleneck).
MAX_WORKERS = 4
# Blocks a worker receives ahead of the one it parses, so the feeding thread rarely waits.
_BLOCKS_AHEAD = 2

# A staging file is scratch: written once by one process, read once by the till, thrown away.
# No journal, no fsync, no locking per transaction; big pages (fewer to allocate and split as
# the rows are appended: 9 % less time binding a bundle's rows, measured).
_SCRATCH_PRAGMAS = (
    "page_size=65536",
    "journal_mode=OFF",
    "synchronous=OFF",
    "locking_mode=EXCLUSIVE",
    "cache_size=-65536",
)

log = logging.getLogger("sync")

_NOT_JSON = QT_TRANSLATE_NOOP("Errors", "The bundle file is not in the expected format.")


class StagingFailed(Exception):
    """The worker processes could not do their part (not a verdict on the bundle): import it
    in one process instead."""


def worker_count() -> int:
    """How many worker processes a staged import uses here; 0 when it would not pay."""
    cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(MAX_WORKERS, cores)


@dataclass(frozen=True)
class StageSpec:
    """What a worker needs to know of the importing till."""

    manifest: Manifest
    have: int  # the highest sequence number of the bundle's till already here
    clocked: dict[str, str]  # table -> key column: the rows whose birth stamps are kept
    times: dict[str, frozenset[str]]  # the date-time columns of every table this program knows
    default_stamp: str  # the stamp of an event that carries none


@dataclass
class BatchNews:
    """What a batch of events says besides its rows, worked out the one way both importers
    use: ``EventApplier.feed`` in this process and a worker for a staged block."""

    fresh: int  # events not already here
    first_fresh: int
    last_fresh: int
    newest_schema: int
    top: str = ""  # the newest stamp
    born: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # table -> (key, stamp)
    updates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (stamp, update)

    @classmethod
    def of(
        cls, events: list[dict[str, Any]], have: int
    ) -> tuple[BatchNews | None, list[dict[str, Any]]]:
        """The news of the events after number ``have`` so far (their count, run and newest
        journal schema), and those events; None when there are none."""
        if not events or events[-1]["seq"] <= have:
            return None, []
        fresh = events if events[0]["seq"] > have else [e for e in events if e["seq"] > have]
        newest = max(map(dict.get, fresh, repeat("schema_version"), repeat(1)))
        return cls(len(fresh), fresh[0]["seq"], fresh[-1]["seq"], newest), fresh

    def read(
        self, fresh: list[dict[str, Any]], clocked: dict[str, str], default_stamp: str
    ) -> dict[str, list[dict[str, Any]]]:
        """Read the events' payloads: their stamps, field updates and the birth stamps of the
        rows of ``clocked`` tables (table -> key column) are kept here; returns their rows by
        table, in the order they came."""
        tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        stamps = [event.get("hlc") or default_stamp for event in fresh]
        payloads = list(map(orjson.loads, map(itemgetter("payload"), fresh)))
        for stamp, payload in zip(stamps, payloads, strict=True):
            payload_rows = payload.get("rows")
            if payload_rows:
                for table, table_rows in payload_rows.items():
                    tables[table] += table_rows
                    if clocked and table in clocked:
                        key_column = clocked[table]
                        self.born.setdefault(table, []).extend(
                            (str(r[key_column]), stamp) for r in table_rows
                        )
            updates = payload.get("updates")
            if updates:
                self.updates.extend((stamp, update) for update in updates)
        self.top = max(stamps)  # stamp texts sort like the stamps (clock.py)
        return tables


@dataclass
class StagedBlock:
    """One block of the bundle, staged: its news (None: nothing new in it) and where its rows
    are in the staging file."""

    index: int
    count: int = 0  # events read
    news: BatchNews | None = None
    # (table, staging table, columns, first rowid, last rowid) in the order the rows go in
    steps: list[tuple[str, str, tuple[str, ...], int, int]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    ids_ascending: bool = True  # each id above the one before (UUIDv7 made one after another)
    refusal: tuple[str, dict[str, Any]] | None = None


@dataclass
class StagedPart:
    """One worker's share of one segment: its staging file and its blocks, in order."""

    path: str
    blocks: list[StagedBlock]
    failure: str | None = None


# -- the worker's side ---------------------------------------------------------------------

_ROWS_A_STATEMENT = 16


def _many_rows(sql: str) -> str | None:
    """``sql``, an INSERT of one row by ``VALUES (…)``, inserting sixteen rows at once; None
    for the INSERT of a table this program does not know (its row is a one-row subquery)."""
    head, found, values = sql.partition(" VALUES ")
    return f"{head} VALUES {', '.join([values] * _ROWS_A_STATEMENT)}" if found else None


def serve(commands: Connection, results: Connection) -> None:
    """A worker process: stage the blocks it is handed, segment after segment.

    Messages: ``("begin", path, spec)`` opens a segment's staging file; ``("block", index,
    first_seq)``, followed by the block's text as bytes, stages a block; ``("end",)`` closes
    the file and answers with a :class:`StagedPart`; ``("count", kind, sources)`` counts over
    staged rows (``staged_counts.py``); ``("flush", path)`` keeps the till's file flushed
    (:func:`_flush`); ``None`` ends the process."""
    # Millions of short-lived dicts and none in a cycle: the cycle collector would only rescan
    # the growing heap again and again (a quarter of a worker's time, measured). The process
    # lives for one import.
    gc.disable()
    # Ctrl+C at the command line reaches every process of the group: the importing process
    # decides (it stops the workers), a worker does not print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    bind_plain_values_fast()
    inbox: queue.Queue[Any] = queue.Queue(maxsize=_BLOCKS_AHEAD)

    def receive() -> None:
        while True:
            try:
                message = commands.recv()
                if message is not None and message[0] == "block":
                    message = (*message, commands.recv_bytes())
            except (EOFError, OSError):
                message = None
            inbox.put(message)
            if message is None:
                return

    threading.Thread(target=receive, name="staging-inbox", daemon=True).start()
    part: _Part | None = None
    while (message := inbox.get()) is not None:
        kind = message[0]
        if kind == "begin":
            part = _Part(message[1], message[2])
        elif kind == "block" and part is not None:
            part.stage(message[1], message[2], message[3])
        elif kind == "end" and part is not None:
            results.send(part.close())
            part = None
        elif kind == "count":
            results.send(staged_counts.count(message[1], message[2]))
        elif kind == "flush":
            threading.Thread(
                target=_flush, args=(message[1],), name="staging-flush", daemon=True
            ).start()


# How often a worker has what the till wrote so far put on the disk (see _flush).
_FLUSH_EVERY_S = 0.5


def _flush(path: str) -> None:
    """Put the pages the till has written into its file so far on the disk, again and again,
    while the import lasts (the worker process ends with it).

    The commit has to wait until every page of the file is on the disk; a million-event
    catch-up writes a gigabyte, which the system keeps in memory until then (it starts writing
    back only past a share of the memory, or after half a minute), so the commit waited for
    it all: 0.7-1.5 s of the import, measured, against 0.05 s with this. Putting pages on the disk
    earlier than SQLite would is safe: with a rollback journal SQLite writes a page into the
    file only once what it held before is safe in the journal, and in WAL nothing is written
    into the file before the commit. It is done from this process: the till's process must not
    open and close its own file beside SQLite (closing any descriptor of a file drops every
    lock the process holds on it), and this one holds none."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        return
    try:
        while True:
            time.sleep(_FLUSH_EVERY_S)
            os.fsync(fd)
    except OSError:
        return
    finally:
        os.close(fd)


class _Part:
    def __init__(self, path: str, spec: StageSpec) -> None:
        self.spec = spec
        self.path = path
        self.blocks: list[StagedBlock] = []
        self.failure: str | None = None
        self.stopped = False
        self.shapes: dict[
            tuple[str, tuple[str, ...]], tuple[str, str, str | None, tuple[str, ...], rows.Getter]
        ] = {}
        self.written: dict[str, int] = {}  # staging table -> rows in it
        self.run = _RunCheck(spec.manifest)
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            for pragma in _SCRATCH_PRAGMAS:
                self.db.execute(f"PRAGMA {pragma}")
            self.db.execute("BEGIN")
        except sqlite3.Error as exc:
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        self.failure = f"{type(exc).__name__}: {exc}"
        self.stopped = True

    def stage(self, index: int, first_seq: int, text: bytes) -> None:
        if self.stopped:
            return
        block = StagedBlock(index)
        self.blocks.append(block)
        try:
            try:
                events = [orjson.loads(line) for line in text.split(b"\n")[:-1]]
            except orjson.JSONDecodeError:
                raise BundleRefused(_NOT_JSON) from None
            block.count = len(events)
            self.run.expected, self.run.seen = first_seq, set()
            self.run.check(events)
            block.ids = ids = list(map(str, map(dict.get, events, repeat("id"))))
            block.ids_ascending = all(map(str.__lt__, ids, ids[1:]))
            self._take(block, events)
        except BundleRefused as refusal:
            block.refusal = (refusal.template, refusal.params)
            self.stopped = True
        except Exception as exc:
            self._fail(exc)

    def _take(self, block: StagedBlock, events: list[dict[str, Any]]) -> None:
        """What ``EventApplier.feed`` does with a batch, the rows staged instead of inserted."""
        spec = self.spec
        news, fresh = BatchNews.of(events, spec.have)
        if news is None:
            return
        try:
            tables = news.read(fresh, spec.clocked, spec.default_stamp)
        except (orjson.JSONDecodeError, TypeError, KeyError, AttributeError):
            raise BundleRefused(_NOT_JSON) from None
        block.news = news
        for table, table_rows in tables.items():
            self._stage_rows(block, table, table_rows)

    def _stage_rows(self, block: StagedBlock, table: str, table_rows: list[dict[str, Any]]) -> None:
        """``apply._insert_rows``, into the staging file."""
        if not table_rows:
            return
        if table not in rows.COLUMN_NOT_COPIED:
            stage, sql, many, names, values = self._shape(table, tuple(table_rows[0]))
            params = rows.same_columns(table_rows, values)
            if params is not None:
                self._write(block, table, stage, names, (sql, many), params)
                return
        for columns, same in rows.by_columns(table_rows).items():
            stage, sql, many, names, values = self._shape(table, columns)
            self._write(block, table, stage, names, (sql, many), list(map(values, same)))

    def _shape(
        self, table: str, columns: tuple[str, ...]
    ) -> tuple[str, str, str | None, tuple[str, ...], rows.Getter]:
        """The staging table for ``table``'s rows with ``columns`` (made on first use), its
        INSERT — ``rows.row_insert`` as the till's own would be — and the values' getter."""
        made = self.shapes.get((table, columns))
        if made is None:
            names = rows.copied_columns(table, columns)
            stage = f"staged_{len(self.shapes) + 1}"
            self.db.execute(f"CREATE TABLE {stage} ({', '.join(names)})")
            sql, values = rows.row_insert("INSERT", stage, names, self.spec.times.get(table))
            made = (stage, sql, _many_rows(sql), names, values)
            self.shapes[(table, columns)] = made
        return made

    def _write(
        self,
        block: StagedBlock,
        table: str,
        stage: str,
        names: tuple[str, ...],
        inserts: tuple[str, str | None],
        params: list[Any],
    ) -> None:
        # Sixteen rows a statement where there are that many: one step of SQLite's machine and
        # one trip through the sqlite3 module for sixteen rows (11 % less time binding, with
        # the flattening paid). The rows keep their order, so their rowids follow the block's.
        sql, many = inserts
        whole = 0 if many is None else len(params) - len(params) % _ROWS_A_STATEMENT
        if whole:
            flat = list(chain.from_iterable(params[:whole]))
            step = len(names) * _ROWS_A_STATEMENT
            self.db.executemany(many, (flat[at : at + step] for at in range(0, len(flat), step)))
        if whole < len(params):
            self.db.executemany(sql, params[whole:])
        first = self.written.get(stage, 0) + 1
        self.written[stage] = last = first - 1 + len(params)
        block.steps.append((table, stage, names, first, last))

    def close(self) -> StagedPart:
        try:
            if not self.failure:
                self.db.execute("COMMIT")
            self.db.close()
        except (sqlite3.Error, AttributeError) as exc:
            if not self.failure:
                self._fail(exc)
        return StagedPart(self.path, self.blocks, self.failure)


# -- the importing till's side -------------------------------------------------------------


def segment_ends(count: int, segments: int) -> list[int]:
    """After how many events each segment ends: shorter and shorter ones (for four, 40 %, 30 %,
    20 % and 10 %). While the till copies one segment the workers stage the next, but nothing
    runs beside the copy of the last, so that one is the shortest."""
    weights = range(segments, 0, -1)
    total, ends, reached = sum(weights), [], 0
    for weight in weights:
        reached += weight
        ends.append(-(-count * reached // total))
    return ends


@dataclass
class _Dispatched:
    """What the feeding thread found once the file is read to its end."""

    stream: BaseException | None = None  # the file's own refusal (changed, cut short)
    run: BundleRefused | None = None  # more or fewer events than the manifest says
    failure: str | None = None  # a worker could not be handed its blocks


# How much a pipe to a worker holds, where the system lets it be set (Linux): a block of 4 MiB
# crosses in 4 writes and wake-ups instead of 64 through the default 64 KiB.
_PIPE_BYTES = 1 << 20


def _widen(pipe: Connection) -> None:
    setting = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setting is None:
        return
    # above the system's limit for unprivileged processes: the default size stays
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), setting, _PIPE_BYTES)


class StagedBundle:
    """A bundle being imported with worker processes (see the module's docstring).

    Use as a context manager around the till's write transaction: leaving it stops the
    workers and removes the scratch folder (the till must have detached the files first).
    """

    def __init__(
        self,
        bundle: SignedBundle,
        beside: Path,
        workers: int,
        segments: int,
        flushed: Path | None = None,
    ) -> None:
        self.bundle = bundle
        self.manifest = bundle.manifest
        self.segments = max(1, segments)
        self.workers = workers
        self._processes: list[multiprocessing.process.BaseProcess] = []
        self._commands: list[Connection] = []
        self._results: list[Connection] = []
        self._news: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._stop = threading.Event()
        self._feeder: threading.Thread | None = None
        # the counts asked of a worker (staged_counts.py), each answered once it arrives
        self._answers: dict[str, staged_counts.Figures | str | None] = {}
        self._answered: dict[str, threading.Event] = {}
        self._collector: threading.Thread | None = None
        self.complete = False  # every segment staged (the last one handed to parts' caller)
        self.unlike_staged: set[str] = set()  # tables the till changed after the copy
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=".loyalty-staging-", dir=beside))
        except OSError as exc:
            raise StagingFailed(f"no scratch folder beside the database: {exc}") from exc
        context = multiprocessing.get_context("spawn")
        try:
            for number in range(workers):
                their_commands, commands = context.Pipe(duplex=False)
                results, their_results = context.Pipe(duplex=False)
                process = context.Process(
                    target=serve,
                    args=(their_commands, their_results),
                    name=f"loyalty-staging-{number + 1}",
                    daemon=True,
                )
                process.start()
                _widen(commands)
                their_commands.close()
                their_results.close()
                self._processes.append(process)
                self._commands.append(commands)
                self._results.append(results)
            if flushed is not None:  # by the last worker: the first counts at the end
                self._commands[-1].send(("flush", str(flushed)))
        except (OSError, RuntimeError, ValueError) as exc:
            self.close()
            raise StagingFailed(f"the worker processes did not start: {exc}") from exc

    def __enter__(self) -> StagedBundle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (at once: their work is either copied in or not wanted) and the
        feeding thread (which reads the file to its end), and remove the scratch folder."""
        self._stop.set()
        for process in self._processes:
            if process.is_alive():
                process.terminate()
        for process in self._processes:
            process.join(5)
        for pipe in (*self._commands, *self._results):
            pipe.close()
        self._processes, self._commands, self._results = [], [], []
        for thread in (self._feeder, self._collector):
            if thread is not None:
                thread.join()
        if hasattr(self, "folder"):
            shutil.rmtree(self.folder, ignore_errors=True)

    def start_counts(self, sources: staged_counts.Sources) -> None:
        """Have a worker, idle once every segment is staged, count over the staged rows what
        the till would count from its tables after the copy (``staged_counts.py``), while the
        till copies the last segment and builds its indexes: the customers' sums first (the
        balances need them first), then the walk. One worker, not one a count: the till's
        own work after the copy keeps a core busy, and two counting beside it slowed it as
        much as the counts saved (measured). ``sources``: where each counted table's rows
        are."""
        kinds = ("sums", "walk")
        try:
            for kind in kinds:
                self._commands[0].send(("count", kind, sources))
        except (OSError, ValueError):
            return
        self._answered = {kind: threading.Event() for kind in kinds}
        # Taken off the pipe as they come: a worker whose answer sits unread in a full pipe
        # waits, and its next count with it.
        self._collector = threading.Thread(
            target=self._collect, args=(kinds,), name="staging-counts", daemon=True
        )
        self._collector.start()

    def _collect(self, kinds: tuple[str, ...]) -> None:
        for kind in kinds:  # a worker answers in the order it was asked
            try:
                self._answers[kind] = self._results[0].recv()
            except Exception as exc:  # gone, or an answer that does not unpickle: the till counts
                self._answers[kind] = f"the worker did not answer: {exc}"
            finally:
                self._answered[kind].set()

    def counted(self, kind: str, db: sqlite3.Connection) -> staged_counts.Figures | None:
        """The count ``kind`` :meth:`start_counts` asked for, once it is made, if the till now
        holds exactly the rows it counted and has not changed what it read since the copy
        (:attr:`unlike_staged`); None when there is none to take and the till counts itself."""
        answered = self._answered.get(kind)
        if answered is None:
            return None
        answered.wait()
        figures = self._answers.get(kind)
        if isinstance(figures, str):
            log.warning("the %s count of the worker failed: %s", kind, figures)
            self._answers[kind] = figures = None
        if figures is None or not self.unlike_staged.isdisjoint(staged_counts.READS[kind]):
            return None
        return figures if figures.counted == staged_counts.rows_counted(db, kind) else None

    def part_path(self, segment: int, worker: int) -> str:
        return str(self.folder / f"segment-{segment + 1}-worker-{worker + 1}.db")

    def start(self, spec: StageSpec) -> None:
        """Start handing the blocks to the workers (:meth:`parts` does, if not done yet): the
        till may do work of its own while they stage the first segment."""
        if self._feeder is None:
            self._feeder = threading.Thread(
                target=self._feed, args=(spec,), name="staging-feed", daemon=True
            )
            self._feeder.start()

    def parts(self, spec: StageSpec) -> Iterator[list[StagedPart]]:
        """Each segment's staged parts (one a worker), in order, once all are written; raises
        the bundle's refusal (after the whole file is read) or :class:`StagingFailed`.
        :attr:`complete` is set as the last is handed out."""
        self.start(spec)
        seen: set[str] | None = None  # every event id so far, once they stop ascending
        earlier: list[list[str]] = []
        last_id = ""
        while True:
            kind, value = self._news.get()
            if kind == "done":
                self._raise(value, None)
                return
            try:
                parts = [results.recv() for results in self._results]
            except (EOFError, OSError) as exc:
                self._raise(self._finish_reading(), StagingFailed(f"a worker stopped: {exc}"))
            blocks = sorted((b for part in parts for b in part.blocks), key=lambda b: b.index)
            for block in blocks:
                if block.refusal is not None:
                    template, params = block.refusal
                    self._raise(self._finish_reading(), BundleRefused(template, **params))
                ids = block.ids
                if seen is None and block.ids_ascending and (not ids or ids[0] > last_id):
                    earlier.append(ids)
                    last_id = ids[-1] if ids else last_id
                else:  # not ascending (a clock set back): every id so far, in a set
                    if seen is None:
                        seen = {i for run in earlier for i in run}
                        earlier = []
                    twice = seen.intersection(ids)
                    if twice:
                        refusal = BundleRefused(
                            QT_TRANSLATE_NOOP("Errors", "The bundle holds event {event} twice."),
                            event=min(twice),
                        )
                        self._raise(self._finish_reading(), refusal)
                    seen.update(ids)
                block.ids = []
            failures = [part.failure for part in parts if part.failure]
            if failures:
                self._raise(self._finish_reading(), StagingFailed("; ".join(failures)))
            self.complete = value  # the last segment: the file is read and verified
            yield parts

    def _finish_reading(self) -> _Dispatched:
        """Stop handing out blocks and wait until the feeding thread has read (and verified)
        the file to its end; its findings."""
        self._stop.set()
        for process in self._processes:  # a worker may be stuck handing over a part
            process.terminate()
        while True:
            kind, value = self._news.get()
            if kind == "done":
                return value

    @staticmethod
    def _raise(found: _Dispatched, own: BaseException | None) -> None:
        """The refusal that stands: the file's own first (a changed file is refused for being
        changed, not for what the change broke), then what the caller found, then the run."""
        for refusal in (found.stream, own, found.run):
            if refusal is not None:
                raise refusal
        if found.failure is not None:
            raise StagingFailed(found.failure)

    def _feed(self, spec: StageSpec) -> None:
        """The feeding thread: hand every block to a worker, segment after segment, then
        read the file to its end (the signature's verdict) and tell :meth:`parts`."""
        found = _Dispatched()
        commands = list(self._commands)  # close() empties the list, maybe while this runs
        manifest, workers = spec.manifest, len(commands)
        ends = segment_ends(manifest.count, self.segments)
        run = _RunCheck(manifest)
        segment, index, seq, sent = -1, 0, manifest.first_seq, 0

        def send(worker: int, message: Any, text: bytes | None = None) -> None:
            commands[worker].send(message)
            if text is not None:  # as it is, not pickled (a copy fewer of every block)
                commands[worker].send_bytes(text)

        def end_segment(last: bool) -> None:
            for worker in range(workers):
                send(worker, ("end",))
            self._news.put(("segment", last))

        blocks = self.bundle.blocks()
        while True:
            try:
                text = next(blocks)
            except StopIteration:
                break
            except BaseException as exc:  # the file's own refusal, raised after its last block
                found.stream = exc
                break
            if not text or self._stop.is_set() or found.run is not None:
                continue  # read on all the same: the file's verdict comes after its end
            lines = text.count(b"\n")
            try:
                run.advance(lines)
                if segment < 0 or (sent >= ends[segment] and segment + 1 < len(ends)):
                    if segment >= 0:
                        end_segment(last=False)
                    segment += 1
                    for worker in range(workers):
                        send(worker, ("begin", self.part_path(segment, worker), spec))
                send(index % workers, ("block", index, seq), text)
                index, seq, sent = index + 1, seq + lines, sent + lines
            except BundleRefused as refusal:
                found.run = refusal
            except Exception as exc:  # a worker is gone (a broken pipe), or stopped by close()
                found.failure = f"a worker could not be handed its blocks: {exc}"
                self._stop.set()
        if found.stream is None and found.run is None and not self._stop.is_set():
            try:
                run.done()
                if segment >= 0:
                    end_segment(last=True)
            except BundleRefused as refusal:
                found.run = refusal
            except Exception as exc:
                found.failure = f"a worker could not be handed its blocks: {exc}"
        self._news.put(("done", found))
