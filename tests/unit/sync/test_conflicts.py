"""The offline conflicts of docs/sync.md, each played out on two tills."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.app.card_admin import CardAdmin
from terminal.app.card_stock import CardStock
from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.desk import Desk
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.privacy import ERASED_NAME, Privacy
from terminal.app.refunds import Refunds
from terminal.core.checkout import MAX
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import InvalidInput, NotFound, RefundRefused
from terminal.sync.bundle import BundleRefused
from terminal.sync.exchange import SyncExchange
from terminal.sync.overview import sync_overview
from terminal.sync.pairing import create_pairing, join_pairing
from tests.unit.sync.conftest import balances
from tests.unit.sync.helpers import exchange_all, twins_of_one_pairing_file


def _customer_on_both(shop, tmp_path: Path, spend: int = 0):
    one, _two, _ = shop
    enrolled = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    if spend:
        Counter(one).checkout(SaleRequest(card=enrolled.card, amount=spend))
    exchange_all(shop, tmp_path / "first")
    return enrolled


def _checked(tills) -> None:
    for till in tills:
        report = Integrity(till).check()
        assert report.ok, report.problems


def test_same_customer_edited_on_two_tills_last_writer_wins_per_field(shop, tmp_path, clock):
    one, two, three = shop
    enrolled = _customer_on_both(shop, tmp_path)
    cid = enrolled.customer_id
    Desk(one).edit(cid, CustomerForm(name="Olena Koval-Shevchenko", phone="+380501112233"))
    clock.advance(minutes=5)
    Desk(two).edit(cid, CustomerForm(name="Olena K.", phone="+380501112233", email="o@k.ua"))
    clock.advance(minutes=5)
    Desk(one).edit(
        cid,
        CustomerForm(name="Olena Koval-Shevchenko", phone="+380671234567"),
    )
    exchange_all(shop, tmp_path / "second")
    for till in shop:
        view = Customers(till).get(cid)
        # name: till two wrote last; phone: till one's later edit; email: only till two set it
        assert view.name == "Olena K."
        assert view.phone == "+380671234567"
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)


def test_card_blocked_on_one_till_and_used_on_another(shop, tmp_path, clock):
    one, two, three = shop
    enrolled = _customer_on_both(shop, tmp_path, spend=200_00)
    clock.advance(minutes=1)
    CardAdmin(one).block(enrolled.card, "Lost")
    sale = Counter(two).checkout(SaleRequest(card=enrolled.card, amount=80_00))
    exchange_all(shop, tmp_path / "second")
    for till in shop:
        assert Customers(till).get(enrolled.customer_id).visits == 2
        flags = SyncExchange(till).conflicts()
        assert [(f["kind"], f["subject"]) for f in flags] == [
            ("sale_on_blocked_card", sale.sale_id)
        ]
        with till.read_driver() as db:
            (status,) = db.execute(
                "SELECT status FROM card WHERE number = ?", (enrolled.card,)
            ).fetchone()
        assert status == "blocked"
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)


def test_points_spent_twice_offline_both_sales_stand_and_owner_sees_it(shop, tmp_path):
    one, two, three = shop
    enrolled = _customer_on_both(shop, tmp_path, spend=500_00)
    before = Customers(one).get(enrolled.customer_id).balance
    assert before > 0
    first = Counter(one).checkout(SaleRequest(card=enrolled.card, amount=300_00, redeem=MAX))
    second = Counter(two).checkout(SaleRequest(card=enrolled.card, amount=300_00, redeem=MAX))
    spent = first.points_redeemed + second.points_redeemed
    assert first.points_redeemed > 0 and second.points_redeemed > 0
    exchange_all(shop, tmp_path / "second")
    expected = before - spent + first.points_earned + second.points_earned
    for till in shop:
        view = Customers(till).get(enrolled.customer_id)
        assert view.visits == 3
        assert view.balance == expected
        assert view.balance < 0
        kinds = [f["kind"] for f in SyncExchange(till).conflicts()]
        assert kinds == ["points_overspent"]
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)


def test_same_preprinted_card_assigned_on_two_tills(shop, tmp_path, clock):
    one, two, three = shop
    batch = CardStock(one).reserve(3)
    exchange_all(shop, tmp_path / "first")
    card = CardStock(one).batch_numbers(batch.batch)[0]
    Enrollment(one).register(CustomerForm(name="Ivan Petrenko"), card_number=card)
    clock.advance(minutes=1)
    later = Enrollment(two).register(CustomerForm(name="Maria Bondar"), card_number=card)
    exchange_all(shop, tmp_path / "second")
    for till in shop:
        assert Customers(till).by_card(card).customer_id == later.customer_id
        flags = SyncExchange(till).conflicts()
        assert [(f["kind"], f["subject"]) for f in flags] == [("card_assigned_twice", card)]
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)


def test_same_sale_refunded_on_two_tills_offline_both_refunds_stand_and_owner_sees_it(
    shop, tmp_path, clock
):
    """Both cashiers really handed money back, so both refunds are the record; the sale ends
    refunded beyond its check, and the owner is told by how much."""
    one, two, three = shop
    enrolled = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    sale = Counter(one).checkout(SaleRequest(card=enrolled.card, amount=500_00))
    exchange_all(shop, tmp_path / "first")
    clock.advance(minutes=3)
    first = Refunds(one).refund(sale.sale_id, 300_00)
    second = Refunds(two).refund(sale.sale_id, 400_00)
    exchange_all(shop, tmp_path / "second")
    for till in shop:
        with till.read_driver() as db:
            (refunded,) = db.execute(
                "SELECT refunded_amount FROM purchase WHERE id = ?", (sale.sale_id,)
            ).fetchone()
        assert refunded == 700_00
        flags = {f["kind"]: f for f in SyncExchange(till).conflicts()}
        assert sorted(flags) == ["points_overspent", "sale_refunded_twice"]
        twice = flags["sale_refunded_twice"]
        assert (twice["subject"], twice["customer_id"]) == (sale.sale_id, enrolled.customer_id)
        # the earned points were taken back by both refunds: more than the sale gave
        reversed_points = first.points_reversed + second.points_reversed
        assert reversed_points > sale.points_earned
        assert flags["points_overspent"]["customer_id"] == enrolled.customer_id
        view = Customers(till).get(enrolled.customer_id)
        assert view.lifetime_paid == 500_00 - first.money_returned - second.money_returned
        with pytest.raises(RefundRefused):  # nothing is left of it to refund
            Refunds(till).refund(sale.sale_id, 1_00)
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)


def test_a_sale_while_the_card_was_blocked_is_flagged_on_every_till_whatever_the_order(
    shop, tmp_path, clock
):
    """Till 1 blocks the card, till 2 (offline) sells on it, till 1 finds the card and unblocks
    it. Whether a till hears of the unblock before the sale or after, the sale was made while
    the card was blocked; a sale after the unblock was not."""
    one, two, three = shop
    enrolled = _customer_on_both(shop, tmp_path, spend=100_00)
    clock.advance(minutes=1)
    CardAdmin(one).block(enrolled.card, "Lost")
    clock.advance(minutes=1)
    during = Counter(two).checkout(SaleRequest(card=enrolled.card, amount=80_00))
    clock.advance(minutes=1)
    CardAdmin(one).unblock(enrolled.card, "Found")
    bundle_one = SyncExchange(one).export(tmp_path / "one").path
    clock.advance(minutes=1)
    # till 3 hears of till 1's block and unblock first, then of the sale
    SyncExchange(three).import_file(bundle_one)
    after = Counter(three).checkout(SaleRequest(card=enrolled.card, amount=20_00))
    bundle_two = SyncExchange(two).export(tmp_path / "two").path
    bundle_three = SyncExchange(three).export(tmp_path / "three").path
    SyncExchange(three).import_file(bundle_two)
    SyncExchange(one).import_file(bundle_two)  # the block and unblock are this till's own
    SyncExchange(one).import_file(bundle_three)
    SyncExchange(two).import_file(bundle_three)  # the sale after the unblock comes first
    SyncExchange(two).import_file(bundle_one)
    for till in shop:
        flags = [(f["kind"], f["subject"]) for f in SyncExchange(till).conflicts()]
        assert flags == [("sale_on_blocked_card", during.sale_id)], till.terminal_number
        assert after.sale_id not in {subject for _kind, subject in flags}
        with till.read_driver() as db:
            (status,) = db.execute(
                "SELECT status FROM card WHERE number = ?", (enrolled.card,)
            ).fetchone()
        assert status == "active"
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)


def test_a_debt_made_on_one_till_and_points_given_on_another_is_flagged_not_a_fault(
    shop, tmp_path, clock
):
    """Till 1 refunds a sale whose earned points the customer had already spent (a debt: the
    balance goes below zero); till 2, not knowing, gives the customer points, which on till 1
    would first have paid the debt. The balance is the sum of the entries everywhere; the lots
    hold more than it, and the owner is told instead of ``check`` calling it a fault."""
    one, two, three = shop
    enrolled = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    first = Counter(one).checkout(SaleRequest(card=enrolled.card, amount=900_00))
    spent = Counter(one).checkout(SaleRequest(card=enrolled.card, amount=900_00, redeem=MAX))
    assert spent.points_redeemed > first.points_earned
    exchange_all(shop, tmp_path / "first")
    clock.advance(minutes=5)
    refund = Refunds(one).refund(first.sale_id)
    assert refund.balance is not None and refund.balance < 0  # the points were spent
    given = Counter(two).checkout(SaleRequest(card=enrolled.card, amount=300_00))
    exchange_all(shop, tmp_path / "second")
    for till in shop:
        view = Customers(till).get(enrolled.customer_id)
        assert view.balance == refund.balance + given.points_earned
        flags = [(f["kind"], f["customer_id"]) for f in SyncExchange(till).conflicts()]
        assert flags == [("points_debt_unsettled", enrolled.customer_id)]
        live, _short = _lots(till, enrolled.customer_id)
        [view] = sync_overview(till).conflicts
        assert view.overspent == live - max(0, refund.balance + given.points_earned) > 0
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)
    # The next points given, on any till, first pay what the lots hold beyond the balance.
    clock.advance(minutes=5)
    later = Counter(three).checkout(SaleRequest(card=enrolled.card, amount=9_000_00))
    exchange_all(shop, tmp_path / "third")
    for till in shop:
        balance = Customers(till).get(enrolled.customer_id).balance
        assert balance == refund.balance + given.points_earned + later.points_earned > 0
        assert _lots(till, enrolled.customer_id) == (balance, 0)
        [view] = sync_overview(till).conflicts
        assert view.kind == "points_debt_unsettled" and view.overspent == 0  # made good


def _points_used_twice(shop, tmp_path: Path) -> str:
    """Points of one customer redeemed on till 1 and till 2 offline; returns the customer."""
    one, two, _three = shop
    enrolled = _customer_on_both(shop, tmp_path, spend=500_00)
    Counter(one).checkout(SaleRequest(card=enrolled.card, amount=300_00, redeem=MAX))
    Counter(two).checkout(SaleRequest(card=enrolled.card, amount=300_00, redeem=MAX))
    return enrolled.customer_id


def test_a_conflict_the_owner_dealt_with_leaves_the_list_on_every_till(shop, tmp_path):
    one, two, _three = shop
    _points_used_twice(shop, tmp_path)
    exchange_all(shop, tmp_path / "second")
    [flag] = SyncExchange(two).conflicts()
    SyncExchange(two).settle_conflict(flag["id"], None)
    assert SyncExchange(two).conflicts() == []
    assert SyncExchange(one).conflicts() != []  # till 1 has not heard yet
    exchange_all(shop, tmp_path / "third")
    for till in shop:
        assert SyncExchange(till).conflicts() == []
        assert SyncExchange(till).status().open_conflicts == 0
    _checked(shop)  # the balance below zero is still understood as points used twice
    with pytest.raises(InvalidInput, match="already marked as dealt with"):
        SyncExchange(one).settle_conflict(flag["id"], None)
    with pytest.raises(NotFound, match="no longer on the list"):
        SyncExchange(one).settle_conflict("points_overspent:nobody", None)


def test_a_till_that_hears_the_owner_dealt_with_it_before_it_saw_the_clash_shows_it_dealt_with(
    shop, tmp_path
):
    """Till 3 gets till 1's and till 2's sales (the clash) in the same round as the owner's
    word from till 1: the flag it raises is already dealt with, whatever order the news came in."""
    one, two, three = shop
    _points_used_twice(shop, tmp_path)
    bundle_two = SyncExchange(two).export(tmp_path / "two", since=0).path
    SyncExchange(one).import_file(bundle_two)
    [flag] = SyncExchange(one).conflicts()
    SyncExchange(one).settle_conflict(flag["id"], None)
    bundle_one = SyncExchange(one).export(tmp_path / "one", since=0).path
    SyncExchange(three).import_file(bundle_one)  # the word, and till 1's sale: no clash yet
    assert SyncExchange(three).conflicts() == []
    SyncExchange(three).import_file(bundle_two)  # now the clash: raised, and dealt with
    assert SyncExchange(three).conflicts() == []
    with three.read_driver() as db:
        assert db.execute(
            "SELECT COUNT(*) FROM sync_conflict WHERE id = ? AND resolved_at IS NOT NULL",
            (flag["id"],),
        ).fetchone() == (1,)
    _checked(shop)


def test_points_used_twice_again_show_what_is_owed_alike_on_every_till(shop, tmp_path):
    """Points used twice offline, then again the next day: each till raised the flag when it
    first saw a lot below zero (which lot depends on the order news came in), and the owner
    is shown what the customer owes now (their lots together below zero) — the same on every
    till."""
    one, two, three = shop
    customer = _points_used_twice(shop, tmp_path)
    exchange_all(shop, tmp_path / "second")
    card = Customers(one).get(customer).card
    for till in (one, two):  # more sales, then points used twice again
        Counter(till).checkout(SaleRequest(card=card, amount=900_00))
    exchange_all(shop, tmp_path / "third")
    for till in (two, one):
        Counter(till).checkout(SaleRequest(card=card, amount=300_00, redeem=MAX))
    SyncExchange(three).import_file(SyncExchange(two).export(tmp_path / "two").path)
    exchange_all(shop, tmp_path / "fourth")
    shown = []
    for till in shop:
        [flag] = SyncExchange(till).conflicts()
        assert flag["subject"] == customer
        [view] = sync_overview(till).conflicts
        with till.read_driver() as db:
            (short,) = db.execute(
                "SELECT -SUM(remaining) FROM points_lot WHERE customer_id = ?", (customer,)
            ).fetchone()
        shown.append(view.overspent)
        assert short == -Customers(till).get(customer).balance
        assert view.overspent == max(0, short)
    assert shown[0] == shown[1] == shown[2]
    _checked(shop)


@pytest.mark.parametrize("edit_first", [True, False])
def test_an_erasure_stands_over_an_edit_made_later_on_a_till_that_had_not_heard_of_it(
    shop, tmp_path, clock, edit_first
):
    """Till 1 erases the customer at her request; later that day till 2, offline, corrects her
    phone and gives consent. Whatever order the news reach the third till in, every till shows
    her erased: no name, no phone, no consent."""
    one, two, three = shop
    enrolled = _customer_on_both(shop, tmp_path)
    Privacy(one).erase(enrolled.card)
    clock.advance(minutes=30)
    Desk(two).edit(enrolled.customer_id, CustomerForm(name="Olena Koval", phone="+380671234567"))
    Privacy(two).set_consent(enrolled.card, True)
    erasure = SyncExchange(one).export(tmp_path / "one").path
    edit = SyncExchange(two).export(tmp_path / "two").path
    for path in (edit, erasure) if edit_first else (erasure, edit):
        SyncExchange(three).import_file(path)
    SyncExchange(one).import_file(edit)
    SyncExchange(two).import_file(erasure)
    for till in shop:
        with till.read_driver() as db:
            assert db.execute(
                "SELECT name, phone, email, consent, erased_at IS NOT NULL "
                "FROM customer WHERE id = ?",
                (enrolled.customer_id,),
            ).fetchone() == (ERASED_NAME, None, None, 0, 1)
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)


def _lots(till, customer_id: str) -> tuple[int, int]:
    """What a customer's lots hold: points that can be spent, and points short below zero."""
    with till.read_driver() as db:
        live, short = db.execute(
            "SELECT COALESCE(SUM(MAX(remaining, 0)), 0), COALESCE(-SUM(MIN(remaining, 0)), 0) "
            "FROM points_lot WHERE customer_id = ?",
            (customer_id,),
        ).fetchone()
    return live, short


