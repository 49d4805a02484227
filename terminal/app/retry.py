"""Waiting out a busy database instead of failing the cashier.

SQLite lets one writer at a time. The engine already waits ``busy_timeout`` (5 s) for the lock;
when another program (a sync, a big import in a second window) holds it longer, the write fails
with :class:`DatabaseBusy` having changed nothing. :func:`retry_busy` tries again a few times,
telling the caller before each new wait so the screen can say "database busy, retrying" instead
of an error; only when the lock outlasts every attempt does the error reach the user.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from terminal.core.errors import QT_TRANSLATE_NOOP, DatabaseBusy

log = logging.getLogger("db")

T = TypeVar("T")

BusyCallback = Callable[[int, int], None]  # (attempt just failed, attempts in all)

DEFAULT_ATTEMPTS = 4


def retry_busy(
    action: Callable[[], T],
    on_busy: BusyCallback | None = None,
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    pause_s: float = 0.2,
) -> T:
    """Run ``action`` (one whole transaction), again when the database was busy.

    Safe because a busy write changed nothing (BEGIN IMMEDIATE failed or rolled back); use cases
    that must not run twice (a sale) carry their own id, so even a retry after an unseen commit
    is recognised. Raises the last :class:`DatabaseBusy` with a message that says how long it
    waited.
    """
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except DatabaseBusy as exc:
            if attempt == attempts:
                raise DatabaseBusy(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The database stayed busy with another program (a sync, an import or "
                        "a second window) through {attempts} tries; nothing was saved. Close "
                        "the other program or wait for it to finish, then try again.",
                    ),
                    attempts=attempts,
                ) from exc
            log.info("database busy, retrying (%d/%d)", attempt, attempts)
            if on_busy is not None:
                on_busy(attempt, attempts)
            time.sleep(pause_s)
    raise AssertionError("unreachable")  # pragma: no cover
