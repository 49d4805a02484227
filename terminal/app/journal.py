"""The outbox journal: every domain change appends one event in the same transaction.

An event's payload lists the facts the change created — the rows inserted, and field updates —
so another till can replay it exactly, without re-running business rules on a different state.
Derived figures (balances, lot remainders, visit counts) are not in the payload: they follow
from the facts and are recomputed by whoever applies them.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from terminal.core.ids import uuid7
from terminal.db.models import JournalEvent

SCHEMA_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_dict(row: SQLModel) -> dict[str, Any]:
    return {key: _plain(value) for key, value in row.model_dump().items()}


class ChangeSet:
    """Rows a use case adds, collected so they become both database rows and the event payload."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.updates: list[dict[str, Any]] = []
        self._pending: list[SQLModel] = []

    def add(self, row: SQLModel) -> SQLModel:
        self.session.add(row)
        self._pending.append(row)
        return row

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
    session: Session,
    terminal_id: str,
    event_type: str,
    payload: dict[str, Any],
    now: datetime,
) -> JournalEvent:
    """Append the next event of this till; the sequence has no gaps (``check`` proves it)."""
    last = session.exec(
        select(func.max(JournalEvent.seq)).where(JournalEvent.terminal_id == terminal_id)
    ).one()
    event = JournalEvent(
        id=uuid7(),
        terminal_id=terminal_id,
        seq=(last or 0) + 1,
        created_at=now,
        type=event_type,
        payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        schema_version=SCHEMA_VERSION,
    )
    session.add(event)
    return event


def pending_count(session: Session, terminal_id: str, after_seq: int = 0) -> int:
    return session.exec(
        select(func.count())
        .select_from(JournalEvent)
        .where(JournalEvent.terminal_id == terminal_id, JournalEvent.seq > after_seq)
    ).one()
