"""Big bundles are read a block at a time: the result is the same as in one piece, and a bundle
found broken after some of its blocks went in still leaves the database byte-identical."""

from __future__ import annotations

import gzip
import json
import threading
import time
from pathlib import Path

import pytest

import terminal.sync.bundle as bundle_module
from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.core.customer_form import CustomerForm
from terminal.db import journal_archive
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


def _changed_without_signing(path: Path, out: Path, change) -> Path:
    """The bundle with its text edited and the old signature left in place (a hand edit)."""
    lines = gzip.decompress(path.read_bytes()).split(b"\n")
    out.write_bytes(gzip.compress(b"\n".join(change(lines))))
    return out


def test_a_hand_edit_that_breaks_a_late_block_is_refused_for_the_edit(
    shop, tmp_path: Path, monkeypatch
):
    """The file is read while its signature is computed: an edit that makes a late event look
    out of order (or that clashes with a row) is reported as what it is, a changed file."""
    one, two, _ = shop
    _sales(one, 4)
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    assert path is not None

    def late_gap(lines: list[bytes]) -> list[bytes]:
        last = json.loads(lines[-3])
        last["seq"] += 5
        return [*lines[:-3], json.dumps(last, separators=(",", ":")).encode(), *lines[-2:]]

    def earlier_start(lines: list[bytes]) -> list[bytes]:
        return [lines[0].replace(b'"first_seq":1', b'"first_seq":3'), *lines[1:]]

    monkeypatch.setattr(bundle_module, "CHUNK_BYTES", SMALL_BLOCKS)
    before = file_digest(two)
    for name, change in (("gap.ltb", late_gap), ("manifest.ltb", earlier_start)):
        edited = _changed_without_signing(path, tmp_path / name, change)
        with pytest.raises(BundleRefused, match="signature does not match"):
            SyncExchange(two).import_file(edited)
        assert file_digest(two) == before
    assert SyncExchange(two).import_file(path).applied == 15


def test_a_bundle_in_several_gzip_members_or_padded_with_zeros_reads_as_one(shop, tmp_path: Path):
    """What ``gzip`` accepts is accepted: a file re-compressed in parts by a copying tool, or
    padded with zero bytes by a memory card, is the same bundle."""
    one, two, three = shop
    _sales(one, 2)
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    assert path is not None
    text = gzip.decompress(path.read_bytes())
    middle = len(text) // 2
    parts = tmp_path / "parts.ltb"
    parts.write_bytes(gzip.compress(text[:middle]) + gzip.compress(text[middle:]))
    padded = tmp_path / "padded.ltb"
    padded.write_bytes(path.read_bytes() + bytes(512))
    assert SyncExchange(two).import_file(parts).applied == 9
    assert SyncExchange(three).import_file(padded).applied == 9
    assert balances(two) == balances(one) == balances(three)
    # each file is archived as it arrived, and the archive reads it back (erasure and the
    # cursor read it there)
    for till in (two, three):
        with till.read_driver() as db:
            archived = [e["seq"] for e in journal_archive.events(db, one.terminal_id)]
        assert archived == list(range(1, 10))


def test_a_bundle_left_unread_stops_its_reading_thread(shop, tmp_path: Path, monkeypatch):
    """Folder sync opens bundles all day: one refused before its end must not leave a thread
    (and the file's text) behind."""
    one, two, _ = shop
    _sales(one, 4)
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    assert path is not None
    monkeypatch.setattr(bundle_module, "CHUNK_BYTES", SMALL_BLOCKS)

    def readers() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == "bundle-inflate"]

    with open_bundle(path, shop_key(two), shop_id(two), 1) as opened:
        next(opened.batches())
        assert readers()  # still reading ahead
    deadline = time.monotonic() + 5
    while readers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not readers()
