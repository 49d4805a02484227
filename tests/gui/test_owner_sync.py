"""Settings → Sync as the owner uses it: a bundle exported with the button is imported on the
second till through its screen and the customer is there with the same balance; a changed
bundle is refused in plain words and changes nothing; the folder-sync timer runs a round and
the screen says so; a new till joins from a pairing file; a cashier cannot open the screen."""

from __future__ import annotations

import errno
import gzip
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.refunds import Refunds
from terminal.app.shop_setup import ShopSetup, pending_sync_events
from terminal.app.staff import StaffRoster
from terminal.app.till import Till, open_till
from terminal.core.checkout import MAX
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import CardNotFound
from terminal.i18n_text import error_text, install_translations, remove_translations
from terminal.sync import bundle as bundle_module
from terminal.sync.bundle import BundleRefused
from terminal.sync.exchange import SyncExchange
from terminal.sync.pairing import create_pairing, join_pairing
from terminal.sync.preferences import SyncSettings
from terminal.ui.access import install_access
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.first_start import FirstStartDialog
from terminal.ui.main_window import MainWindow
from terminal.ui.services import AppServices
from terminal.ui.sync_screen import FolderSyncScheduler, SyncScreen
from tests.gui.driving import when_modal
from tests.gui.test_owner_access import type_pin, with_pin_dialog
from tests.unit.sync.conftest import file_digest
from tests.unit.sync.helpers import twins_of_one_pairing_file


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """English as the app starts it (English plurals: "1 event", "4 events"), none after."""
    app = QApplication.instance()
    install_translations(app, "en")
    yield
    remove_translations(app)


@pytest.fixture
def second(till, tmp_path: Path, clock) -> Iterator[Till]:  # type: ignore[no-untyped-def]
    """Till 2 of the same shop, paired the way the owner pairs it."""
    create_pairing(till, 2, tmp_path / "till2.pair")
    other = open_till(tmp_path / "two" / "loyalty.db", clock=clock)
    join_pairing(other, tmp_path / "till2.pair")
    yield other
    other.close()


def _customer(till: Till) -> str:
    card = Enrollment(till).register(CustomerForm(name="Olena Koval", phone="+380501112233")).card
    Counter(till).checkout(SaleRequest(card=card, amount=450_00))
    return card


def _balance(till: Till, card: str) -> tuple[str, int]:
    found = Customers(till).by_card(card)
    return found.name, found.balance


def _screen(qtbot, till: Till) -> SyncScreen:  # type: ignore[no-untyped-def]
    screen = SyncScreen(AppServices(till=till))
    qtbot.addWidget(screen)
    screen.show()
    return screen


def _owner_window(qtbot, till: Till, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    StaffRoster(till).set_first_owner("Olena", "2468")
    services = AppServices(till=till)
    install_access(services)
    w = MainWindow(services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.all_loaded)
    return w


def _click_and_wait(qtbot, screen: SyncScreen, button) -> str:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled()  # off while the work runs in the background
    qtbot.waitUntil(lambda: not screen.busy, timeout=10_000)
    return screen.message.text()


def test_a_bundle_exported_with_the_button_brings_the_customer_to_the_second_till(
    qtbot, till, second, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    card = _customer(till)
    w = _owner_window(qtbot, till, tmp_path)
    with_pin_dialog(qtbot, lambda d: type_pin(qtbot, d, "2468"))
    w.show_screen("sync")
    screen = w.current_screen()
    assert isinstance(screen, SyncScreen)
    assert screen.till_line.text().startswith("This is till 1 of My shop.")
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    said = _click_and_wait(qtbot, screen, screen.export_button)
    bundle = next(usb.glob("*.ltb"))
    # the registration, the sale, and the owner's name (staff.named)
    assert said == f"Exported 3 events to {bundle}."
    assert screen.sent_line.text().endswith("— 3 events, exported to a bundle.")
    assert "0 waiting for sync" in screen.till_line.text()

    other = _screen(qtbot, second)
    assert other.received_line.text() == "Nothing received yet."
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bundle), ""))
    said = _click_and_wait(qtbot, other, other.import_button)
    assert said == "Till 1: 3 new events applied."
    name, balance = _balance(second, card)
    assert (name, balance) == _balance(till, card) and name == "Olena Koval" and balance > 0
    assert other.received_line.text().endswith("— 3 events from till 1, imported from a bundle.")
    assert other.peers.item(0, 0).text() == "Till 1"
    assert other.peers.item(0, 1).text() == "event no. 3"


