"""The customer desk (F2): lost cards, blocking, refunds from the history, edits — by keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit
from sqlmodel import select

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.results import EnrollResult
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import CardBlocked
from terminal.core.ids import new_id
from terminal.db.models import Card, Refund
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.customer_desk import CustomerDesk
from terminal.ui.main_window import MainWindow
from terminal.ui.refund_dialog import RefundDialog
from terminal.ui.services import AppServices
from tests.gui.driving import in_modal, show_main_window, type_in


@pytest.fixture
def window(qtbot, till, tmp_path) -> Iterator[MainWindow]:
    w = show_main_window(qtbot, AppServices(till=till), tmp_path)
    yield w
    w.close()


@pytest.fixture
def olena(till) -> EnrollResult:
    who = Enrollment(till).register(CustomerForm("Olena Shevchenko", "0671234567"))
    Counter(till).checkout(SaleRequest(who.card, 80000), new_id())
    return who


@pytest.fixture
def desk(qtbot, window, olena) -> CustomerDesk:
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F2)
    screen = window.current_screen()
    assert isinstance(screen, CustomerDesk)
    type_in(qtbot, window, screen.search, "067 123 45 67")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.history is not None and screen.history.customer.name == "Olena Shevchenko"
    return screen


def test_a_lost_card_is_replaced_and_the_balance_stays(qtbot, till, window, desk, olena) -> None:
    balance = Customers(till).by_card(olena.card).balance

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        qtbot.keyClick(dialog.findChild(QLineEdit), Qt.Key.Key_Return)  # empty: a new number

    in_modal(
        qtbot,
        lambda: qtbot.keyClick(desk.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),
        answer,
        back_to=window,
    )
    assert "Balance" in desk.message.text()
    cards = {c["number"]: c["status"] for c in desk.history.customer.cards}
    assert cards[olena.card] == "replaced"
    new_card = next(n for n, s in cards.items() if s == "active")
    assert Customers(till).by_card(new_card).balance == balance
    with pytest.raises(CardBlocked):
        Customers(till).by_card(olena.card)
    qtbot.keyClick(desk.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # serve
    counter = window.current_screen()
    assert isinstance(counter, CounterScreen)
    assert counter.view is not None and counter.view.card == new_card
    assert counter.view.balance == balance


def test_blocking_a_card_with_a_reason(qtbot, till, window, desk, olena) -> None:
    def answer(dialog: QDialog) -> None:
        field = dialog.findChild(QLineEdit)
        qtbot.keyClicks(field, "lost")
        qtbot.keyClick(field, Qt.Key.Key_Return)

    in_modal(
        qtbot,
        lambda: qtbot.keyClick(desk.search, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier),
        answer,
        back_to=window,
    )
    with till.read() as s:
        card = s.get(Card, olena.card)
        assert (card.status, card.status_reason) == ("blocked", "lost")
    assert desk.buttons["unblock"].isEnabled() and not desk.buttons["block"].isEnabled()
    qtbot.keyClick(desk.search, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert Customers(till).by_card(olena.card).name == "Olena Shevchenko"


def test_part_refund_from_the_history_shows_the_points_first(qtbot, till, window, desk, olena):
    desk.sales.setFocus()
    desk.sales.selectRow(0)

    def refund(dialog: QDialog) -> None:
        assert isinstance(dialog, RefundDialog)
        type_in(qtbot, window, dialog.amount, "200")
        assert dialog.money_back.text().startswith("200")
        assert dialog.points_taken.text() == "10"  # 5 % of 200.00 earned, taken back
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
        assert dialog.result is not None

    in_modal(
        qtbot,
        lambda: qtbot.keyClick(desk.sales, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier),
        refund,
        back_to=window,
    )
    with till.read() as s:
        refunds = s.exec(select(Refund.amount, Refund.points_reversed)).all()
    assert refunds == [(20000, 10)]
    assert "Refunded" in desk.message.text()
    assert desk.refunds_model.rowCount() == 1
    kinds = [line.kind for line in desk.history.ledger]
    assert kinds[0] == "refund_reversal"


def test_a_refund_beyond_what_is_left_is_refused_in_the_dialog(qtbot, till, window, desk):
    desk.sales.selectRow(0)

    def refund(dialog: QDialog) -> None:
        type_in(qtbot, window, dialog.amount, "900")
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
        assert dialog.result is None and dialog.message.text()

    in_modal(qtbot, lambda: desk.refund_selected(), refund, back_to=window)
    with till.read() as s:
        assert s.exec(select(Refund)).all() == []


def test_editing_details_is_saved_and_a_bad_email_is_explained(qtbot, till, window, desk, olena):
    desk.tabs.setCurrentIndex(3)
    desk.edit_email.clear()
    type_in(qtbot, window, desk.edit_email, "olena@example")
    qtbot.keyClick(desk.edit_email, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "e-mail" in desk.message.text()
    type_in(qtbot, window, desk.edit_email, ".com")
    qtbot.keyClick(desk.edit_email, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert desk.message.text() == "Details saved."
    assert Customers(till).by_card(olena.card).email == "olena@example.com"


def test_a_scan_at_the_desk_opens_the_owner_even_of_a_blocked_card(
    qtbot, till, window, desk, olena
):
    from terminal.app.card_admin import CardAdmin

    CardAdmin(till).block(olena.card, "lost")
    desk.history = None
    desk.search.setFocus()
    qtbot.keyClicks(desk.search, olena.card)
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    assert desk.history is not None and desk.history.customer.customer_id == olena.customer_id
