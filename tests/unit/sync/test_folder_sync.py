"""Folder sync: tills that only share a folder end up with the same customers and balances;
bad files are refused without stopping the round; the folder, not the last export anywhere,
decides what this till still has to write there."""

from __future__ import annotations

import gzip
import logging
import shutil
from pathlib import Path

import pytest

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.journal import SCHEMA_VERSION
from terminal.app.privacy import Privacy
from terminal.app.till import Till
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import InvalidInput
from terminal.db import journal_archive
from terminal.sync.bundle import read_bundle
from terminal.sync.exchange import SyncExchange, shop_id, shop_key
from terminal.sync.folder import FolderSync, FolderUnavailable
from terminal.sync.preferences import SyncSettings
from tests.unit.sync.conftest import balances, file_digest


def _register(till: Till, name: str, phone: str, amount: int) -> str:
    card = Enrollment(till).register(CustomerForm(name=name, phone=phone)).card
    Counter(till).checkout(SaleRequest(card=card, amount=amount))
    return card


def test_three_tills_converge_through_one_folder(shop, tmp_path: Path):
    one, two, three = shop
    folder = tmp_path / "shared"
    folder.mkdir()
    _register(one, "Olena Koval", "+380501112233", 300_00)
    card = _register(three, "Petro Marchenko", "+380671234567", 120_00)
    FolderSync(three).run_round(folder)
    # till 2 learns of till 3's customer and sells to him: till 2's bundle now builds on 3's
    first = FolderSync(two).run_round(folder)
    assert first.applied == 2 and not first.refused
    Counter(two).checkout(SaleRequest(card=card, amount=80_00))
    FolderSync(two).run_round(folder)
    # till 1 meets till 2's bundle first (name order) and must apply till 3's before it
    round_one = FolderSync(one).run_round(folder)
    assert round_one.refused == ()
    assert round_one.exported == 2
    for till in (two, three):
        FolderSync(till).run_round(folder)
    assert balances(one) == balances(two) == balances(three)
    assert len(balances(one)) == 2
    for till in shop:
        assert Integrity(till).check().ok
    # nothing new: every bundle is skipped by its name, none is opened, nothing is written
    before = file_digest(three)
    quiet = FolderSync(three).run_round(folder)
    assert (quiet.exported, quiet.applied, quiet.files) == (0, 0, ())
    assert quiet.already_applied == len(list(folder.glob("*.ltb"))) - 1  # all but its own
    assert FolderSync(three).last_round() == quiet
    assert file_digest(three) != before  # only the round's record changed...
    assert balances(three) == balances(one)  # ...not the customers


