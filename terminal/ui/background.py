"""Run slow work off the UI thread and hand the outcome back on it.

``fn`` runs on Qt's global thread pool and never touches a widget; ``on_done`` runs on the UI
thread with ``fn``'s return value, or with the exception it raised, so the caller shows either
in plain words. Nothing the cashier waits on may block the counter for more than ~100 ms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            outcome: Any = self.fn()
        except Exception as exc:  # handed to the UI thread, which decides what to say
            outcome = exc
        self.signals.done.emit(outcome)


_RUNNING: set[_Job] = set()


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
    job = _Job(fn)
    _RUNNING.add(job)  # keep the job (and its signals) alive until it reports

    def finished(outcome: Any) -> None:
        _RUNNING.discard(job)
        on_done(outcome)

    job.signals.done.connect(finished)
    QThreadPool.globalInstance().start(job)