def test_a_changed_bundle_is_refused_in_plain_words_and_changes_nothing(
    qtbot, till, second, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    card = _customer(till)
    screen = _screen(qtbot, till)
    usb = tmp_path / "usb"
    screen.export_to(usb)
    qtbot.waitUntil(lambda: not screen.busy)
    bundle = next(usb.glob("*.ltb"))
    changed = tmp_path / "changed.ltb"
    changed.write_bytes(
        gzip.compress(gzip.decompress(bundle.read_bytes()).replace(b"45000", b"95000"))
    )
    other = _screen(qtbot, second)
    before = file_digest(second)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(changed), ""))
    said = _click_and_wait(qtbot, other, other.import_button)
    assert said == (
        "The bundle's signature does not match: the file was changed after export, or it was "
        "made with another shop's key."
    )
    assert "B42318" in other.message.styleSheet()  # said in red
    assert file_digest(second) == before
    with pytest.raises(CardNotFound):
        Customers(second).by_card(card)
    assert other.import_button.isEnabled()


def test_a_full_usb_stick_is_said_in_plain_words_and_the_news_wait_for_the_next_export(
    qtbot, till, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    _customer(till)
    screen = _screen(qtbot, till)
    usb = tmp_path / "usb"
    real_fsync = os.fsync

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle_module.os, "fsync", full)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    said = _click_and_wait(qtbot, screen, screen.export_button)
    assert said == (
        f"The bundle could not be written to {usb}: the disk is full. Nothing was marked as "
        "sent; free some space there or choose another folder."
    )
    assert "B42318" in screen.message.styleSheet()  # said in red
    assert list(usb.iterdir()) == []
    monkeypatch.setattr(bundle_module.os, "fsync", real_fsync)  # the owner frees some space
    said = _click_and_wait(qtbot, screen, screen.export_button)
    assert said.startswith("Exported 2 events to ")  # the same news, whole


def test_the_folder_timer_runs_a_round_and_the_screen_shows_it(
    qtbot, till, second, tmp_path, clock
):  # type: ignore[no-untyped-def]
    card = _customer(till)
    shared = tmp_path / "shared"
    shared.mkdir()
    for one in (till, second):
        SyncSettings(one).set_folder_sync(str(shared), 5)
    services = AppServices(till=second)
    screen = SyncScreen(services)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.folder_result.text() == "Folder sync has not run yet."
    assert screen.interval.currentText() == "every 5 minutes"
    # till 1's timer writes its news to the folder, then till 2's timer picks them up
    first = FolderSyncScheduler(AppServices(till=till), check_ms=20)
    first.start(first_check_ms=0)
    qtbot.waitUntil(lambda: any(shared.glob("till1-*.ltb")), timeout=10_000)
    first.timer.stop()
    scheduler = FolderSyncScheduler(services, check_ms=20)
    scheduler.start(first_check_ms=0)
    qtbot.waitUntil(lambda: "received" in screen.folder_result.text(), timeout=10_000)
    assert screen.folder_result.text() == (
        "Last folder sync: Monday, 2 March 2026 10:00 — sent 0 events, received 2 events."
    )
    assert _balance(second, card) == _balance(till, card)
    # the next round waits for the interval: nothing runs before five minutes are up
    text = screen.folder_result.text()
    clock.advance(minutes=3)
    qtbot.wait(200)
    assert screen.folder_result.text() == text
    clock.advance(minutes=2)
    qtbot.waitUntil(lambda: "10:05" in screen.folder_result.text(), timeout=10_000)
    scheduler.timer.stop()