def test_refunding_both_sales_that_used_the_same_points_gives_them_back_to_spend(shop, tmp_path):
    """Points used twice offline, then till 1 refunds both sales: the first refund pays the
    debt into the lot that went below zero, the second puts the points back into it, so the
    customer's lots hold the balance again (before, the lot stayed below zero and the points
    given back could not expire or be seen as expiring)."""
    one, two, three = shop
    enrolled = _customer_on_both(shop, tmp_path, spend=500_00)
    before = Customers(one).get(enrolled.customer_id).balance
    first = Counter(one).checkout(SaleRequest(card=enrolled.card, amount=300_00, redeem=MAX))
    second = Counter(two).checkout(SaleRequest(card=enrolled.card, amount=300_00, redeem=MAX))
    exchange_all(shop, tmp_path / "second")
    Refunds(one).refund(first.sale_id)
    Refunds(one).refund(second.sale_id)
    exchange_all(shop, tmp_path / "third")
    for till in shop:
        assert Customers(till).get(enrolled.customer_id).balance == before
        assert _lots(till, enrolled.customer_id) == (before, 0)
        kinds = [f["kind"] for f in SyncExchange(till).conflicts()]
        assert kinds == ["points_overspent"]  # the clash happened; the owner still hears of it
        [view] = sync_overview(till).conflicts
        assert view.overspent == 0  # and is shown it has been made good
    assert balances(one) == balances(two) == balances(three)
    _checked(shop)


