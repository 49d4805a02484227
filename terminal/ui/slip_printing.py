"""Printing a slip without holding the till's window: the printer may take seconds to answer.

``print_in_background(fn, on_done)`` runs ``fn`` (a :class:`SlipPrinter` call returning a
:class:`SlipOutcome`) on Qt's thread pool and hands the outcome to ``on_done`` on the UI thread.
The counter uses it after a committed sale; the Devices screen for the test slip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from terminal.app.slip import SlipOutcome, not_printed
from terminal.ui.background import run_in_background

log = logging.getLogger("slip")


def print_in_background(
    fn: Callable[[], SlipOutcome], on_done: Callable[[SlipOutcome], None]
) -> None:
    """Print off the UI thread; a failure of the printing code itself still becomes a message."""

    def guarded(outcome: object) -> None:
        if isinstance(outcome, Exception):  # SlipPrinter never raises; this guards the guard
            log.error("slip printing failed: %s", outcome)
            outcome = SlipOutcome(False, not_printed(outcome))
        on_done(outcome)  # type: ignore[arg-type]

    run_in_background(fn, guarded)