def test_the_server_password_is_never_shown_again_and_a_dead_server_is_one_sentence(
    qtbot, till, caplog
):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    screen = _screen(qtbot, till)
    assert not screen.hub_button.isEnabled()  # no address yet
    screen.hub_address.setFocus()
    qtbot.keyClicks(screen.hub_address, "postgresql://owner:Very-S3cret@127.0.0.1:1/loyalty")
    qtbot.keyClick(screen.hub_address, Qt.Key.Key_Return)
    assert screen.message.text() == "Sync server address saved."
    assert screen.hub_address.text() == "postgresql://owner:***@127.0.0.1:1/loyalty"
    said = _click_and_wait(qtbot, screen, screen.hub_button)
    assert said.startswith("Cannot reach the sync server:")
    assert said.endswith("Sales go on; try again later.")
    assert "Very-S3cret" not in said + caplog.text + screen.hub_address.text()


def test_a_new_till_joins_from_a_pairing_file_made_on_the_screen(
    qtbot, till, tmp_path, clock, monkeypatch
):  # type: ignore[no-untyped-def]
    _customer(till)
    screen = _screen(qtbot, till)
    assert not screen.join_button.isEnabled()  # this till has customers of its own
    assert screen.pair_number.value() == 2
    pairing = tmp_path / "till2.pair"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pairing), ""))
    said = _click_and_wait(qtbot, screen, screen.pair_button)
    assert said.startswith(f"Pairing file for till 2 written to {pairing}.")
    assert screen.pair_number.value() == 3  # 2 is issued now
    assert screen.peers.item(0, 1).text() == "paired here; no news from it yet"
    new = open_till(tmp_path / "new" / "loyalty.db", clock=clock)
    try:
        fresh = _screen(qtbot, new)
        assert fresh.join_button.isEnabled()
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(pairing), ""))
        said = _click_and_wait(qtbot, fresh, fresh.join_button)
        assert said.startswith("This is now till 2 of My shop.")
        assert fresh.till_line.text().startswith("This is till 2 of My shop.")
        # the refusals of the sync layer are said in the till's language
        install_translations(QApplication.instance(), "ru")
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pairing), ""))
        screen.pair_number.setValue(2)
        said = _click_and_wait(qtbot, screen, screen.pair_button)
        assert said == "Номер кассы 2 в этом магазине уже занят."
    finally:
        new.close()


def test_a_cashier_cannot_open_the_sync_screen(qtbot, till, tmp_path):  # type: ignore[no-untyped-def]
    w = _owner_window(qtbot, till, tmp_path)
    assert w.services.access.current_role() == "cashier"
    with_pin_dialog(qtbot, lambda d: None)  # does not know the PIN: cancels
    w.show_screen("sync")
    assert isinstance(w.current_screen(), CounterScreen)
    assert "sync" not in w.pages
    seen = with_pin_dialog(qtbot, lambda d: type_pin(qtbot, d, "0000"))
    qtbot.keyClick(w, Qt.Key.Key_F9, Qt.KeyboardModifier.ControlModifier)  # its key asks too
    assert seen == ["Wrong PIN. Tries left before a 5-minute lock: 4."]
    assert "sync" not in w.pages


def test_a_sale_refunded_on_both_tills_offline_is_shown_to_the_owner_with_the_money(
    qtbot, till, second, tmp_path
):  # type: ignore[no-untyped-def]
    card = Enrollment(till).register(CustomerForm(name="Olena Koval", phone="+380501112233")).card
    sale_id = Counter(till).checkout(SaleRequest(card=card, amount=450_00)).sale_id
    bundle = SyncExchange(till).export(tmp_path / "first").path
    SyncExchange(second).import_file(bundle)
    Refunds(till).refund(sale_id, 300_00)  # both tills offline: each knows 450.00 is left
    Refunds(second).refund(sale_id, 250_00)
    SyncExchange(till).import_file(SyncExchange(second).export(tmp_path / "two").path)
    screen = _screen(qtbot, till)
    assert screen.conflicts_box.title() == "Conflicts to look at (2)"
    texts = [screen.conflicts.item(row, 2).text() for row in range(2)]
    assert (
        "A sale of 450.00\xa0₴ was refunded on two tills while offline: 100.00\xa0₴ more than "
        "its check "
        "went back. Both refunds stand; the sale cannot be refunded again."
    ) in texts
    assert screen.conflicts.item(0, 1).text() == "Olena Koval"


