"""The outbox journal: every domain change appends one event in the same transaction.

An event's payload lists the facts the change created — the rows inserted, and field updates —
so another till can replay it exactly, without re-running business rules on a different state.
Derived figures (balances, lot remainders, visit counts) are not in the payload: they follow
from the facts and are recomputed by whoever applies them.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from terminal.app.till import driver_connection
from terminal.core.ids import uuid7
from terminal.db.models import JournalEvent

# The newest journal schema this program writes and applies. 2 added ``staff_name`` (event
# ``staff.named``). Each event carries the first schema that can apply it, not this number, so
# a till still on an older release goes on taking bundles until one carries something it
# could not apply, and then refuses it as made by a newer version instead of failing on it.
SCHEMA_VERSION = 2
_FIRST_SCHEMA = {"staff.named": 2}  # any other event type: 1


def event_schema(event_type: str) -> int:
    """The first journal schema that can apply an event of this type (see SCHEMA_VERSION)."""
    return _FIRST_SCHEMA.get(event_type, 1)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_dict(row: SQLModel) -> dict[str, Any]:
    return {key: _plain(value) for key, value in row.model_dump().items()}


def sql_value(value: Any) -> Any:
    """A Python value as SQLAlchemy would store it in SQLite (so ORM reads it back the same)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


_INSERT_SQL: dict[tuple[str, tuple[str, ...]], str] = {}


def insert_sql(table: str, columns: tuple[str, ...]) -> str:
    key = (table, columns)
    sql = _INSERT_SQL.get(key)
    if sql is None:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        _INSERT_SQL[key] = sql
    return sql


class ChangeSet:
    """Rows a use case adds, collected so they become both database rows and the event payload."""

    def __init__(self, session: Session | sqlite3.Connection) -> None:
        # A use case on the ORM passes its Session; the sale path passes its sqlite3 connection
        # (then only insert/update are available, not add).
        self.session = session  # type: ignore[assignment]
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.updates: list[dict[str, Any]] = []
        self._pending: list[SQLModel] = []

    def add(self, row: SQLModel) -> SQLModel:
        self.session.add(row)
        self._pending.append(row)
        return row

    @property
    def db(self) -> sqlite3.Connection:
        """The driver connection of this change's transaction."""
        return driver_connection(self.session)

    def insert(self, table: str, values: dict[str, Any]) -> int | None:
        """Insert one row with plain SQL (the hot paths: sales, ledger) and record it as a fact.

        ``values`` must name every column the model has, exactly as ``model_dump`` would, so the
        payload is the same as for a row added through :meth:`add`. Returns the rowid.
        """
        columns = tuple(values)
        cursor = self.db.execute(
            insert_sql(table, columns), [sql_value(v) for v in values.values()]
        )
        self.rows.setdefault(table, []).append({k: _plain(v) for k, v in values.items()})
        return cursor.lastrowid

    def update(self, table: str, key: str, fields: dict[str, Any]) -> None:
        self.updates.append(
            {"table": table, "key": key, "fields": {k: _plain(v) for k, v in fields.items()}}
        )

    def payload(self, **summary: Any) -> dict[str, Any]:
        for row in self._pending:
            table = row.__tablename__  # type: ignore[attr-defined]
            self.rows.setdefault(str(table), []).append(row_dict(row))
        self._pending.clear()
        data: dict[str, Any] = {"rows": self.rows}
        if self.updates:
            data["updates"] = self.updates
        if summary:
            data["summary"] = {k: _plain(v) for k, v in summary.items()}
        return data


def record_event(
    session: Session | sqlite3.Connection,
    terminal_id: str,
    event_type: str,
    payload: dict[str, Any],
    now: datetime,
) -> JournalEvent:
    """Append the next event of this till; the sequence has no gaps (``check`` proves it).

    Written with plain SQL on the session's connection (this runs in every sale); the returned
    object is a detached copy of what was written.
    """
    db = driver_connection(session)
    (last,) = db.execute(
        "SELECT max(seq) FROM journal_event WHERE terminal_id = ?", (terminal_id,)
    ).fetchone()
    values = {
        "id": uuid7(),
        "terminal_id": terminal_id,
        "seq": (last or 0) + 1,
        "created_at": now,
        "type": event_type,
        "payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        "schema_version": event_schema(event_type),
        "applied_at": None,
    }
    db.execute(insert_sql("journal_event", tuple(values)), [sql_value(v) for v in values.values()])
    return JournalEvent.model_construct(**values)


def pending_count(session: Session, terminal_id: str, after_seq: int = 0) -> int:
    return session.exec(
        select(func.count())
        .select_from(JournalEvent)
        .where(JournalEvent.terminal_id == terminal_id, JournalEvent.seq > after_seq)
    ).one()
