"""Lots: oldest expiry spent first, expiry at the exact moment, lots that never expire last."""

from __future__ import annotations

from datetime import datetime, timedelta

from terminal.core.lots import LotView, allocate, expired, expiring_within, expiry_for, spend_order

T0 = datetime(2026, 1, 1, 12, 0)


def lot(lot_id: str, remaining: int, granted_days: int, expiry_days: int | None = 365) -> LotView:
    granted = T0 + timedelta(days=granted_days)
    return LotView(lot_id, remaining, granted, expiry_for(granted, expiry_days))


def test_expiry_for() -> None:
    assert expiry_for(T0, 365) == datetime(2027, 1, 1, 12, 0)
    assert expiry_for(T0, None) is None


def test_spend_order_oldest_expiry_first_never_expiring_last() -> None:
    lots = [lot("c", 5, 20), lot("forever", 5, 0, None), lot("a", 5, 0), lot("b", 5, 10)]
    assert [v.lot_id for v in spend_order(lots)] == ["a", "b", "c", "forever"]


def test_ties_by_grant_time_then_id() -> None:
    same = T0 + timedelta(days=365)
    lots = [
        LotView("z", 1, T0, same),
        LotView("y", 1, T0 - timedelta(days=1), same),
        LotView("x", 1, T0, same),
    ]
    assert [v.lot_id for v in spend_order(lots)] == ["y", "x", "z"]


def test_allocate_takes_from_the_oldest_lots_first() -> None:
    lots = [lot("new", 50, 30), lot("old", 30, 0), lot("empty", 0, -10)]
    assert allocate(lots, 45) == ([("old", 30), ("new", 15)], 0)
    assert allocate(lots, 30) == ([("old", 30)], 0)
    assert allocate(lots, 0) == ([], 0)


def test_allocate_reports_a_shortfall() -> None:
    assert allocate([lot("a", 10, 0)], 25) == ([("a", 10)], 15)
    assert allocate([], 5) == ([], 5)


def test_expired_at_the_exact_moment_and_not_before() -> None:
    lots = [lot("a", 10, 0), lot("b", 20, 1), lot("spent", 0, 0), lot("forever", 7, 0, None)]
    moment = T0 + timedelta(days=365)
    assert [v.lot_id for v in expired(lots, moment - timedelta(microseconds=1))] == []
    assert [v.lot_id for v in expired(lots, moment)] == ["a"]
    assert [v.lot_id for v in expired(lots, moment + timedelta(days=1))] == ["a", "b"]
    assert [v.lot_id for v in expired(lots, moment + timedelta(days=5000))] == ["a", "b"]


def test_expiring_within_a_horizon() -> None:
    lots = [lot("a", 10, 0), lot("b", 20, 20), lot("spent", 0, 5), lot("forever", 3, 0, None)]
    now = T0 + timedelta(days=350)
    assert [v.lot_id for v in expiring_within(lots, now, 30)] == ["a"]
    assert [v.lot_id for v in expiring_within(lots, now, 40)] == ["a", "b"]
    # already expired lots are not "expiring"
    assert expiring_within(lots, T0 + timedelta(days=366), 5) == []
