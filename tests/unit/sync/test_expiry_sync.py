"""Points that expire while tills are apart: each till writes the expiry down (its start-of-day
sweep, or the customer's next sale there), so the same lot is written off on several tills.
It must be written off once: the customer loses what the lot held at its expiry, not that twice,
and every till tells the owner the same figure of points expired."""

from __future__ import annotations

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.expiry import ExpirySweep
from terminal.app.integrity import Integrity
from terminal.app.reports import Reports
from terminal.core.checkout import MAX
from terminal.core.customer_form import CustomerForm
from terminal.core.kpis import Period
from terminal.sync.exchange import SyncExchange
from tests.unit.sync.conftest import balances
from tests.unit.sync.helpers import exchange_all

WELCOME = 100  # the default program's welcome points, which expire after 365 days


def _expired_total(till) -> int:  # type: ignore[no-untyped-def]
    with till.read_driver() as db:
        (total,) = db.execute(
            "SELECT COALESCE(SUM(points), 0) FROM ledger_entry WHERE kind = 'expire'"
        ).fetchone()
    return -int(total)


def _checked(shop) -> None:  # type: ignore[no-untyped-def]
    for till in shop:
        report = Integrity(till).check()
        assert report.ok, report.problems
        assert SyncExchange(till).conflicts() == []


def test_a_lot_swept_on_two_tills_is_written_off_once(shop, tmp_path, clock):
    one, two, three = shop
    got = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    exchange_all(shop, tmp_path / "first")
    clock.advance(days=366)
    assert ExpirySweep(one).run().points == WELCOME  # both tills open in the morning
    clock.advance(minutes=3)
    assert ExpirySweep(two).run().points == WELCOME
    exchange_all(shop, tmp_path / "second")
    for till in shop:
        assert Customers(till).get(got.customer_id).balance == 0
        assert _expired_total(till) == WELCOME
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)


def test_points_spent_before_the_expiry_on_another_till_are_not_written_off_again(
    shop, tmp_path, clock
):
    one, two, three = shop
    got = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    exchange_all(shop, tmp_path / "first")
    clock.advance(days=300)
    sale = Counter(one).checkout(SaleRequest(card=got.card, amount=50_00, redeem=MAX))
    assert 0 < sale.points_redeemed < WELCOME
    clock.advance(days=66)  # the welcome lot has expired; till 2 never heard of the sale
    ExpirySweep(two).run()
    clock.advance(minutes=3)
    ExpirySweep(one).run()
    day = clock().date()
    exchange_all(shop, tmp_path / "second")
    for till in shop:
        # what was left of the welcome lot, once; the points the sale earned are untouched
        assert _expired_total(till) == WELCOME - sale.points_redeemed
        assert Customers(till).get(got.customer_id).balance == sale.points_earned
        # the owner's report of the day, from the aggregates the triggers keep
        figures = Reports(till).kpis(Period(day, day)).current
        assert figures.points_expired == WELCOME - sale.points_redeemed
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)


def test_a_lot_swept_again_a_day_later_on_a_till_that_was_off_leaves_check_clean(
    shop, tmp_path, clock
):
    """The second sweep takes 0 points on a day of its own: that day's expiries count nothing,
    which `check` must take for what it is (before, it reported the day's points figures as
    differing from the facts on every till)."""
    one, two, three = shop
    got = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    exchange_all(shop, tmp_path / "first")
    clock.advance(days=366)
    assert ExpirySweep(one).run().points == WELCOME
    clock.advance(days=1)  # till 2 was off yesterday and has not heard of till 1's sweep
    assert ExpirySweep(two).run().points == WELCOME
    day = clock().date()
    exchange_all(shop, tmp_path / "second")
    for till in shop:
        assert Customers(till).get(got.customer_id).balance == 0
        assert _expired_total(till) == WELCOME
        assert Reports(till).kpis(Period(day, day)).current.points_expired == 0
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)
