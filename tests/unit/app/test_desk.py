"""The desk's use cases: history with reasons, edits, refund previews; NPS; first-start setup."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from terminal.app.card_stock import CardStock
from terminal.app.counter import Counter, SaleRequest
from terminal.app.desk import Desk
from terminal.app.enrollment import Enrollment
from terminal.app.nps import Nps
from terminal.app.refunds import Refunds
from terminal.app.shop_setup import ShopSetup
from terminal.core.checkout import MAX
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import DuplicateCustomer, InvalidInput
from terminal.core.ids import new_id
from terminal.db.models import JournalEvent, NpsResponse


def _events(till, kind: str) -> list[dict]:
    with till.read() as s:
        return [
            json.loads(p)
            for p in s.exec(select(JournalEvent.payload).where(JournalEvent.type == kind)).all()
        ]


def test_history_lists_sales_refunds_and_every_points_movement_with_its_reason(till, clock) -> None:
    who = Enrollment(till).register(CustomerForm("Iryna Koval", "0671112233"))
    first = Counter(till).checkout(SaleRequest(who.card, 80000), new_id())
    clock.advance(days=1)
    second = Counter(till).checkout(SaleRequest(who.card, 30000, MAX), new_id())
    clock.advance(days=1)
    Refunds(till).refund(second.sale_id, 10000)
    history = Desk(till).history(who.customer_id)
    assert [s.sale_id for s in history.sales] == [second.sale_id, first.sale_id]
    assert history.sales[0].refunded_amount == 10000 and history.sales[0].refundable == 20000
    assert [r.amount for r in history.refunds] == [10000]
    kinds = [line.kind for line in reversed(history.ledger)]
    assert kinds[:3] == ["welcome", "earn", "redeem"]
    assert "refund_return" in kinds or "refund_reversal" in kinds
    assert history.ledger[-1].reason == "Welcome bonus"
    assert history.ledger[0].balance_after == history.customer.balance


def test_edit_validates_journals_and_keeps_phones_unique(till) -> None:
    a = Enrollment(till).register(CustomerForm("Ivan Petrenko", "0671112233"))
    Enrollment(till).register(CustomerForm("Maria Lysenko", "0509998877"))
    view = Desk(till).edit(
        a.customer_id,
        CustomerForm("Ivan  Petrenko-Lys", "0671112233", "ivan@example.com", "12.05.1990", True),
        cashier="anna",
    )
    assert view.name == "Ivan Petrenko-Lys" and view.email == "ivan@example.com"
    assert view.birthday.isoformat() == "1990-05-12" and view.consent
    [event] = _events(till, "customer.updated")
    fields = event["updates"][0]["fields"]
    assert fields["name"] == "Ivan Petrenko-Lys" and "consent_at" in fields
    with pytest.raises(DuplicateCustomer) as dup:
        Desk(till).edit(a.customer_id, CustomerForm("Ivan", "0509998877"))
    assert dup.value.params["name"] == "Maria Lysenko"
    with pytest.raises(InvalidInput, match="e-mail"):
        Desk(till).edit(a.customer_id, CustomerForm("Ivan", "0671112233", "not-an-email"))
    assert len(_events(till, "customer.updated")) == 1  # refused edits write nothing


def test_refund_preview_matches_the_refund(till) -> None:
    who = Enrollment(till).register(CustomerForm("Oksana", "0671112233"))
    sale = Counter(till).checkout(SaleRequest(who.card, 50000), new_id())
    preview = Desk(till).refund_preview(sale.sale_id, 20000)
    done = Refunds(till).refund(sale.sale_id, 20000)
    assert preview.refundable == 50000
    assert preview.figures.points_reversed == done.points_reversed
    assert preview.figures.money_returned == done.money_returned


def test_nps_is_recorded_once_per_sale_and_validated(till) -> None:
    who = Enrollment(till).register(CustomerForm("Oksana", "0671112233"))
    sale = Counter(till).checkout(SaleRequest(who.card, 50000), new_id())
    assert Nps(till).enabled()
    first = Nps(till).record(9, sale.sale_id)
    again = Nps(till).record(3, sale.sale_id)
    assert again.replayed and again.score == 9
    with pytest.raises(InvalidInput):
        Nps(till).record(11, sale.sale_id)
    with till.read() as s:
        rows = s.exec(select(NpsResponse.score, NpsResponse.customer_id)).all()
    assert rows == [(9, who.customer_id)] and first.response_id
    assert len(_events(till, "nps.recorded")) == 1


def test_first_start_saves_the_shop_and_locks_the_till_number_after_a_card(till) -> None:
    setup = ShopSetup(till)
    assert not setup.current().configured
    saved = setup.save("Kava & Co", "eur", 3)
    assert (saved.shop_name, saved.currency, saved.till_number, saved.configured) == (
        "Kava & Co",
        "EUR",
        3,
        True,
    )
    assert till.terminal_number == 3 and till.currency().code == "EUR"
    [batch] = [CardStock(till).reserve(1).numbers]
    assert batch[0][1:3] == "03"
    assert setup.current().till_number_locked
    with pytest.raises(InvalidInput, match="cannot change"):
        setup.save("Kava & Co", "EUR", 4)
    with pytest.raises(InvalidInput):
        setup.save("  ", "EUR", 3)
    status = setup.status()
    assert status.shop_name == "Kava & Co" and status.till_number == 3
    assert status.pending_events >= 2
