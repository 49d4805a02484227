"""The counter: price a sale for a scanned card, then commit it exactly once.

One checkout path for the GUI and the CLI: :meth:`Counter.quote` is read-only and cheap enough
to run on every keystroke; :meth:`Counter.commit` re-prices inside a ``BEGIN IMMEDIATE``
transaction on fresh data and writes the purchase, its ledger entries and its journal event
together, or nothing. The client-generated sale id makes a repeated submit (double Enter, a retry
after a crash) return the first result instead of charging twice.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlmodel import Session

from terminal.app.journal import ChangeSet, record_event, sql_value
from terminal.app.ledger import Account, Ledger, due_points, live_lot_views
from terminal.app.lookup import CustomerFacts, card_facts
from terminal.app.results import BonusLine, SaleResult
from terminal.app.till import Till, current_program, driver_connection
from terminal.core.cards import normalize_card_number
from terminal.core.checkout import (
    NONE,
    CustomerState,
    Quote,
    Redeem,
    check_amount,
    quote,
)
from terminal.core.errors import (
    QT_TRANSLATE_NOOP,
    ConflictingSaleId,
    CustomerNotFound,
    QuoteOutdated,
)
from terminal.core.ids import new_id
from terminal.core.program import Program
from terminal.db.models import Customer

log = logging.getLogger("counter")

BONUS_KINDS = ("birthday", "referral", "milestone")


@dataclass(frozen=True)
class SaleRequest:
    card: str | None  # None: a sale without a loyalty card
    amount: int
    redeem: Redeem = NONE
    category: str | None = None


@dataclass(frozen=True)
class PricedSale:
    """A quote together with the request and the program version that produced it."""

    request: SaleRequest
    quote: Quote | None
    program_version: int
    customer_id: str | None = None
    customer_name: str | None = None
    card: str | None = None
    notes: list[str] = field(default_factory=list)


def customer_state(
    session: Session | sqlite3.Connection, customer: Customer | CustomerFacts, now: datetime
) -> CustomerState:
    """What the rules need, with points that expired by ``now`` already left out."""
    db = session if isinstance(session, sqlite3.Connection) else driver_connection(session)
    lots = live_lot_views(db, customer.id)
    years = [
        year
        for (year,) in db.execute(
            "SELECT birthday_year FROM ledger_entry WHERE customer_id = ? AND kind = 'birthday'",
            (customer.id,),
        )
    ]
    return CustomerState(
        balance=customer.balance - due_points(lots, now),
        lifetime_paid=customer.lifetime_paid,
        visits=customer.visits,
        birthday=customer.birthday,
        birthday_bonus_years=frozenset(y for y in years if y is not None),
        referral_pending=customer.referrer_id is not None and customer.visits == 0,
    )


class Counter:
    def __init__(self, till: Till) -> None:
        self.till = till

    # -- read side -----------------------------------------------------------------------

    def quote(self, request: SaleRequest) -> PricedSale:
        now = self.till.now()
        with self.till.read_driver() as db:
            return self._price(db, request, now)

    def _price(
        self, s: Session | sqlite3.Connection, request: SaleRequest, now: datetime
    ) -> PricedSale:
        version, program = current_program(s)
        if request.card is None:
            check_amount(request.amount)
            return PricedSale(request, None, version)
        card, customer = card_facts(s, request.card)
        state = customer_state(s, customer, now)
        priced = quote(
            program, state, request.amount, request.redeem, now, category=request.category
        )
        return PricedSale(request, priced, version, customer.id, customer.name, card)

    # -- write side ----------------------------------------------------------------------

    def checkout(
        self, request: SaleRequest, sale_id: str | None = None, cashier: str | None = None
    ) -> SaleResult:
        """Price and commit in one go (the CLI, scripts): no earlier quote to compare with."""
        return self._commit(request, sale_id or new_id(), None, cashier)

    def commit(self, priced: PricedSale, sale_id: str, cashier: str | None = None) -> SaleResult:
        """Commit what the cashier saw; refuses if fresh data would give other figures."""
        return self._commit(priced.request, sale_id, priced, cashier)

    def _commit(
        self,
        request: SaleRequest,
        sale_id: str,
        expected: PricedSale | None,
        cashier: str | None,
    ) -> SaleResult:
        now = self.till.now()
        with self.till.write_driver() as s:
            existing = s.execute(_PURCHASE_SQL, (sale_id,)).fetchone()
            if existing is not None:
                return self._replay(s, _StoredSale(*existing), request)
            priced = self._price(s, request, now)
            if (
                expected is not None
                and expected.quote is not None
                and priced.quote is not None
                and _figures(priced.quote) != _figures(expected.quote)
            ):
                raise QuoteOutdated(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The customer's points changed since the quote (another till?). Check "
                        "the new figures and confirm again.",
                    ),
                )
            version, program = current_program(s)
            changes = ChangeSet(s)
            if priced.quote is None:
                result = self._cardless(changes, request, sale_id, version, now, cashier)
            else:
                result = self._card_sale(changes, priced, sale_id, version, program, now, cashier)
            record_event(
                s,
                self.till.terminal_id,
                "sale.committed",
                changes.payload(sale_id=sale_id),
                now,
            )
        log.info("sale %s committed", sale_id)
        return result

    def _cardless(
        self,
        changes: ChangeSet,
        request: SaleRequest,
        sale_id: str,
        version: int,
        now: datetime,
        cashier: str | None,
    ) -> SaleResult:
        changes.insert(
            "purchase",
            _purchase_row(
                id=sale_id,
                amount=request.amount,
                paid=request.amount,
                program_version=version,
                category=request.category,
                cashier_id=cashier,
                terminal_id=self.till.terminal_id,
                created_at=now,
            ),
        )
        return SaleResult(
            sale_id=sale_id,
            customer_id=None,
            card=None,
            amount=request.amount,
            discount=0,
            points_redeemed=0,
            redeemed_value=0,
            to_pay=request.amount,
            points_earned=0,
            bonuses=[],
            balance=None,
            tier=None,
            tier_up=None,
            created_at=now,
            program_version=version,
        )

    def _card_sale(
        self,
        changes: ChangeSet,
        priced: PricedSale,
        sale_id: str,
        version: int,
        program: Program,
        now: datetime,
        cashier: str | None,
    ) -> SaleResult:
        q = priced.quote
        assert q is not None and priced.customer_id is not None
        db = changes.db
        row = db.execute(
            "SELECT balance, lifetime_paid, visits, referrer_id, name FROM customer WHERE id = ?",
            (priced.customer_id,),
        ).fetchone()
        if row is None:  # pragma: no cover - card_facts checked it in this transaction
            raise CustomerNotFound(QT_TRANSLATE_NOOP("Errors", "The customer is gone."))
        customer = Account(priced.customer_id, row[0])
        referrer_id, name = row[3], row[4]
        purchase = _purchase_row(
            id=sale_id,
            customer_id=customer.id,
            card_number=priced.card,
            amount=q.amount,
            discount=q.discount,
            points_redeemed=q.points_redeemed,
            redeemed_value=q.redeemed_value,
            paid=q.to_pay,
            points_earned=q.points_earned,
            bonus_points=q.bonus_points,
            program_version=version,
            tier=q.tier,
            explanation=q.explanation,
            category=priced.request.category,
            cashier_id=cashier,
            terminal_id=self.till.terminal_id,
            created_at=now,
            balance_after=q.balance_after,
            tier_after=q.tier_after,
        )
        changes.insert("purchase", purchase)
        ledger = Ledger(changes, customer, now, self.till.terminal_id, cashier)
        ledger.expire_due()
        common = {"purchase_id": sale_id, "program_version": version}
        ledger.take("redeem", q.points_redeemed, **common)
        ledger.grant(
            "earn", q.points_earned, expiry_days=program.expiry_days, reason=q.explanation, **common
        )
        for bonus in q.bonuses:
            ledger.grant(
                bonus.kind,
                bonus.points,
                expiry_days=program.expiry_days,
                birthday_year=q.birthday_year if bonus.kind == "birthday" else None,
                reason=_bonus_reason(bonus.kind),
                **common,
            )
        if q.referrer_bonus and referrer_id:
            ref_row = db.execute(
                "SELECT balance FROM customer WHERE id = ?", (referrer_id,)
            ).fetchone()
            if ref_row is not None:
                referrer = Account(referrer_id, ref_row[0])
                Ledger(changes, referrer, now, self.till.terminal_id, cashier).grant(
                    "referral",
                    q.referrer_bonus,
                    expiry_days=program.expiry_days,
                    reason=f"Referred {name}",
                    **common,
                )
                db.execute(
                    "UPDATE customer SET balance = ? WHERE id = ?", (referrer.balance, referrer.id)
                )
        db.execute(
            "UPDATE customer SET balance = ?, lifetime_paid = lifetime_paid + ?, "
            "visits = visits + 1, last_visit_at = ? WHERE id = ?",
            (customer.balance, q.to_pay, sql_value(now), customer.id),
        )
        if customer.balance != q.balance_after:  # pragma: no cover - a broken invariant
            raise RuntimeError("ledger and quote disagree on the new balance")
        return SaleResult(
            sale_id=sale_id,
            customer_id=customer.id,
            card=priced.card,
            amount=q.amount,
            discount=q.discount,
            points_redeemed=q.points_redeemed,
            redeemed_value=q.redeemed_value,
            to_pay=q.to_pay,
            points_earned=q.points_earned,
            bonuses=[BonusLine(b.kind, b.points) for b in q.bonuses],
            balance=customer.balance,
            tier=q.tier,
            tier_up=q.tier_up,
            created_at=now,
            program_version=version,
        )

    def _replay(
        self, db: sqlite3.Connection, purchase: _StoredSale, request: SaleRequest
    ) -> SaleResult:
        same_card = request.card is None or purchase.card_number == _normalized(request.card)
        if purchase.amount != request.amount or not same_card:
            raise ConflictingSaleId(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "This sale id was already used for a different sale; nothing was charged.",
                ),
                sale_id=purchase.id,
            )
        marks = ",".join("?" * len(BONUS_KINDS))
        bonuses = [
            BonusLine(kind, points)
            for kind, points in db.execute(
                "SELECT kind, points FROM ledger_entry WHERE purchase_id = ? AND customer_id = ? "
                f"AND kind IN ({marks}) ORDER BY id",
                (purchase.id, purchase.customer_id, *BONUS_KINDS),
            )
            if points > 0
        ]
        log.info("sale %s submitted again: returning the first result", purchase.id)
        tier_up = purchase.tier_after if purchase.tier_after != purchase.tier else None
        return SaleResult(
            sale_id=purchase.id,
            customer_id=purchase.customer_id,
            card=purchase.card_number,
            amount=purchase.amount,
            discount=purchase.discount,
            points_redeemed=purchase.points_redeemed,
            redeemed_value=purchase.redeemed_value,
            to_pay=purchase.paid,
            points_earned=purchase.points_earned,
            bonuses=bonuses,
            balance=purchase.balance_after if purchase.customer_id else None,
            tier=purchase.tier or None,
            tier_up=tier_up or None,
            created_at=datetime.fromisoformat(purchase.created_at),
            program_version=purchase.program_version,
            replayed=True,
        )


class _StoredSale(NamedTuple):
    """A committed sale as a repeated submit needs it (read with ``_PURCHASE_SQL``)."""

    id: str
    customer_id: str | None
    card_number: str | None
    amount: int
    discount: int
    points_redeemed: int
    redeemed_value: int
    paid: int
    points_earned: int
    balance_after: int
    tier: str
    tier_after: str
    created_at: str
    program_version: int


_PURCHASE_SQL = (
    "SELECT id, customer_id, card_number, amount, discount, points_redeemed, redeemed_value, "
    "paid, points_earned, balance_after, tier, tier_after, created_at, program_version "
    "FROM purchase WHERE id = ?"
)


def _purchase_row(**fields: object) -> dict[str, object]:
    """A full ``purchase`` row: the model's defaults, then the given fields."""
    row: dict[str, object] = {
        "id": None,
        "customer_id": None,
        "card_number": None,
        "amount": 0,
        "discount": 0,
        "points_redeemed": 0,
        "redeemed_value": 0,
        "paid": 0,
        "points_earned": 0,
        "bonus_points": 0,
        "program_version": None,
        "tier": "",
        "explanation": "",
        "category": None,
        "cashier_id": None,
        "terminal_id": None,
        "created_at": None,
        "refunded_amount": 0,
        "balance_after": 0,
        "tier_after": "",
    }
    unknown = set(fields) - set(row)
    if unknown:
        raise TypeError(f"unknown purchase fields: {sorted(unknown)}")
    row.update(fields)
    return row


def _figures(q: Quote) -> tuple[int, ...]:
    return (
        q.amount,
        q.discount,
        q.points_redeemed,
        q.to_pay,
        q.points_earned,
        q.bonus_points,
        q.balance_after,
    )


def _normalized(card: str) -> str:
    return normalize_card_number(card)


def _bonus_reason(kind: str) -> str:
    return {
        "birthday": "Birthday bonus",
        "referral": "Referral bonus (first purchase)",
        "milestone": "Visit milestone bonus",
    }.get(kind, kind)
