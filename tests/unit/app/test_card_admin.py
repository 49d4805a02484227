"""Blocking, unblocking and replacing cards: balance follows the customer, all journaled."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from terminal.app.card_admin import CardAdmin
from terminal.app.card_stock import CardStock
from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.core.cards import make_card_number
from terminal.core.checkout import MAX
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import CardBlocked, CardNotFound, CardUnavailable
from terminal.core.ids import new_id
from terminal.db.models import AuditLog, Card, JournalEvent


def _customer(till, name="Olena Shevchenko", phone="0671234567"):
    return Enrollment(till).register(CustomerForm(name, phone))


def test_block_refuses_the_card_at_the_counter_and_unblock_restores_it(till) -> None:
    who = _customer(till)
    changed = CardAdmin(till).block(who.card, "lost on the bus", cashier="anna")
    assert changed.status == "blocked" and changed.reason == "lost on the bus"
    with pytest.raises(CardBlocked, match="lost on the bus"):
        Customers(till).by_card(who.card)
    with pytest.raises(CardBlocked):
        Counter(till).quote(SaleRequest(who.card, 10000))
    CardAdmin(till).unblock(who.card)
    assert Customers(till).by_card(who.card).name == "Olena Shevchenko"
    with till.read() as s:
        kinds = list(s.exec(select(JournalEvent.type).order_by(JournalEvent.seq)).all())
        audit = [
            (a.action, a.actor, json.loads(a.details))
            for a in s.exec(select(AuditLog).order_by(AuditLog.id)).all()
        ]
    assert kinds[-2:] == ["card.blocked", "card.unblocked"]
    assert [a[0] for a in audit] == ["card.blocked", "card.unblocked"]
    assert audit[0][1] == "anna" and audit[0][2]["reason"] == "lost on the bus"


def test_blocking_twice_or_an_unknown_card_says_so_and_writes_nothing(till) -> None:
    who = _customer(till)
    CardAdmin(till).block(who.card)
    with till.read() as s:
        events = len(s.exec(select(JournalEvent)).all())
    with pytest.raises(CardUnavailable, match="already blocked"):
        CardAdmin(till).block(who.card)
    with pytest.raises(CardNotFound):
        CardAdmin(till).block(make_card_number(7, 4242))
    with till.read() as s:
        assert len(s.exec(select(JournalEvent)).all()) == events


def test_replacing_a_lost_card_keeps_balance_and_history(till) -> None:
    who = _customer(till)
    sale = Counter(till).checkout(SaleRequest(who.card, 50000), new_id())
    before = Customers(till).by_card(who.card)
    replaced = CardAdmin(till).replace(who.card, cashier="anna")
    assert replaced.issued_new_number and replaced.new_card != who.card
    assert replaced.balance == before.balance
    after = Customers(till).by_card(replaced.new_card)
    assert after.customer_id == who.customer_id
    assert after.balance == before.balance and after.balance > 0
    assert [p.sale_id for p in after.purchases] == [sale.sale_id]
    with pytest.raises(CardBlocked, match="replaced"):
        Customers(till).by_card(who.card)
    # the new card spends the old points
    spent = Counter(till).checkout(SaleRequest(replaced.new_card, 100000, MAX), new_id())
    assert spent.points_redeemed == before.balance
    with till.read() as s:
        assert s.get(Card, who.card).status == "replaced"
        payload = json.loads(
            s.exec(select(JournalEvent.payload).where(JournalEvent.type == "card.replaced")).one()
        )
    assert payload["rows"]["card"][0]["number"] == replaced.new_card
    assert payload["summary"]["old_card"] == who.card


def test_replacing_with_a_pre_printed_card_assigns_it(till) -> None:
    who = _customer(till)
    stock = CardStock(till).reserve(2).numbers
    replaced = CardAdmin(till).replace(who.card, stock[0])
    assert replaced.new_card == stock[0] and not replaced.issued_new_number
    assert Customers(till).by_card(stock[0]).customer_id == who.customer_id
    other = _customer(till, "Petro Bondar", "0501112233")
    with pytest.raises(CardUnavailable):
        CardAdmin(till).replace(other.card, stock[0])  # already someone's card
    with pytest.raises(CardUnavailable, match="already replaced"):
        CardAdmin(till).replace(who.card)
    with pytest.raises(CardUnavailable, match="never given"):
        CardAdmin(till).replace(stock[1])


def test_a_blocked_lost_card_can_still_be_replaced(till) -> None:
    who = _customer(till)
    CardAdmin(till).block(who.card, "lost")
    replaced = CardAdmin(till).replace(who.card)
    assert Customers(till).by_card(replaced.new_card).customer_id == who.customer_id
