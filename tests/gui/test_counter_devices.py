"""The counter with the shop's devices: the customer display, the loyalty slip and the webcam.

Driven through the real main window and keystrokes; the display is opened the way start-up opens
it (the owner's preference and a second monitor, here the offscreen screen), the slip goes to a
network printer address where nothing listens, and the camera dialog is replaced by one that
"reads" a card at once (there is no webcam in CI).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sqlmodel import func, select

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.results import EnrollResult
from terminal.app.slip import SlipPrinter
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.db.models import Purchase
from terminal.ui import camera_scanner, counter_screen, customer_display
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.customer_display import DisplayPreference, display_link
from terminal.ui.main_window import MainWindow
from terminal.ui.services import AppServices
from tests.gui.driving import scan, show_main_window, type_as_person


def _open_window(qtbot, till, tmp_path) -> MainWindow:  # type: ignore[no-untyped-def]
    return show_main_window(qtbot, AppServices(till=till), tmp_path)


@pytest.fixture
def with_display(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The owner switched the display on and a second monitor is there (the offscreen one)."""
    monkeypatch.setattr(
        customer_display, "display_preference", lambda settings=None: DisplayPreference(True, "")
    )
    monkeypatch.setattr(
        customer_display, "customer_screens", lambda: [QGuiApplication.primaryScreen()]
    )


