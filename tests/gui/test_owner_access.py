"""Owner screens behind the owner PIN: a cashier cannot open them, five wrong PINs lock for five
minutes, the right PIN opens them until the till is idle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from terminal.app.staff import StaffRoster
from terminal.ui.access import install_access
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.dashboard_screen import DashboardScreen
from terminal.ui.main_window import MainWindow
from terminal.ui.pin_dialog import PinDialog
from terminal.ui.services import AppServices
from tests.gui.fitting import cut_texts, language, overlapping


def make(qtbot, till, tmp_path) -> MainWindow:  # type: ignore[no-untyped-def]
    services = AppServices(till=till)
    install_access(services)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    w = MainWindow(services, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.all_loaded)
    return w


def with_pin_dialog(qtbot, act: Callable[[PinDialog], None]) -> list[str]:  # type: ignore[no-untyped-def]
    """Run ``act`` on the PIN dialog once it is up; collect the messages it showed."""
    seen: list[str] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PinDialog):
            QTimer.singleShot(10, handle)
            return
        act(dialog)
        seen.append(dialog.message.text())
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, handle)
    return seen


def type_pin(qtbot, dialog: PinDialog, pin: str) -> None:  # type: ignore[no-untyped-def]
    dialog.pin.clear()
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)


def test_a_cashier_cannot_open_owner_screens(qtbot, till, tmp_path):  # type: ignore[no-untyped-def]
    StaffRoster(till).set_first_owner("Olena", "2468")
    w = make(qtbot, till, tmp_path)
    assert w.services.access.current_role() == "cashier"
    for key in ("reports", "feedback"):
        with_pin_dialog(qtbot, lambda d: None)  # the cashier does not know the PIN: cancel
        w.show_screen(key)
        assert isinstance(w.current_screen(), CounterScreen)
        assert key not in w.pages
    # a wrong PIN does not open it either
    with_pin_dialog(qtbot, lambda d: type_pin(qtbot, d, "1111"))
    w.show_screen("reports")
    assert isinstance(w.current_screen(), CounterScreen)


def test_wrong_pin_five_times_locks_for_five_minutes(qtbot, till, clock, tmp_path):  # type: ignore[no-untyped-def]
    StaffRoster(till).set_first_owner("Olena", "2468")
    w = make(qtbot, till, tmp_path)
    messages: list[str] = []

    def five_wrong_then_right(dialog: PinDialog) -> None:
        for _ in range(5):
            type_pin(qtbot, dialog, "0000")
            messages.append(dialog.message.text())
        type_pin(qtbot, dialog, "2468")  # right PIN, but locked
        messages.append(dialog.message.text())

    with_pin_dialog(qtbot, five_wrong_then_right)
    w.show_screen("reports")
    assert messages[0] == "Wrong PIN. Tries left before a 5-minute lock: 4."
    assert messages[3].endswith(": 1.")
    lock_at = (clock.now + timedelta(minutes=5)).strftime("%H:%M")
    assert messages[4] == f"Too many wrong PINs. Try again at {lock_at}."
    assert messages[5] == f"Too many wrong PINs. Try again at {lock_at}."
    assert isinstance(w.current_screen(), CounterScreen)

    clock.advance(minutes=5)
    with_pin_dialog(qtbot, lambda d: type_pin(qtbot, d, "2468"))
    w.show_screen("reports")
    assert isinstance(w.current_screen(), DashboardScreen)
    assert w.services.access.current_role() == "owner"
    # idle for five minutes: locked again
    clock.advance(minutes=5)
    assert w.services.access.current_role() == "cashier"


def test_first_use_sets_the_owner_pin(qtbot, till, tmp_path):  # type: ignore[no-untyped-def]
    w = make(qtbot, till, tmp_path)

    def choose(dialog: PinDialog) -> None:
        assert dialog.repeat.isVisible()
        qtbot.keyClicks(dialog.pin, "13579")
        qtbot.keyClicks(dialog.repeat, "13570")
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
        assert dialog.message.text() == "The two PINs differ. Type them again."
        qtbot.keyClicks(dialog.repeat, "13579")
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)

    with_pin_dialog(qtbot, choose)
    w.show_screen("feedback")
    assert w.current_key == "feedback"
    stored = [s for s in StaffRoster(till).list() if s.role == "owner"]
    assert len(stored) == 1 and stored[0].has_pin
    with till.read() as s:
        from terminal.db.models import Staff

        assert "13579" not in s.get(Staff, stored[0].id).pin_hash


@pytest.mark.parametrize("code", ["en", "ru", "uk"])
def test_the_pin_dialog_grows_for_its_messages(qtbot, till, code):  # type: ignore[no-untyped-def]
    """The prompt, "Wrong PIN. Tries left…" and "The two PINs differ" read whole in every
    language: the dialog makes room for a message when it appears."""
    with language(code):
        first = PinDialog(StaffRoster(till))  # no owner yet: choose a PIN, type it twice
        qtbot.addWidget(first)
        first.show()
        qtbot.waitExposed(first)
        assert cut_texts(first) == []
        qtbot.keyClicks(first.pin, "13579")
        qtbot.keyClicks(first.repeat, "13570")
        qtbot.keyClick(first.repeat, Qt.Key.Key_Return)
        assert first.message.isVisible()
        assert cut_texts(first) == [] and overlapping(first) == []
        first.reject()

        StaffRoster(till).set_first_owner("Olena", "2468")
        owner = PinDialog(StaffRoster(till))
        qtbot.addWidget(owner)
        owner.show()
        qtbot.waitExposed(owner)
        assert cut_texts(owner) == []
        type_pin(qtbot, owner, "0000")
        assert owner.message.isVisible()
        assert cut_texts(owner) == [] and overlapping(owner) == []
