"""Printing a customer's card and writing down their complaint, from where the cashier is:
right after registration, at the customer desk, and at the counter.

The print dialog and the feedback dialog are other screens' work (tested there); here they are
replaced by recorders, and the test checks they are opened for the right customer and card.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from terminal.app.card_stock import CardStock
from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.results import EnrollResult
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.ui import card_print_dialog, feedback_screen
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.customer_desk import CustomerDesk
from terminal.ui.main_window import MainWindow
from terminal.ui.registration import RegistrationDialog
from terminal.ui.services import AppServices
from tests.gui.driving import in_modal, show_main_window, type_in


@pytest.fixture
def window(qtbot, till, tmp_path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = show_main_window(qtbot, AppServices(till=till), tmp_path)
    yield w
    w.close()


@pytest.fixture
def counter(window) -> CounterScreen:  # type: ignore[no-untyped-def]
    screen = window.current_screen()
    assert isinstance(screen, CounterScreen)
    return screen


@pytest.fixture
def olena(till) -> EnrollResult:  # type: ignore[no-untyped-def]
    who = Enrollment(till).register(CustomerForm("Olena Shevchenko", "0671234567"))
    Counter(till).checkout(SaleRequest(who.card, 80000), new_id())
    return who


@pytest.fixture
def prints(monkeypatch) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    calls: list[tuple[str, object]] = []

    def record(services, parent, card_number):  # type: ignore[no-untyped-def]
        calls.append((card_number, parent))
        return None

    monkeypatch.setattr(card_print_dialog, "print_card", record)
    return calls


@pytest.fixture
def complaints(monkeypatch) -> list[tuple[str | None, object]]:  # type: ignore[no-untyped-def]
    calls: list[tuple[str | None, object]] = []

    def record(services, parent, customer_id):  # type: ignore[no-untyped-def]
        calls.append((customer_id, parent))
        return object()  # "saved"

    monkeypatch.setattr(feedback_screen, "open_feedback_dialog", record)
    return calls


@pytest.fixture
def desk(qtbot, window, olena) -> CustomerDesk:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F2)
    screen = window.current_screen()
    assert isinstance(screen, CustomerDesk)
    type_in(qtbot, window, screen.search, "067 123 45 67")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.history is not None
    return screen


def register_in_dialog(qtbot, window, counter, fill) -> None:  # type: ignore[no-untyped-def]
    """F4 at the counter opens the registration dialog; ``fill`` runs inside it."""
    in_modal(
        qtbot, lambda: qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F4), fill, RegistrationDialog
    )


def test_right_after_registration_ctrl_p_prints_the_new_card(
    qtbot, window, counter, prints
) -> None:
    def fill(dialog: RegistrationDialog) -> None:
        type_in(qtbot, window, dialog.name, "Petro Bondar")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert dialog.enrolled is not None
        assert dialog.print_button.isVisible()
        assert "Ctrl+P" in dialog.done_note.text()
        qtbot.keyClick(dialog.done_button, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert prints == [(dialog.enrolled.card, counter)]  # survives the dialog closing
        qtbot.keyClick(dialog.done_button, Qt.Key.Key_Return)  # then on to their sale

    register_in_dialog(qtbot, window, counter, fill)
    assert counter.view is not None and counter.view.name == "Petro Bondar"


def test_a_pre_printed_card_is_not_offered_for_printing(
    qtbot, till, window, counter, prints
) -> None:
    stock = CardStock(till).reserve(2).numbers

    def fill(dialog: RegistrationDialog) -> None:
        type_in(qtbot, window, dialog.name, "Iryna Melnyk")
        dialog.card.setText(stock[0])  # the card from a pre-printed pack, already in her hand
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert dialog.enrolled is not None
        assert dialog.print_button.isHidden()
        qtbot.keyClick(dialog.done_button, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert prints == []
        qtbot.keyClick(dialog.done_button, Qt.Key.Key_Return)

    register_in_dialog(qtbot, window, counter, fill)


def test_the_desk_prints_the_customers_card(qtbot, desk, olena, prints) -> None:
    button = desk.buttons["print"]
    assert button.isEnabled() and "Ctrl+P" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(desk.search, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert prints == [(olena.card, desk), (olena.card, desk)]


def test_the_desk_writes_down_a_complaint_for_this_customer(qtbot, desk, olena, complaints) -> None:
    button = desk.buttons["feedback"]
    assert button.isEnabled()
    qtbot.keyClick(desk.search, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert complaints == [(olena.customer_id, desk)]
    assert "Feedback (F10)" in desk.message.text()


def test_the_counter_panel_writes_down_a_complaint_for_the_customer_shown(
    qtbot, window, counter, olena, complaints
) -> None:
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert complaints == []  # nobody at the counter yet: it says to scan first
    assert "Scan the customer's card first" in counter.message.text()
    qtbot.keyClicks(QApplication.focusWidget(), olena.card)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert counter.view is not None
    assert counter.panel.feedback_button.isVisible()
    qtbot.mouseClick(counter.panel.feedback_button, Qt.MouseButton.LeftButton)
    assert complaints == [(olena.customer_id, counter)]
    assert "Feedback (F10)" in counter.message.text()
    assert counter.sale.amount.hasFocus()
