"""The owner's Cards screen and the print dialog, driven like an owner would."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from terminal.app.card_stock import CardStock
from terminal.app.enrollment import Enrollment
from terminal.core.customer_form import CustomerForm
from terminal.scan import card_numbers_in
from terminal.ui.card_print_dialog import print_card
from terminal.ui.cards_screen import CardsScreen
from terminal.ui.screens import screens
from terminal.ui.services import AppServices


@pytest.fixture
def services(till) -> AppServices:
    return AppServices(till=till)


@pytest.fixture
def screen(qtbot, services) -> CardsScreen:
    widget = CardsScreen(services)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def _tick(qtbot, box) -> None:
    """Click the check box's indicator, as a user does (the widget may be wider than its text)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _save_as(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_screen_is_registered_as_owner_only_f6() -> None:
    spec = next(s for s in screens() if s.key == "cards")
    assert (spec.shortcut, spec.owner_only, spec.order, spec.title()) == ("F6", True, 60, "Cards")


def test_reserve_a_batch_then_save_it_as_pdf(qtbot, screen, monkeypatch, tmp_path) -> None:
    from terminal.i18n_text import install_translations

    install_translations(QApplication.instance(), "en")  # as the app starts: English plurals
    assert screen.count_labels["stock"].text() == "0"
    assert screen.empty_label.isVisible()
    screen.count_spin.selectAll()
    qtbot.keyClicks(screen.count_spin, "20")
    assert screen.sheets_hint.text() == "2 A4 sheets of 10 cards"
    qtbot.mouseClick(screen.reserve_button, Qt.MouseButton.LeftButton)

    dialog = screen.last_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text() == "20 cards on 2 A4 sheets of 10, with crop marks"
    assert screen.count_labels["stock"].text() == "20"
    assert screen.model.rowCount() == 1 and screen.table.isVisible()
    assert "2010 0000 0001 4" in screen.message.text()

    out = tmp_path / "sheets.pdf"
    _save_as(monkeypatch, out)
    with qtbot.waitSignal(dialog.pdfSaved, timeout=20_000):
        qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_path == out and out.stat().st_size > 10_000
    assert "Saved to" in dialog.message.text()


def test_print_goes_through_the_print_preview(qtbot, screen) -> None:
    screen.count_spin.setValue(10)
    qtbot.mouseClick(screen.reserve_button, Qt.MouseButton.LeftButton)
    dialog = screen.last_dialog
    _tick(qtbot, dialog.back_box)
    assert dialog.back_view.isVisible()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    preview = dialog.preview_dialog
    assert preview is not None
    qtbot.waitUntil(preview.isVisible)
    size = dialog.printer.pageLayout().pageSize().id()
    assert size.name == "A4"
    # the preview asked for the pages: the front sheet and the back sheet
    qtbot.waitUntil(lambda: dialog.pages_painted == 2)
    preview.close()


def test_reprint_refuses_unknown_card_in_plain_words(qtbot, screen) -> None:
    qtbot.keyClicks(screen.card_edit, "2010000000991")
    qtbot.mouseClick(screen.card_button, Qt.MouseButton.LeftButton)
    box = screen.findChild(QMessageBox, "cardPrintRefused")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert "no card 2010000000991" in box.text()
    assert screen.last_dialog is None
    box.close()


def test_reprint_a_customers_card_with_and_without_name(qtbot, screen, till, tmp_path) -> None:
    card = Enrollment(till).register(CustomerForm("Олена Петренко", "0671234567")).card
    qtbot.keyClicks(screen.card_edit, card)
    qtbot.keyPress(screen.card_edit, Qt.Key.Key_Return)
    dialog = screen.last_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text().startswith("Card 2010 0000 0001 4")
    assert dialog.job().faces[0].holder == "Олена Петренко"
    _tick(qtbot, dialog.name_box)
    assert dialog.job().faces[0].holder == ""
    assert card_numbers_in(dialog.front_view.pixmap().toImage()) == [card]


def test_registration_from_a_sheet_updates_counts_and_csv(
    qtbot, screen, services, till, monkeypatch, tmp_path
) -> None:
    batch = CardStock(till).reserve(10)
    services.announce("card")
    assert screen.count_labels["stock"].text() == "10"
    Enrollment(till).register(CustomerForm("Ірина", "0675550011"), card_number=batch.numbers[0])
    services.announce("customer")
    assert screen.count_labels["stock"].text() == "9"
    assert screen.count_labels["active"].text() == "1"
    assert screen.model.batches[0].in_stock == 9

    out = tmp_path / "numbers.csv"
    _save_as(monkeypatch, out)
    qtbot.mouseClick(screen.csv_button, Qt.MouseButton.LeftButton)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert [r[0] for r in rows[1:]] == batch.numbers

    qtbot.mouseClick(screen.reprint_batch_button, Qt.MouseButton.LeftButton)
    assert [f.number for f in screen.last_dialog.job().faces] == batch.numbers[1:]


def test_print_card_helper_for_the_desk(qtbot, services, till) -> None:
    card = Enrollment(till).register(CustomerForm("A", "0671111111")).card
    dialog = print_card(services, None, card)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    close = dialog.findChild(QPushButton, "closeButton")
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_long_pdf_can_be_stopped_and_leaves_no_file(qtbot, screen, monkeypatch, tmp_path) -> None:
    screen.count_spin.setValue(300)
    qtbot.mouseClick(screen.reserve_button, Qt.MouseButton.LeftButton)
    dialog = screen.last_dialog
    _tick(qtbot, dialog.back_box)
    out = tmp_path / "big.pdf"
    _save_as(monkeypatch, out)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert not dialog.pdf_button.isEnabled()
    dialog.progress.cancel()  # the owner presses "Stop"
    qtbot.waitUntil(lambda: dialog.pdf_button.isEnabled(), timeout=20_000)
    assert dialog.message.text() == "Stopped; no PDF was written."
    assert not out.exists() and list(tmp_path.glob("*.pdf")) == []


def test_a_lone_card_on_office_paper_is_placed_inside_the_printable_area(till) -> None:
    from terminal.cardprint import geometry as g
    from terminal.cardprint.output import CardJob, Layout
    from terminal.ui.card_print_dialog import _page_offset

    job = CardJob((), Layout.CARD)
    assert _page_offset(job, g.CARD_W, g.CARD_H) == (0.0, 0.0)  # card printer: edge to edge
    x, y = _page_offset(job, g.A4_W, g.A4_H)
    assert x == (g.A4_W - g.CARD_W) / 2 and y == 2000
    sheet = CardJob((), Layout.SHEET)
    assert _page_offset(sheet, g.A4_W, g.A4_H) == (0.0, 0.0)
