"""The counter keeps selling while a bundle is being written; the sale goes in the next one."""

from __future__ import annotations

from pathlib import Path

import terminal.sync.exchange as exchange_module
from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.core.customer_form import CustomerForm
from terminal.sync.exchange import SyncExchange
from tests.unit.sync.conftest import balances


def test_a_sale_made_while_a_bundle_is_written_goes_in_the_next_bundle(
    shop, tmp_path: Path, monkeypatch
):
    one, two, _ = shop
    card = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233")).card
    Counter(one).checkout(SaleRequest(card=card, amount=100_00))
    lines = exchange_module._event_line_chunks
    sold_meanwhile = []

    def selling_while_writing(db, terminal_id, since, until):
        # the file is being written: a customer pays at the counter of the same till
        sold_meanwhile.append(Counter(one).checkout(SaleRequest(card=card, amount=30_00)))
        yield from lines(db, terminal_id, since, until)

    monkeypatch.setattr(exchange_module, "_event_line_chunks", selling_while_writing)
    first = SyncExchange(one).export(tmp_path / "a")
    monkeypatch.undo()
    assert len(sold_meanwhile) == 1
    assert first.count == 2  # the registration and the first sale
    second = SyncExchange(one).export(tmp_path / "b")
    assert (second.first_seq, second.count) == (3, 1)
    for bundle in (first, second):
        assert bundle.path is not None
        SyncExchange(two).import_file(bundle.path)
    assert balances(two) == balances(one)
