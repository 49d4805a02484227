"""The expiry sweep: write the ``expire`` entries that have come due, for every customer.

Expired points are already left out of quotes and views the moment they expire, and the next
sale or refund of a customer writes them down. The sweep (run by the GUI at start and by
``loyalty-terminal expire``) writes them for customers who have not come back, so that reports
and the books show them in the period they expired, never silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlmodel import col, select

from terminal.app.journal import ChangeSet, record_event
from terminal.app.ledger import Ledger
from terminal.app.till import Till
from terminal.db.models import Customer, PointsLot

log = logging.getLogger("ledger")

BATCH = 500  # customers per transaction: short enough never to keep the counter waiting


@dataclass(frozen=True)
class ExpiryResult:
    customers: int  # customers whose points expired
    points: int  # points written off in total


class ExpirySweep:
    def __init__(self, till: Till) -> None:
        self.till = till

    def due_customers(self) -> list[str]:
        """Customers holding points whose expiry moment has passed."""
        now = self.till.now()
        with self.till.read() as s:
            return list(
                s.exec(
                    select(PointsLot.customer_id)
                    .where(col(PointsLot.expires_at) <= now, PointsLot.remaining > 0)
                    .distinct()
                ).all()
            )

    def run(self, cashier: str | None = None) -> ExpiryResult:
        """Write every due expiry, in batches of customers; each batch is one journal event."""
        ids = self.due_customers()
        customers = points = 0
        for start in range(0, len(ids), BATCH):
            now = self.till.now()
            with self.till.write() as s:
                changes = ChangeSet(s)
                batch_points = 0
                touched = 0
                for customer in s.exec(
                    select(Customer).where(col(Customer.id).in_(ids[start : start + BATCH]))
                ).all():
                    ledger = Ledger(changes, customer, now, self.till.terminal_id, cashier)
                    expired = ledger.expire_due()
                    if expired:
                        touched += 1
                        batch_points += expired
                if touched:
                    record_event(
                        s,
                        self.till.terminal_id,
                        "points.expired",
                        changes.payload(customers=touched, points=batch_points),
                        now,
                    )
            customers += touched
            points += batch_points
        if customers:
            log.info("expired %d points of %d customers", points, customers)
        return ExpiryResult(customers, points)
