"""Posting points: the only code that changes a balance.

Invariants kept here and proven by ``check``:

* a customer's cached balance is the sum of their ledger entries;
* a lot's remainder is its points plus the lot movements recorded against it, never below zero;
* the live lots of a customer hold exactly ``max(0, balance)`` points — when a refund drives a
  balance below zero, the next grant first settles that debt and only the rest becomes spendable.

Sync can break the last two for a while (docs/sync.md, "Conflicts"): points spent on two tills
offline leave a lot below zero, and a debt one till made is not known to another that gives
points. Every grant and every refund's points therefore settle against all the lots, not only
against the balance: what the lots hold beyond the balance is not given again, and lots below
zero are filled from the live ones, so the next change of points brings lots and balance
together again on every till (the movements are facts the other tills apply as they are).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from terminal.app.journal import ChangeSet
from terminal.app.till import driver_connection
from terminal.core import lots as lotrules
from terminal.core.ids import new_id
from terminal.db.models import Customer, LedgerEntry, PointsLot


def live_lots(session: Session, customer_id: str) -> list[PointsLot]:
    return list(
        session.exec(
            select(PointsLot).where(PointsLot.customer_id == customer_id, PointsLot.remaining > 0)
        ).all()
    )


def live_lot_views(
    session: Session | sqlite3.Connection, customer_id: str
) -> list[lotrules.LotView]:
    """The live lots of a customer for reading (views, quotes), straight from the driver."""
    db = session if isinstance(session, sqlite3.Connection) else driver_connection(session)
    rows = db.execute(
        "SELECT id, remaining, granted_at, expires_at FROM points_lot "
        "WHERE customer_id = ? AND remaining > 0",
        (customer_id,),
    )
    return [
        lotrules.LotView(
            lot_id,
            remaining,
            datetime.fromisoformat(granted),
            datetime.fromisoformat(expires) if expires else None,
        )
        for lot_id, remaining, granted, expires in rows
    ]


def due_points(views: list[lotrules.LotView], now: datetime) -> int:
    """Points of these lots that have expired by ``now`` but are not written off yet."""
    return sum(v.remaining for v in lotrules.expired(views, now))


def lot_views(lots: list[PointsLot]) -> list[lotrules.LotView]:
    return [lotrules.LotView(lot.id, lot.remaining, lot.granted_at, lot.expires_at) for lot in lots]


def due_to_expire(lots: list[PointsLot], now: datetime) -> int:
    """Points that have expired by ``now`` but are not written off yet."""
    return sum(v.remaining for v in lotrules.expired(lot_views(lots), now))


@dataclass
class Account:
    """A customer's id and cached balance, for posting without loading the ORM object.

    The counter's sale path uses it and writes the customer's caches itself with one UPDATE;
    other use cases pass the ORM :class:`Customer`, which has the same two attributes.
    """

    id: str
    balance: int


class _Lot:
    """A lot as the ledger tracks it inside one transaction (its row is updated on every move)."""

    __slots__ = ("expires_at", "granted_at", "id", "points", "remaining")

    def __init__(
        self,
        lot_id: str,
        points: int,
        remaining: int,
        granted_at: datetime,
        expires_at: datetime | None,
    ) -> None:
        self.id = lot_id
        self.points = points
        self.remaining = remaining
        self.granted_at = granted_at
        self.expires_at = expires_at

    def view(self) -> lotrules.LotView:
        return lotrules.LotView(self.id, self.remaining, self.granted_at, self.expires_at)


_LOT_COLUMNS = "id, points, remaining, granted_at, expires_at"


def _lot(row: tuple) -> _Lot:
    return _Lot(
        row[0],
        row[1],
        row[2],
        datetime.fromisoformat(row[3]),
        datetime.fromisoformat(row[4]) if row[4] else None,
    )


class Ledger:
    """Writes entries for one customer inside the caller's transaction.

    Rows are written with plain SQL on the session's connection as they are made (a sale writes
    several, and the ORM's unit of work costs more than the inserts); the customer's cached
    balance is kept on the ORM object the caller holds, so it is saved with the transaction.
    """

    def __init__(
        self,
        changes: ChangeSet,
        customer: Customer | Account,
        now: datetime,
        terminal_id: str,
        created_by: str | None = None,
    ) -> None:
        self.changes = changes
        self.session = changes.session
        self.customer = customer
        self.now = now
        self.terminal_id = terminal_id
        self.created_by = created_by
        self._lots: dict[str, _Lot] | None = None  # live lots
        self._known: dict[str, _Lot] = {}  # every lot loaded or made, live or not
        self._short: list[_Lot] | None = None  # lots that were below zero when first looked at

    @property
    def _db(self) -> sqlite3.Connection:
        return self.changes.db

    def _live(self) -> dict[str, _Lot]:
        if self._lots is None:
            rows = self._db.execute(
                f"SELECT {_LOT_COLUMNS} FROM points_lot WHERE customer_id = ? AND remaining > 0",
                (self.customer.id,),
            )
            self._lots = {}
            for row in rows:
                lot = self._known.setdefault(row[0], _lot(row))
                self._lots[lot.id] = lot
        return self._lots

    def _entry(self, kind: str, points: int, **fields: object) -> LedgerEntry:
        values: dict[str, object] = {
            "id": new_id(),
            "customer_id": self.customer.id,
            "kind": kind,
            "points": points,
            "purchase_id": None,
            "refund_id": None,
            "lot_id": None,
            "reason": "",
            "birthday_year": None,
            "program_version": None,
            "terminal_id": self.terminal_id,
            "created_by": self.created_by,
            "created_at": self.now,
        }
        unknown = set(fields) - set(values)
        if unknown:
            raise TypeError(f"unknown ledger entry fields: {sorted(unknown)}")
        values.update(fields)
        self.changes.insert("ledger_entry", values)
        self.customer.balance += points
        return LedgerEntry.model_construct(**values)

    def _move(self, entry: LedgerEntry, lot: _Lot, points: int) -> None:
        self.changes.insert(
            "lot_movement", {"id": None, "entry_id": entry.id, "lot_id": lot.id, "points": points}
        )
        lot.remaining += points
        self._db.execute(
            "UPDATE points_lot SET remaining = ? WHERE id = ?", (lot.remaining, lot.id)
        )
        live = self._live()
        if lot.remaining > 0:
            live[lot.id] = lot
        else:
            live.pop(lot.id, None)

    def _below_zero(self) -> list[_Lot]:
        """Lots spent on two tills offline (an index seek that finds nothing on a single till),
        read once per customer: later moves in this transaction update the same objects."""
        if self._short is None:
            rows = self._db.execute(
                f"SELECT {_LOT_COLUMNS} FROM points_lot WHERE customer_id = ? AND remaining < 0 "
                "ORDER BY granted_at, id",
                (self.customer.id,),
            )
            self._short = [self._known.setdefault(row[0], _lot(row)) for row in rows]
        return [lot for lot in self._short if lot.remaining < 0]

    def _unbacked(self, below_zero: list[_Lot]) -> int:
        """Points the lots hold beyond the balance: a debt that points given must pay first.

        On one till it is ``max(0, -balance)`` (a refund took back points already spent). After
        sync it also holds a debt another till made while this one gave points whole; lots
        below zero count against it, as the balance already went down with them.
        """
        held = sum(lot.remaining for lot in self._live().values())
        held += sum(lot.remaining for lot in below_zero)
        return max(0, held - self.customer.balance)

    def _fill_below_zero(self, entry: LedgerEntry, below_zero: list[_Lot]) -> None:
        """Move live points into the lots below zero (soonest to expire first), so the points
        the customer can spend, and that will expire, are what the balance says."""
        short = [lot for lot in below_zero if lot.remaining < 0]  # a refund may have filled some
        need = -sum(lot.remaining for lot in short)
        if not need:
            return
        live = self._live()
        taken, _left = lotrules.allocate([lot.view() for lot in live.values()], need)
        for lot_id, amount in taken:
            self._move(entry, live[lot_id], -amount)
            for target in short:
                fill = min(amount, -target.remaining)
                if fill > 0:
                    self._move(entry, target, fill)
                    amount -= fill

    def _new_lot(self, points: int, expires_at: datetime | None) -> _Lot:
        lot = _Lot(new_id(), points, points, self.now, expires_at)
        self.changes.insert(
            "points_lot",
            {
                "id": lot.id,
                "customer_id": self.customer.id,
                "points": points,
                "remaining": points,
                "granted_at": self.now,
                "expires_at": expires_at,
            },
        )
        self._known[lot.id] = lot
        return lot

    def grant(
        self, kind: str, points: int, *, expiry_days: int | None, **fields: object
    ) -> LedgerEntry | None:
        """Add points as a new lot; part of them first settles a negative balance."""
        if points <= 0:
            return None
        below_zero = self._below_zero()
        debt = self._unbacked(below_zero)
        lot = self._new_lot(points, lotrules.expiry_for(self.now, expiry_days))
        entry = self._entry(kind, points, lot_id=lot.id, **fields)
        self._live()[lot.id] = lot
        if debt:
            self._move(entry, lot, -min(debt, points))
        self._fill_below_zero(entry, below_zero)
        return entry

    def take(
        self, kind: str, points: int, *, prefer_lot: str | None = None, **fields: object
    ) -> LedgerEntry | None:
        """Remove points, oldest lots first (or a named lot first); a shortfall goes negative."""
        if points <= 0:
            return None
        entry = self._entry(kind, -points, **fields)
        live = self._live()
        left = points
        if prefer_lot and prefer_lot in live:
            lot = live[prefer_lot]
            first = min(lot.remaining, left)
            self._move(entry, lot, -first)
            left -= first
        taken, _shortfall = lotrules.allocate([lot.view() for lot in live.values()], left)
        for lot_id, amount in taken:
            self._move(entry, live[lot_id], -amount)
        return entry

    def put_back(
        self, kind: str, points: int, source_entry_ids: list[str], **fields: object
    ) -> LedgerEntry | None:
        """Return points to the lots they were taken from (latest expiry first).

        Returned points that land in a lot already past its expiry are written off at once, so
        a refund never brings old points back to life.
        """
        if points <= 0:
            return None
        below_zero = self._below_zero()
        debt = self._unbacked(below_zero)
        entry = self._entry(kind, points, **fields)
        to_restore = max(0, points - debt)
        if not to_restore:
            self._fill_below_zero(entry, below_zero)
            return entry
        taken: dict[str, int] = {}
        if source_entry_ids:
            marks = ",".join("?" * len(source_entry_ids))
            for lot_id, moved in self._db.execute(
                f"SELECT lot_id, points FROM lot_movement WHERE entry_id IN ({marks})",
                source_entry_ids,
            ):
                taken[lot_id] = taken.get(lot_id, 0) - moved
        missing = [lot_id for lot_id in taken if lot_id not in self._known]
        if missing:
            marks = ",".join("?" * len(missing))
            for row in self._db.execute(
                f"SELECT {_LOT_COLUMNS} FROM points_lot WHERE id IN ({marks})", missing
            ):
                self._known[row[0]] = _lot(row)
        order = sorted(
            (self._known[lot_id] for lot_id in taken if lot_id in self._known),
            key=lambda lot: (lot.expires_at or datetime.max, lot.granted_at),
            reverse=True,
        )
        for lot in order:
            if not to_restore:
                break
            room = min(taken[lot.id], lot.points - lot.remaining)
            amount = min(room, to_restore)
            if amount > 0:
                self._move(entry, lot, amount)
                to_restore -= amount
        if to_restore:  # nothing to put it back into (lots gone): a fresh lot keeps the value
            lot = self._new_lot(0, None)
            self._move(entry, lot, to_restore)
        self._fill_below_zero(entry, below_zero)
        self.expire_due()
        return entry

    def expire_due(self) -> int:
        """Write explicit ``expire`` entries for every lot whose day has come."""
        total = 0
        live = self._live()
        for view in lotrules.expired([lot.view() for lot in live.values()], self.now):
            lot = live[view.lot_id]
            amount = lot.remaining
            entry = self._entry("expire", -amount, reason=f"expired {lot.expires_at:%Y-%m-%d}")
            self._move(entry, lot, -amount)
            total += amount
        return total
