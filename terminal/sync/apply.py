"""Applying other tills' events: the facts go in as they are, derived figures are recomputed.

This is the one place that turns a journal event back into database rows. It follows the same
rules the use cases in ``terminal/app`` follow when they write (see ``app/ledger.py``): rows are
facts keyed by UUIDs (inserted once, whatever the order they arrive in), and every cached figure
is recomputed from the facts with the same sums that ``loyalty-terminal check`` proves:

* ``customer.balance`` = Σ ledger entries; ``lifetime_paid`` = Σ paid − Σ money returned;
  ``visits`` = number of sales; ``last_visit_at`` = time of the latest sale;
* ``points_lot.remaining`` = its points + Σ its lot movements;
* ``purchase.refunded_amount`` = Σ its refunds' amounts.

Field updates (card status, customer edits, settings) are ordered by a hybrid logical clock,
last writer wins per field. The work is set-based: rows of one shape go in with one
``executemany`` and caches are recomputed once per bundle, so a million events apply in seconds.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import DateTime
from sqlmodel import SQLModel

import terminal.db.models  # noqa: F401  (every table in SQLModel.metadata)
from terminal.app.journal import SCHEMA_VERSION, sql_value
from terminal.app.privacy import ERASED_FIELDS, scrub_journal
from terminal.core.errors import QT_TRANSLATE_NOOP
from terminal.db import bulk_load
from terminal.db import journal_archive as archive
from terminal.db.sync_state import put_state, state
from terminal.sync import rows, staged_counts
from terminal.sync.bundle import BundleRefused
from terminal.sync.clock import ZERO, Stamp, tick
from terminal.sync.staging import BatchNews, StagedBundle, StageSpec

# Settings that belong to this till's identity or secret: never taken from another till.
PRIVATE_SETTINGS = frozenset({"shop_id", "shop_key"})

# Tables and their primary-key column, for field updates.
_KEYS = {
    "customer": "id",
    "card": "number",
    "shop_setting": "key",
    "feedback": "id",
    "staff": "id",
    "purchase": "id",
    "terminal": "id",
    "sync_conflict": "id",  # only ``resolved_at``: the owner dealt with it (exchange.py)
}


# The wall time of a journal event in milliseconds, in SQL: the figure clock.wall_ms gives.
def _wall_ms(alias: str) -> str:
    return (
        f"(unixepoch(substr({alias}.created_at, 1, 19)) * 1000"
        f" + CAST(substr({alias}.created_at, 21, 3) AS INTEGER))"
    )


# The HLC stamp of one of this till's stamped events ``e``, with ``c`` its row of
# sync_event_clock joined by STAMP_JOIN. Only stamps that are not simply (the event's own wall
# time, counter 0) are kept as rows: on a till whose clock runs forward that is almost none, so
# the first export of a million events writes no million clock rows (clock_local_events).
EVENT_STAMP = f"COALESCE(c.hlc, printf('%015d.%06d.%s', {_wall_ms('e')}, 0, e.terminal_id))"
STAMP_JOIN = "LEFT JOIN sync_event_clock c ON c.event_id = e.id"
# Which of this till's events are stamped: all up to the number clock_local_events reached.
STAMPED = "e.seq <= CAST((SELECT value FROM sync_state WHERE key = 'clocked_seq') AS INTEGER)"

# This till's events whose stamp is not simply (their own wall time, counter 0): those whose
# time is not past everything before them (the clock's last stamp, the events before). One
# window over the run; for each such event, the number of the event before it (``prior``) and
# the highest time before it (``run``: when the event before moved the clock on, its own time).
_IRREGULAR = f"""
WITH walls AS (
    SELECT e.id, e.seq, e.created_at, {_wall_ms("e")} AS wall
    FROM journal_event e WHERE e.terminal_id = :till AND e.seq > :clocked),
