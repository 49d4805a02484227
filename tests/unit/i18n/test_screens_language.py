"""Screens in Ukrainian, driven like a cashier or owner would: the desk's card statuses, the
Backups screen's outcomes, the Devices screen's slip-printer problem — and the status bar, where
a long database path must never push the other facts off a 1366 px screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from terminal.app.card_admin import CardAdmin
from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.slip import PrinterAddress, SlipPrinter
from terminal.app.till import open_till
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.ui.backup_screen import BackupsScreen
from terminal.ui.customer_desk import CustomerDesk
from terminal.ui.main_window import MainWindow
from terminal.ui.services import AppServices
from terminal.ui.shop_devices_screen import ShopDevicesScreen

SHOTS = Path(os.environ.get("LOYALTY_SHOT_DIR", "/tmp"))


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    widget.grab().save(str(SHOTS / name))


def test_desk_names_card_statuses_in_ukrainian(till, qtbot, language) -> None:
    language("uk")
    olena = Enrollment(till).register(CustomerForm("Олена Коваль", "0671234567"))
    Counter(till).checkout(SaleRequest(olena.card, 80_000), new_id())
    new = CardAdmin(till).replace(olena.card).new_card
    desk = CustomerDesk(AppServices(till=till))
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    desk.open_customer(olena.customer_id)
    summary = desk.summary.text()
    assert f"{olena.card} (замінена)" in summary
    assert f"{new} (діє)" in summary
    for english in ("replaced", "active", "blocked"):
        assert english not in summary
    CardAdmin(till).block(new, "загублена")
    desk.open_customer(olena.customer_id)
    assert f"{new} (заблокована)" in desk.summary.text()
    _shot(desk, "desk_uk.png")


def test_backups_screen_says_its_outcomes_in_ukrainian(till, qtbot, language, monkeypatch) -> None:
    language("uk")
    cards = [
        Enrollment(till).register(CustomerForm(f"Клієнт {i}", f"06711100{i:02d}")).card
        for i in range(3)
    ]
    for card in cards[:2]:
        Counter(till).checkout(SaleRequest(card, 15_000), new_id())
    screen = BackupsScreen(AppServices(till=till))
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.mouseClick(screen.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    message = screen.message.text()
    assert message == "Резервну копію створено й перевірено: 3 клієнти, 2 продажі."
    assert "1 резервна копія зберігається в" in screen.detail_line.text()
    _shot(screen, "backup_uk.png")
    screen.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(screen.restore_selected, Qt.MouseButton.LeftButton)
    restored = screen.message.text()
    assert restored.startswith("Відновлено з loyalty-")
    assert ": 3 клієнти, 2 продажі. Попередні дані збережено в" in restored
    assert "Restored" not in restored and "customers" not in restored


def test_devices_screen_reports_a_dead_printer_in_ukrainian(till, qtbot, language) -> None:
    language("uk")
    screen = ShopDevicesScreen(AppServices(till=till))
    qtbot.addWidget(screen)

    def refused(_address: PrinterAddress) -> None:
        raise ConnectionRefusedError("Connection refused")

    screen.slips = SlipPrinter(till, refused)
    screen.slip_on.setChecked(True)
    screen.slip_address.setText("network:192.168.1.50")
    qtbot.mouseClick(screen.slip_test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.slip_test.isEnabled(), timeout=10_000)
    text = screen.slip_status.text()
    assert text.startswith("Принтер чеків (network:192.168.1.50) не під'єднано або вимкнено.")
    assert "slip printer" not in text


@pytest.fixture
def deep_till(tmp_path, clock):  # type: ignore[no-untyped-def]
    folder = tmp_path
    for part in ("Documents", "Shop records", "Kvitka flower shop", "Till number one") * 3:
        folder = folder / part
    opened = open_till(folder / "loyalty.db", clock=clock)
    yield opened
    opened.close()


def test_a_long_database_path_is_elided_in_the_middle(deep_till, qtbot, tmp_path) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(AppServices(till=deep_till), settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.refresh_status()
    qtbot.wait(50)
    path = str(deep_till.db_path)
    label = window.status_db
    assert label.toolTip() == path
    assert path in label.text()
    assert window.width() <= 1366
    bar = window.statusBar()
    for fact in (window.status_backup, window.status_sync, window.status_place):
        assert fact.isVisible()
        assert fact.width() >= fact.sizeHint().width(), fact.text()  # not squeezed
        assert fact.geometry().right() <= bar.width()
    assert label.geometry().right() <= window.status_backup.geometry().left()
    shown = label.shown_text()
    assert "…" in shown and shown.endswith("loyalty.db") and shown.startswith("Database: ")
    _shot(window, "status_bar_long_path.png")
