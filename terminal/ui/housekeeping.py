"""Quiet upkeep while the till is open: write off expired points, finish blanking erased
customers in the journal archive, keep the WAL short.

Expired points are already left out of every balance the counter shows; the sweep writes them
as explicit ``expire`` entries shortly after start (in the background, it may touch thousands of
customers) and once a day after that. The WAL is copied into the database file every 30 s while
the till is idle, so no sale ever pays for a checkpoint inside its commit.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from terminal.app.expiry import ExpirySweep
from terminal.app.privacy import finish_archive_scrubs
from terminal.ui.background import run_in_background
from terminal.ui.services import AppServices

log = logging.getLogger("ui")

FIRST_SWEEP_MS = 5_000
SWEEP_EVERY_MS = 24 * 60 * 60 * 1000
CHECKPOINT_EVERY_MS = 30_000


class Housekeeping(QObject):
    def __init__(self, services: AppServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.sweep_timer = QTimer(self)
        self.sweep_timer.timeout.connect(self.sweep)
        self.checkpoint_timer = QTimer(self, interval=CHECKPOINT_EVERY_MS)
        self.checkpoint_timer.timeout.connect(self.checkpoint)

    def start(self) -> None:
        QTimer.singleShot(FIRST_SWEEP_MS, self.sweep)
        self.sweep_timer.start(SWEEP_EVERY_MS)
        self.checkpoint_timer.start()

    def sweep(self) -> None:
        till = self.services.till

        def upkeep() -> object:
            outcome = ExpirySweep(till).run()
            finish_archive_scrubs(till)  # an erasure a stopped program left half-done
            return outcome

        run_in_background(upkeep, self._swept)

    def _swept(self, outcome: object) -> None:
        if isinstance(outcome, Exception):
            log.warning("expiry sweep failed: %s", outcome)
            return
        if getattr(outcome, "points", 0) or getattr(outcome, "customers", 0):
            self.services.announce("customer")

    def checkpoint(self) -> None:
        try:
            self.services.till.checkpoint()
        except Exception as exc:  # a busy database just means: next time
            log.debug("idle checkpoint skipped: %s", exc)
