"""The status bar's sync figure: this till's events not yet exported to a bundle or pushed.

``terminal/app/shop_setup.py: pending_sync_events`` looks for ``pending_events`` here, so the
counter's status bar shows it without importing the rest of sync. Two indexed lookups, cheap
enough for every refresh.
"""

from __future__ import annotations

from terminal.app.till import Till
from terminal.db.sync_state import state
from terminal.sync.apply import known_seq


def pending_events(till: Till) -> int:
    """This till's events after the last one exported or pushed (0 when all have left)."""
    with till.read_driver() as db:
        newest = known_seq(db, till.terminal_id)
        sent = int(state(db, "sent_seq") or 0)
    return max(0, newest - sent)


pending_for_sync = pending_events
