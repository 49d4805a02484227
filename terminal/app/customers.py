"""The customer as the counter and the desk see them: balance, tier, expiring points, visits."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from sqlmodel import Session

from terminal.app.ledger import due_points, live_lot_views
from terminal.app.lookup import (
    CustomerFacts,
    active_card,
    card_facts,
    find_customer,
    search_customers,
)
from terminal.app.results import CustomerView, ExpiringPoints, VisitLine
from terminal.app.till import Till, current_program, driver_connection
from terminal.core import lots as lotrules
from terminal.core.calendar import birthday_occurrence_near
from terminal.core.errors import QT_TRANSLATE_NOOP, CustomerNotFound, InvalidInput
from terminal.db.models import Card, Customer

EXPIRING_WITHIN_DAYS = 30
RECENT_VISITS = 5
# The most recent sales one view lists: years of a regular's visits, and a number SQLite's LIMIT
# takes (a longer one typed at the command line would overflow its 64-bit integer).
MAX_VISITS_LISTED = 10_000


def build_view(
    s: Session | sqlite3.Connection,
    customer: Customer | CustomerFacts,
    card: Card | str | None,
    now: datetime,
    visits: int = RECENT_VISITS,
) -> CustomerView:
    """Everything the counter shows for a customer, read with a few fixed, indexed queries."""
    if not 0 <= visits <= MAX_VISITS_LISTED:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors", "The number of sales to list must be between 0 and {most}."
            ),
            field="visits",
            most=MAX_VISITS_LISTED,
        )
    db = s if isinstance(s, sqlite3.Connection) else driver_connection(s)
    _version, program = current_program(db)
    lots = live_lot_views(db, customer.id)
    balance = customer.balance - due_points(lots, now)
    tier = program.tier_for(customer.lifetime_paid)
    nxt = program.next_tier(customer.lifetime_paid)
    expiring = [
        ExpiringPoints(v.remaining, v.expires_at)  # type: ignore[arg-type]
        for v in lotrules.expiring_within(lots, now, EXPIRING_WITHIN_DAYS)
    ]
    purchases = []
    if visits > 0:
        purchases = [
            VisitLine(
                sale_id=row[0],
                at=datetime.fromisoformat(row[1]),
                amount=row[2],
                paid=row[3],
                points_redeemed=row[4],
                points_earned=row[5],
                refunded_amount=row[6],
            )
            for row in db.execute(
                "SELECT id, created_at, amount, paid, points_redeemed, points_earned, "
                "refunded_amount FROM purchase WHERE customer_id = ? "
                "ORDER BY created_at DESC LIMIT ?",
                (customer.id, visits),
            )
        ]
    cards = [
        {"number": number, "status": status}
        for number, status in db.execute(
            "SELECT number, status FROM card WHERE customer_id = ? ORDER BY issued_at",
            (customer.id,),
        )
    ]
    birthday_soon = bool(
        customer.birthday
        and program.birthday_points
        and birthday_occurrence_near(customer.birthday, now.date(), program.birthday_window_days)
    )
    recognitions = []
    if customer.visits and (customer.visits + 1) % 10 == 0:
        recognitions.append(f"visit:{customer.visits + 1}")
    years = (now.date() - customer.created_at.date()).days // 365
    if years >= 1 and (now.date() - customer.created_at.date()).days % 365 <= 7:
        recognitions.append(f"anniversary:{years}")
    return CustomerView(
        customer_id=customer.id,
        name=customer.name,
        phone=customer.phone,
        email=customer.email,
        birthday=customer.birthday,
        consent=customer.consent,
        card=card.number if isinstance(card, Card) else card,
        cards=cards,
        balance=balance,
        tier=tier.name,
        next_tier=nxt.name if nxt else None,
        to_next_tier=(nxt.threshold - customer.lifetime_paid) if nxt else None,
        lifetime_paid=customer.lifetime_paid,
        visits=customer.visits,
        expiring=expiring,
        purchases=purchases,
        birthday_soon=birthday_soon,
        member_since=customer.created_at,
        recognitions=recognitions,
    )


class Customers:
    def __init__(self, till: Till) -> None:
        self.till = till

    def by_card(self, number: str) -> CustomerView:
        """The counter's scan: refuses unknown, stock, blocked and replaced cards."""
        with self.till.read_driver() as db:
            card, customer = card_facts(db, number)
            return build_view(db, customer, card, self.till.now())

    def find(self, card_or_phone: str, visits: int = RECENT_VISITS) -> CustomerView:
        with self.till.read() as s:
            customer, card = find_customer(s, card_or_phone)
            return build_view(s, customer, card, self.till.now(), visits)

    def get(self, customer_id: str, visits: int = RECENT_VISITS) -> CustomerView:
        with self.till.read() as s:
            customer = s.get(Customer, customer_id)
            if customer is None or customer.erased_at is not None:
                raise CustomerNotFound(
                    QT_TRANSLATE_NOOP("Errors", "This customer no longer exists."),
                    customer_id=customer_id,
                )
            return build_view(s, customer, active_card(s, customer.id), self.till.now(), visits)

    def search(self, text: str, limit: int = 20) -> list[CustomerView]:
        with self.till.read() as s:
            now = self.till.now()
            return [
                build_view(s, c, active_card(s, c.id), now, visits=0)
                for c in search_customers(s, text, limit)
            ]
