"""The sound a cashier hears when a scan is refused, so they look up at the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

beeps = 0  # counted so tests can prove a refusal was audible


def bad_scan() -> None:
    global beeps
    beeps += 1
    QApplication.beep()
