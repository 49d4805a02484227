"""Tell a keyboard-wedge scanner from a person, whatever widget has focus.

A USB scanner "types" a card's 13 digits and Enter within a few tens of milliseconds; a person
types a key every 100 ms or more. The detector is an application-wide event filter: it holds back
printable keys for a moment (a person does not notice 60 ms), and

* when Enter arrives and the keys since the last pause came faster than ``max_gap_ms`` and are
  at least ``min_length`` long, that tail is a scan: it is handed to ``route`` and its keys are
  swallowed, so the digits never land in the amount field the cashier was typing into;
* otherwise (a pause, a slow key, any other key) the held keys are replayed, in order, to the
  widget that had focus, so typing behaves exactly as without the detector.

``route(code) -> bool`` decides who gets the scan; when it declines, the keys are replayed too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger("counter")

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_PASS_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


@dataclass
class _HeldKey:
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    at: float  # seconds, monotonic
    target: QWidget | None


class ScanDetector(QObject):
    """Install with ``app.installEventFilter(detector)``; remove with ``removeEventFilter``."""

    def __init__(
        self,
        route: Callable[[str], bool],
        parent: QObject | None = None,
        *,
        max_gap_ms: float = 40.0,
        min_length: int = 6,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.route = route
        self.max_gap = max_gap_ms / 1000.0
        self.min_length = min_length
        self.clock = clock
        self.enabled = True
        self._held: list[_HeldKey] = []
        self._replaying = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(int(max_gap_ms * 1.5))
        self._flush_timer.timeout.connect(self.flush)

    # -- the filter ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or not self.enabled or event.type() != QEvent.Type.KeyPress:
            return False
        focus = QApplication.focusWidget()
        if watched is not focus and not (focus is None and isinstance(watched, QWidget)):
            # A key event travels from the focus widget up to its parents; look at it once.
            return False
        focus = focus if focus is not None else watched
        assert isinstance(event, QKeyEvent)
        if event.isAutoRepeat() or event.modifiers() & _PASS_MODIFIERS:
            self.flush()
            return False
        key = event.key()
        text = event.text()
        now = self.clock()
        if key in _ENTER_KEYS:
            return self._on_enter(now)
        if len(text) == 1 and text.isprintable() and not text.isspace():
            if self._held and (
                now - self._held[-1].at > self.max_gap or self._held[-1].target is not focus
            ):
                self.flush()  # a pause or another field: what came before was typed by a person
            self._held.append(_HeldKey(key, event.modifiers(), text, now, focus))
            self._flush_timer.start()
            return True
        self.flush()
        return False

    def _on_enter(self, now: float) -> bool:
        held = self._held
        if not held or now - held[-1].at > self.max_gap:
            self.flush()
            return False
        start = len(held) - 1
        while start > 0 and held[start].at - held[start - 1].at <= self.max_gap:
            start -= 1
        burst = held[start:]
        if len(burst) < self.min_length:
            self.flush()
            return False
        code = "".join(k.text for k in burst)
        self._held = held[:start]
        self._flush_timer.stop()
        self.flush()  # anything typed before the burst reaches its widget first
        log.debug("scan burst of %d characters", len(code))
        if self.route(code):
            return True
        self._replay(
            [
                *burst,
                _HeldKey(
                    Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", now, burst[-1].target
                ),
            ]
        )
        return True

    # -- replay --------------------------------------------------------------------------

    def flush(self) -> None:
        """Deliver held keys to the widgets they were meant for (a person was typing)."""
        self._flush_timer.stop()
        held, self._held = self._held, []
        self._replay(held)

    @property
    def pending(self) -> int:
        return len(self._held)

    def _replay(self, keys: list[_HeldKey]) -> None:
        if not keys:
            return
        self._replaying = True
        try:
            for k in keys:
                target = k.target if k.target is not None else QApplication.focusWidget()
                if target is None or not shiboken6.isValid(target):
                    continue  # the field is gone (its dialog closed): nothing to type into
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(target, QKeyEvent(kind, k.key, k.modifiers, k.text))
        finally:
            self._replaying = False