def test_points_earned_after_points_used_twice_first_fill_the_lot_below_zero(shop, tmp_path):
    one, two, _three = shop
    enrolled = _customer_on_both(shop, tmp_path, spend=500_00)
    Counter(one).checkout(SaleRequest(card=enrolled.card, amount=300_00, redeem=MAX))
    Counter(two).checkout(SaleRequest(card=enrolled.card, amount=300_00, redeem=MAX))
    exchange_all(shop, tmp_path / "second")
    debt = -Customers(one).get(enrolled.customer_id).balance
    live, short = _lots(one, enrolled.customer_id)  # each sale's own points, beside the lot
    assert live > 0 and short > 0 and live - short == -debt  # both tills spent below zero
    earned = Counter(one).checkout(SaleRequest(card=enrolled.card, amount=9_000_00))
    assert earned.points_earned > debt
    exchange_all(shop, tmp_path / "third")
    for till in shop:
        balance = Customers(till).get(enrolled.customer_id).balance
        assert balance == earned.points_earned - debt
        assert _lots(till, enrolled.customer_id) == (balance, 0)
    _checked(shop)


def test_one_pairing_file_used_on_two_tills_is_flagged_on_every_till(shop, tmp_path: Path, clock):
    """Joining is offline, so a second new till joined from the same file cannot be refused
    there: both become till 4, and the card numbers they make (from the till number) can be
    the same. Every till that hears of both says so, once."""
    one, _two, _three = shop
    with twins_of_one_pairing_file(one, 4, tmp_path, clock) as twins:
        tills = [*shop, *twins]
        exchange_all(tills, tmp_path / "round")
        exchange_all(tills, tmp_path / "again")  # nothing new: raised once, not twice
        for till in tills:
            flags = SyncExchange(till).conflicts()
            assert [(f["kind"], f["subject"]) for f in flags] == [("till_number_twice", "4")]
            [view] = sync_overview(till).conflicts
            assert view.till_number == 4
        assert all(sync_overview(twin).number_twice for twin in twins)
        # the remedy: a pairing file with a new number, joined on one of the two
        create_pairing(one, 5, tmp_path / "till5.pair")
        with pytest.raises(BundleRefused, match="already belongs to that shop"):
            join_pairing(_two, tmp_path / "till5.pair")  # a till with a number of its own
        moved = join_pairing(twins[1], tmp_path / "till5.pair")
        assert (moved.till_number, moved.renumbered_from) == (5, 4)
        card = Enrollment(twins[1]).register(CustomerForm(name="After the new number")).card
        assert card[1:3] == "05"  # the cards it gives now carry the new number
        exchange_all(tills, tmp_path / "renumbered")
        for till in tills:
            with till.read_driver() as db:
                numbers = dict(db.execute("SELECT id, number FROM terminal"))
            assert numbers[twins[0].terminal_id] == 4 and numbers[twins[1].terminal_id] == 5
            assert not sync_overview(till).number_twice
            assert [f["kind"] for f in SyncExchange(till).conflicts()] == ["till_number_twice"]
        _checked(tills)
