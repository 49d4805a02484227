"""Registering a customer from the counter, with the keyboard and the scanner."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from terminal.app.card_stock import CardStock
from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.db.models import Customer, LedgerEntry
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.main_window import MainWindow
from terminal.ui.registration import RegistrationDialog
from terminal.ui.services import AppServices
from tests.gui.driving import in_modal, scan, show_main_window, type_in
from tests.gui.fitting import cut_texts, language, overlapping


@pytest.fixture
def window(qtbot, till, tmp_path) -> Iterator[MainWindow]:
    w = show_main_window(qtbot, AppServices(till=till), tmp_path)
    yield w
    w.close()


@pytest.fixture
def counter(window) -> CounterScreen:
    screen = window.current_screen()
    assert isinstance(screen, CounterScreen)
    return screen


def with_dialog(  # type: ignore[no-untyped-def]
    qtbot, open_it: Callable[[], None], fill: Callable[[RegistrationDialog], None]
) -> RegistrationDialog:
    """Press the key that opens the registration dialog; ``fill`` runs inside it."""
    return in_modal(qtbot, open_it, fill, RegistrationDialog)


def test_registration_with_a_scanned_referrer_grants_referral_bonuses_after_the_first_sale(
    qtbot, till, window, counter
) -> None:
    friend = Enrollment(till).register(CustomerForm("Andrii Kovalenko", "0509876543"))
    friend_before = Customers(till).by_card(friend.card).balance

    def fill(dialog: RegistrationDialog) -> None:
        assert not dialog.consent.isChecked()
        type_in(qtbot, window, dialog.name, "Maria Lysenko")
        type_in(qtbot, window, dialog.phone, "063 555 12 34")
        dialog.referrer.setFocus()
        scan(qtbot, friend.card)  # the friend's card, scanned into the referrer field
        assert dialog.referrer.text() == friend.card and dialog.card.text() == ""
        qtbot.keyClick(dialog.referrer, Qt.Key.Key_Return)  # Register
        assert dialog.enrolled is not None
        assert dialog.done_card.text().replace(" ", "") == dialog.enrolled.card
        qtbot.keyClick(dialog.done_button, Qt.Key.Key_Return)  # start their sale

    dialog = with_dialog(qtbot, lambda: qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F4), fill)
    assert counter.view is not None and counter.view.name == "Maria Lysenko"
    qtbot.keyClicks(counter.sale.amount, "300")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None
    with till.read() as s:
        maria = s.exec(select(Customer).where(Customer.name == "Maria Lysenko")).one()
        kinds = set(
            s.exec(select(LedgerEntry.kind).where(LedgerEntry.customer_id == maria.id)).all()
        )
    assert {"welcome", "referral", "earn"} <= kinds
    assert Customers(till).by_card(friend.card).balance == friend_before + 100
    assert dialog.enrolled is not None and dialog.enrolled.card == counter.view.card


def test_duplicate_phone_offers_the_existing_customer(qtbot, till, window, counter) -> None:
    olena = Enrollment(till).register(CustomerForm("Olena Shevchenko", "0671234567"))

    def fill(dialog: RegistrationDialog) -> None:
        type_in(qtbot, window, dialog.name, "Olena S")
        type_in(qtbot, window, dialog.phone, "+380 67 123 45 67")
        qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
        assert "Olena Shevchenko already has this phone number" in dialog.message.text()
        assert dialog.open_existing.isVisible() and dialog.open_existing.hasFocus()
        qtbot.keyClick(dialog.open_existing, Qt.Key.Key_Space)

    with_dialog(qtbot, lambda: qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F4), fill)
    assert counter.view is not None and counter.view.customer_id == olena.customer_id
    with till.read() as s:
        assert len(s.exec(select(Customer)).all()) == 1


def test_a_corrected_phone_then_enter_registers_instead_of_opening_the_other_customer(
    qtbot, till, window, counter
) -> None:  # type: ignore[no-untyped-def]
    Enrollment(till).register(CustomerForm("Olena Shevchenko", "0671234567"))

    def fill(dialog: RegistrationDialog) -> None:
        type_in(qtbot, window, dialog.name, "Olena S")
        type_in(qtbot, window, dialog.phone, "+380 67 123 45 67")
        qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
        assert dialog.open_existing.isVisible()
        # the customer gives the right number: the cashier fixes it and presses Enter
        dialog.phone.setFocus()
        dialog.phone.selectAll()
        type_in(qtbot, window, dialog.phone, "067 765 43 21")
        assert not dialog.open_existing.isVisible()  # the offer was for the old number
        qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
        assert dialog.enrolled is not None, dialog.message.text()

    with_dialog(qtbot, lambda: qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F4), fill)
    with till.read() as s:
        names = sorted(c.name for c in s.exec(select(Customer)).all())
    assert names == ["Olena S", "Olena Shevchenko"]


def test_a_pre_printed_card_scanned_at_the_counter_is_given_to_the_new_customer(
    qtbot, till, window, counter
) -> None:
    stock = CardStock(till).reserve(3).numbers
    scan(qtbot, stock[1])
    assert "not given to anyone yet" in counter.message.text()

    def fill(dialog: RegistrationDialog) -> None:
        assert dialog.card.text() == stock[1]  # the scanned card is already filled in
        type_in(qtbot, window, dialog.name, "Taras Hnatiuk")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert dialog.enrolled is not None
        assert "pre-printed card" in dialog.done_note.text()
        qtbot.keyClick(dialog.done_button, Qt.Key.Key_Return)

    with_dialog(qtbot, lambda: qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F4), fill)
    assert counter.view is not None and counter.view.card == stock[1]
    assert Customers(till).by_card(stock[1]).name == "Taras Hnatiuk"


def test_a_scan_in_the_dialog_fills_the_card_field_and_bad_input_is_explained(
    qtbot, till, window, counter
) -> None:
    stock = CardStock(till).reserve(1).numbers

    def fill(dialog: RegistrationDialog) -> None:
        type_in(qtbot, window, dialog.name, "Iryna")
        scan(qtbot, stock[0])
        assert dialog.card.text() == stock[0] and dialog.name.text() == "Iryna"
        type_in(qtbot, window, dialog.email, "not-an-email")
        qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
        assert "e-mail" in dialog.message.text() and dialog.enrolled is None
        assert dialog.email.hasFocus()

    with_dialog(qtbot, lambda: qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F4), fill)
    with till.read() as s:
        assert s.exec(select(Customer)).all() == []


def test_the_new_number_is_shown_big_when_no_card_was_scanned(qtbot, till, window, counter):
    def fill(dialog: RegistrationDialog) -> None:
        type_in(qtbot, window, dialog.name, "Petro Bondar")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert dialog.enrolled is not None
        # grouped as the printed card writes it: 2010 0000 0001 4
        card = dialog.enrolled.card
        assert dialog.done_card.text() == f"{card[:4]} {card[4:8]} {card[8:12]} {card[12]}"
        assert "new number" in dialog.done_note.text()
        qtbot.keyClick(dialog.done_button, Qt.Key.Key_Return)

    with_dialog(qtbot, lambda: qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F4), fill)
    assert "Welcome, Petro Bondar" in counter.message.text()
    Counter(till).checkout(SaleRequest(counter.view.card, 1000), new_id())


def test_a_long_name_is_welcomed_whole(qtbot, till, window, counter) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: RegistrationDialog) -> None:
        type_in(qtbot, window, dialog.name, "Oleksandra Kostiantynivna Volodymyrska-Hrushevska")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert dialog.enrolled is not None
        QApplication.processEvents()
        title = dialog.done_title
        fits_on_a_line = title.fontMetrics().horizontalAdvance(title.text()) <= title.width()
        wraps_whole = title.wordWrap() and title.height() >= title.heightForWidth(title.width())
        assert fits_on_a_line or wraps_whole, f"{title.text()!r} is cut at {title.width()} px"
        assert cut_texts(dialog) == []

    with_dialog(qtbot, lambda: qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F4), fill)


@pytest.mark.parametrize("code", ["en", "uk"])
def test_the_dialog_grows_for_a_message_and_the_consent_text_stays_whole(  # type: ignore[no-untyped-def]
    qtbot, till, window, counter, code
) -> None:
    """A wrong phone, then a duplicate customer, then the message gone again: every text in the
    dialog (the consent the cashier reads aloud above all) keeps the lines it needs, and no row
    is drawn over another."""
    Enrollment(till).register(CustomerForm("Svitlana Ivanova", "0636754480"))
    heights: list[int] = []

    def fill(dialog: RegistrationDialog) -> None:
        heights.append(dialog.height())
        type_in(qtbot, window, dialog.name, "Svitlana Ivanova")
        type_in(qtbot, window, dialog.phone, "12")
        qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
        assert dialog.message.isVisible()
        assert cut_texts(dialog) == [] and overlapping(dialog) == []
        dialog.phone.setText("")
        type_in(qtbot, window, dialog.phone, "+380636754480")
        qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
        assert dialog.open_existing.isVisible()
        assert cut_texts(dialog) == [] and overlapping(dialog) == []
        heights.append(dialog.height())
        dialog.phone.setText("")
        type_in(qtbot, window, dialog.phone, "12")
        # clicked: Enter would take the offer, the default button since it had the focus
        qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.message.isVisible()
        assert not dialog.open_existing.isVisible()  # the offer went: a shorter message
        assert cut_texts(dialog) == [] and overlapping(dialog) == []
        heights.append(dialog.height())
        dialog.say("")  # a scan clears the message: the dialog gives the room back
        heights.append(dialog.height())

    with language(code):
        with_dialog(qtbot, lambda: qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F4), fill)
    assert heights[1] > heights[0]  # a message and the offer to open the customer
    assert heights[0] < heights[2] < heights[1]  # the message alone
    assert heights[3] == heights[0]  # nothing to say: as it opened