before AS (
    SELECT id, seq, created_at, wall, MAX(wall) OVER w AS run, MAX(seq) OVER w AS prior
    FROM walls WINDOW w AS (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
SELECT seq, prior, id, created_at, run FROM before
WHERE wall <= MAX(:last_ms, COALESCE(run, :last_ms)) ORDER BY seq
"""


def clock_local_events(db: sqlite3.Connection, terminal_id: str) -> None:
    """Give this till's events their HLC stamps (once), and note which fields they wrote.

    Run before events leave the till and before others' events are applied, so a local edit is
    stamped after everything this till had seen when it was made. An event whose time is past
    everything before it is stamped (its time, 0), derived when read (EVENT_STAMP); the others
    are found with one SQL window over the run (the first export of a till with a million
    events stamps them all) and ticked here, one after another, and only they are stored. Only
    the payloads that hold field updates are read back into Python (found with GLOB, which
    SQLite runs over a million payloads in two thirds of the time ``instr`` takes: ``instr``
    counts characters).
    """
    last = Stamp.parse(state(db, "hlc") or ZERO.text())
    clocked = int(state(db, "clocked_seq") or 0)
    (top_seq,) = db.execute(
        "SELECT MAX(seq) FROM journal_event WHERE terminal_id = ? AND seq > ?",
        (terminal_id, clocked),
    ).fetchone()
    if top_seq is None:
        return
    irregular = db.execute(
        _IRREGULAR, {"till": terminal_id, "clocked": clocked, "last_ms": last.ms}
    ).fetchall()
    kept: list[tuple[str, str]] = []
    stamp, previous = last, None
    for seq, prior, event_id, created_at, run in irregular:
        if prior is not None and prior != previous:  # the event before moved the clock on
            stamp = Stamp(run, 0, terminal_id)
        stamp = tick(stamp, datetime.fromisoformat(created_at), terminal_id)
        kept.append((event_id, stamp.text()))
        previous = seq
    db.executemany("INSERT OR IGNORE INTO sync_event_clock (event_id, hlc) VALUES (?, ?)", kept)
    put_state(db, "clocked_seq", str(top_seq))
    fields: list[tuple[str, str, str, str, str]] = []
    statuses: list[tuple[str, str, str]] = []
    edits = db.execute(
        f"SELECT {EVENT_STAMP}, e.payload FROM journal_event e {STAMP_JOIN} "
        "WHERE e.terminal_id = ? AND e.seq > ? AND e.payload GLOB '*\"updates\"*' "
        "ORDER BY e.seq",
        (terminal_id, clocked),
    ).fetchall()
    for edited_at, payload in edits:
        for update in orjson.loads(payload).get("updates", ()):
            for name, value in update["fields"].items():
                fields.append(
                    (update["table"], str(update["key"]), name, edited_at, json.dumps(value))
                )
            if update["table"] == "card" and "status" in update["fields"]:
                statuses.append((str(update["key"]), edited_at, update["fields"]["status"]))
    db.executemany(
        "INSERT INTO sync_field_clock (tbl, key, field, hlc, value) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(tbl, key, field) DO UPDATE SET hlc = excluded.hlc, "
        "value = excluded.value WHERE excluded.hlc > sync_field_clock.hlc",
        fields,
    )
    db.executemany(_KEEP_CARD_STATUS, statuses)
    (newest,) = db.execute(
        f"SELECT {EVENT_STAMP} FROM journal_event e {STAMP_JOIN} "
        "WHERE e.terminal_id = ? AND e.seq = ?",
        (terminal_id, top_seq),
    ).fetchone()
    put_state(db, "hlc", newest)


# A card's status change, kept with its stamp whether or not it is the last write (see
# db/sync_models.SyncCardStatus): the status at any sale's time is read from these.
_KEEP_CARD_STATUS = "INSERT OR IGNORE INTO sync_card_status (card, hlc, status) VALUES (?, ?, ?)"


def known_seq(db: sqlite3.Connection, terminal_id: str) -> int:
    """The highest sequence number of till ``terminal_id`` this till holds: its own events are
    rows of the journal, other tills' are archived runs (older imports may be rows too)."""
    (last,) = db.execute(
        "SELECT max(seq) FROM journal_event WHERE terminal_id = ?", (terminal_id,)
    ).fetchone()
    return max(int(last or 0), archive.highest_seq(db, terminal_id))


class _Affected:
    """What field updates touched (rows inserted are found by rowid, see :class:`EventApplier`)."""

    def __init__(self) -> None:
        self.customers: set[str] = set()
        self.erased: set[str] = set()  # customers whose erasure arrived


# Fact tables whose new rows decide what is recomputed; all are rowid tables, so the rows one
# bundle inserted are exactly those above the highest rowid before it.
_FACT_TABLES = ("customer", "purchase", "ledger_entry", "points_lot", "lot_movement", "refund")
# What a big catch-up fills: their plain indexes are built once after it (db/bulk_load.py).
_BULK_TABLES = _FACT_TABLES
# Columns whose values grow with the events that made the rows (times, and ids of rows made
# with them: UUIDv7, core/ids.py). A catch-up's rows arrive in that order, so the indexes led by
# them are kept up as the rows go in; the customer-led ones are built again after.
_GROWING_COLUMNS = frozenset({"created_at", "expires_at", "purchase_id", "entry_id", "lot_id"})

# (table, the payload row's columns) -> (the INSERT, what takes its values out of a row)
_ROW_INSERTS: dict[tuple[str, tuple[str, ...]], tuple[str, rows.Getter]] = {}


def time_columns(table: str) -> frozenset[str] | None:
    """The date-time columns of ``table``, or None for a table this program does not know
    (a newer release's): every value of such a table is tested for a time."""
    known = SQLModel.metadata.tables.get(table)
    if known is None:
        return None
    return frozenset(c.name for c in known.c if isinstance(c.type, DateTime))


def _row_insert(table: str, columns: tuple[str, ...]) -> tuple[str, rows.Getter]:
    """The INSERT for rows of ``table`` with ``columns``, and the getter of their values
    (``rows.row_insert``): times are stored as the app stores them (see :func:`_db_value`)."""
    made = _ROW_INSERTS.get((table, columns))
    if made is None:
        names = rows.copied_columns(table, columns)
        made = rows.row_insert(rows.insert_verb(table), table, names, time_columns(table))
        _ROW_INSERTS[(table, columns)] = made
    return made


def _insert_rows(db: sqlite3.Connection, table: str, table_rows: list[dict[str, Any]]) -> None:
    """Insert one batch's rows of ``table``, one ``executemany`` per set of columns."""
    if not table_rows:  # a payload may name a table with no rows
        return
    sql, values = _row_insert(table, tuple(table_rows[0]))
    if table not in rows.COLUMN_NOT_COPIED:
        params = rows.same_columns(table_rows, values)
        if params is not None:
            db.executemany(sql, params)
            return
    for columns, same in rows.by_columns(table_rows).items():
        sql, values = _row_insert(table, columns)
        db.executemany(sql, map(values, same))


def _needs_newer_program(schema: int) -> BundleRefused:
    return BundleRefused(
        QT_TRANSLATE_NOOP(
            "Errors",
            "Another till's events need a newer version of the program (journal "
            "schema {schema}); update this till first. Nothing was changed.",
        ),
        schema=schema,
    )


def _changes_counted(update: dict[str, Any]) -> bool:
    """Whether a field update changes what the workers' counts read (none does today: a sale's
    customer, time and amounts, an entry's points and a customer's registration time are
    facts; ``staged_counts.py``)."""
    counted = staged_counts.COUNTED_COLUMNS.get(update.get("table", ""))
    return counted is not None and not set(counted).isdisjoint(update.get("fields", ()))


def _staged_alias(segment: int, worker: int) -> str:
    """The name a staging file is attached under in the till's connection."""
    return f"staged_{segment + 1}_{worker + 1}"


class EventApplier:
    """Applies one till's verified events, fed in sequence order a batch at a time, inside the
    caller's transaction; :meth:`finish` then applies the field updates, recomputes the caches
    and flags conflicts once for everything fed.

    Feeding inserts the events' rows at once (one ``executemany`` per table and column set per
    batch), so a million events never sit in memory parsed. Events this till already holds are
    skipped. The events themselves are archived by :meth:`finish` as ``record`` holds them
    (the bundle file as it arrived, or the gzip of a hub pull's events; ``db/journal_archive.py``).
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        local_terminal_id: str,
        origin: str,
        now: datetime,
        *,
        record: archive.Body,
        source: str,
        bulk: bool = False,
    ) -> None:
        self.db = db
        self.bulk = bulk
        self.record = record
        self.source = source
        self.first_seq = 0
        self._indexes: bulk_load.SetAside = []
        self.local_terminal_id = local_terminal_id
        self.origin = origin
        self.now = now
        self.have = known_seq(db, origin)
        self.applied = 0
        self._started = False
        self._marks: dict[str, int] = {}
        self._clocked: dict[str, str] = {}  # table -> key column (see _start)
        self._top = ZERO.text()
        self.last_seq = 0
        self._born: dict[str, dict[str, str]] = defaultdict(dict)  # table -> key -> insert stamp
        self._updates: list[tuple[str, dict[str, Any]]] = []
        self._staged: StagedBundle | None = None  # the workers' bundle (feed_staged)
        self._archived: tuple[int, int] | None = None  # the run archived early (feed_staged)

    def _start(self) -> None:
        db = self.db
        # card status changes recorded from here on (this till's own, stamped just below, and
        # the news') decide again which sales of those cards were made while they were blocked
        (mark,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM sync_card_status").fetchone()
        self._marks["sync_card_status"] = int(mark)
        clock_local_events(db, self.local_terminal_id)
        self._top = state(db, "hlc") or ZERO.text()
        for table in _FACT_TABLES:
            (mark,) = db.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}").fetchone()
            self._marks[table] = int(mark)
        # Rows whose later edits may have arrived first (see _reassert_later_edits): only tables
        # with field clocks can have any, so only their keys are remembered.
        self._clocked = {
            table: _KEYS[table]
            for (table,) in db.execute("SELECT DISTINCT tbl FROM sync_field_clock")
            if table in _KEYS
        }
        if self.bulk:  # nothing below reads through them until finish() builds them again
            self._indexes = bulk_load.drop_plain_indexes(
                db, _BULK_TABLES, keep_led_by=_GROWING_COLUMNS
            )
        self._started = True

    def feed(self, events: list[dict[str, Any]]) -> None:
        news, fresh = BatchNews.of(events, self.have)
        if news is None:
            return
        if news.newest_schema > SCHEMA_VERSION:  # a bundle's manifest says so first; a hub
            raise _needs_newer_program(news.newest_schema)  # pull has none
        if not self._started:
            self._start()
        tables = news.read(fresh, self._clocked, Stamp(0, 0, self.origin).text())
        self._take_news(news)
        for table, table_rows in tables.items():
            _insert_rows(self.db, table, table_rows)

    def _take_news(self, news: BatchNews) -> None:
        """Keep what a batch says besides its rows, for :meth:`finish`."""
        if not self.first_seq:
            self.first_seq = news.first_fresh
        self.last_seq = news.last_fresh
        self.applied += news.fresh
        if news.top > self._top:
            self._top = news.top
        for table, stamps in news.born.items():
            self._born[table].update(stamps)
        self._updates.extend(news.updates)

    def feed_staged(self, staged: StagedBundle) -> None:
        """Take a big bundle's events as worker processes staged them (``staging.py``): what
        :meth:`feed` works out of each batch arrives worked out, and the rows are copied in
        by SQLite from the staging files, block by block in the bundle's order (so they get
        the rowids :meth:`feed` would give them)."""
        self._start()
        spec = StageSpec(
            staged.manifest,
            self.have,
            self._clocked,
            {
                table: columns
                for table in SQLModel.metadata.tables
                if (columns := time_columns(table)) is not None
            },
            Stamp(0, 0, self.origin).text(),
        )
        db = self.db
        staged.start(spec)
        # While the workers stage the first segment: the bundle archived as it came (the
        # events this till did not have: the run is checked whole, or nothing is kept).
        self._archived = (max(staged.manifest.first_seq, self.have + 1), staged.manifest.last_seq)
        archive.keep(db, self.origin, *self._archived, self.source, self.record, self.now)
        # where the rows of each table the workers may count are (None: not countable)
        sources: dict[str, set[tuple[str, str]] | None] = {
            table: set() for table in staged_counts.COUNTED_COLUMNS
        }
        countable = self.bulk and not any(
            self._marks[table] for table in staged_counts.COUNTED_COLUMNS
        )
        for segment, parts in enumerate(staged.parts(spec)):
            for worker, part in enumerate(parts):
                if any(block.steps for block in part.blocks):
                    db.execute(f"ATTACH ? AS {_staged_alias(segment, worker)}", (part.path,))
                for block in part.blocks:
                    for table, stage, names, _, _ in block.steps:
                        found = sources.get(table)
                        if found is None:  # not counted, or no longer countable
                            continue
                        if set(staged_counts.COUNTED_COLUMNS[table]) <= set(names):
                            found.add((part.path, stage))
                        else:  # rows of a release without those columns: the till counts
                            sources[table] = None
            if staged.complete and countable and all(s is not None for s in sources.values()):
                # A till that held no customers, sales or points before holds exactly the
                # staged ones once they are copied: the workers, idle now, count over them
                # while this process copies the last segment and builds the indexes.
                staged.start_counts(
                    {table: sorted(found or ()) for table, found in sources.items()}
                )
            blocks = sorted(
                ((block, worker) for worker, part in enumerate(parts) for block in part.blocks),
                key=lambda pair: pair[0].index,
            )
            for block, worker in blocks:
                news = block.news
                if news is None:
                    continue
                if news.newest_schema > SCHEMA_VERSION:
                    raise _needs_newer_program(news.newest_schema)
                self._take_news(news)
                alias = _staged_alias(segment, worker)
                for table, stage, names, first, last in block.steps:
                    columns = ", ".join(names)
                    db.execute(
                        f"{rows.insert_verb(table)} INTO {table} ({columns}) SELECT {columns} "
                        f"FROM {alias}.{stage} WHERE rowid BETWEEN ? AND ?",
                        (first, last),
                    )
        self._staged = staged

    def finish(self) -> int:
        """Field updates, caches, conflict flags; returns how many events were new."""
        if not self._started:
            return 0
        db, now = self.db, self.now
        bulk_load.restore(db, self._indexes)
        affected = _Affected()
        _reassert_later_edits(db, self._born, affected)
        for stamp, update in self._updates:
            _apply_update(db, stamp, update, affected, now)
        rewritten = _replay_expiries(db, self._marks, affected)
        figures = None
        if self._staged is not None:
            # what the workers counted over the staged rows holds only for rows still as staged
            self._staged.unlike_staged.update(self._born)
            self._staged.unlike_staged.update(
                update["table"] for _, update in self._updates if _changes_counted(update)
            )
            if rewritten:
                self._staged.unlike_staged.add("ledger_entry")
            figures = self._staged.counted("sums", db)
        _recompute(db, self._marks, affected, whole_tables=self.bulk, counted=figures)
        _flag_conflicts(db, self._marks, affected, now)
        put_state(db, "hlc", self._top)
        if self._archived is None:
            archive.keep(
                db, self.origin, self.first_seq, self.last_seq, self.source, self.record, self.now
            )
        elif self._archived != (self.first_seq, self.last_seq):  # the run check rules it out
            raise RuntimeError(
                f"archived events {self._archived}, applied {self.first_seq}..{self.last_seq}"
            )
        # A customer erased on the other till: their name and phone go from this till's journal
        # and archive too (the registration arrived in an earlier bundle, or in this one).
        for customer_id in sorted(affected.erased):
            scrub_journal(db, customer_id, now)
        return self.applied


def apply_events(
    db: sqlite3.Connection,
    local_terminal_id: str,
    events: Iterable[list[dict[str, Any]]] | list[dict[str, Any]],
    now: datetime,
    *,
    record: archive.Body | None = None,
    source: str = "bundle",
    bulk: bool = False,
    staged: StagedBundle | None = None,
) -> int:
    """Apply one till's events (already verified, in sequence order) inside the caller's
    transaction; events this till already holds are skipped. Returns how many were new.

    ``events`` is a list of events, or an iterable of such lists (a bundle read in blocks);
    ``record``: what they arrived as, archived (the bundle file; for a list, by default the
    gzip of the list); ``bulk``: a catch-up big next to what the till holds, whose indexes are
    built after it; ``staged``: the bundle, to be read by worker processes instead
    (``staging.py``; ``events`` unused)."""
    if staged is not None:
        staged_applier = EventApplier(
            db,
            local_terminal_id,
            staged.manifest.terminal_id,
            now,
            record=staged.bundle.raw,
            source=source,
            bulk=bulk,
        )
        staged_applier.feed_staged(staged)
        return staged_applier.finish()
    if isinstance(events, list):
        batches: Iterable[list[dict[str, Any]]] = [events]
        if record is None and events:
            record = archive.encode_events(events)
    else:
        batches = events
    applier: EventApplier | None = None
    for batch in batches:
        if not batch:
            continue
        if applier is None:
            if record is None:
                raise ValueError("events read from a file are archived from the file: record")
            applier = EventApplier(
                db,
                local_terminal_id,
                batch[0]["terminal_id"],
                now,
                record=record,
                source=source,
                bulk=bulk,
            )
        applier.feed(batch)
    return applier.finish() if applier is not None else 0


def _db_value(value: Any) -> Any:
    """A payload value as the app stores it: times as SQLAlchemy writes them ("YYYY-MM-DD
    HH:MM:SS.ffffff", a space and always the microseconds), booleans as 0 and 1, everything
    else as it is.

    String work, not ``datetime`` parsing (the same rule as ``_STORED_TIME`` in SQL).
    """
    if type(value) is bool:
        return int(value)
    if type(value) is not str or len(value) not in (19, 26) or value[10:11] != "T":
        return value
    if value[4:5] != "-" or value[13:14] != ":":
        return value
    text = value[:10] + " " + value[11:]
    return text + ".000000" if len(text) == 19 else text


def _apply_update(
    db: sqlite3.Connection,
    stamp: str,
    update: dict[str, Any],
    affected: _Affected,
    now: datetime,
) -> None:
    table, key, fields = update["table"], str(update["key"]), update["fields"]
    if table == "shop_setting" and key in PRIVATE_SETTINGS:
        return
    key_column = _KEYS.get(table, "id")
    if table == "card" and "customer_id" in fields:
        _note_card_assignment(db, key, fields["customer_id"], stamp, now)
    if table == "card" and "status" in fields:
        db.execute(_KEEP_CARD_STATUS, (key, stamp, fields["status"]))
    # An erasure is for good, whatever the clocks say: its fields win even over a later edit
    # made on a till that had not heard of it, and such an edit, arriving after it, leaves the
    # person's fields alone (otherwise tills would disagree by the order news came in, and some
    # would show the erased name again).
    erasing = table == "customer" and bool(fields.get("erased_at"))
    if erasing:
        affected.erased.add(key)
    elif table == "customer" and ERASED_FIELDS.intersection(fields) and _erased(db, key):
        fields = {name: value for name, value in fields.items() if name not in ERASED_FIELDS}
        affected.erased.add(key)  # the edit's name and phone go from the archive too
    winning: dict[str, Any] = {}
    for name, value in fields.items():
        row = db.execute(
            "SELECT hlc FROM sync_field_clock WHERE tbl = ? AND key = ? AND field = ?",
            (table, key, name),
        ).fetchone()
        if row is None or stamp > row[0] or (erasing and name in ERASED_FIELDS):
            winning[name] = value
            db.execute(
                "INSERT INTO sync_field_clock (tbl, key, field, hlc, value) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(tbl, key, field) "
                "DO UPDATE SET hlc = max(hlc, excluded.hlc), value = excluded.value",
                (table, key, name, stamp, json.dumps(value)),
            )
    if not winning:
        return
    if table == "shop_setting":
        db.execute(
            "INSERT OR IGNORE INTO shop_setting (key, value, updated_at) VALUES (?, ?, ?)",
            (key, winning.get("value", "null"), sql_value(now)),
        )
    sets = ", ".join(f"{name} = ?" for name in winning)
    db.execute(
        f"UPDATE {table} SET {sets} WHERE {key_column} = ?",
        [_db_value(v) for v in winning.values()] + [key],
    )
    if table == "customer":
        affected.customers.add(key)


def _erased(db: sqlite3.Connection, customer_id: str) -> bool:
    """Whether the customer is erased here: their row says so, or (the row not here yet) an
    erasure of them is kept in the field clock."""
    (erased,) = db.execute(
        "SELECT EXISTS (SELECT 1 FROM customer WHERE id = :id AND erased_at IS NOT NULL) "
        "OR EXISTS (SELECT 1 FROM sync_field_clock WHERE tbl = 'customer' AND key = :id "
        "AND field = 'erased_at' AND value IS NOT NULL AND value != 'null')",
        {"id": customer_id},
    ).fetchone()
    return bool(erased)


def _reassert_later_edits(
    db: sqlite3.Connection, born: dict[str, dict[str, str]], affected: _Affected
) -> None:
    """Rows that arrive after an edit of them: the edit, already applied elsewhere, wins.

    A till may hear of an edit before the row it edits (till 2 blocks till 1's new card; till 3
    gets till 2's news first, through the hub or a bundle). The edit is kept in the field clock
    with its value, and once the row itself is inserted here, every field whose last edit is
    newer than the row's creation is set again — so the order news arrive in does not matter.
    """
    for table, keys in born.items():
        (clocks,) = db.execute(
            "SELECT COUNT(*) FROM sync_field_clock WHERE tbl = ?", (table,)
        ).fetchone()
        if not clocks:
            continue
        if clocks <= len(keys):
            hits = [
                row
                for row in db.execute(
                    "SELECT key, field, hlc, value FROM sync_field_clock WHERE tbl = ?", (table,)
                )
                if row[0] in keys
            ]
        else:
            hits = [
                row
                for key in keys
                for row in db.execute(
                    "SELECT key, field, hlc, value FROM sync_field_clock WHERE tbl = ? AND key = ?",
                    (table, key),
                )
            ]
        for key, name, hlc, value in hits:
            if value is None or hlc <= keys[key]:
                continue
            raw = json.loads(value)
            db.execute(
                f"UPDATE {table} SET {name} = ? WHERE {_KEYS[table]} = ?",
                (_db_value(raw), key),
            )
            if table == "customer":
                affected.customers.add(key)
                if name == "erased_at" and raw is not None:  # registered after her erasure
                    affected.erased.add(key)


def _note_card_assignment(
    db: sqlite3.Connection, card: str, customer_id: Any, stamp: str, now: datetime
) -> None:
    """The same pre-printed card handed to two customers on two tills: flag it for the owner."""
    row = db.execute("SELECT customer_id FROM card WHERE number = ?", (card,)).fetchone()
    if row is None or row[0] is None or customer_id is None or row[0] == customer_id:
        return
    first, second = sorted((row[0], str(customer_id)))
    _flag(
        db,
        f"card_assigned_twice:{card}",
        "card_assigned_twice",
        None,
        card,
        {"card": card, "customers": [first, second]},
        now,
    )


def _flag(
    db: sqlite3.Connection,
    conflict_id: str,
    kind: str,
    customer_id: str | None,
    subject: str,
    details: dict[str, Any],
    now: datetime,
) -> None:
    raised = db.execute(
        "INSERT OR IGNORE INTO sync_conflict (id, kind, customer_id, subject, details, "
        "created_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
        (conflict_id, kind, customer_id, subject, json.dumps(details), sql_value(now)),
    ).rowcount
    if raised:  # the owner may have dealt with it on another till, whose news came first:
        # a flag is raised here, never inserted from the news, so every edit kept for it is
        # newer than its birth ("")
        _reassert_later_edits(db, {"sync_conflict": {conflict_id: ""}}, _Affected())


def flag_till_number_twice(db: sqlite3.Connection, number: int, now: datetime) -> None:
    """Two tills of the shop under one number: one pairing file was used on both (joining is
    offline, so neither could know). Their card numbers are made from the till number, so they
    can give out the same card numbers; the owner is told on every till that knows both."""
    tills = [row[0] for row in db.execute("SELECT id FROM terminal WHERE number = ?", (number,))]
    if len(tills) > 1:
        _flag(
            db,
            f"till_number_twice:{number}",
            "till_number_twice",
            None,
            str(number),
            {"number": number},
            now,
        )


def _temp_ids(db: sqlite3.Connection, name: str, ids: Iterable[str], *selects: str) -> None:
    """Fill the temporary id list ``name`` with ``ids`` and the ids the SELECTs give."""
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id TEXT PRIMARY KEY)")
    db.execute(f"DELETE FROM {name}")
    db.executemany(f"INSERT OR IGNORE INTO {name} (id) VALUES (?)", ((i,) for i in ids))
    for select in selects:
        db.execute(f"INSERT OR IGNORE INTO {name} (id) {select}")


# The lots a bundle touched: those it inserted and those its movements changed (two conditions,
# each answered by an index: one query with OR scans every lot of the till).
_TOUCHED_LOTS = (
    "points_lot.rowid > {lots}",
    "points_lot.id IN (SELECT lot_id FROM lot_movement WHERE rowid > {moves})",
)
_LOT_REMAINING = (
    "points_lot.points + (SELECT COALESCE(SUM(m.points), 0) FROM lot_movement m "
    "WHERE m.lot_id = points_lot.id)"
)


def _recompute(
    db: sqlite3.Connection,
    marks: dict[str, int],
    affected: _Affected,
    *,
    whole_tables: bool,
    counted: staged_counts.Figures | None = None,
) -> None:
    """Derived figures from the facts, with the sums ``check`` proves (see the module doc), for
    what this bundle touched: rows above ``marks`` (the highest rowids before it) and the
    customers its field updates named (the expiries replayed first, ``_replay_expiries``).
    Set-based SQL throughout; ``whole_tables``: a catch-up big next to the till (most
    customers touched), whose customer sums are taken by one pass over each table
    (:func:`_customer_sums`), or from ``counted``, the same sums counted by a worker over the
    staged rows (``staged_counts.py``)."""
    refunds = f"SELECT purchase_id FROM refund WHERE rowid > {marks['refund']}"
    late_sales = ""
    (new_sales,) = db.execute(
        f"SELECT EXISTS (SELECT 1 FROM purchase WHERE rowid > {marks['purchase']})"
    ).fetchone()
    if new_sales:
        # A refund may have come in before its sale (one hub pull applies every till's news in
        # one transaction): such sales were inserted with refunded_amount 0. Refunds are few,
        # so finding them is one pass over the refunds, not over the new sales.
        late_sales = (
            "SELECT p.id FROM purchase p JOIN refund r ON r.purchase_id = p.id "
            "GROUP BY p.id HAVING p.refunded_amount != SUM(r.amount)"
        )
    _temp_ids(db, "sync_touched", (), refunds, *([late_sales] if late_sales else []))
    (refunded,) = db.execute("SELECT COUNT(*) FROM sync_touched").fetchone()
    if refunded:
        db.execute(
            "UPDATE purchase SET refunded_amount = (SELECT COALESCE(SUM(r.amount), 0) "
            "FROM refund r WHERE r.purchase_id = purchase.id) "
            "WHERE id IN (SELECT id FROM sync_touched)"
        )
        affected.customers.update(
            row[0]
            for row in db.execute(
                "SELECT DISTINCT customer_id FROM purchase WHERE customer_id IS NOT NULL "
                "AND id IN (SELECT id FROM sync_touched)"
            )
        )
    # Only lots whose remainder differs are written: a new lot nobody spent from yet already
    # holds its points, and an unchanged row should not wake triggers on points_lot.
    for touched_lots in _TOUCHED_LOTS:
        where = touched_lots.format(lots=marks["points_lot"], moves=marks["lot_movement"])
        db.execute(
            f"UPDATE points_lot SET remaining = {_LOT_REMAINING} "
            f"WHERE {where} AND remaining IS NOT {_LOT_REMAINING}"
        )
    _temp_ids(
        db,
        "sync_touched",
        affected.customers,
        f"SELECT id FROM customer WHERE rowid > {marks['customer']}",
        f"SELECT DISTINCT customer_id FROM purchase WHERE rowid > {marks['purchase']} "
        "AND customer_id IS NOT NULL",
        f"SELECT DISTINCT customer_id FROM ledger_entry WHERE rowid > {marks['ledger_entry']}",
    )
    if whole_tables:
        _customer_sums(db, counted)
        db.execute(_CUSTOMER_CACHES_FROM_SUMS)
        for table in _SUM_TABLES:
            db.execute(f"DROP TABLE temp.{table}")
        return
    db.execute(
        """UPDATE customer SET
             balance = (SELECT COALESCE(SUM(e.points), 0) FROM ledger_entry e
                        WHERE e.customer_id = customer.id),
             lifetime_paid =
               COALESCE((SELECT SUM(p.paid) FROM purchase p
                         WHERE p.customer_id = customer.id), 0)
               - COALESCE((SELECT SUM(r.money_returned) FROM refund r
                           JOIN purchase p ON p.id = r.purchase_id
                           WHERE p.customer_id = customer.id), 0),
             visits = (SELECT COUNT(*) FROM purchase p WHERE p.customer_id = customer.id),
             last_visit_at = (SELECT MAX(p.created_at) FROM purchase p
                              WHERE p.customer_id = customer.id)
           WHERE id IN (SELECT id FROM sync_touched)"""
    )


# Lots that have an expiry and a movement this bundle brought (an expiry, or points spent or put
# back that another till's expiry did not know of).
# Each touched lot is asked once (a catch-up brings many movements of the same lots).
_LOTS_TO_REPLAY = """SELECT t.lot_id
    FROM (SELECT DISTINCT lot_id FROM lot_movement WHERE rowid > ?) t
    WHERE EXISTS (SELECT 1 FROM lot_movement x JOIN ledger_entry e ON e.id = x.entry_id
                  WHERE x.lot_id = t.lot_id AND e.kind = 'expire')
    ORDER BY t.lot_id"""
# A lot's movements in the order they happened; at the same moment the points moved before the
# expiry that writes them off (a refund putting points back into an expired lot writes them off
# in the same instant).
_LOT_HISTORY = """SELECT m.rowid, m.points, e.id, e.kind = 'expire', e.customer_id
    FROM lot_movement m JOIN ledger_entry e ON e.id = m.entry_id
    WHERE m.lot_id = ? ORDER BY e.created_at, e.kind = 'expire', e.id, m.rowid"""


def _replay_expiries(db: sqlite3.Connection, marks: dict[str, int], affected: _Affected) -> bool:
    """Each expiry of a lot writes off what the lot held at that moment, whatever till wrote it.

    Every till writes expiries down (its start-of-day sweep, a customer's next sale there), so
    tills apart for a day each write the same lot off — and each from the remainder it knew,
    maybe before points spent from the lot on another till reached it. Written as they came,
    the customer would lose the lot twice. So the expiries of a lot are replayed in time order
    over its movements (all tills' facts, as the others are), each taking ``max(0, what is
    left)``: the first takes the remainder, a later one of the same lot takes nothing. That is
    a function of the facts alone, so every till that holds the same facts writes the same
    figures, in whatever order they came. Only lots with an expiry and a movement new in this
    bundle are looked at; the entries' day totals follow by trigger (``report_points_changed``)
    and the balances by the recomputation after this. Returns whether an entry was rewritten.
    """
    lots = [row[0] for row in db.execute(_LOTS_TO_REPLAY, (marks["lot_movement"],))]
    rewritten = False
    for lot_id in lots:
        (left,) = db.execute("SELECT points FROM points_lot WHERE id = ?", (lot_id,)).fetchone()
        for rowid, moved, entry_id, is_expiry, customer_id in db.execute(
            _LOT_HISTORY, (lot_id,)
        ).fetchall():
            if is_expiry:
                wanted = -max(0, left)
                if wanted != moved:
                    db.execute(
                        "UPDATE lot_movement SET points = ? WHERE rowid = ?", (wanted, rowid)
                    )
                    db.execute(
                        "UPDATE ledger_entry SET points = points + ? WHERE id = ?",
                        (wanted - moved, entry_id),
                    )
                    affected.customers.add(customer_id)
                    rewritten = True
                moved = wanted
            left += moved
    return rewritten


# A bulk catch-up's customer sums: each table read once in storage order and grouped (a sort),
# instead of every touched customer's rows looked up through an index that does not hold the
# summed column (a table row fetched per sale: 4.3 s for a million sales against 1.9 s).
_SUM_TABLES = {
    "sync_points_sum": "(customer_id TEXT PRIMARY KEY, points INTEGER)",
    "sync_sales_sum": "(customer_id TEXT PRIMARY KEY, paid INTEGER, visits INTEGER, last_at TEXT)",
    "sync_returned_sum": "(customer_id TEXT PRIMARY KEY, returned INTEGER)",
}
_SUMS_BY_SCAN = {
    "sync_points_sum": staged_counts.POINTS_BY_CUSTOMER.format(hint=" NOT INDEXED"),
    "sync_sales_sum": staged_counts.SALES_BY_CUSTOMER.format(hint=" NOT INDEXED"),
    "sync_returned_sum": "SELECT p.customer_id, SUM(r.money_returned) FROM refund r "
    "JOIN purchase p ON p.id = r.purchase_id WHERE p.customer_id IS NOT NULL "
    "GROUP BY p.customer_id",
}


def _customer_sums(db: sqlite3.Connection, counted: staged_counts.Figures | None) -> None:
    """Fill the temporary sums tables (:data:`_SUM_TABLES`) by one scan of each table, or
    with the points and sales sums a worker ``counted`` (the refunds are few: summed here)."""
    given = (
        {}
        if counted is None
        else {
            "sync_points_sum": counted.points,
            "sync_sales_sum": counted.sales,
        }
    )
    for table, columns in _SUM_TABLES.items():
        db.execute(f"DROP TABLE IF EXISTS temp.{table}")
        db.execute(f"CREATE TEMP TABLE {table} {columns}")
        if table in given:
            marks = ", ".join("?" * (columns.count(",") + 1))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", given[table])
        else:
            db.execute(f"INSERT INTO {table} {_SUMS_BY_SCAN[table]}")


# The same figures as the UPDATE in _recompute, from those sums.
_CUSTOMER_CACHES_FROM_SUMS = """UPDATE customer SET
    balance = COALESCE((SELECT points FROM sync_points_sum s WHERE s.customer_id = customer.id), 0),
    lifetime_paid =
      COALESCE((SELECT paid FROM sync_sales_sum s WHERE s.customer_id = customer.id), 0)
      - COALESCE((SELECT returned FROM sync_returned_sum s WHERE s.customer_id = customer.id), 0),
    visits = COALESCE((SELECT visits FROM sync_sales_sum s WHERE s.customer_id = customer.id), 0),
    last_visit_at = (SELECT last_at FROM sync_sales_sum s WHERE s.customer_id = customer.id)
  WHERE id IN (SELECT id FROM sync_touched)"""


def _flag_conflicts(
    db: sqlite3.Connection, marks: dict[str, int], affected: _Affected, now: datetime
) -> None:
    """Points spent twice offline, sales refunded twice offline, and sales on a card another
    till had blocked."""
    overspent = {
        row[0]: row
        for touched_lots in _TOUCHED_LOTS
        for row in db.execute(
            "SELECT id, customer_id, remaining FROM points_lot WHERE remaining < 0 AND "
            + touched_lots.format(lots=marks["points_lot"], moves=marks["lot_movement"])
        )
    }
    # One flag per customer, named by the customer: which of their lots a till saw below zero
    # first depends on the order news came in (the figures shown are read live, overview.py).
    for lot_id, customer_id, remaining in sorted(overspent.values()):
        _flag(
            db,
            f"points_overspent:{customer_id}",
            "points_overspent",
            customer_id,
            customer_id,
            {"lot": lot_id, "overspent": -remaining},
            now,
        )
    # Points taken back on one till beyond what the customer held (a debt: a refund of points
    # already spent) while another till, not knowing, gave them points: on one till the points
    # given would first have paid the debt; here the lots hold more than the balance. The
    # balance is right (Σ entries); the owner is told, and ``check`` knows why the lots differ.
    # Customers with a lot below zero are flagged as points_overspent above. The customers
    # looked at are those _recompute just recomputed (it leaves them in sync_touched).
    for customer_id, lots, balance in db.execute(
        "SELECT c.id, (SELECT COALESCE(SUM(l.remaining), 0) FROM points_lot l "
        "WHERE l.customer_id = c.id) AS lots, c.balance FROM customer c "
        "WHERE c.id IN (SELECT id FROM sync_touched) AND lots != MAX(c.balance, 0) "
        "AND NOT EXISTS (SELECT 1 FROM points_lot l WHERE l.customer_id = c.id "
        "AND l.remaining < 0) ORDER BY c.id"
    ).fetchall():
        _flag(
            db,
            f"points_debt_unsettled:{customer_id}",
            "points_debt_unsettled",
            customer_id,
            customer_id,
            {"points": lots - max(balance, 0)},
            now,
        )
    # The same sale refunded on two tills offline: each till let its refund through against
    # what it knew was left, and the money went back at both counters, so both refunds stand
    # and the sale ends refunded beyond its check. Refunds are few, so every sale with a new
    # refund (or a new sale whose refunds came first) is looked at through them.
    for sale_id, customer_id, amount, refunded in db.execute(
        "SELECT p.id, p.customer_id, p.amount, p.refunded_amount FROM refund r "
        "JOIN purchase p ON p.id = r.purchase_id "
        "WHERE (r.rowid > ? OR p.rowid > ?) AND p.refunded_amount > p.amount "
        "GROUP BY p.id ORDER BY p.id",
        (marks["refund"], marks["purchase"]),
    ).fetchall():
        _flag(
            db,
            f"sale_refunded_twice:{sale_id}",
            "sale_refunded_twice",
            customer_id,
            sale_id,
            {"sale": sale_id, "amount": amount, "refunded": refunded},
            now,
        )
    # Sales made while their card was blocked, decided from the card's status at each sale's
    # time (its history of status changes from every till), so a block, the sale and a later
    # unblock give the same flags in whatever order they arrive. New sales on cards that have a
    # history are looked at once; every sale of a card whose history grew is looked at again,
    # and a flag an earlier, shorter history raised is taken back (when not yet dealt with).
    for sale_id, card, customer_id in db.execute(
        f"SELECT p.id, p.card_number, p.customer_id FROM purchase p WHERE p.rowid > ? "
        f"AND p.card_number IN (SELECT card FROM sync_card_status) "
        f"AND {_STATUS_AT_SALE} = 'blocked' ORDER BY p.rowid",
        (marks["purchase"],),
    ).fetchall():
        _flag_blocked_sale(db, sale_id, card, customer_id, now)
    for (card,) in db.execute(
        "SELECT DISTINCT card FROM sync_card_status WHERE id > ? ORDER BY card",
        (marks["sync_card_status"],),
    ).fetchall():
        for sale_id, customer_id, blocked in db.execute(
            f"SELECT p.id, p.customer_id, {_STATUS_AT_SALE} = 'blocked' FROM purchase p "
            f"WHERE p.customer_id IN ({_CARD_HOLDERS}) AND p.card_number = :card",
            {"card": card},
        ).fetchall():
            if blocked:
                _flag_blocked_sale(db, sale_id, card, customer_id, now)
            else:
                db.execute(
                    "DELETE FROM sync_conflict WHERE id = ?",
                    (f"sale_on_blocked_card:{sale_id}",),
                )


# The status of sale ``p``'s card at the sale's time: the last change stamped in or before
# the sale's millisecond (a stamp's text starts with its wall time, zero-padded, so every stamp
# of an earlier or the same millisecond sorts before the next millisecond's number).
_STATUS_AT_SALE = (
    "(SELECT h.status FROM sync_card_status h WHERE h.card = p.card_number "
    f"AND h.hlc < printf('%015d', {_wall_ms('p')} + 1) ORDER BY h.hlc DESC LIMIT 1)"
)
# Who may have sales on card :card: its holder, and the customers it was given to twice
# (sales are found through the customer's index; purchase has none on the card).
_CARD_HOLDERS = (
    "SELECT customer_id FROM card WHERE number = :card AND customer_id IS NOT NULL "
    "UNION SELECT j.value FROM sync_conflict k, json_each(k.details, '$.customers') j "
    "WHERE k.kind = 'card_assigned_twice' AND k.subject = :card"
)


def _flag_blocked_sale(
    db: sqlite3.Connection, sale_id: str, card: str, customer_id: str | None, now: datetime
) -> None:
    _flag(
        db,
        f"sale_on_blocked_card:{sale_id}",
        "sale_on_blocked_card",
        customer_id,
        sale_id,
        {"sale": sale_id, "card": card},
        now,
    )
