"""Manual point adjustments by the owner, always with a reason.

One transaction writes the ``adjustment`` ledger entry (through :class:`Ledger`, the only code that
changes a balance), its journal event ``points.adjusted`` (facts: the entry, the lot a grant
creates, the lot movements a take records — another till replays them and recomputes the same
balance) and one ``audit_log`` line naming the owner.

Rules, decided here and shown to the owner in plain words:

* Only an active owner may adjust (the UI asks for the owner PIN; the CLI takes it with --pin).
* Adding points makes a new lot with the program's expiry, exactly like earned points; when the
  balance is below zero (a refund took back points already spent) the grant settles that first.
* Taking points removes them from the oldest lots first, like a redemption, and may not take
  more than the customer has: a correction never invents a debt. Points already expired are
  written off first, so the limit is what the customer could spend today.
* An erased customer (privacy request) cannot be adjusted: there is nobody to give points to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from terminal.app.journal import ChangeSet, record_event
from terminal.app.ledger import Ledger, due_points, live_lot_views
from terminal.app.staff import write_audit
from terminal.app.till import Till, current_program, driver_connection
from terminal.core.adjustments import check_point_change, clean_reason, parse_point_change
from terminal.core.errors import QT_TRANSLATE_NOOP, CustomerNotFound, LoyaltyError
from terminal.db.models import Customer, Staff

log = logging.getLogger("adjustments")


class AdjustmentRefused(LoyaltyError):
    """The adjustment breaks a rule (not the owner, more points taken than the customer has)."""

    code = "adjustment_refused"


@dataclass(frozen=True)
class AdjustmentPreview:
    """What an adjustment would do, shown in the form before the owner confirms."""

    customer_id: str
    name: str
    balance: int  # spendable now: points already expired are left out
    points: int
    new_balance: int


@dataclass(frozen=True)
class AdjustmentResult:
    entry_id: str
    customer_id: str
    name: str
    points: int
    reason: str
    balance_before: int
    balance: int
    actor_id: str
    created_at: datetime


def _points(points: int | str) -> int:
    return parse_point_change(points) if isinstance(points, str) else check_point_change(points)


def _refuse_overdraw(name: str, balance: int, points: int) -> None:
    if points < 0 and balance + points < 0:
        raise AdjustmentRefused(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{name} has {balance} points: an adjustment can take at most that many, never "
                "more.",
            ),
            name=name,
            balance=max(0, balance),
        )


class PointAdjustments:
    def __init__(self, till: Till) -> None:
        self.till = till

    def spendable(self, customer_id: str) -> int:
        """The balance an adjustment starts from: points already expired are left out."""
        now = self.till.now()
        with self.till.read() as s:
            customer = _live_customer(s.get(Customer, customer_id), customer_id)
            return customer.balance - due_points(
                live_lot_views(driver_connection(s), customer.id), now
            )

    def preview(self, customer_id: str, points: int | str) -> AdjustmentPreview:
        """The balance now and after the change; refuses what :meth:`adjust` would refuse."""
        change = _points(points)
        now = self.till.now()
        with self.till.read() as s:
            customer = _live_customer(s.get(Customer, customer_id), customer_id)
            balance = customer.balance - due_points(
                live_lot_views(driver_connection(s), customer.id), now
            )
            _refuse_overdraw(customer.name, balance, change)
            return AdjustmentPreview(customer.id, customer.name, balance, change, balance + change)

    def adjust(
        self, actor_id: str, customer_id: str, points: int | str, reason: str
    ) -> AdjustmentResult:
        """Add (points > 0) or take away (points < 0) points, with the owner's reason."""
        change = _points(points)
        why = clean_reason(reason)
        now = self.till.now()
        with self.till.write() as s:
            actor = s.get(Staff, actor_id) if actor_id else None
            if actor is None or not actor.active or actor.role != "owner":
                raise AdjustmentRefused(
                    QT_TRANSLATE_NOOP("Errors", "Only the owner can adjust points.")
                )
            customer = _live_customer(s.get(Customer, customer_id), customer_id)
            version, program = current_program(s)
            changes = ChangeSet(s)
            ledger = Ledger(changes, customer, now, self.till.terminal_id, actor_id)
            ledger.expire_due()
            before = customer.balance
            _refuse_overdraw(customer.name, before, change)
            if change > 0:
                entry = ledger.grant(
                    "adjustment",
                    change,
                    expiry_days=program.expiry_days,
                    reason=why,
                    program_version=version,
                )
            else:
                entry = ledger.take("adjustment", -change, reason=why)
            assert entry is not None  # change is never zero
            s.add(customer)
            write_audit(
                s,
                now,
                actor_id,
                "points.adjusted",
                customer_id=customer.id,
                points=change,
                reason=why,
                balance=customer.balance,
            )
            record_event(
                s,
                self.till.terminal_id,
                "points.adjusted",
                changes.payload(customer_id=customer.id, points=change, actor=actor_id),
                now,
            )
            result = AdjustmentResult(
                entry_id=entry.id,
                customer_id=customer.id,
                name=customer.name,
                points=change,
                reason=why,
                balance_before=before,
                balance=customer.balance,
                actor_id=actor_id,
                created_at=now,
            )
        log.info("points adjusted for %s: %+d", customer_id, change)
        return result


def _live_customer(customer: Customer | None, customer_id: str) -> Customer:
    if customer is None:
        raise CustomerNotFound(
            QT_TRANSLATE_NOOP("Errors", "This customer no longer exists."),
            customer_id=customer_id,
        )
    if customer.erased_at is not None:
        raise AdjustmentRefused(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This customer's data was erased on request: their points stay as they are.",
            ),
            customer_id=customer_id,
        )
    return customer
