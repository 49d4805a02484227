"""Points lots: every grant of points is a lot with an expiry date, spent oldest first.

The rules here decide *which* lots a redemption or a reversal takes from and which lots have
expired; the app layer writes the resulting ledger entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LotView:
    lot_id: str
    remaining: int
    granted_at: datetime
    expires_at: datetime | None


def expiry_for(granted_at: datetime, expiry_days: int | None) -> datetime | None:
    return None if expiry_days is None else granted_at + timedelta(days=expiry_days)


def spend_order(lots: list[LotView]) -> list[LotView]:
    """Oldest expiry first; lots that never expire last; ties by grant time, then id."""
    far = datetime.max
    return sorted(lots, key=lambda lot: (lot.expires_at or far, lot.granted_at, lot.lot_id))


def allocate(lots: list[LotView], points: int) -> tuple[list[tuple[str, int]], int]:
    """Take ``points`` from live lots in spend order; returns (lot_id, taken) and any shortfall."""
    taken: list[tuple[str, int]] = []
    left = points
    for lot in spend_order([lot for lot in lots if lot.remaining > 0]):
        if left <= 0:
            break
        take = min(lot.remaining, left)
        taken.append((lot.lot_id, take))
        left -= take
    return taken, left


def expired(lots: list[LotView], now: datetime) -> list[LotView]:
    """Lots with points left whose expiry moment has come."""
    return [
        lot
        for lot in spend_order(lots)
        if lot.remaining > 0 and lot.expires_at is not None and lot.expires_at <= now
    ]


def expiring_within(lots: list[LotView], now: datetime, days: int) -> list[LotView]:
    horizon = now + timedelta(days=days)
    return [
        lot
        for lot in spend_order(lots)
        if lot.remaining > 0 and lot.expires_at is not None and now < lot.expires_at <= horizon
    ]
