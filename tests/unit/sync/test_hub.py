"""Round trips through a real PostgreSQL hub: tills push and pull and end up the same."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.privacy import ERASED_NAME, Privacy
from terminal.core.checkout import MAX
from terminal.core.customer_form import CustomerForm
from terminal.db import journal_archive
from terminal.sync import hub as hub_module
from terminal.sync.exchange import SyncExchange, events_waiting
from terminal.sync.hub import HubUnavailable, sync_with_hub
from terminal.sync.pairing import create_pairing, join_pairing
from tests.unit.sync.conftest import balances
from tests.unit.sync.helpers import twins_of_one_pairing_file


def test_two_tills_push_and_pull_and_converge(shop, hub_url):
    one, two, three = shop
    olena = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    Counter(one).checkout(SaleRequest(card=olena.card, amount=300_00))
    ivan = Enrollment(two).register(CustomerForm(name="Ivan Petrenko", phone="+380671112233"))
    Counter(two).checkout(SaleRequest(card=ivan.card, amount=120_00))
    assert events_waiting(one) == 2

    assert sync_with_hub(one, hub_url).pushed == 2
    assert events_waiting(one) == 0
    result = sync_with_hub(two, hub_url)
    assert (result.pushed, result.pulled) == (2, 2)
    assert sync_with_hub(one, hub_url).pulled == 2
    # Olena shops at till two now, with the points she earned at till one
    sale = Counter(two).checkout(SaleRequest(card=olena.card, amount=200_00, redeem=MAX))
    assert sale.points_redeemed > 0
    sync_with_hub(two, hub_url)
    sync_with_hub(one, hub_url)
    sync_with_hub(three, hub_url)
    assert balances(one) == balances(two) == balances(three)
    assert Customers(three).get(olena.customer_id).visits == 2
    for till in shop:
        assert Integrity(till).check().ok
    again = sync_with_hub(one, hub_url)
    assert (again.pushed, again.pulled) == (0, 0)


def test_unreachable_hub_is_a_plain_message(shop):
    with pytest.raises(HubUnavailable, match="Cannot reach the sync server"):
        sync_with_hub(shop[0], "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_an_erasure_blanks_the_person_on_the_server_and_on_every_till_that_pulls(shop, hub_url):
    one, two, three = shop
    olena = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    Counter(one).checkout(SaleRequest(card=olena.card, amount=300_00))
    sync_with_hub(one, hub_url)
    sync_with_hub(two, hub_url)  # till 2 holds her registration in its archive

    Privacy(two).erase(olena.card)
    assert sync_with_hub(two, hub_url).pushed == 1
    hub = create_engine(hub_url.replace("postgresql://", "postgresql+psycopg://"))
    with hub.connect() as conn:
        payloads = [row[0] for row in conn.execute(text("SELECT payload FROM hub_event"))]
    hub.dispose()
    assert len(payloads) == 3
    assert not any("Olena Koval" in p or "+380501112233" in p for p in payloads)
    # a till that pulls only now never receives her; one that had her blanks her
    sync_with_hub(three, hub_url)
    sync_with_hub(one, hub_url)
    for till in (one, three):
        with till.read_driver() as db:
            kept = [r[0] for r in db.execute("SELECT payload FROM journal_event")]
            kept += [e["payload"] for e in journal_archive.events(db, two.terminal_id)] + [
                e["payload"] for e in journal_archive.events(db, one.terminal_id)
            ]
        assert not any("Olena Koval" in p for p in kept)
        with till.read_driver() as db:
            (name,) = db.execute(
                "SELECT name FROM customer WHERE id = ?", (olena.customer_id,)
            ).fetchone()
        assert name == ERASED_NAME
    assert balances(one) == balances(two) == balances(three)
    for till in shop:
        assert Integrity(till).check().ok


def test_a_long_history_moves_through_the_hub_a_batch_at_a_time(shop, hub_url, monkeypatch):
    """A till with years of sales pushes and pulls them in batches (here of 3 events): all of
    them arrive, in order, once, and the puller archives every one of them as it came."""
    monkeypatch.setattr(hub_module, "PUSH_CHUNK", 3)
    monkeypatch.setattr(hub_module, "PULL_CHUNK", 3)
    one, two, _three = shop
    olena = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    for amount in (100_00, 250_00, 75_00, 310_00, 42_00, 18_00, 99_00):
        Counter(one).checkout(SaleRequest(card=olena.card, amount=amount))
    with one.read_driver() as db:
        sent = [row[0] for row in db.execute("SELECT id FROM journal_event ORDER BY seq")]
    assert len(sent) == 8  # not a multiple of the batch: the last batch is a short one

    assert sync_with_hub(one, hub_url).pushed == 8
    assert events_waiting(one) == 0
    assert sync_with_hub(two, hub_url).pulled == 8
    with two.read_driver() as db:
        archived = [event["id"] for event in journal_archive.events(db, one.terminal_id)]
    assert archived == sent
    assert balances(one) == balances(two)
    assert Customers(two).get(olena.customer_id).visits == 7
    assert Integrity(two).check().ok
    again = sync_with_hub(two, hub_url)
    assert (again.pushed, again.pulled) == (0, 0)


def test_a_till_that_takes_a_new_number_is_known_by_it_through_the_hub(
    shop, hub_url, tmp_path, clock
):
    """One pairing file used on two tills: both are till 9 on the server. One takes a new
    number from a new file; the others learn it from its next push, whatever number it had."""
    one, _two, _three = shop
    with twins_of_one_pairing_file(one, 9, tmp_path, clock) as twins:
        for twin in twins:
            sync_with_hub(twin, hub_url)
        sync_with_hub(one, hub_url)
        assert [f["kind"] for f in SyncExchange(one).conflicts()] == ["till_number_twice"]
        sync_with_hub(twins[1], hub_url)  # it hears of its twin: it may take a new number
        create_pairing(one, 6, tmp_path / "till6.pair")  # lower
        assert join_pairing(twins[1], tmp_path / "till6.pair").renumbered_from == 9
        Enrollment(twins[1]).register(CustomerForm(name="After the new number"))
        sync_with_hub(twins[1], hub_url)
        sync_with_hub(one, hub_url)
        with one.read_driver() as db:
            numbers = dict(db.execute("SELECT id, number FROM terminal"))
        assert numbers[twins[0].terminal_id] == 9 and numbers[twins[1].terminal_id] == 6
        assert Integrity(one).check().ok
