"""The customer desk: a customer's whole story (sales, refunds, every points movement with its
reason), correcting their details, and previewing a refund before it is made.

The desk shows what the counter cannot: every ledger entry with the reason it was written, so a
cashier can answer "where did my points go?" on the spot. Edits are validated by the same
``core.customer_form`` as registration and journaled as ``customer.updated`` field updates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from terminal.app.customers import Customers
from terminal.app.enrollment import customer_with_phone
from terminal.app.journal import ChangeSet, record_event
from terminal.app.lookup import name_key
from terminal.app.results import CustomerView
from terminal.app.settings import get_setting
from terminal.app.staff import staff_names
from terminal.app.till import Till
from terminal.core.customer_form import CustomerForm, clean
from terminal.core.errors import (
    QT_TRANSLATE_NOOP,
    CustomerNotFound,
    DuplicateCustomer,
    SaleNotFound,
)
from terminal.core.refunds import RefundFigures, SaleFigures, split_refund
from terminal.db.models import Customer, LedgerEntry, Purchase, Refund

log = logging.getLogger("desk")


@dataclass(frozen=True)
class SaleLine:
    sale_id: str
    at: datetime
    card: str | None
    amount: int
    discount: int
    redeemed_value: int
    paid: int
    points_redeemed: int
    points_earned: int
    bonus_points: int
    refunded_amount: int
    cashier: str = ""  # who was at the till (a name; empty when nobody signed in)

    @property
    def refundable(self) -> int:
        return self.amount - self.refunded_amount


@dataclass(frozen=True)
class RefundLine:
    refund_id: str
    sale_id: str
    at: datetime
    amount: int
    money_returned: int
    points_returned: int
    points_reversed: int


@dataclass(frozen=True)
class LedgerLine:
    at: datetime
    kind: str
    points: int
    reason: str
    sale_id: str | None
    balance_after: int  # running balance, oldest first, as the customer saw it
    by: str = ""  # the cashier or owner who wrote it (a name; empty for the program's own)


@dataclass(frozen=True)
class CustomerHistory:
    customer: CustomerView
    sales: list[SaleLine]  # newest first
    refunds: list[RefundLine]  # newest first
    ledger: list[LedgerLine]  # newest first


@dataclass(frozen=True)
class RefundPreview:
    """What a refund of ``amount`` would do, shown before the cashier confirms it."""

    sale_id: str
    refundable: int
    figures: RefundFigures


class Desk:
    def __init__(self, till: Till) -> None:
        self.till = till

    def history(self, customer_id: str) -> CustomerHistory:
        view = Customers(self.till).get(customer_id, visits=0)
        with self.till.read() as s:
            names = staff_names(s)
            sales = [
                SaleLine(
                    sale_id=p.id,
                    at=p.created_at,
                    card=p.card_number,
                    amount=p.amount,
                    discount=p.discount,
                    redeemed_value=p.redeemed_value,
                    paid=p.paid,
                    points_redeemed=p.points_redeemed,
                    points_earned=p.points_earned,
                    bonus_points=p.bonus_points,
                    refunded_amount=p.refunded_amount,
                    cashier=names.get(p.cashier_id or "", ""),
                )
                for p in s.exec(
                    select(Purchase)
                    .where(Purchase.customer_id == customer_id)
                    .order_by(col(Purchase.created_at).desc(), col(Purchase.id).desc())
                ).all()
            ]
            refunds = [
                RefundLine(
                    refund_id=r.id,
                    sale_id=r.purchase_id,
                    at=r.created_at,
                    amount=r.amount,
                    money_returned=r.money_returned,
                    points_returned=r.points_returned,
                    points_reversed=r.points_reversed,
                )
                for r in s.exec(
                    select(Refund)
                    .join(Purchase, col(Purchase.id) == col(Refund.purchase_id))
                    .where(Purchase.customer_id == customer_id)
                    .order_by(col(Refund.created_at).desc())
                ).all()
            ]
            entries = s.exec(
                select(LedgerEntry)
                .where(LedgerEntry.customer_id == customer_id)
                .order_by(col(LedgerEntry.created_at), col(LedgerEntry.id))
            ).all()
            running = 0
            ledger: list[LedgerLine] = []
            for e in entries:
                running += e.points
                ledger.append(
                    LedgerLine(
                        e.created_at,
                        e.kind,
                        e.points,
                        e.reason,
                        e.purchase_id,
                        running,
                        by=names.get(e.created_by or "", ""),
                    )
                )
        ledger.reverse()
        return CustomerHistory(view, sales, refunds, ledger)

    def edit(
        self, customer_id: str, form: CustomerForm, *, cashier: str | None = None
    ) -> CustomerView:
        """Correct a customer's details; the phone stays unique among customers."""
        now = self.till.now()
        with self.till.write() as s:
            customer = s.get(Customer, customer_id)
            if customer is None or customer.erased_at is not None:
                raise CustomerNotFound(
                    QT_TRANSLATE_NOOP("Errors", "This customer no longer exists."),
                    customer_id=customer_id,
                )
            data = clean(form, now.date(), get_setting(s, "phone_region"))
            if data.phone and data.phone != customer.phone:
                other = customer_with_phone(s, data.phone)
                if other is not None and other.id != customer.id:
                    raise DuplicateCustomer(
                        QT_TRANSLATE_NOOP("Errors", "{name} already has the phone number {phone}."),
                        customer_id=other.id,
                        name=other.name,
                        phone=data.phone,
                    )
            wanted = {
                "name": data.name,
                "name_key": name_key(data.name),
                "phone": data.phone,
                "email": data.email,
                "birthday": data.birthday,
                "consent": data.consent,
            }
            if data.consent != customer.consent:
                wanted["consent_at"] = now if data.consent else None
            changed = {k: v for k, v in wanted.items() if getattr(customer, k) != v}
            if changed:
                for key, value in changed.items():
                    setattr(customer, key, value)
                changes = ChangeSet(s)
                changes.update("customer", customer.id, changed)
                record_event(
                    s,
                    self.till.terminal_id,
                    "customer.updated",
                    changes.payload(customer_id=customer.id, cashier=cashier),
                    now,
                )
                log.info("customer %s updated: %s", customer.id, ", ".join(sorted(changed)))
        return Customers(self.till).get(customer_id)

    def refund_preview(self, sale_id: str, amount: int | None) -> RefundPreview:
        """The money and points a refund would move, without writing anything."""
        with self.till.read() as s:
            p = s.get(Purchase, sale_id)
            if p is None:
                raise SaleNotFound(
                    QT_TRANSLATE_NOOP("Errors", "No sale with the id {sale_id}."), sale_id=sale_id
                )
            figures = split_refund(
                SaleFigures(p.amount, p.paid, p.points_redeemed, p.points_earned, p.bonus_points),
                p.refunded_amount,
                amount,
            )
            return RefundPreview(sale_id, p.amount - p.refunded_amount, figures)
