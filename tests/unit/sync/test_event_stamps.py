"""The HLC stamps a till's events leave with are exactly what ``clock.tick`` gives, event by
event, whenever the stamping runs: in SQL for a whole run at once, stored only where the stamp
is not simply the event's own time (a clock that stood still or went back, a clock behind
another till's news)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.app.journal import record_event
from terminal.app.till import Till, open_till
from terminal.db.sync_state import put_state, state
from terminal.sync.apply import clock_local_events
from terminal.sync.clock import ZERO, Stamp, tick, wall_ms
from terminal.sync.exchange import local_events

START = datetime(2026, 3, 2, 9, 0)

# One step of a till's day: an event some milliseconds after (or before: a clock set back)
# the previous one; now and then the clock meets another till's news, or the stamps are taken
# (an export, a push, the start of an import).
steps = st.lists(
    st.one_of(
        st.tuples(st.just("event"), st.integers(min_value=-3_000, max_value=3_000)),
        st.tuples(st.just("news"), st.integers(min_value=-5_000, max_value=20_000)),
        st.tuples(st.just("stamp"), st.just(0)),
    ),
    min_size=1,
    max_size=40,
)


def _expected(db: sqlite3.Connection, terminal_id: str, last: Stamp, upto: int) -> Iterator[Stamp]:
    for (created_at,) in db.execute(
        "SELECT created_at FROM journal_event WHERE terminal_id = ? AND seq > ? ORDER BY seq",
        (terminal_id, upto),
    ):
        last = tick(last, datetime.fromisoformat(created_at), terminal_id)
        yield last


@settings(max_examples=60, deadline=None)
@given(day=steps)
def test_every_event_leaves_with_the_stamp_tick_gives(
    tmp_path_factory: pytest.TempPathFactory, day: list[tuple[str, int]]
) -> None:
    path: Path = tmp_path_factory.mktemp("till") / "loyalty.db"
    till = open_till(path)
    try:
        expected: list[str] = []
        at = START
        with till.write_driver() as db:
            terminal = till.terminal_id
            clock = Stamp.parse(state(db, "hlc") or ZERO.text())
            stamped = 0
            for kind, ms in day:
                if kind == "event":
                    at += timedelta(milliseconds=ms, microseconds=137)
                    record_event(db, terminal, "test.event", {"rows": {}}, at)
                    continue
                # what is still unstamped gets its stamps from the clock as it stands now
                for stamp in _expected(db, terminal, clock, stamped):
                    clock = stamp
                    expected.append(stamp.text())
                clock_local_events(db, terminal)
                stamped = int(state(db, "clocked_seq") or 0)
                if kind == "news":  # another till's stamp, maybe ahead of this till's clock
                    seen = Stamp(clock.ms + ms, 3, "another-till")
                    clock = max(clock, seen)
                    put_state(db, "hlc", clock.text())
            for stamp in _expected(db, terminal, clock, stamped):
                expected.append(stamp.text())
            got = [event["hlc"] for event in local_events(db, terminal, 0)]
            kept = db.execute("SELECT COUNT(*) FROM sync_event_clock").fetchone()[0]
        assert got == expected
        regular = sum(
            1
            for text, event_at in zip(got, _times(till), strict=True)
            if text == _own(event_at, terminal)
        )
        assert kept == len(got) - regular  # only the stamps that are not the event's own time
    finally:
        till.close()


def _times(till: Till) -> list[str]:
    with till.read_driver() as db:
        return [
            row[0]
            for row in db.execute(
                "SELECT created_at FROM journal_event WHERE terminal_id = ? ORDER BY seq",
                (till.terminal_id,),
            )
        ]


def _own(created_at: str, terminal_id: str) -> str:
    return Stamp(wall_ms(datetime.fromisoformat(created_at)), 0, terminal_id).text()


def test_a_till_whose_clock_runs_forward_keeps_no_stamp_rows(tmp_path: Path) -> None:
    """Sales a second apart: every stamp is the sale's own time, derived, none written."""
    till = open_till(tmp_path / "loyalty.db")
    try:
        with till.write_driver() as db:
            for second in range(50):
                record_event(
                    db,
                    till.terminal_id,
                    "test.event",
                    {"rows": {}},
                    START + timedelta(seconds=second),
                )
            clock_local_events(db, till.terminal_id)
            stamps = [event["hlc"] for event in local_events(db, till.terminal_id, 0)]
            assert db.execute("SELECT COUNT(*) FROM sync_event_clock").fetchone() == (0,)
        assert stamps[-50] == f"{wall_ms(START):015d}.000000.{till.terminal_id}"
        assert len(set(stamps)) == 50 and stamps == sorted(stamps)
    finally:
        till.close()
