"""The main window: built from the screen registry, keyboard-reachable, status bar, geometry,
the first-start questions."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from terminal.app.card_stock import CardStock
from terminal.app.shop_setup import ShopSetup
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.customer_desk import CustomerDesk
from terminal.ui.first_start import FirstStartDialog
from terminal.ui.main_window import MainWindow
from terminal.ui.screens import screens
from terminal.ui.services import AppServices


def make(qtbot, till, settings: QSettings) -> MainWindow:
    w = MainWindow(AppServices(till=till), settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def test_counter_comes_first_and_every_registered_screen_has_its_key(qtbot, till, tmp_path):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    w = make(qtbot, till, settings)
    keys = {spec.key: spec.shortcut for spec in screens()}
    assert keys["counter"] == "F1" and keys["customers"] == "F2"
    assert isinstance(w.current_screen(), CounterScreen)
    qtbot.waitUntil(lambda: w.all_loaded)  # other screens load right after the first paint
    assert set(w.nav_buttons) == set(keys)
    # cashier screens are tabs; the owner's are in the Owner menu, each with its key shown
    owner_entries = [a.text() for a in w.owner_menu.actions() if not a.isSeparator()]
    for spec in screens():
        if spec.owner_only:
            assert f"{spec.title()}\t{spec.shortcut}" in owner_entries
        else:
            assert w.nav_buttons[spec.key].text() == f"{spec.title()}  {spec.shortcut}"
    assert owner_entries[-1] == "Shop details\tCtrl+,"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F9)
    assert w.current_key == "backups"
    assert w.owner_button.isChecked() and "Backups" in w.owner_button.text()
    assert w.nav_buttons["backups"].isChecked() and not w.nav_buttons["counter"].isChecked()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F2)
    assert isinstance(w.current_screen(), CustomerDesk)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    assert isinstance(w.current_screen(), CounterScreen)
    assert w.current_screen().sale.amount.hasFocus()  # back at the counter: ready to scan


def test_status_bar_names_the_shop_till_database_backup_and_sync(qtbot, till, tmp_path) -> None:
    ShopSetup(till).save("Kava & Co", "UAH", 2)
    w = make(qtbot, till, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.waitUntil(lambda: w.status_place.text() == "Kava & Co · Till 2")  # after first paint
    assert str(till.db_path) in w.status_db.text()
    assert w.status_backup.text().startswith("Last backup: —")
    assert "overdue" in w.status_backup.text()  # a new shop has no backup yet: say so
    before = w.status_sync.text()
    CardStock(till).reserve(2)
    w.services.announce("card")
    assert w.status_sync.text() != before and w.status_sync.text().startswith("Waiting for sync:")


def test_window_geometry_is_remembered(qtbot, till, tmp_path) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    w = make(qtbot, till, settings)
    w.resize(1024, 700)  # the offscreen screen is small; the default would be 640 high
    w.close()
    again = make(qtbot, till, settings)
    assert (again.width(), again.height()) == (1024, 700)


def test_window_fits_1366x768_and_scales_to_1920x1080(qtbot, till, tmp_path) -> None:
    w = make(qtbot, till, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    hint = w.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768
    w.resize(1920, 1080)
    qtbot.waitUntil(lambda: w.width() == 1920)
    counter = w.current_screen()
    assert counter.sale.width() > 800  # the panels grow with the screen


def test_first_start_asks_shop_currency_and_till_then_locks_the_till_number(qtbot, till) -> None:
    dialog = FirstStartDialog(till)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.shop_name.text() == ""
    qtbot.keyClick(dialog.shop_name, Qt.Key.Key_Return)
    assert "shop's name" in dialog.message.text() and dialog.result() == 0
    qtbot.keyClicks(dialog.shop_name, "Kava & Co")
    dialog.currency.setCurrentIndex(dialog.currency.findData("EUR"))
    dialog.till_number.setValue(4)
    qtbot.keyClick(dialog.shop_name, Qt.Key.Key_Return)
    assert dialog.result() == 1
    shop = ShopSetup(till).current()
    assert (shop.shop_name, shop.currency, shop.till_number, shop.configured) == (
        "Kava & Co",
        "EUR",
        4,
        True,
    )
    CardStock(till).reserve(1)
    locked = FirstStartDialog(till, first=False)
    qtbot.addWidget(locked)
    assert not locked.till_number.isEnabled()


def test_a_clock_set_back_is_shown_in_red_in_place_of_the_database_path(
    qtbot, till, tmp_path, clock
) -> None:
    ShopSetup(till).save("Kava & Co", "UAH", 1)  # the till's last entry: 2 March 2026, 10:00
    w = make(qtbot, till, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    w.resize(1366, 768)
    qtbot.waitUntil(lambda: w.status_place.text() == "Kava & Co · Till 1")
    assert w.status_db.isVisible() and not w.status_clock.isVisible()
    clock.advance(minutes=-5)  # put right by a few minutes: ordinary, nothing said
    w.refresh_status()
    assert not w.status_clock.isVisible()
    clock.set(datetime(2000, 1, 1, 9, 30))  # a flat clock battery
    w.refresh_status()
    assert w.status_clock.isVisible() and not w.status_db.isVisible()
    said = w.status_clock.text()  # dates as the window's locale writes them
    assert said.startswith("Clock set back to ") and "2000 09:30" in said
    assert said.endswith(": set the date and time")
    qtbot.waitUntil(lambda: w.status_clock.shown_text() == said)  # whole at 1366 px
    why = w.status_clock.toolTip()
    assert why.startswith("This till's last entry was made at ") and "2026 10:00" in why
    assert "B42318" in w.status_clock.styleSheet()
    clock.set(datetime(2026, 3, 2, 10, 30))  # put right
    w.refresh_status()
    assert w.status_db.isVisible() and not w.status_clock.isVisible()


def test_the_owner_menu_lists_its_screens_in_key_order(qtbot, till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """F6, F7, F8 … F12, then Ctrl+F9, Ctrl+F10: the owner finds a key where they expect it."""
    w = make(qtbot, till, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.waitUntil(lambda: w.all_loaded)
    keys = [
        a.text().split("\t")[1]
        for a in w.owner_menu.actions()
        if not a.isSeparator() and a is not w.shop_action
    ]

    def place(key: str) -> tuple[bool, int]:
        return key.startswith("Ctrl+"), int(key.rsplit("F", 1)[1])

    assert keys == sorted(keys, key=place), keys
    assert keys[0] == "F6" and keys[-1] == "Ctrl+F10"
