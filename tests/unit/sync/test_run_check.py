"""A signed bundle's events must still be one unbroken run of one till's numbers, as its
manifest says (a till with a bug, or a file put together by hand and signed with the key):
each way of breaking the run is refused with a sentence that names what broke, whether it
breaks inside one block of the file or across two."""

from __future__ import annotations

from typing import Any

import pytest

from terminal.sync.bundle import BundleRefused, Manifest, _RunCheck, check_run

TILL = "till-one"


def _manifest(first: int, count: int) -> Manifest:
    return Manifest(
        shop_id="shop",
        terminal_id=TILL,
        terminal_number=1,
        first_seq=first,
        last_seq=first + count - 1,
        count=count,
        schema_version=1,
        created_at="2026-11-23T10:00:00",
    )


def _events(first: int, count: int) -> list[dict[str, Any]]:
    return [
        {"id": f"event-{seq}", "terminal_id": TILL, "seq": seq, "payload": "{}"}
        for seq in range(first, first + count)
    ]


def test_an_unbroken_run_passes_in_one_batch_or_many() -> None:
    check_run(_manifest(5, 6), _events(5, 6))
    run = _RunCheck(_manifest(5, 6))
    events = _events(5, 6)
    for batch in (events[:2], [], events[2:5], events[5:]):
        run.check(batch)
    run.done()


def _broken(change) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    events = _events(1, 6)
    change(events)
    return events


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda e: e.__setitem__(3, {**e[3], "seq": 9}), "expected number 4, found 9"),
        (lambda e: e.__setitem__(0, {**e[0], "seq": 2}), "expected number 1, found 2"),
        (lambda e: e.__setitem__(2, {**e[2], "terminal_id": "till-two"}), "different tills"),
        (lambda e: e.__setitem__(4, {**e[4], "id": "event-2"}), "holds event event-2 twice"),
        (lambda e: e.__setitem__(1, ["not", "an", "event"]), "not in the expected format"),
        (lambda e: e.append({**e[-1], "id": "event-7", "seq": 7}), "should hold 6 events"),
        (lambda e: e.pop(), "should hold 6 events but holds 5"),
    ],
)
def test_each_break_in_one_batch_is_named(change, reason) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BundleRefused, match=reason):
        check_run(_manifest(1, 6), _broken(change))


def test_an_event_repeated_in_a_later_batch_is_named() -> None:
    run = _RunCheck(_manifest(1, 6))
    events = _events(1, 6)
    run.check(events[:3])
    with pytest.raises(BundleRefused, match="holds event event-1 twice"):
        run.check([events[3], {**events[4], "id": "event-1"}, events[5]])


def test_a_gap_between_two_batches_is_named() -> None:
    run = _RunCheck(_manifest(1, 6))
    events = _events(1, 6)
    run.check(events[:3])
    with pytest.raises(BundleRefused, match="expected number 4, found 5"):
        run.check(events[4:])
