"""Printing a slip without holding the till's window: the printer may take seconds to answer.

``print_in_background(fn, on_done)`` runs ``fn`` (a :class:`SlipPrinter` call returning a
:class:`SlipOutcome`) on Qt's thread pool and hands the outcome to ``on_done`` on the UI thread.
The counter uses it after a committed sale; the Devices screen for the test slip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from terminal.app.slip import SlipOutcome

log = logging.getLogger("slip")

_RUNNING: set[SlipJob] = set()


class _Signals(QObject):
    done = Signal(object)


class SlipJob(QRunnable):
    def __init__(self, fn: Callable[[], SlipOutcome]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            outcome = self.fn()
        except Exception as exc:  # SlipPrinter never raises; this guards the guard
            log.exception("slip printing failed")
            outcome = SlipOutcome(False, f"The slip was not printed: {exc}")
        self.signals.done.emit(outcome)


def print_in_background(
    fn: Callable[[], SlipOutcome], on_done: Callable[[SlipOutcome], None]
) -> SlipJob:
    job = SlipJob(fn)
    _RUNNING.add(job)

    def finished(outcome: SlipOutcome) -> None:
        _RUNNING.discard(job)
        on_done(outcome)

    job.signals.done.connect(finished)
    QThreadPool.globalInstance().start(job)
    return job
