"""Screens in Ukrainian, driven like a cashier or owner would: the desk's card statuses, the
Backups screen's outcomes, the Devices screen's slip-printer problem — and the status bar, where
a long database path must never push the other facts off a 1366 px screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from terminal.app.card_admin import CardAdmin
from terminal.app.card_stock import CardStock
from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.slip import PrinterAddress, SlipPrinter
from terminal.app.till import open_till
from terminal.core.cards import display_card_number
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.ledger_reasons import reason_text
from terminal.ui.backup_screen import BackupsScreen
from terminal.ui.cards_screen import CardsScreen
from terminal.ui.customer_desk import CustomerDesk
from terminal.ui.services import AppServices
from terminal.ui.shop_devices_screen import ShopDevicesScreen
from tests.gui.driving import show_main_window

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
    assert f"{display_card_number(olena.card)} (замінена)" in summary  # 2010 0000 0001 4
    assert f"{display_card_number(new)} (діє)" in summary
    for english in ("replaced", "active", "blocked"):
        assert english not in summary
    CardAdmin(till).block(new, "загублена")
    desk.open_customer(olena.customer_id)
    assert f"{display_card_number(new)} (заблокована)" in desk.summary.text()
    header = desk.sales.horizontalHeader()
    metrics = header.fontMetrics()
    for section in range(header.count()):  # translated headings stay whole at 1366 px
        text = desk.sales_model.headerData(section, Qt.Orientation.Horizontal)
        assert header.sectionSize(section) >= metrics.horizontalAdvance(text), text
    _shot(desk, "desk_uk.png")


def test_desk_points_history_gives_the_programs_reasons_in_ukrainian(till, qtbot, language) -> None:
    language("uk")
    olena = Enrollment(till).register(CustomerForm("Олена Коваль", "0671234567"))
    desk = CustomerDesk(AppServices(till=till))
    qtbot.addWidget(desk)
    desk.open_customer(olena.customer_id)
    model = desk.ledger_model
    reason = model.columns.index(next(c for c in model.columns if c.header == "Reason"))
    shown = [model.index(row, reason).data() for row in range(model.rowCount())]
    assert shown == ["Вітальний бонус"]


def test_the_programs_ledger_reasons_are_translated_typed_ones_are_not(language) -> None:
    language("ru")
    assert reason_text("Referred Олена") == "Пригласил(а): Олена"
    assert reason_text("expired 2026-03-31") == "Срок истёк 31.03.2026"
    assert reason_text("birthday bonus taken back: sale refunded in full") == (
        "Бонус на день рождения списан: покупка возвращена полностью"
    )
    assert reason_text("Opening balance imported from old.csv") == (
        "Начальный баланс загружен из old.csv"
    )
    assert reason_text("потерян чек от 12 мая") == "потерян чек от 12 мая"


def test_cards_screen_counts_saved_numbers_in_ukrainian(
    till, qtbot, language, monkeypatch, tmp_path
) -> None:
    language("uk")
    CardStock(till).reserve(2)
    screen = CardsScreen(AppServices(till=till))
    qtbot.addWidget(screen)
    out = tmp_path / "numbers.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(screen.csv_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == f"2 номери карток збережено в {out}"


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
    window = show_main_window(qtbot, AppServices(till=deep_till), tmp_path, activate=False)
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


def test_the_pin_lock_time_is_written_the_locales_way(language) -> None:
    """“Try again at …” follows the locale (a US till reads 3:05 PM), not a fixed "%H:%M"."""
    from datetime import datetime

    from PySide6.QtCore import QLocale

    from terminal.ui.money_format import format_clock

    language("uk")
    assert format_clock(datetime(2026, 3, 2, 15, 5)) == "15:05"
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    assert format_clock(datetime(2026, 3, 2, 15, 5)).replace("\u202f", " ") == "3:05 PM"


@pytest.mark.parametrize(("code", "till_word"), [("uk", "Каса 1"), ("ru", "Касса 1")])
def test_the_till_is_named_in_the_windows_language(
    language, till, qtbot, tmp_path, code, till_word
) -> None:  # type: ignore[no-untyped-def]
    language(code)
    window = show_main_window(qtbot, AppServices(till=till), tmp_path, activate=False)
    window.refresh_status()
    assert window.status_place.text().endswith(f" · {till_word}")
    assert f" — {till_word} — " in window.windowTitle()
    assert "Till" not in window.status_place.text() + window.windowTitle()


def test_an_erased_customers_feedback_reads_in_the_shops_language(language, till, qtbot) -> None:  # type: ignore[no-untyped-def]
    from terminal.app.feedback import FeedbackBook
    from terminal.app.privacy import Privacy
    from terminal.ui.feedback_screen import FeedbackScreen

    got = Enrollment(till).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    FeedbackBook(till).record("complaint", "The coffee was cold", customer_id=got.customer_id)
    Privacy(till).erase(got.card)
    language("uk")
    screen = FeedbackScreen(AppServices(till=till))
    qtbot.addWidget(screen)
    screen.refresh()
    row = [screen.model.index(0, column).data() for column in range(screen.model.columnCount())]
    assert "Видалений клієнт" in row
    assert "(текст видалено на прохання клієнта)" in row
    assert "Erased customer" not in row and "Olena Koval" not in row