def test_the_owner_marks_a_conflict_dealt_with_and_it_leaves_the_list(
    qtbot, till, second, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    card = Enrollment(till).register(CustomerForm(name="Olena Koval", phone="+380501112233")).card
    sale_id = Counter(till).checkout(SaleRequest(card=card, amount=450_00)).sale_id
    SyncExchange(second).import_file(SyncExchange(till).export(tmp_path / "first").path)
    Refunds(till).refund(sale_id, 300_00)
    Refunds(second).refund(sale_id, 250_00)
    SyncExchange(till).import_file(SyncExchange(second).export(tmp_path / "two").path)
    screen = _screen(qtbot, till)
    assert screen.conflicts_box.title() == "Conflicts to look at (2)"
    assert not screen.settle_button.isEnabled()  # nothing chosen yet
    first_row = screen.conflicts.visualItemRect(screen.conflicts.item(0, 2)).center()
    qtbot.mouseClick(screen.conflicts.viewport(), Qt.MouseButton.LeftButton, pos=first_row)
    assert screen.settle_button.isEnabled()
    chosen = screen.conflicts.item(0, 2).text()
    chosen_id = screen.overview.conflicts[0].conflict_id
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def answer(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", answer)
    qtbot.mouseClick(screen.settle_button, Qt.MouseButton.LeftButton)  # cancelled: stays
    assert screen.conflicts_box.title() == "Conflicts to look at (2)"
    assert _click_and_wait(qtbot, screen, screen.settle_button) == (
        "1 conflict marked as dealt with."
    )
    assert asked[-1].startswith("1 conflict will leave the list")
    qtbot.waitUntil(lambda: screen.conflicts_box.title() == "Conflicts to look at (1)")
    assert screen.conflicts.item(0, 2).text() != chosen
    # the other till hears of it with this till's next news
    SyncExchange(second).import_file(SyncExchange(till).export(tmp_path / "three").path)
    left = [row["id"] for row in SyncExchange(second).conflicts()]
    assert len(left) == 1 and chosen_id not in left


def test_points_used_twice_show_the_shortfall_now_and_say_when_it_was_made_good(
    qtbot, till, second, tmp_path
):  # type: ignore[no-untyped-def]
    card = Enrollment(till).register(CustomerForm(name="Olena Koval", phone="+380501112233")).card
    Counter(till).checkout(SaleRequest(card=card, amount=500_00))
    SyncExchange(second).import_file(SyncExchange(till).export(tmp_path / "first").path)
    first = Counter(till).checkout(SaleRequest(card=card, amount=300_00, redeem=MAX))
    other = Counter(second).checkout(SaleRequest(card=card, amount=300_00, redeem=MAX))
    SyncExchange(till).import_file(SyncExchange(second).export(tmp_path / "two").path)
    screen = _screen(qtbot, till)
    said = screen.conflicts.item(0, 2).text()
    assert first.points_redeemed == other.points_redeemed  # every point, once on each till
    owed = -Customers(till).find(card).balance  # what the next points given pay back
    assert owed > 0 and f"{owed} points are still owed" in said, said
    Refunds(till).refund(other.sale_id)  # both sales go back: the points with them
    Refunds(till).refund(first.sale_id)
    screen.refresh()
    assert screen.conflicts.item(0, 2).text() == (
        "Points were used twice on two tills while offline (spent, or taken back by two "
        "refunds of one sale); nothing is owed now."
    )


def test_one_pairing_file_used_on_two_tills_is_told_with_what_to_do(qtbot, till, tmp_path, clock):  # type: ignore[no-untyped-def]
    with twins_of_one_pairing_file(till, 2, tmp_path, clock) as twins:
        for twin in twins:
            bundle = SyncExchange(twin).export(tmp_path / twin.terminal_id).path
            SyncExchange(till).import_file(bundle)
        screen = _screen(qtbot, till)
        assert screen.conflicts.item(0, 2).text() == (
            "Two tills both call themselves till 2: one pairing file was used on both, so the "
            "cards they give out can get the same numbers. Make a pairing file with a new "
            "number here and join it on one of the two: that till takes the new number."
        )
        # on one of the two: the join button takes the new number
        twin = _screen(qtbot, twins[1])
        news = SyncExchange(twins[0]).export(tmp_path / "t0", since=0).path
        SyncExchange(twins[1]).import_file(news)
        twin.refresh()
        assert twin.join_hint.text().startswith("Another till of the shop has this till's number")
        assert twin.join_button.isEnabled()
        assert twin.pair_number.value() == 3  # not 1, though this till has not heard of till 1
        create_pairing(till, 5, tmp_path / "till5.pair")
        twin.join_from(tmp_path / "till5.pair")
        qtbot.waitUntil(lambda: not twin.busy)
        assert twin.message.text() == (
            "This is now till 5 (it was till 2): the cards it gives from now on carry the new "
            "number. The other tills learn it with this till's next news."
        )
        twin.refresh()
        assert not twin.join_button.isEnabled()


def test_with_no_conflicts_the_button_keeps_its_size(qtbot, till):  # type: ignore[no-untyped-def]
    screen = _screen(qtbot, till)
    screen.resize(1366, 768)
    screen.refresh()
    assert screen.conflicts_box.title() == "Conflicts to look at: none"
    assert not screen.settle_button.isEnabled()
    assert screen.settle_button.width() < screen.width() // 4  # not a bar across the screen


def test_a_new_till_joins_its_shop_from_the_first_start_screen(qtbot, till, tmp_path, clock):
    ShopSetup(till).save("Kava & Co", "EUR", 1)
    create_pairing(till, 2, tmp_path / "till2.pair")
    new = open_till(tmp_path / "two" / "loyalty.db", clock=clock)
    try:
        dialog = FirstStartDialog(new)
        qtbot.addWidget(dialog)
        dialog.show()
        join = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Join a shop…")
        assert join.isVisible()
        said: list[str] = []
        when_modal(qtbot, QMessageBox, lambda box: (said.append(box.text()), box.accept()))
        dialog.join_from(tmp_path / "till2.pair")
        assert said and said[0].startswith("This is now till 2 of Kava & Co.")
        assert dialog.result() == FirstStartDialog.DialogCode.Accepted
        shop = ShopSetup(new).current()
        # the shop's answers, not the first start's again, and nothing of its own to send
        assert (shop.shop_name, shop.currency, shop.till_number, shop.configured) == (
            "Kava & Co",
            "EUR",
            2,
            True,
        )
        assert pending_sync_events(new) == 0
        # and it hears the shop's news like any paired till
        card = _customer(till)
        SyncExchange(new).import_file(SyncExchange(till).export(tmp_path / "out").path)
        assert _balance(new, card)[0] == "Olena Koval"
    finally:
        new.close()


def test_a_till_set_up_as_a_shop_of_its_own_is_told_how_joining_is_done(qtbot, till, tmp_path):
    create_pairing(till, 2, tmp_path / "till2.pair")
    other = open_till(tmp_path / "two" / "loyalty.db")
    try:
        ShopSetup(other).save("My shop", "UAH", 1)  # the first start answered, not joined
        screen = _screen(qtbot, other)
        qtbot.waitUntil(lambda: "first-start screen" in screen.join_hint.text())
        assert not screen.join_button.isEnabled()
        with pytest.raises(BundleRefused) as refused:
            join_pairing(other, tmp_path / "till2.pair")
        assert "set up as a shop of its own" in error_text(refused.value)
        assert ShopSetup(other).current().shop_name == "My shop"
    finally:
        other.close()
