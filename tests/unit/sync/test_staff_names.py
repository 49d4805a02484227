"""Who made a sale travels with it: another till's sales and adjustments show the cashier's
name in the customer's history, while PINs, lockouts and the right to sign in stay on the till
where the person was added. News that only a newer release can apply is refused whole by an
older one, and a bundle without such news stays readable by it."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from terminal.app.adjustments import PointAdjustments
from terminal.app.counter import Counter, SaleRequest
from terminal.app.desk import Desk
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.journal import SCHEMA_VERSION
from terminal.app.staff import PinRefused, StaffRoster
from terminal.core.customer_form import CustomerForm
from terminal.sync.bundle import BundleRefused, read_bundle
from terminal.sync.exchange import SyncExchange, local_events, shop_id, shop_key
from tests.unit.sync.conftest import content_digest


def test_another_tills_sales_show_who_made_them_and_no_pin_travels(shop, tmp_path: Path):
    one, two, _ = shop
    roster = StaffRoster(one)
    owner = roster.set_first_owner("Olena", "2468")
    taras = roster.add(owner.id, "Taras", "1357")
    who = Enrollment(one).register(CustomerForm(name="Iryna Koval", phone="+380671112233"))
    Counter(one).checkout(SaleRequest(card=who.card, amount=100_00), cashier=taras.id)
    PointAdjustments(one).adjust(owner.id, who.customer_id, "+75", "lost receipt")

    bundle = SyncExchange(one).export(tmp_path / "out", since=0)
    assert bundle.path is not None
    text = gzip.decompress(bundle.path.read_bytes()).decode()
    assert "scrypt" not in text and "pin_hash" not in text and "failed_attempts" not in text
    SyncExchange(two).import_file(bundle.path)

    history = Desk(two).history(who.customer_id)
    assert [sale.cashier for sale in history.sales] == ["Taras"]
    # newest first: the owner's adjustment, the sale's points, the program's welcome bonus
    assert [(line.points, line.by) for line in history.ledger] == [
        (75, "Olena"),
        (5, "Taras"),
        (100, ""),
    ]
    # on till 2 they are names, not people: no roster, no owner, no signing in with their PINs
    two_roster = StaffRoster(two)
    assert two_roster.list() == [] and not two_roster.owner_exists()
    with pytest.raises(PinRefused):
        two_roster.sign_in("1357")
    # till 2's own first owner is still its to set, and its own people travel back
    mine = two_roster.set_first_owner("Marta", "8642")
    Counter(two).checkout(SaleRequest(card=who.card, amount=50_00), cashier=mine.id)
    back = SyncExchange(two).export(tmp_path / "back", since=0)
    assert back.path is not None
    SyncExchange(one).import_file(back.path)
    assert [sale.cashier for sale in Desk(one).history(who.customer_id).sales] == [
        "Marta",
        "Taras",
    ]
    assert [person.name for person in StaffRoster(one).list()] == ["Olena", "Taras"]
    for till in (one, two):
        report = Integrity(till).check()
        assert report.ok, report.problems


def test_only_a_bundle_carrying_names_needs_the_newer_release(shop, tmp_path: Path):
    one, _, _ = shop
    who = Enrollment(one).register(CustomerForm(name="Iryna Koval", phone="+380671112233"))
    Counter(one).checkout(SaleRequest(card=who.card, amount=100_00))
    sales = SyncExchange(one).export(tmp_path / "sales")
    StaffRoster(one).set_first_owner("Olena", "2468")
    Counter(one).checkout(SaleRequest(card=who.card, amount=30_00))
    names = SyncExchange(one).export(tmp_path / "names")
    assert sales.path is not None and names.path is not None
    key, shop_of = shop_key(one), shop_id(one)
    assert read_bundle(sales.path, key, shop_of, SCHEMA_VERSION).manifest.schema_version == 1
    assert read_bundle(names.path, key, shop_of, SCHEMA_VERSION).manifest.schema_version == 2
    # a till of the release before: the sales still come in, the names are refused in words
    assert read_bundle(sales.path, key, shop_of, 1).manifest.count == 2
    with pytest.raises(BundleRefused, match="newer version of the program"):
        read_bundle(names.path, key, shop_of, 1)


def test_news_of_a_newer_schema_from_the_hub_are_refused_and_nothing_is_applied(shop):
    """A hub pull has no manifest: each event's own schema is checked before anything of the
    batch is written."""
    one, two, _ = shop
    who = Enrollment(one).register(CustomerForm(name="Iryna Koval", phone="+380671112233"))
    Counter(one).checkout(SaleRequest(card=who.card, amount=100_00))
    with one.write_driver() as db:
        events = list(local_events(db, one.terminal_id, 0))
    events[-1]["schema_version"] = SCHEMA_VERSION + 1
    before = content_digest(two)
    with (
        pytest.raises(BundleRefused, match="newer version of the program") as refused,
        two.write_driver() as db,
    ):
        SyncExchange(two).apply(db, one.terminal_id, 1, events, two.now(), source="hub")
    assert f"journal schema {SCHEMA_VERSION + 1}" in str(refused.value)
    assert content_digest(two) == before
