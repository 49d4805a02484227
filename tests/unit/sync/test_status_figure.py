"""The counter's status bar figure follows exports and pushes."""

from __future__ import annotations

from pathlib import Path

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.shop_setup import pending_sync_events
from terminal.core.customer_form import CustomerForm
from terminal.sync.exchange import SyncExchange


def test_status_bar_counts_only_events_not_yet_sent(shop, tmp_path: Path):
    one, _two, _ = shop
    card = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233")).card
    Counter(one).checkout(SaleRequest(card=card, amount=100_00))
    assert pending_sync_events(one) == 2
    SyncExchange(one).export(tmp_path / "out")
    assert pending_sync_events(one) == 0
    Counter(one).checkout(SaleRequest(card=card, amount=10_00))
    assert pending_sync_events(one) == 1
