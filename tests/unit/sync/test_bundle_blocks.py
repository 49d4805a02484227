"""Big bundles are read a block at a time: the result is the same as in one piece, and a bundle
found broken after some of its blocks went in still leaves the database byte-identical."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import terminal.sync.bundle as bundle_module
from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.core.customer_form import CustomerForm
from terminal.sync import apply as apply_module
from terminal.sync.bundle import BundleRefused, open_bundle, sign
from terminal.sync.exchange import SyncExchange, shop_id, shop_key
from tests.unit.sync.conftest import balances, file_digest

SMALL_BLOCKS = 600  # bytes: a bundle of a dozen events spans several blocks


def _sales(till, count: int) -> None:
    for n in range(3):
        card = (
            Enrollment(till)
            .register(CustomerForm(name=f"Customer {n}", phone=f"+38050111220{n}"))
            .card
        )
        for amount in range(count):
            Counter(till).checkout(SaleRequest(card=card, amount=(amount + 1) * 10_00))


def test_a_bundle_read_in_many_blocks_applies_every_event(shop, tmp_path: Path, monkeypatch):
    one, two, _ = shop
    _sales(one, 4)
    monkeypatch.setattr(bundle_module, "CHUNK_BYTES", SMALL_BLOCKS)
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    assert path is not None
    verified = open_bundle(path, shop_key(two), shop_id(two), 1)
    assert len(list(verified.batches())) > 3  # really read in pieces
    imported = SyncExchange(two).import_file(path)
    assert imported.applied == 15
    assert balances(two) == balances(one)
    assert Integrity(two).check().ok, Integrity(two).check().problems


def test_a_run_broken_in_a_late_block_changes_nothing(shop, tmp_path: Path, monkeypatch):
    one, two, _ = shop
    _sales(one, 4)
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    assert path is not None
    lines = gzip.decompress(path.read_bytes()).split(b"\n")
    last = json.loads(lines[-3])
    last["seq"] += 5  # the last event claims a number after a gap
    lines[-3] = json.dumps(last, separators=(",", ":")).encode()
    body = b"\n".join(lines[:-2]) + b"\n"
    broken = tmp_path / "broken.ltb"
    signature = sign(shop_key(one), body).encode()
    broken.write_bytes(gzip.compress(body + b'{"signature":"' + signature + b'"}\n'))

    monkeypatch.setattr(bundle_module, "CHUNK_BYTES", SMALL_BLOCKS)
    fed: list[int] = []
    feed = apply_module.EventApplier.feed

    def counting_feed(self, events):
        fed.append(len(events))
        return feed(self, events)

    monkeypatch.setattr(apply_module.EventApplier, "feed", counting_feed)
    before = file_digest(two)
    with pytest.raises(BundleRefused, match="out of order"):
        SyncExchange(two).import_file(broken)
    assert sum(fed) > 0  # earlier blocks had gone into the transaction
    assert file_digest(two) == before
    assert SyncExchange(two).import_file(path).applied == 15
    assert balances(two) == balances(one)