@pytest.fixture
def window(qtbot, till, tmp_path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = _open_window(qtbot, till, tmp_path)
    yield w
    w.close()


@pytest.fixture
def counter(window) -> CounterScreen:  # type: ignore[no-untyped-def]
    screen = window.current_screen()
    assert isinstance(screen, CounterScreen)
    return screen


@pytest.fixture
def olha(till) -> EnrollResult:  # type: ignore[no-untyped-def]
    result = Enrollment(till).register(CustomerForm("Olha Petrenko", "0671112233"))
    Counter(till).checkout(SaleRequest(result.card, 200000), new_id())
    return result


def sale_count(till) -> int:  # type: ignore[no-untyped-def]
    with till.read() as s:
        return s.exec(select(func.count()).select_from(Purchase)).one()


def closed_port() -> int:
    """A local TCP port with nobody listening: the printer is "switched off"."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- customer display -------------------------------------------------------------------------


def test_display_follows_the_counter_from_scan_to_sale_to_score_to_next_customer(
    qtbot, till, tmp_path, with_display, olha, monkeypatch
) -> None:
    monkeypatch.setattr(counter_screen, "DISPLAY_NPS_AFTER_MS", 300)
    window = _open_window(qtbot, till, tmp_path)
    counter = window.current_screen()
    assert isinstance(counter, CounterScreen)
    display = display_link(window.services).display
    assert display is not None, "start-up opens the display the owner switched on"
    qtbot.waitExposed(display)
    assert "Ask for a loyalty card" in display.visible_text()

    scan(qtbot, olha.card)
    assert "Hello, Olha!" in display.visible_text()
    assert "Petrenko" not in display.visible_text()

    qtbot.keyClicks(counter.sale.amount, "840")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    done = counter.done
    assert done is not None and done.points_earned > 0
    assert display.earned.text() == f"+{done.points_earned}"
    assert display.new_balance.text() == str(done.balance)
    assert "Thank you, Olha!" in display.visible_text()

    # the score question comes to the display once the points had their moment
    assert counter.nps.isVisible()
    assert display.pages.currentWidget() is display.sale_page
    qtbot.waitUntil(lambda: display.pages.currentWidget() is display.nps_page)
    qtbot.keyClicks(counter.nps.score, "9")
    qtbot.keyClick(counter.nps.score, Qt.Key.Key_Return)
    assert "Thank you! Your answer helps us do better." in display.visible_text()

    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Escape)
    assert "Ask for a loyalty card" in display.visible_text()
    assert "Olha" not in display.visible_text()
    window.close()
    assert display_link(window.services).display is None, "closing the till closes the display"


def test_a_replayed_enter_does_not_show_the_sale_twice(
    qtbot, till, tmp_path, with_display, olha
) -> None:
    window = _open_window(qtbot, till, tmp_path)
    counter = window.current_screen()
    assert isinstance(counter, CounterScreen)
    link = display_link(window.services)
    shown: list[str] = []
    link.show_sale = lambda result, view=None: shown.append(result.sale_id)  # type: ignore[method-assign]
    scan(qtbot, olha.card)
    qtbot.keyClicks(counter.sale.amount, "100")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None
    sale_id = counter.done.sale_id
    counter.done = None  # as after a crash: the same sale id is confirmed again
    counter.confirm()
    assert counter.done is not None and counter.done.replayed
    assert shown == [sale_id]
    window.close()


def test_without_a_display_the_counter_works_as_before(qtbot, till, counter, olha) -> None:
    assert display_link(counter.services).display is None
    scan(qtbot, olha.card)
    qtbot.keyClicks(counter.sale.amount, "100")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None and not counter.done.replayed


# -- the loyalty slip -------------------------------------------------------------------------


def test_a_switched_off_slip_printer_is_said_inline_and_the_sale_stays(
    qtbot, till, counter, olha
) -> None:
    address = f"network:127.0.0.1:{closed_port()}"
    SlipPrinter(till).save_settings(True, address, 80)
    before = sale_count(till)
    scan(qtbot, olha.card)
    qtbot.keyClicks(counter.sale.amount, "250")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None
    qtbot.waitUntil(lambda: "slip printer" in counter.message.text(), timeout=10_000)
    text = counter.message.text()
    assert text.startswith("The sale is saved.")
    assert "127.0.0.1" in text and "is not connected or switched off" in text
    assert "Ctrl+P prints it again" in text
    assert counter.message.property("tone") == "info"
    assert sale_count(till) == before + 1
    assert "You earned" in counter.sale.result.text()  # the sale's result is still on screen

    # Ctrl+P tries again; still off, still said, still one sale
    counter.say("")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "slip printer" in counter.message.text(), timeout=10_000)
    assert sale_count(till) == before + 1


def test_a_slip_is_printed_after_a_card_sale_only_when_switched_on(
    qtbot, till, counter, olha, monkeypatch
) -> None:
    printed: list[str] = []

    def fake_print_sale(self, result):  # type: ignore[no-untyped-def]
        from terminal.app.slip import SlipOutcome

        printed.append(result.sale_id)
        return SlipOutcome(True, "Slip printed.")

    monkeypatch.setattr(SlipPrinter, "print_sale", fake_print_sale)
    scan(qtbot, olha.card)
    qtbot.keyClicks(counter.sale.amount, "100")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None
    qtbot.wait(50)  # nothing is queued: the setting is off (a wrong call would land in printed)
    assert printed == []

    SlipPrinter(till).save_settings(True, "network:127.0.0.1", 80)
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Escape)
    scan(qtbot, olha.card)
    qtbot.keyClicks(counter.sale.amount, "100")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    card_sale = counter.done
    assert card_sale is not None
    qtbot.waitUntil(lambda: printed == [card_sale.sale_id])

    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Escape)
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F5)  # a sale without a card: no slip
    qtbot.keyClicks(counter.sale.amount, "100")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None and counter.done.customer_id is None
    qtbot.wait(50)
    assert printed == [card_sale.sale_id]


# -- the webcam -------------------------------------------------------------------------------


class FakeCameraDialog(QDialog):
    """Stands in for the webcam dialog: "reads" the card as soon as it is shown."""

    cardScanned = Signal(str)
    number = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        QTimer.singleShot(0, self._read)

    def _read(self) -> None:
        self.cardScanned.emit(self.number)
        self.accept()


def test_no_camera_means_no_camera_button(qtbot, counter, monkeypatch) -> None:
    monkeypatch.setattr(camera_scanner, "camera_available", lambda: False)
    counter.check_camera()
    assert counter.camera_button.isHidden()
    opened: list[object] = []
    monkeypatch.setattr(camera_scanner, "CameraScanDialog", lambda parent: opened.append(parent))
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert opened == []  # the key does nothing on a till without a webcam


def test_a_card_read_by_the_camera_selects_the_customer_like_a_scan(
    qtbot, counter, olha, monkeypatch
) -> None:
    monkeypatch.setattr(camera_scanner, "camera_available", lambda: True)
    FakeCameraDialog.number = olha.card
    monkeypatch.setattr(camera_scanner, "CameraScanDialog", FakeCameraDialog)
    counter.check_camera()
    assert counter.camera_button.isVisible()
    assert "Ctrl+K" in counter.camera_button.text()
    type_as_person(qtbot, counter.window(), "75")
    assert counter.sale.amount.text() == "75"
    qtbot.mouseClick(counter.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counter.view is not None)
    assert counter.view is not None and counter.view.name == "Olha Petrenko"
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert counter.sale.amount.text() == "75"  # as with a scanner: the typed amount stays
    # the amount field is where keys go again once the till window is active
    qtbot.waitUntil(lambda: counter.window().focusWidget() is counter.sale.amount)

    counter.window().activateWindow()
    qtbot.waitUntil(counter.window().isActiveWindow)
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Escape)
    FakeCameraDialog.number = "2000000000991"  # a well-formed card nobody holds
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: counter.message.property("tone") == "error")
    assert counter.view is None  # refused inline, like a bad scan
