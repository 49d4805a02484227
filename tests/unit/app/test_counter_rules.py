"""Counter and refund rules a cashier meets: negative balances, stale quotes, retries, blocks."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.expiry import ExpirySweep
from terminal.app.integrity import Integrity
from terminal.app.refunds import Refunds
from terminal.core.cards import make_card_number
from terminal.core.checkout import MAX, NONE, Redeem, RedeemMode
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import (
    CardBlocked,
    CardNotFound,
    ConflictingSaleId,
    InsufficientPoints,
    QuoteOutdated,
)
from terminal.core.ids import new_id


def count(till, table: str) -> int:
    with till.read() as s:
        return s.connection().execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()


def test_refund_of_spent_points_goes_negative_blocks_redemption_and_is_settled(till, clock):
    card = Enrollment(till).register(CustomerForm("Debt")).card
    counter, customers = Counter(till), Customers(till)
    first = counter.checkout(SaleRequest(card, 1000_00))  # 100 + 50
    clock.advance(minutes=5)
    spent = counter.checkout(SaleRequest(card, 300_00, MAX))  # −150, +7
    assert (spent.points_redeemed, spent.balance) == (150, 7)
    refund = Refunds(till).refund(first.sale_id)  # takes back the 50 earned, already spent
    assert (refund.points_reversed, refund.balance) == (50, -43)
    view = customers.by_card(card)
    assert view.balance == -43
    quote = counter.quote(SaleRequest(card, 100_00, MAX)).quote
    assert quote is not None and quote.max_redeemable == 0 and quote.points_redeemed == 0
    with pytest.raises(InsufficientPoints, match="balance is negative"):
        counter.checkout(SaleRequest(card, 100_00, Redeem(RedeemMode.POINTS, 1)))
    settled = counter.checkout(SaleRequest(card, 1000_00))  # earns 50: 43 settle the debt
    assert settled.balance == 7
    assert customers.by_card(card).balance == 7
    assert Integrity(till).check().ok


def test_a_stale_quote_is_refused_and_nothing_is_written(till, clock):
    card = Enrollment(till).register(CustomerForm("Stale")).card
    counter = Counter(till)
    priced = counter.quote(SaleRequest(card, 150_00, MAX))
    assert priced.quote is not None and priced.quote.points_redeemed == 75
    counter.checkout(SaleRequest(card, 100_00, Redeem(RedeemMode.POINTS, 50)))  # another till
    sales_before = count(till, "purchase")
    with pytest.raises(QuoteOutdated):
        counter.commit(priced, new_id())
    assert count(till, "purchase") == sales_before
    fresh = counter.quote(SaleRequest(card, 150_00, MAX))
    done = counter.commit(fresh, new_id())
    assert (done.points_redeemed, done.to_pay) == (fresh.quote.points_redeemed, fresh.quote.to_pay)


def test_a_refund_id_retried_is_one_refund(till, clock):
    card = Enrollment(till).register(CustomerForm("Retry")).card
    sale = Counter(till).checkout(SaleRequest(card, 200_00))
    refunds = Refunds(till)
    refund_id = new_id()
    first = refunds.refund(sale.sale_id, 50_00, refund_id)
    again = refunds.refund(sale.sale_id, 50_00, refund_id)
    assert again.replayed and not first.replayed
    assert (again.money_returned, again.points_reversed, again.balance) == (
        first.money_returned,
        first.points_reversed,
        first.balance,
    )
    assert count(till, "refund") == 1
    with pytest.raises(ConflictingSaleId):
        refunds.refund(sale.sale_id, 60_00, refund_id)
    with pytest.raises(ConflictingSaleId, match="different sale"):
        Counter(till).checkout(SaleRequest(card, 1_00), sale.sale_id)


def test_cardless_sale_and_its_refund(till):
    sale = Counter(till).checkout(SaleRequest(None, 45_50))
    assert (sale.card, sale.balance, sale.points_earned) == (None, None, 0)
    refund = Refunds(till).refund(sale.sale_id)
    assert (refund.money_returned, refund.balance) == (45_50, None)
    assert Integrity(till).check().ok


def test_blocked_replaced_and_stock_cards_are_refused(till):
    enroll = Enrollment(till)
    blocked = enroll.register(CustomerForm("B")).card
    replaced = enroll.register(CustomerForm("R")).card
    with till.write() as s:
        s.connection().execute(
            text("UPDATE card SET status='blocked', status_reason='stolen' WHERE number=:n"),
            {"n": blocked},
        )
        s.connection().execute(
            text("UPDATE card SET status='replaced' WHERE number=:n"), {"n": replaced}
        )
    counter, customers = Counter(till), Customers(till)
    with pytest.raises(CardBlocked, match=r"blocked \(stolen\)"):
        counter.checkout(SaleRequest(blocked, 10_00))
    with pytest.raises(CardBlocked, match="replaced"):
        customers.by_card(replaced)
    with till.write() as s:
        s.connection().execute(
            text(
                "INSERT INTO card (number, status, issued_at, status_reason) "
                "VALUES (:n, 'stock', '2026-01-01 00:00:00.000000', '')"
            ),
            {"n": make_card_number(1, 900)},
        )
    with pytest.raises(CardNotFound, match="not been given"):
        customers.by_card(make_card_number(1, 900))
    assert count(till, "purchase") == 0


def test_expiry_is_written_at_the_next_sale_and_by_the_sweep(till, clock):
    enroll = Enrollment(till)
    comes_back = enroll.register(CustomerForm("Back")).card
    stays_away = enroll.register(CustomerForm("Away")).card
    clock.advance(days=365)
    counter = Counter(till)
    sale = counter.checkout(SaleRequest(comes_back, 10_00, NONE))
    assert sale.balance == 0  # 100 welcome expired at the sale, 0 earned (5 % of 10.00 = 0.5)
    assert Customers(till).by_card(stays_away).balance == 0  # shown without its expired lot
    assert ExpirySweep(till).due_customers() != []
    result = ExpirySweep(till).run()
    assert (result.customers, result.points) == (1, 100)
    assert ExpirySweep(till).due_customers() == []
    with till.read() as s:
        kinds = (
            s.connection()
            .execute(
                text(
                    "SELECT kind, points FROM ledger_entry WHERE kind='expire' ORDER BY created_at"
                )
            )
            .all()
        )
    assert [tuple(k) for k in kinds] == [("expire", -100), ("expire", -100)]
    assert Integrity(till).check().ok
    clock.advance(days=1)
    assert ExpirySweep(till).run().points == 0
    assert count(till, "journal_event") == 2 + 1 + 1  # 2 registrations, a sale, one sweep batch


def test_birthday_once_per_year_and_again_next_year(till, clock):
    card = Enrollment(till).register(CustomerForm("Bday", birthday="1990-03-05")).card
    counter = Counter(till)
    assert counter.checkout(SaleRequest(card, 10_00)).bonuses[0].points == 200
    clock.advance(days=2)
    assert counter.checkout(SaleRequest(card, 10_00)).bonuses == []
    clock.advance(days=365)
    assert [b.kind for b in counter.checkout(SaleRequest(card, 10_00)).bonuses] == ["birthday"]
    clock.advance(days=30)
    assert counter.checkout(SaleRequest(card, 10_00)).bonuses == []
