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

from sqlalchemy import DateTime
from sqlmodel import SQLModel

import terminal.db.models  # noqa: F401  (every table in SQLModel.metadata)
from terminal.app.journal import insert_sql, sql_value
from terminal.sync.clock import ZERO, Stamp, merge, tick, wall_ms

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
}


def _state(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _put_state(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def clock_local_events(db: sqlite3.Connection, terminal_id: str) -> None:
    """Give this till's events their HLC stamps (once), and note which fields they wrote.

    Run before events leave the till and before others' events are applied, so a local edit is
    stamped after everything this till had seen when it was made.
    """
    last = Stamp.parse(_state(db, "hlc") or ZERO.text())
    clocked = int(_state(db, "clocked_seq") or 0)
    rows = db.execute(
        "SELECT id, seq, created_at, payload FROM journal_event "
        "WHERE terminal_id = ? AND seq > ? ORDER BY seq",
        (terminal_id, clocked),
    ).fetchall()
    if not rows:
        return
    stamps: list[tuple[str, str]] = []
    fields: list[tuple[str, str, str, str, str]] = []
    for event_id, _seq, created_at, payload in rows:
        last = tick(last, datetime.fromisoformat(created_at), terminal_id)
        stamp = last.text()
        stamps.append((event_id, stamp))
        if '"updates"' in payload:
            for update in json.loads(payload).get("updates", ()):
                for name, value in update["fields"].items():
                    fields.append(
                        (update["table"], str(update["key"]), name, stamp, json.dumps(value))
                    )
    db.executemany("INSERT OR IGNORE INTO sync_event_clock (event_id, hlc) VALUES (?, ?)", stamps)
    db.executemany(
        "INSERT INTO sync_field_clock (tbl, key, field, hlc, value) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(tbl, key, field) DO UPDATE SET hlc = excluded.hlc, value = excluded.value "
        "WHERE excluded.hlc > sync_field_clock.hlc",
        fields,
    )
    _put_state(db, "hlc", last.text())
    _put_state(db, "clocked_seq", str(rows[-1][1]))


def known_seq(db: sqlite3.Connection, terminal_id: str) -> int:
    (last,) = db.execute(
        "SELECT max(seq) FROM journal_event WHERE terminal_id = ?", (terminal_id,)
    ).fetchone()
    return int(last or 0)


class _Affected:
    def __init__(self) -> None:
        self.customers: set[str] = set()
        self.lots: set[str] = set()
        self.purchases: set[str] = set()
        self.refund_purchases: set[str] = set()
        self.new_sales = False
        self.sales: list[dict[str, Any]] = []
        self.blocks: list[tuple[str, str]] = []  # (card, blocked at)

    def note_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        if table in ("ledger_entry", "purchase", "customer"):
            key = "id" if table == "customer" else "customer_id"
            self.customers.update(r[key] for r in rows if r.get(key))
        if table == "purchase":
            self.sales.extend(rows)
            self.new_sales = True
        elif table == "points_lot":
            self.lots.update(r["id"] for r in rows)
        elif table == "lot_movement":
            self.lots.update(r["lot_id"] for r in rows)
        elif table == "refund":
            self.refund_purchases.update(r["purchase_id"] for r in rows)


def apply_events(
    db: sqlite3.Connection,
    local_terminal_id: str,
    events: list[dict[str, Any]],
    now: datetime,
) -> int:
    """Apply one till's events (already verified, in sequence order) inside the caller's
    transaction; events this till already holds are skipped. Returns how many were new."""
    if not events:
        return 0
    origin = events[0]["terminal_id"]
    have = known_seq(db, origin)
    fresh = [e for e in events if e["seq"] > have]
    if not fresh:
        return 0
    clock_local_events(db, local_terminal_id)
    affected = _Affected()
    journal_rows = []
    stamps = []
    inserts: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
    born: dict[str, dict[str, str]] = defaultdict(dict)  # table -> row key -> stamp of its insert
    updates: list[tuple[str, dict[str, Any], str]] = []
    seen = Stamp.parse(_state(db, "hlc") or ZERO.text())
    for event in fresh:
        stamp = event.get("hlc") or Stamp(0, 0, origin).text()
        seen = merge(seen, Stamp.parse(stamp))
        journal_rows.append(
            (
                event["id"],
                origin,
                event["seq"],
                event["created_at"].replace("T", " "),
                event["type"],
                event["payload"],
                event.get("schema_version", 1),
                sql_value(now),
            )
        )
        stamps.append((event["id"], stamp))
        payload = json.loads(event["payload"])
        for table, rows in payload.get("rows", {}).items():
            by_table[table].extend(rows)
            if table in _KEYS:
                key_column = _KEYS[table]
                born[table].update((str(r[key_column]), stamp) for r in rows)
            for row in rows:
                if table == "lot_movement":
                    row = {k: v for k, v in row.items() if k != "id"}
                inserts[(table, tuple(row))].append(row)
        for update in payload.get("updates", ()):
            updates.append((stamp, update, event["created_at"]))
    db.executemany(
        "INSERT INTO journal_event (id, terminal_id, seq, created_at, type, payload, "
        "schema_version, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        journal_rows,
    )
    db.executemany("INSERT OR IGNORE INTO sync_event_clock (event_id, hlc) VALUES (?, ?)", stamps)
    for table, rows in by_table.items():
        affected.note_rows(table, rows)
    for (table, columns), rows in inserts.items():
        verb = "INSERT" if table == "lot_movement" else "INSERT OR IGNORE"
        db.executemany(verb + insert_sql(table, columns)[len("INSERT") :], _values(table, rows))
    _reassert_later_edits(db, born, affected)
    for stamp, update, at in updates:
        _apply_update(db, stamp, update, at, affected, now)
    _recompute(db, affected)
    _flag_conflicts(db, affected, now)
    _put_state(db, "hlc", seen.text())
    return len(fresh)


def _time_columns(table: str, columns: tuple[str, ...]) -> list[int] | None:
    """Positions of the date-time columns among ``columns`` (None: table unknown, look at all)."""
    known = SQLModel.metadata.tables.get(table)
    if known is None:
        return None
    return [
        i
        for i, name in enumerate(columns)
        if name in known.c and isinstance(known.c[name].type, DateTime)
    ]


def _values(table: str, rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Rows of one column set as parameter lists, times converted only where times are stored
    (a million rows: converting every value was a fifth of the import)."""
    times = _time_columns(table, tuple(rows[0]))
    if times is None:
        return [[_db_value(v) for v in row.values()] for row in rows]
    values = [list(row.values()) for row in rows]
    if times:
        for params in values:
            for i in times:
                if params[i] is not None:
                    params[i] = _db_value(params[i])
    return values


def _db_value(value: Any) -> Any:
    """A payload value as the app stores it: times as SQLAlchemy writes them ("YYYY-MM-DD
    HH:MM:SS.ffffff", a space and always the microseconds), everything else as it is.

    String work, not ``datetime`` parsing: this runs for every value of every row imported.
    """
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
    at: str,
    affected: _Affected,
    now: datetime,
) -> None:
    table, key, fields = update["table"], str(update["key"]), update["fields"]
    if table == "shop_setting" and key in PRIVATE_SETTINGS:
        return
    key_column = _KEYS.get(table, "id")
    if table == "card" and "customer_id" in fields:
        _note_card_assignment(db, key, fields["customer_id"], stamp, now)
    if table == "card" and fields.get("status") == "blocked":
        affected.blocks.append((key, at))
    winning: dict[str, Any] = {}
    for name, value in fields.items():
        row = db.execute(
            "SELECT hlc FROM sync_field_clock WHERE tbl = ? AND key = ? AND field = ?",
            (table, key, name),
        ).fetchone()
        if row is None or stamp > row[0]:
            winning[name] = value
            db.execute(
                "INSERT INTO sync_field_clock (tbl, key, field, hlc, value) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(tbl, key, field) "
                "DO UPDATE SET hlc = excluded.hlc, value = excluded.value",
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
        [_db_value(v) if not isinstance(v, bool) else int(v) for v in winning.values()] + [key],
    )
    if table == "customer":
        affected.customers.add(key)


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
                (int(raw) if isinstance(raw, bool) else _db_value(raw), key),
            )
            if table == "customer":
                affected.customers.add(key)


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
    db.execute(
        "INSERT OR IGNORE INTO sync_conflict (id, kind, customer_id, subject, details, "
        "created_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
        (conflict_id, kind, customer_id, subject, json.dumps(details), sql_value(now)),
    )


def _temp_ids(db: sqlite3.Connection, name: str, ids: Iterable[str]) -> None:
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id TEXT PRIMARY KEY)")
    db.execute(f"DELETE FROM {name}")
    db.executemany(f"INSERT OR IGNORE INTO {name} (id) VALUES (?)", ((i,) for i in ids))


def _recompute(db: sqlite3.Connection, affected: _Affected) -> None:
    """Derived figures from the facts, with the sums ``check`` proves (see the module doc)."""
    if affected.new_sales:
        # A refund may have come in before its sale (one hub pull applies every till's news in
        # one transaction): such sales were inserted with refunded_amount 0. Refunds are few,
        # so finding them is one pass over the refunds, not over the new sales.
        affected.refund_purchases.update(
            row[0]
            for row in db.execute(
                "SELECT p.id FROM purchase p JOIN refund r ON r.purchase_id = p.id "
                "GROUP BY p.id HAVING p.refunded_amount != SUM(r.amount)"
            )
        )
    if affected.refund_purchases:
        _temp_ids(db, "sync_touched", affected.refund_purchases)
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
    if affected.lots:
        _temp_ids(db, "sync_touched", affected.lots)
        db.execute(
            "UPDATE points_lot SET remaining = points + (SELECT COALESCE(SUM(m.points), 0) "
            "FROM lot_movement m WHERE m.lot_id = points_lot.id) "
            "WHERE id IN (SELECT id FROM sync_touched)"
        )
    if affected.customers:
        _temp_ids(db, "sync_touched", affected.customers)
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


def _flag_conflicts(db: sqlite3.Connection, affected: _Affected, now: datetime) -> None:
    """Points spent twice offline, and sales on a card another till had blocked."""
    if affected.lots:
        _temp_ids(db, "sync_touched", affected.lots)
        for lot_id, customer_id, remaining in db.execute(
            "SELECT id, customer_id, remaining FROM points_lot "
            "WHERE remaining < 0 AND id IN (SELECT id FROM sync_touched)"
        ).fetchall():
            _flag(
                db,
                f"points_overspent:{customer_id}",
                "points_overspent",
                customer_id,
                lot_id,
                {"lot": lot_id, "overspent": -remaining},
                now,
            )
    for sale in affected.sales:
        card = sale.get("card_number")
        if not card:
            continue
        row = db.execute(
            "SELECT c.status, f.hlc FROM card c LEFT JOIN sync_field_clock f "
            "ON f.tbl = 'card' AND f.key = c.number AND f.field = 'status' WHERE c.number = ?",
            (card,),
        ).fetchone()
        if row is None or row[0] != "blocked":
            continue
        blocked_ms = Stamp.parse(row[1]).ms if row[1] else 0
        if wall_ms(datetime.fromisoformat(sale["created_at"])) >= blocked_ms:
            _flag_blocked_sale(db, sale["id"], card, sale.get("customer_id"), now)
    for card, at in affected.blocks:
        for sale_id, customer_id in db.execute(
            "SELECT id, customer_id FROM purchase WHERE card_number = ? AND created_at >= ?",
            (card, at.replace("T", " ")),
        ).fetchall():
            _flag_blocked_sale(db, sale_id, card, customer_id, now)


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
