"""Who is at the till: with cashiers defined, the counter asks for a PIN (keyboard only) at start
and after Ctrl+L; every sale records that person; scans keep working while it asks; five wrong
PINs lock; a shop without cashiers is never asked."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from terminal.app.counter import Counter, SaleRequest
from terminal.app.desk import Desk
from terminal.app.staff import StaffRoster
from terminal.core.ids import new_id
from terminal.db.models import Purchase, Refund
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.pin_dialog import PinDialog
from tests.gui.driving import (
    counter_of,
    scan,
    show_window_with_staff_access,
    type_as_person,
    when_modal,
)


def type_pin(qtbot, window, pin: str) -> None:  # type: ignore[no-untyped-def]
    type_as_person(qtbot, window, pin)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def sell(qtbot, window, counter: CounterScreen, card: str, amount: str) -> str:  # type: ignore[no-untyped-def]
    scan(qtbot, card)
    assert counter.sale.amount.hasFocus()
    type_as_person(qtbot, window, amount)
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None
    sale_id = counter.done.sale_id
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Escape)
    return sale_id


def cashier_of(till, sale_id: str) -> str | None:  # type: ignore[no-untyped-def]
    with till.read() as s:
        return s.exec(select(Purchase.cashier_id).where(Purchase.id == sale_id)).one()


def test_the_till_asks_who_is_there_and_records_them_on_the_sale(
    qtbot, till, window, people, customer
) -> None:  # type: ignore[no-untyped-def]
    counter = counter_of(window)
    assert counter.signing_in()
    assert counter.sign_in.pin.hasFocus()  # keyboard only: type the PIN straight away
    assert "Who is at the till?" in counter.message.text()
    type_pin(qtbot, window, "1357")
    assert not counter.signing_in()
    assert counter.sale.amount.hasFocus()
    assert counter.cashier_button.isVisible()
    assert counter.cashier_button.text().startswith("Cashier: Ivan")
    assert counter.message.text() == "Hello, Ivan! Sales are now recorded as yours."
    sale_id = sell(qtbot, window, counter, customer.card, "120")
    assert cashier_of(till, sale_id) == people["ivan"].id
    history = Desk(till).history(customer.customer_id)
    assert [(s.sale_id, s.cashier) for s in history.sales] == [(sale_id, "Ivan")]


def test_a_scan_while_asking_shows_the_customer_and_the_sale_waits_for_the_pin(
    qtbot, till, window, people, customer
) -> None:  # type: ignore[no-untyped-def]
    counter = counter_of(window)
    assert counter.signing_in()
    scan(qtbot, customer.card)  # the queue does not wait for the PIN to be looked up
    assert counter.view is not None and counter.view.name == "Iryna Koval"
    assert counter.signing_in() and counter.sign_in.pin.hasFocus()
    assert counter.sign_in.pin.text() == ""  # the card's digits did not land in the PIN
    type_pin(qtbot, window, "8642")
    assert counter.view is not None and counter.sale.amount.hasFocus()
    type_as_person(qtbot, window, "90")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None
    assert cashier_of(till, counter.done.sale_id) == people["olena"].id


def test_switch_cashier_with_ctrl_l(qtbot, till, window, people, customer) -> None:  # type: ignore[no-untyped-def]
    counter = counter_of(window)
    type_pin(qtbot, window, "1357")
    first = sell(qtbot, window, counter, customer.card, "100")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert counter.signing_in() and counter.sign_in.pin.hasFocus()
    assert window.services.cashier_id is None  # Ivan left: nothing is recorded as his now
    type_pin(qtbot, window, "8642")
    assert counter.cashier_button.text().startswith("Cashier: Olena")
    second = sell(qtbot, window, counter, customer.card, "50")
    assert cashier_of(till, first) == people["ivan"].id
    assert cashier_of(till, second) == people["olena"].id
    # the visible "Cashier: Olena · Switch" button does the same as Ctrl+L
    qtbot.mouseClick(counter.cashier_button, Qt.MouseButton.LeftButton)
    assert counter.signing_in()


def test_five_wrong_pins_lock_the_till_sign_in(qtbot, till, clock, window, customer) -> None:  # type: ignore[no-untyped-def]
    counter = counter_of(window)
    for left in (4, 3, 2, 1):
        type_pin(qtbot, window, "0000")
        assert counter.sign_in.message.text() == (
            f"Wrong PIN. Tries left before a 5-minute lock: {left}."
        )
        assert counter.sign_in.pin.text() == ""
    type_pin(qtbot, window, "0000")
    at = (clock.now + timedelta(minutes=5)).strftime("%H:%M")
    locked = f"Too many wrong PINs. Try again at {at}. Scanning and lookups still work."
    assert counter.sign_in.message.text() == locked
    type_pin(qtbot, window, "1357")  # the right PIN waits too
    assert counter.sign_in.message.text() == locked
    assert counter.signing_in()
    scan(qtbot, customer.card)  # lookups still work while locked
    assert counter.view is not None
    clock.advance(minutes=5)
    type_pin(qtbot, window, "1357")
    assert not counter.signing_in()


def test_owner_unlocking_keeps_the_cashier_and_owner_actions_are_the_owners(
    qtbot, till, window, people, customer
) -> None:  # type: ignore[no-untyped-def]
    counter = counter_of(window)
    type_pin(qtbot, window, "1357")

    def unlock(dialog: PinDialog) -> None:
        qtbot.keyClicks(dialog.pin, "2468")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)

    when_modal(qtbot, PinDialog, unlock)
    window.show_screen("reports")
    assert window.current_key == "reports"
    assert window.services.actor_id == people["owner"].id  # owner screens: the owner
    assert window.services.cashier_id == people["ivan"].id  # the till: still Ivan
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_screen("counter")
    assert not counter.signing_in()
    sale_id = sell(qtbot, window, counter, customer.card, "70")
    assert cashier_of(till, sale_id) == people["ivan"].id


def test_refunds_and_registrations_record_the_cashier(qtbot, till, window, people, customer):  # type: ignore[no-untyped-def]
    from terminal.app.refunds import Refunds

    counter = counter_of(window)
    type_pin(qtbot, window, "8642")
    sale = Counter(till).checkout(SaleRequest(customer.card, 100_00), new_id())
    refund = Refunds(till).refund(sale.sale_id, None, new_id(), window.services.cashier_id)
    with till.read() as s:
        assert s.get(Refund, refund.refund_id).cashier_id == people["olena"].id
    assert counter.cashier_button.text().startswith("Cashier: Olena")


def test_a_shop_without_cashiers_is_never_asked(qtbot, till, tmp_path, customer) -> None:  # type: ignore[no-untyped-def]
    StaffRoster(till).set_first_owner("Maria", "2468")  # an owner who works alone
    w = show_window_with_staff_access(qtbot, till, tmp_path)
    counter = counter_of(w)
    assert not counter.signing_in()
    assert not counter.cashier_button.isVisible()
    assert counter.sale.amount.hasFocus()
    sale_id = sell(qtbot, w, counter, customer.card, "40")
    assert cashier_of(till, sale_id) is None  # as before: nobody signed in
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not counter.signing_in()
    assert "No cashiers are set up" in counter.message.text()
    w.close()


def test_the_desk_waits_for_someone_at_the_till_before_a_refund(
    qtbot, till, window, people, customer
) -> None:  # type: ignore[no-untyped-def]
    from terminal.ui.customer_desk import CustomerDesk

    Counter(till).checkout(SaleRequest(customer.card, 100_00), new_id(), people["ivan"].id)
    window.show_screen("customers")
    desk = window.current_screen()
    assert isinstance(desk, CustomerDesk)
    desk.search.setText("0671234567")
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    qtbot.keyClick(desk.search, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert desk.message.text().startswith("Sign in at the counter first (F1)")
    with till.read() as s:
        assert s.exec(select(Refund)).all() == []


def test_a_sale_confirmed_after_the_cashier_was_switched_off_waits_for_a_pin(
    qtbot, till, window, people, customer
) -> None:  # type: ignore[no-untyped-def]
    counter = counter_of(window)
    type_pin(qtbot, window, "1357")
    StaffRoster(till).set_active(people["owner"].id, people["ivan"].id, False)  # on another till
    scan(qtbot, customer.card)
    type_as_person(qtbot, window, "60")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is None and counter.signing_in()
    assert counter.sign_in.message.text() == (
        "Type your PIN: the sale is saved as soon as you are signed in."
    )
    type_pin(qtbot, window, "8642")
    assert counter.done is not None  # saved right after the PIN, with the figures shown
    assert cashier_of(till, counter.done.sale_id) == people["olena"].id