def test_a_bad_file_is_refused_logged_once_and_the_rest_still_applies(
    shop, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    one, two, three = shop
    folder = tmp_path / "shared"
    folder.mkdir()
    _register(one, "Olena Koval", "+380501112233", 300_00)
    _register(three, "Petro Marchenko", "+380671234567", 120_00)
    FolderSync(one).run_round(folder)
    FolderSync(three).run_round(folder)
    good = next(folder.glob("till1-*.ltb"))
    data = gzip.decompress(good.read_bytes()).replace(b"30000", b"90000")
    (folder / "till7-00000000-000000001-000000002.ltb").write_bytes(gzip.compress(data))
    (folder / "copied by hand.ltb").write_bytes(good.read_bytes()[:50])  # cut short
    caplog.set_level(logging.WARNING, logger="sync")
    result = FolderSync(two).run_round(folder)
    assert result.applied == 4  # both good bundles went in
    reasons = {f.name: f.refused.message for f in result.refused}
    assert "signature does not match" in reasons["till7-00000000-000000001-000000002.ltb"]
    assert "damaged or cut short" in reasons["copied by hand.ltb"]
    assert balances(two) == balances(one) | balances(three)
    again = FolderSync(two).run_round(folder)
    assert len(again.refused) == 2 and not again.ok
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 2  # once per file, not once per round


def test_a_manual_export_elsewhere_leaves_no_gap_in_the_folder(shop, tmp_path: Path):
    one, two, _ = shop
    folder = tmp_path / "shared"
    folder.mkdir()
    _register(one, "Olena Koval", "+380501112233", 300_00)
    FolderSync(one).run_round(folder)
    card = _register(one, "Ivan Bondar", "+380931112233", 50_00)
    usb = SyncExchange(one).export(tmp_path / "usb")  # the status bar's figure drops to 0
    assert usb.count == 2 and SyncExchange(one).status().waiting == 0
    Counter(one).checkout(SaleRequest(card=card, amount=70_00))
    written = FolderSync(one).run_round(folder)
    assert written.exported == 3  # the two on the USB stick too: the folder had not got them
    FolderSync(two).run_round(folder)
    assert balances(two) == balances(one)


def test_an_emptied_folder_gets_everything_again(shop, tmp_path: Path):
    one, two, _ = shop
    folder = tmp_path / "shared"
    folder.mkdir()
    _register(one, "Olena Koval", "+380501112233", 300_00)
    FolderSync(one).run_round(folder)
    shutil.rmtree(folder)
    folder.mkdir()
    assert FolderSync(one).run_round(folder).exported == 2
    FolderSync(two).run_round(folder)
    assert balances(two) == balances(one)


def test_an_unplugged_folder_is_reported_and_remembered(shop, tmp_path: Path):
    one, _, _ = shop
    gone = tmp_path / "usb-stick"
    with pytest.raises(FolderUnavailable, match="not available"):
        FolderSync(one).run_round(gone)
    last = FolderSync(one).last_round()
    assert last is not None and last.error is not None and "usb-stick" in last.error.message


def test_the_schedule_says_when_a_round_is_due(shop, tmp_path: Path, clock):
    one, _, _ = shop
    folder = tmp_path / "shared"
    folder.mkdir()
    sync = FolderSync(one)
    assert not sync.due(str(folder), 0)  # off
    assert sync.due(str(folder), 5)  # never ran
    sync.run_round(folder)
    clock.advance(minutes=4)
    assert not sync.due(str(folder), 5)
    clock.advance(minutes=1)
    assert sync.due(str(folder), 5)
    assert sync.due(str(tmp_path), 60)  # another folder: at once


def test_preferences_stay_on_this_till_and_hide_the_password(shop, tmp_path: Path, caplog):
    one, two, _ = shop
    caplog.set_level(logging.DEBUG)
    settings = SyncSettings(one)
    waiting = SyncExchange(one).status().waiting
    saved = settings.set_hub_url("postgresql://owner:s3cret-pw@hub.example:5432/loyalty")
    assert saved.hub_url_masked == "postgresql://owner:***@hub.example:5432/loyalty"
    # the masked address given back (host changed) keeps the password
    settings.set_hub_url("postgresql://owner:***@hub2.example:5432/loyalty")
    assert settings.hub_url() == "postgresql://owner:s3cret-pw@hub2.example:5432/loyalty"
    with pytest.raises(InvalidInput, match="postgresql://"):
        settings.set_hub_url("mysql://owner@hub/loyalty")
    settings.set_folder_sync(str(tmp_path), 15)
    assert settings.current().minutes == 15
    with pytest.raises(InvalidInput):
        settings.set_folder_sync(str(tmp_path / "missing"), 15)
    with pytest.raises(InvalidInput):
        settings.set_folder_sync(str(tmp_path), 7)
    # not journaled: nothing waits to travel, and another till never gets them
    assert SyncExchange(one).status().waiting == waiting
    FolderSync(one).run_round(tmp_path)
    FolderSync(two).run_round(tmp_path)
    assert SyncSettings(two).current().has_hub is False
    assert "s3cret-pw" not in caplog.text


def test_folder_sync_reads_the_names_bundle_files_get():
    """Skipping applied bundles unopened and finding this till's own depend on the file name
    ``bundle_name`` gives: if that format changes, this fails instead of every round quietly
    re-exporting everything."""
    from terminal.sync.bundle import Manifest, bundle_name
    from terminal.sync.folder import _parse

    manifest = Manifest("shop", "01a2080d-aaaa-7bbb-8ccc-123456789abc", 12, 5, 40, 36, 1, "now")
    named = _parse(Path(bundle_name(manifest)))
    assert (named.number, named.prefix, named.first, named.last) == (12, "01a2080d", 5, 40)


def test_an_erasure_reaches_the_bundles_in_the_folder_and_they_still_verify(shop, tmp_path: Path):
    one, two, three = shop
    folder = tmp_path / "shared"
    folder.mkdir()
    card = _register(one, "Olena Koval", "+380501112233", 300_00)
    FolderSync(one).run_round(folder)
    FolderSync(two).run_round(folder)

    def folder_text() -> bytes:
        return b"".join(gzip.decompress(p.read_bytes()) for p in sorted(folder.glob("*.ltb")))

    assert b"Olena Koval" in folder_text()
    Privacy(two).erase(card)
    FolderSync(two).run_round(folder)  # sends the erasure, blanks her in till 1's bundle too
    assert b"Olena Koval" not in folder_text()
    assert b"+380501112233" not in folder_text()
    with two.read_driver() as db:
        assert journal_archive.folder_scrubs(db) == []
    for path in folder.glob("*.ltb"):  # signed again under the shop's key: every till takes them
        read_bundle(path, shop_key(two), shop_id(two), SCHEMA_VERSION)
    # a till that meets the folder only now never receives her, and ends up the same
    FolderSync(three).run_round(folder)
    FolderSync(one).run_round(folder)
    with three.read_driver() as db:
        archived = [e["payload"] for e in journal_archive.events(db, one.terminal_id)]
    assert archived and not any("Olena Koval" in p for p in archived)
    assert balances(one) == balances(two) == balances(three)
    for till in shop:
        assert Integrity(till).check().ok
