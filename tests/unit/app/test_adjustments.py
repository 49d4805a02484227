"""Manual point adjustments: owner only, a reason always, one ledger entry + one journal event +
one audit line in one transaction, and every refusal leaves the database as it was."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, func, select

from terminal.app.adjustments import AdjustmentRefused, PointAdjustments
from terminal.app.counter import Counter, SaleRequest
from terminal.app.desk import Desk
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.privacy import Privacy
from terminal.app.staff import StaffRoster
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import InvalidInput
from terminal.db.models import AuditLog, JournalEvent, LedgerEntry, LotMovement, PointsLot


def _counts(till) -> tuple[int, int, int]:
    with till.read() as s:
        return (
            s.exec(select(func.count()).select_from(JournalEvent)).one(),
            s.exec(select(func.count()).select_from(LedgerEntry)).one(),
            s.exec(select(func.count()).select_from(AuditLog)).one(),
        )


@pytest.fixture
def shop(till):  # type: ignore[no-untyped-def]
    roster = StaffRoster(till)
    owner = roster.set_first_owner("Olena", "2468")
    cashier = roster.add(owner.id, "Ivan", "1357")
    customer = Enrollment(till).register(CustomerForm("Iryna Koval", "0671112233"))
    return owner, cashier, customer


def test_owner_adds_points_with_a_reason(till, shop) -> None:  # type: ignore[no-untyped-def]
    owner, _cashier, customer = shop
    events_before = _counts(till)[0]
    result = PointAdjustments(till).adjust(
        owner.id, customer.customer_id, "+50", "  lost receipt,   sale of 12 May "
    )
    assert (result.balance_before, result.balance) == (100, 150)
    assert result.reason == "lost receipt, sale of 12 May"
    with till.read() as s:
        entry = s.get(LedgerEntry, result.entry_id)
        assert (entry.kind, entry.points, entry.reason, entry.created_by) == (
            "adjustment",
            50,
            "lost receipt, sale of 12 May",
            owner.id,
        )
        lot = s.get(PointsLot, entry.lot_id)
        assert lot.points == 50 and lot.expires_at is not None  # the program's expiry
        events = s.exec(
            select(JournalEvent.payload).where(JournalEvent.type == "points.adjusted")
        ).all()
        audit = s.exec(
            select(AuditLog.actor, AuditLog.details).where(AuditLog.action == "points.adjusted")
        ).all()
    assert _counts(till)[0] == events_before + 1 and len(events) == 1
    payload = json.loads(events[0])
    assert [r["id"] for r in payload["rows"]["ledger_entry"]] == [result.entry_id]
    assert len(audit) == 1 and audit[0][0] == owner.id
    assert json.loads(audit[0][1])["reason"] == "lost receipt, sale of 12 May"
    ledger = Desk(till).history(customer.customer_id).ledger
    assert (ledger[0].kind, ledger[0].points, ledger[0].reason, ledger[0].balance_after) == (
        "adjustment",
        50,
        "lost receipt, sale of 12 May",
        150,
    )
    assert Integrity(till).check().ok


def test_taking_points_uses_the_oldest_lots_first_and_never_below_zero(till, clock, shop) -> None:  # type: ignore[no-untyped-def]
    owner, _cashier, customer = shop
    clock.advance(days=10)
    Counter(till).checkout(SaleRequest(customer.card, 100_00))  # a younger lot
    with till.read() as s:
        lots = s.exec(
            select(PointsLot)
            .where(PointsLot.customer_id == customer.customer_id)
            .order_by(col(PointsLot.granted_at))
        ).all()
        welcome_lot, earn_lot = lots[0].id, lots[1].id
        total = sum(lot.remaining for lot in lots)
    taken = PointAdjustments(till).adjust(owner.id, customer.customer_id, "−30", "typo")
    assert taken.balance == total - 30
    with till.read() as s:
        moves = s.exec(select(LotMovement).where(LotMovement.entry_id == taken.entry_id)).all()
        assert [(m.lot_id, m.points) for m in moves] == [(welcome_lot, -30)]
        assert s.get(PointsLot, earn_lot).remaining == s.get(PointsLot, earn_lot).points
    before = _counts(till)
    with pytest.raises(AdjustmentRefused, match=f"has {total - 30} points"):
        PointAdjustments(till).adjust(owner.id, customer.customer_id, -(total - 29), "too much")
    assert _counts(till) == before
    emptied = PointAdjustments(till).adjust(owner.id, customer.customer_id, -(total - 30), "all")
    assert emptied.balance == 0
    assert Integrity(till).check().ok


def test_expired_points_do_not_count_towards_what_can_be_taken(till, clock, shop) -> None:  # type: ignore[no-untyped-def]
    owner, _cashier, customer = shop
    clock.advance(days=400)  # the 100 welcome points expired (365 days)
    assert PointAdjustments(till).preview(customer.customer_id, "+10").balance == 0
    with pytest.raises(AdjustmentRefused):
        PointAdjustments(till).adjust(owner.id, customer.customer_id, -1, "expired anyway")
    granted = PointAdjustments(till).adjust(owner.id, customer.customer_id, 10, "goodwill")
    assert (granted.balance_before, granted.balance) == (0, 10)


@pytest.mark.parametrize(
    ("points", "reason", "error", "words"),
    [
        ("+50", "", InvalidInput, "Write why the points change"),
        ("+50", "   ", InvalidInput, "Write why the points change"),
        ("0", "typo", InvalidInput, "Zero points changes nothing"),
        ("fifty", "typo", InvalidInput, "is not a number of points"),
        ("12.5", "typo", InvalidInput, "is not a number of points"),
        ("2010000000014", "scanned a card", InvalidInput, "too many points"),
        ("", "typo", InvalidInput, "Type how many points"),
    ],
)
def test_refusals_write_nothing(till, shop, points, reason, error, words) -> None:  # type: ignore[no-untyped-def]
    owner, _cashier, customer = shop
    before = _counts(till)
    with pytest.raises(error, match=words):
        PointAdjustments(till).adjust(owner.id, customer.customer_id, points, reason)
    assert _counts(till) == before


def test_a_cashier_cannot_adjust_points(till, shop) -> None:  # type: ignore[no-untyped-def]
    _owner, cashier, customer = shop
    before = _counts(till)
    for actor in (cashier.id, "", "someone-unknown"):
        with pytest.raises(AdjustmentRefused, match="Only the owner"):
            PointAdjustments(till).adjust(actor, customer.customer_id, "+50", "a favour")
    assert _counts(till) == before


def test_an_erased_customer_cannot_be_adjusted(till, shop) -> None:  # type: ignore[no-untyped-def]
    owner, _cashier, customer = shop
    Privacy(till).erase("0671112233", actor=owner.id)
    before = _counts(till)
    with pytest.raises(AdjustmentRefused, match="erased"):
        PointAdjustments(till).adjust(owner.id, customer.customer_id, "+5", "sorry")
    assert _counts(till) == before
