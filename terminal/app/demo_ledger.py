"""An in-memory twin of :class:`terminal.app.ledger.Ledger` for generating demo data in bulk.

Demo data for a million sales cannot go through the ORM one transaction at a time (hours), so
the demo keeps every customer's lots in memory and emits the very rows the real ledger would
write — entries, lots, lot movements — in the same order and with the same rules (oldest lots
first, debt settled by the next grant, refunds put points back into the lots they came from).
``loyalty-terminal check`` on a demo database is the proof that the twin and the original agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

_FAR = datetime.max

Row = tuple[Any, ...]


def sql_time(moment: datetime | None) -> str | None:
    """The text SQLAlchemy stores for a naive datetime in SQLite (always with microseconds)."""
    return None if moment is None else moment.isoformat(sep=" ", timespec="microseconds")


class Lot:
    __slots__ = ("customer_id", "expires_at", "granted_at", "id", "points", "remaining")

    def __init__(
        self,
        lot_id: str,
        customer_id: str,
        points: int,
        granted_at: datetime,
        expires_at: datetime | None,
    ) -> None:
        self.id = lot_id
        self.customer_id = customer_id
        self.points = points
        self.remaining = points
        self.granted_at = granted_at
        self.expires_at = expires_at

    def spend_key(self) -> tuple[datetime, datetime, str]:
        return (self.expires_at or _FAR, self.granted_at, self.id)

    def row(self) -> Row:
        return (
            self.id,
            self.customer_id,
            self.points,
            self.remaining,
            sql_time(self.granted_at),
            sql_time(self.expires_at),
        )


class Account:
    """One customer's caches and live lots while the demo runs."""

    __slots__ = (
        "balance",
        "birthday_years",
        "id",
        "last_visit_at",
        "lifetime_paid",
        "live",
        "referrer",
        "visits",
    )

    def __init__(self, customer_id: str, referrer: Account | None = None) -> None:
        self.id = customer_id
        self.balance = 0
        self.lifetime_paid = 0
        self.visits = 0
        self.last_visit_at: datetime | None = None
        self.live: dict[str, Lot] = {}
        self.birthday_years: set[int] = set()
        self.referrer = referrer


class Rows:
    """Rows waiting for the next bulk insert, and every lot made so far."""

    def __init__(self) -> None:
        self.entries: list[Row] = []
        self.movements: list[Row] = []
        self.lots: list[Lot] = []


class Entry:
    """What the twin needs to remember about an entry it wrote (for refunds)."""

    __slots__ = ("account", "id", "kind", "lot", "moves", "points")

    def __init__(self, entry_id: str, kind: str, points: int, account: Account) -> None:
        self.id = entry_id
        self.kind = kind
        self.points = points
        self.lot: Lot | None = None
        self.account = account
        self.moves: list[tuple[Lot, int]] = []


class DemoLedger:
    """Posts points for one account at one moment, exactly as ``Ledger`` does."""

    def __init__(
        self,
        rows: Rows,
        account: Account,
        now: datetime,
        terminal_id: str,
        new_id: Callable[[datetime], str],
    ) -> None:
        self.rows = rows
        self.account = account
        self.now = now
        self.terminal_id = terminal_id
        self.new_id = new_id
        self.now_text = sql_time(now)

    def _entry(
        self,
        kind: str,
        points: int,
        *,
        purchase_id: str | None = None,
        refund_id: str | None = None,
        lot_id: str | None = None,
        reason: str = "",
        birthday_year: int | None = None,
        program_version: int | None = None,
    ) -> Entry:
        entry = Entry(self.new_id(self.now), kind, points, self.account)
        self.rows.entries.append(
            (
                entry.id,
                self.account.id,
                kind,
                points,
                purchase_id,
                refund_id,
                lot_id,
                reason,
                birthday_year,
                program_version,
                self.terminal_id,
                None,
                self.now_text,
            )
        )
        self.account.balance += points
        return entry

    def _move(self, entry: Entry, lot: Lot, points: int) -> None:
        self.rows.movements.append((entry.id, lot.id, points))
        entry.moves.append((lot, points))
        lot.remaining += points
        if lot.remaining > 0:
            self.account.live[lot.id] = lot
        else:
            self.account.live.pop(lot.id, None)

    def grant(self, kind: str, points: int, expiry_days: int | None, **fields: Any) -> Entry | None:
        if points <= 0:
            return None
        debt = max(0, -self.account.balance)
        expires = None if expiry_days is None else self.now + timedelta(days=expiry_days)
        lot = Lot(self.new_id(self.now), self.account.id, points, self.now, expires)
        self.rows.lots.append(lot)
        entry = self._entry(kind, points, lot_id=lot.id, **fields)
        entry.lot = lot
        self.account.live[lot.id] = lot
        if debt:
            self._move(entry, lot, -min(debt, points))
        return entry

    def take(
        self, kind: str, points: int, prefer_lot: Lot | None = None, **fields: Any
    ) -> Entry | None:
        if points <= 0:
            return None
        entry = self._entry(kind, -points, **fields)
        live = self.account.live
        left = points
        if prefer_lot is not None and prefer_lot.id in live:
            first = min(prefer_lot.remaining, left)
            self._move(entry, prefer_lot, -first)
            left -= first
        if left > 0:
            for lot in sorted(
                (lot for lot in live.values() if lot.remaining > 0), key=Lot.spend_key
            ):
                if left <= 0:
                    break
                take = min(lot.remaining, left)
                self._move(entry, lot, -take)
                left -= take
        return entry

    def put_back(self, kind: str, points: int, sources: list[Entry], **fields: Any) -> None:
        if points <= 0:
            return
        debt = max(0, -self.account.balance)
        entry = self._entry(kind, points, **fields)
        to_restore = max(0, points - debt)
        if not to_restore:
            return
        taken: dict[str, int] = {}
        lots: dict[str, Lot] = {}
        for source in sources:
            for lot, moved in source.moves:
                taken[lot.id] = taken.get(lot.id, 0) - moved
                lots[lot.id] = lot
        order = sorted(
            lots.values(), key=lambda lot: (lot.expires_at or _FAR, lot.granted_at), reverse=True
        )
        for lot in order:
            if not to_restore:
                break
            amount = min(min(taken[lot.id], lot.points - lot.remaining), to_restore)
            if amount > 0:
                self._move(entry, lot, amount)
                to_restore -= amount
        if to_restore:
            lot = Lot(self.new_id(self.now), self.account.id, 0, self.now, None)
            self.rows.lots.append(lot)
            self._move(entry, lot, to_restore)
        self.expire_due()

    def expire_due(self) -> int:
        now = self.now
        due = [
            lot
            for lot in self.account.live.values()
            if lot.remaining > 0 and lot.expires_at is not None and lot.expires_at <= now
        ]
        total = 0
        for lot in sorted(due, key=Lot.spend_key):
            amount = lot.remaining
            entry = self._entry("expire", -amount, reason=f"expired {lot.expires_at:%Y-%m-%d}")
            self._move(entry, lot, -amount)
            total += amount
        return total
