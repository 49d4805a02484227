"""Posting points: the only code that changes a balance.

Invariants kept here and proven by ``check``:

* a customer's cached balance is the sum of their ledger entries;
* a lot's remainder is its points plus the lot movements recorded against it, never below zero;
* the live lots of a customer hold exactly ``max(0, balance)`` points — when a refund drives a
  balance below zero, the next grant first settles that debt and only the rest becomes spendable.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from terminal.app.journal import ChangeSet
from terminal.core import lots as lotrules
from terminal.core.ids import new_id
from terminal.db.models import Customer, LedgerEntry, LotMovement, PointsLot


def live_lots(session: Session, customer_id: str) -> list[PointsLot]:
    return list(
        session.exec(
            select(PointsLot).where(PointsLot.customer_id == customer_id, PointsLot.remaining > 0)
        ).all()
    )


def lot_views(lots: list[PointsLot]) -> list[lotrules.LotView]:
    return [lotrules.LotView(lot.id, lot.remaining, lot.granted_at, lot.expires_at) for lot in lots]


def due_to_expire(lots: list[PointsLot], now: datetime) -> int:
    """Points that have expired by ``now`` but are not written off yet."""
    return sum(v.remaining for v in lotrules.expired(lot_views(lots), now))


class Ledger:
    """Writes entries for one customer inside the caller's transaction."""

    def __init__(
        self,
        changes: ChangeSet,
        customer: Customer,
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
        self._lots: dict[str, PointsLot] | None = None

    def _live(self) -> dict[str, PointsLot]:
        if self._lots is None:
            self._lots = {lot.id: lot for lot in live_lots(self.session, self.customer.id)}
        return self._lots

    def _entry(self, kind: str, points: int, **fields: object) -> LedgerEntry:
        entry = LedgerEntry(
            id=new_id(),
            customer_id=self.customer.id,
            kind=kind,
            points=points,
            terminal_id=self.terminal_id,
            created_by=self.created_by,
            created_at=self.now,
            **fields,  # type: ignore[arg-type]
        )
        self.changes.add(entry)
        self.customer.balance += points
        return entry

    def _move(self, entry: LedgerEntry, lot: PointsLot, points: int) -> None:
        self.changes.add(LotMovement(entry_id=entry.id, lot_id=lot.id, points=points))
        lot.remaining += points
        live = self._live()
        if lot.remaining > 0:
            live[lot.id] = lot
        else:
            live.pop(lot.id, None)

    def grant(
        self, kind: str, points: int, *, expiry_days: int | None, **fields: object
    ) -> LedgerEntry | None:
        """Add points as a new lot; part of them first settles a negative balance."""
        if points <= 0:
            return None
        debt = max(0, -self.customer.balance)
        lot = PointsLot(
            id=new_id(),
            customer_id=self.customer.id,
            points=points,
            remaining=points,
            granted_at=self.now,
            expires_at=lotrules.expiry_for(self.now, expiry_days),
        )
        self.changes.add(lot)
        entry = self._entry(kind, points, lot_id=lot.id, **fields)
        self._live()[lot.id] = lot
        if debt:
            self._move(entry, lot, -min(debt, points))
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
        taken, _shortfall = lotrules.allocate(lot_views(list(live.values())), left)
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
        debt = max(0, -self.customer.balance)
        entry = self._entry(kind, points, **fields)
        to_restore = max(0, points - debt)
        if not to_restore:
            return entry
        taken: dict[str, int] = {}
        if source_entry_ids:
            for move in self.session.exec(
                select(LotMovement).where(col(LotMovement.entry_id).in_(source_entry_ids))
            ).all():
                taken[move.lot_id] = taken.get(move.lot_id, 0) - move.points
        lots = {
            lot.id: lot
            for lot in self.session.exec(
                select(PointsLot).where(col(PointsLot.id).in_(list(taken)))
            ).all()
        }
        order = sorted(
            lots.values(),
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
            lot = PointsLot(
                id=new_id(),
                customer_id=self.customer.id,
                points=0,
                remaining=0,
                granted_at=self.now,
                expires_at=None,
            )
            self.changes.add(lot)
            self._move(entry, lot, to_restore)
        self.expire_due()
        return entry

    def expire_due(self) -> int:
        """Write explicit ``expire`` entries for every lot whose day has come."""
        total = 0
        for view in lotrules.expired(lot_views(list(self._live().values())), self.now):
            lot = self._live()[view.lot_id]
            amount = lot.remaining
            entry = self._entry("expire", -amount, reason=f"expired {lot.expires_at:%Y-%m-%d}")
            self._move(entry, lot, -amount)
            total += amount
        return total
