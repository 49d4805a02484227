"""How the GUI tests drive the real main window the way a cashier and a USB scanner do.

The till tells a scanner from a person by timing alone: a scanner "types" a whole card number
within a millisecond or two and ends it with Return, a person is far slower (the scan detector in
``window.detector`` decides from the gaps between keys). Tests therefore need two ways of
pressing keys: :func:`scan` sends a burst exactly as a scanner would, and :func:`type_in` /
:func:`type_as_person` give the detector a :class:`PersonClock`, so every key is let through as
typed even though qtbot sends them all at once. Modal dialogs block the test in their own event
loop, so the steps inside them run from a timer: :func:`in_modal` and :func:`when_modal`.
:func:`show_main_window` opens the window as start-up does, at the till screen's size.

Kept in one module so that a change in how the detector or the window works is followed in one
place rather than in every test file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from terminal.app.till import Till
from terminal.ui.access import install_access
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.main_window import MainWindow
from terminal.ui.services import AppServices

DialogT = TypeVar("DialogT", bound=QDialog)


class PersonClock:
    """A person presses a key every 200 ms: the scan detector lets every key through as typed.

    qtbot sends keys faster than any scanner; this clock makes the gaps the detector measures
    those of a person, whatever the real time is.
    """

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        self.t += 0.2
        return self.t


def show_main_window(
    qtbot: QtBot, services: AppServices, tmp_path: Path, *, activate: bool = True
) -> MainWindow:
    """The till window at 1366x768 (the smallest screen we support), shown and exposed.

    Its settings live in an ini file in ``tmp_path``, so nothing leaks into the user's real
    settings or between tests. With ``activate`` (the default) it is also the active window, as
    on a shop counter: keys typed with :func:`scan` go to whatever has focus in it. Tests that
    only render pictures pass ``activate=False`` and keep the window as it was painted.
    """
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    if activate:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    return window


def show_window_with_staff_access(qtbot: QtBot, till: Till, tmp_path: Path) -> MainWindow:
    """The till window with the real PIN gate (owner screens, "Who is at the till?"), as a shop
    with staff starts it; the gate stops watching keys when the window is destroyed."""
    services = AppServices(till=till)
    access = install_access(services)
    window = show_main_window(qtbot, services, tmp_path)
    window.destroyed.connect(lambda: QApplication.instance().removeEventFilter(access))
    return window


def counter_of(window: MainWindow) -> CounterScreen:
    """The Counter screen the window shows now (it opens first)."""
    screen = window.current_screen()
    assert isinstance(screen, CounterScreen)
    return screen


def scan(qtbot: QtBot, code: str) -> None:
    """A scanner burst: every key within a millisecond or two, into whatever has focus, then
    Return, as a USB scanner sends it (the cashier does not choose a field first)."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has focus: a scan would go nowhere"
    qtbot.keyClicks(target, code)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def type_in(qtbot: QtBot, window: MainWindow, widget: QWidget, text: str) -> None:
    """A person clicks into ``widget`` and types ``text`` key by key.

    The detector is given a :class:`PersonClock` while the keys go in, and flushed at the end so
    the last key lands now rather than after the detector's short wait; the real clock comes
    back even if typing fails, so a failed test does not make the next one's scans look typed.
    """
    widget.setFocus()
    window.detector.clock = PersonClock()
    try:
        qtbot.keyClicks(widget, text)
        window.detector.flush()
    finally:
        window.detector.clock = time.monotonic


def type_as_person(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """A person types ``text`` into whatever has focus: the cashier does not move the cursor,
    which is what the till's keyboard-only flow promises."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has focus: the keys would go nowhere"
    type_in(qtbot, window, target, text)


def _act_in(qtbot: QtBot, dialog: DialogT, act: Callable[[DialogT], None]) -> None:
    """The cashier's steps inside a dialog: it is the active window first (keys go to it), and
    whatever ``act`` leaves open is rejected (Esc), so a failed step cannot leave the modal
    loop running and hang the test."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    try:
        act(dialog)
    finally:
        if dialog.isVisible():
            dialog.reject()


def in_modal(
    qtbot: QtBot,
    open_it: Callable[[], None],
    act: Callable[[DialogT], None],
    kind: type[DialogT] = QDialog,  # type: ignore[assignment]
    *,
    back_to: MainWindow | None = None,
) -> DialogT:
    """Call ``open_it`` (the key that opens a modal dialog of ``kind``) and run ``act`` inside the
    dialog, as the cashier would; returns the dialog.

    A modal dialog runs its own event loop, so ``open_it`` does not return until it closes: the
    steps are queued on a timer that fires inside that loop. A dialog ``act`` left open is
    rejected (Esc), so a failed step cannot hang the test. With ``back_to`` that window is made
    active again afterwards, for tests that go on typing into it.
    """
    seen: list[DialogT] = []

    def inside() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            if isinstance(dialog, QDialog):
                dialog.reject()  # so that open_it returns and the failure is reported, not a hang
            raise AssertionError(f"expected a {kind.__name__}, the modal is {dialog!r}")
        seen.append(dialog)
        _act_in(qtbot, dialog, act)

    QTimer.singleShot(0, inside)
    open_it()
    assert seen, f"the {kind.__name__} did not open"
    if back_to is not None:
        back_to.activateWindow()
        qtbot.waitUntil(back_to.isActiveWindow)
    return seen[0]


def when_modal(qtbot: QtBot, kind: type[DialogT], act: Callable[[DialogT], None]) -> list[DialogT]:
    """Run ``act`` on the next modal dialog of ``kind`` whenever it opens; returns the dialogs
    seen (empty if it never opened).

    For steps where one key opens several dialogs in turn (the owner PIN, then the dialog it
    unlocks): it waits for a dialog of ``kind``, polling every 10 ms, instead of taking
    whichever modal is up first. A dialog ``act`` left open is rejected (Esc).
    """
    seen: list[DialogT] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(10, handle)
            return
        seen.append(dialog)
        _act_in(qtbot, dialog, act)

    QTimer.singleShot(0, handle)
    return seen
