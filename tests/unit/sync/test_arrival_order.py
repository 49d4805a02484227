"""News that reach a till in another order than they were made: nothing diverges.

Till 2 hears of till 1's new customer, then blocks the card, renames the customer and sells to
them; till 3 gets till 2's bundle before till 1's. The sale cannot stand without its customer,
so that bundle is refused in plain words (nothing written) until till 1's arrives; an edit alone
is kept and set again when the row it edits arrives, so every till ends the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.app.card_admin import CardAdmin
from terminal.app.counter import Counter, SaleRequest
from terminal.app.desk import Desk
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.refunds import Refunds
from terminal.core.customer_form import CustomerForm
from terminal.sync.bundle import BundleRefused
from terminal.sync.exchange import SyncExchange
from tests.unit.sync.conftest import balances, file_digest


def _cards_and_names(till) -> tuple[list, list]:
    with till.read_driver() as db:
        return (
            db.execute("SELECT number, status, customer_id FROM card ORDER BY number").fetchall(),
            db.execute("SELECT id, name, phone FROM customer ORDER BY id").fetchall(),
        )


def test_a_sale_on_a_customer_not_yet_heard_of_is_refused_until_its_registration_arrives(
    shop, tmp_path: Path
):
    one, two, three = shop
    card = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233")).card
    registration = SyncExchange(one).export(tmp_path / "one").path
    SyncExchange(two).import_file(registration)
    Counter(two).checkout(SaleRequest(card=card, amount=100_00))
    sale = SyncExchange(two).export(tmp_path / "two").path
    before = file_digest(three)
    with pytest.raises(BundleRefused, match="other tills' bundles first"):
        SyncExchange(three).import_file(sale)
    assert file_digest(three) == before
    SyncExchange(three).import_file(registration)
    assert SyncExchange(three).import_file(sale).applied == 1
    assert balances(three) == balances(two)
    assert Integrity(three).check().ok


def test_an_edit_that_arrives_before_its_row_still_wins(shop, tmp_path: Path, clock):
    one, two, three = shop
    got = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    registration = SyncExchange(one).export(tmp_path / "one").path
    SyncExchange(two).import_file(registration)
    clock.advance(minutes=1)
    CardAdmin(two).block(got.card, "Lost")
    Desk(two).edit(got.customer_id, CustomerForm(name="Olena Shevchenko", phone="+380671234567"))
    edits = SyncExchange(two).export(tmp_path / "two").path
    SyncExchange(three).import_file(edits)  # only edits: nothing is missing to hold them
    SyncExchange(three).import_file(registration)
    SyncExchange(one).import_file(edits)
    assert _cards_and_names(three) == _cards_and_names(two) == _cards_and_names(one)
    cards, names = _cards_and_names(three)
    assert cards[0][1] == "blocked" and names[0][1:] == ("Olena Shevchenko", "+380671234567")
    for till in shop:
        assert Integrity(till).check().ok


def test_a_refund_met_before_its_sale_in_one_pull_counts_on_the_sale(shop, tmp_path: Path):
    """The hub applies every till's news in one transaction, in any order of tills."""
    one, two, three = shop
    card = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233")).card
    Counter(one).checkout(SaleRequest(card=card, amount=100_00))
    first = SyncExchange(one).export(tmp_path / "one").path
    SyncExchange(two).import_file(first)
    with one.read_driver() as db:
        (sale_id,) = db.execute("SELECT id FROM purchase").fetchone()
    Refunds(two).refund(sale_id, 30_00)
    second = SyncExchange(two).export(tmp_path / "two").path
    from terminal.sync.bundle import read_bundle
    from terminal.sync.exchange import shop_id, shop_key

    key, shop_name = shop_key(three), shop_id(three)
    refund_news = read_bundle(second, key, shop_name, 1)
    sale_news = read_bundle(first, key, shop_name, 1)
    exchange = SyncExchange(three)
    with three.write_driver() as db:  # till 2's news first, then till 1's, as a pull may
        for news in (refund_news, sale_news):
            m = news.manifest
            exchange.apply(db, m.terminal_id, m.terminal_number, news.events, three.now())
    with three.read_driver() as db:
        (refunded,) = db.execute("SELECT refunded_amount FROM purchase").fetchone()
    assert refunded == 30_00
    assert balances(three) == balances(two)
    assert Integrity(three).check().ok, Integrity(three).check().problems
