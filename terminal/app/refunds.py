"""Refunds: money back, redeemed points back, earned points taken back — proportionally.

The split is cumulative (see :mod:`terminal.core.refunds`), so any sequence of part refunds ends
exactly where one full refund ends. Taking back earned points may drive a balance below zero;
that is shown to the cashier and blocks redemption, rather than inventing points.
"""

from __future__ import annotations

import logging

from sqlmodel import col, select

from terminal.app.journal import ChangeSet, record_event
from terminal.app.ledger import Ledger
from terminal.app.results import RefundResult
from terminal.app.till import Till
from terminal.core.errors import QT_TRANSLATE_NOOP, ConflictingSaleId, RefundRefused, SaleNotFound
from terminal.core.ids import new_id
from terminal.core.refunds import SaleFigures, split_refund
from terminal.db.models import Customer, LedgerEntry, Purchase, Refund

log = logging.getLogger("counter")

SALE_BONUS_KINDS = ("birthday", "referral", "milestone")


class Refunds:
    def __init__(self, till: Till) -> None:
        self.till = till

    def refund(
        self,
        sale_id: str,
        amount: int | None = None,
        refund_id: str | None = None,
        cashier: str | None = None,
    ) -> RefundResult:
        """Refund ``amount`` of a sale's check (None: everything not yet refunded)."""
        now = self.till.now()
        refund_id = refund_id or new_id()
        with self.till.write() as s:
            existing = s.get(Refund, refund_id)
            if existing is not None:
                if existing.purchase_id != sale_id or (
                    amount is not None and amount != existing.amount
                ):
                    raise ConflictingSaleId(
                        QT_TRANSLATE_NOOP(
                            "Errors", "This refund id was already used for another refund."
                        )
                    )
                customer_id = s.get(Purchase, sale_id).customer_id  # type: ignore[union-attr]
                balance = s.get(Customer, customer_id).balance if customer_id else None  # type: ignore[union-attr]
                return _result(existing, balance, replayed=True)
            purchase = s.get(Purchase, sale_id)
            if purchase is None:
                raise SaleNotFound(
                    QT_TRANSLATE_NOOP("Errors", "No sale with the id {sale_id}."), sale_id=sale_id
                )
            figures = split_refund(
                SaleFigures(
                    amount=purchase.amount,
                    to_pay=purchase.paid,
                    points_redeemed=purchase.points_redeemed,
                    points_earned=purchase.points_earned,
                    bonus_points=purchase.bonus_points,
                ),
                purchase.refunded_amount,
                amount,
            )
            changes = ChangeSet(s)
            refund = Refund(
                id=refund_id,
                purchase_id=sale_id,
                amount=figures.amount,
                money_returned=figures.money_returned,
                points_returned=figures.points_returned,
                points_reversed=figures.points_reversed,
                cashier_id=cashier,
                terminal_id=self.till.terminal_id,
                created_at=now,
            )
            changes.add(refund)
            purchase.refunded_amount += figures.amount
            balance = None
            if purchase.customer_id is not None:
                customer = s.get(Customer, purchase.customer_id)
                if customer is None:  # pragma: no cover
                    raise RefundRefused(QT_TRANSLATE_NOOP("Errors", "The sale's customer is gone."))
                balance = self._reverse_points(changes, purchase, refund, customer, figures)
            record_event(
                s,
                self.till.terminal_id,
                "refund.committed",
                changes.payload(sale_id=sale_id, refund_id=refund_id),
                now,
            )
        log.info("refund %s of sale %s committed", refund_id, sale_id)
        return _result(refund, balance)

    def _reverse_points(
        self,
        changes: ChangeSet,
        purchase: Purchase,
        refund: Refund,
        customer: Customer,
        figures: object,
    ) -> int:
        s = changes.session
        now = self.till.now()
        entries = s.exec(select(LedgerEntry).where(LedgerEntry.purchase_id == purchase.id)).all()
        ledger = Ledger(changes, customer, now, self.till.terminal_id, refund.cashier_id)
        ledger.expire_due()
        common = {"purchase_id": purchase.id, "refund_id": refund.id}
        redeem_ids = [e.id for e in entries if e.kind == "redeem" and e.customer_id == customer.id]
        ledger.put_back("refund_return", refund.points_returned, redeem_ids, **common)
        earn_lot = next(
            (e.lot_id for e in entries if e.kind == "earn" and e.customer_id == customer.id), None
        )
        ledger.take("refund_reversal", refund.points_reversed, prefer_lot=earn_lot, **common)
        if getattr(figures, "bonus_reversed", False):
            for entry in entries:
                if entry.kind not in SALE_BONUS_KINDS or entry.points <= 0:
                    continue
                owner = customer
                owner_ledger = ledger
                if entry.customer_id != customer.id:
                    other = s.get(Customer, entry.customer_id)
                    if other is None:  # pragma: no cover
                        continue
                    owner = other
                    owner_ledger = Ledger(changes, owner, now, self.till.terminal_id)
                owner_ledger.take(
                    "bonus_reversal",
                    entry.points,
                    prefer_lot=entry.lot_id,
                    reason=f"{entry.kind} bonus taken back: sale refunded in full",
                    **common,
                )
                refund.bonus_reversed += entry.points if owner is customer else 0
        customer.lifetime_paid -= refund.money_returned
        return customer.balance


def refunds_of(session: object, sale_id: str) -> list[Refund]:
    return list(
        session.exec(  # type: ignore[attr-defined]
            select(Refund).where(Refund.purchase_id == sale_id).order_by(col(Refund.created_at))
        ).all()
    )


def _result(refund: Refund, balance: int | None, replayed: bool = False) -> RefundResult:
    return RefundResult(
        refund_id=refund.id,
        sale_id=refund.purchase_id,
        amount=refund.amount,
        money_returned=refund.money_returned,
        points_returned=refund.points_returned,
        points_reversed=refund.points_reversed,
        bonus_reversed=refund.bonus_reversed,
        balance=balance,
        replayed=replayed,
    )
