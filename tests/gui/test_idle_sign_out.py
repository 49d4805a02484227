"""An idle cashier is signed out at the counter after the minutes the owner chose on the Staff
screen: any key or click keeps them in, the next person types their PIN and their sales are
theirs; with "never" nobody is signed out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlmodel import select

from terminal.app.staff import StaffRoster
from terminal.db.models import Purchase
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.main_window import MainWindow
from terminal.ui.services import AppServices
from terminal.ui.staff_screen import StaffScreen
from tests.gui.driving import counter_of, scan, type_as_person


def sign_in(qtbot, window: MainWindow, pin: str) -> None:  # type: ignore[no-untyped-def]
    counter = counter_of(window)
    assert counter.signing_in() and counter.sign_in.pin.hasFocus()
    type_as_person(qtbot, window, pin)
    qtbot.keyClick(counter.sign_in.pin, Qt.Key.Key_Return)
    assert not counter.signing_in()


def minutes_pass(counter: CounterScreen, clock, minutes: int) -> None:  # type: ignore[no-untyped-def]
    """Time goes by on the till's clock, and the counter's periodic check runs."""
    clock.advance(minutes=minutes)
    counter.idle_check.timeout.emit()


def test_an_idle_cashier_is_signed_out_and_the_next_one_sells(  # type: ignore[no-untyped-def]
    qtbot, till, clock, window, people, customer
) -> None:
    StaffRoster(till).set_sign_out_after(people["owner"].id, 5)
    counter = counter_of(window)
    assert counter.idle_check.isActive()
    sign_in(qtbot, window, "1357")
    assert counter.cashier_button.text().startswith("Cashier: Ivan")
    minutes_pass(counter, clock, 4)
    type_as_person(qtbot, window, "1")  # Ivan types: he is still there
    minutes_pass(counter, clock, 4)
    assert not counter.signing_in(), "a key press four minutes ago must keep the cashier in"
    minutes_pass(counter, clock, 1)
    assert counter.signing_in()
    assert counter.sign_in.pin.hasFocus()
    assert counter.sign_in.message.text() == (
        "Signed out after 5 minutes without a key press. Who is at the till?"
    )
    assert "Ivan" not in counter.message.text(), "the greeting is no longer true"
    assert window.services.access.till_person() is None
    sign_in(qtbot, window, "8642")
    assert counter.cashier_button.text().startswith("Cashier: Olena")
    counter.sale.amount.clear()
    scan(qtbot, customer.card)
    type_as_person(qtbot, window, "120")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None
    with till.read() as s:
        sale = s.get(Purchase, counter.done.sale_id)
        assert sale is not None and sale.cashier_id == people["olena"].id


def test_never_keeps_the_cashier_signed_in(qtbot, clock, window) -> None:  # type: ignore[no-untyped-def]
    counter = counter_of(window)
    sign_in(qtbot, window, "1357")
    minutes_pass(counter, clock, 120)
    assert not counter.signing_in()
    assert window.services.access.till_person() is not None


def test_the_owner_chooses_the_minutes_on_the_staff_screen(qtbot, till, people) -> None:  # type: ignore[no-untyped-def]
    screen = StaffScreen(AppServices(till=till))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    assert screen.sign_out.currentText() == "never"
    screen.sign_out.setFocus()
    qtbot.keyClick(screen.sign_out, Qt.Key.Key_Down)  # never -> 5 minutes
    qtbot.keyClick(screen.sign_out, Qt.Key.Key_Down)  # -> 15 minutes
    assert StaffRoster(till).sign_out_after() == 15
    assert screen.message.text() == "Saved."
    again = StaffScreen(AppServices(till=till))  # the choice is read back when the screen opens
    qtbot.addWidget(again)
    assert again.sign_out.currentText() == "after 15 minutes without a key press"
    with till.read() as s:
        assert s.exec(select(Purchase)).all() == []  # choosing writes no sale, just the setting
