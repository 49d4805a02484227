"""The hub meets news in any order: a pull holds several tills' news, and a bundle may have
carried some of them past the hub. Nothing diverges and nothing is half-applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.app.card_admin import CardAdmin
from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.refunds import Refunds
from terminal.core.customer_form import CustomerForm
from terminal.sync.exchange import SyncExchange
from terminal.sync.hub import HubUnavailable, sync_with_hub
from tests.unit.sync.conftest import balances, file_digest

pytestmark = pytest.mark.postgres


def test_news_carried_past_the_hub_wait_until_their_till_pushes(shop, hub_url, tmp_path: Path):
    one, two, three = shop
    card = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233")).card
    SyncExchange(two).import_file(SyncExchange(one).export(tmp_path / "stick").path)
    sale = Counter(two).checkout(SaleRequest(card=card, amount=100_00))
    Refunds(two).refund(sale.sale_id, 25_00)
    CardAdmin(two).block(card, "Lost")
    sync_with_hub(two, hub_url)  # till 1 has not pushed: its customer is not on the hub

    before = file_digest(three)
    with pytest.raises(HubUnavailable, match="has not pushed"):
        sync_with_hub(three, hub_url, push=False)
    assert file_digest(three) == before

    sync_with_hub(one, hub_url)
    # one pull now holds till 1's and till 2's news; whichever comes first, all of it stands
    assert sync_with_hub(three, hub_url).pulled == 4
    sync_with_hub(one, hub_url)
    assert balances(one) == balances(two) == balances(three)
    for till in shop:
        with till.read_driver() as db:
            assert db.execute("SELECT status FROM card").fetchall() == [("blocked",)]
            assert db.execute("SELECT refunded_amount FROM purchase").fetchall() == [(25_00,)]
        report = Integrity(till).check()
        assert report.ok, report.problems
