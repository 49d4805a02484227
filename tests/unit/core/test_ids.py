"""Ids: version-7 UUIDs that sort in the order they were made, even within a millisecond."""

from __future__ import annotations

import uuid

from terminal.core.ids import new_id, uuid7


def test_ids_are_version_7_and_unique() -> None:
    ids = [uuid7() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    parsed = uuid.UUID(ids[0])
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122


def test_ids_sort_in_creation_order() -> None:
    ids = [new_id() for _ in range(20_000)]  # many fall in the same millisecond
    assert ids == sorted(ids)


def test_a_crowded_millisecond_steps_the_clock_forward(monkeypatch) -> None:
    import terminal.core.ids as ids

    monkeypatch.setattr(ids.time, "time_ns", lambda: 1_750_000_000_000 * 1_000_000)
    made = [uuid7() for _ in range(6000)]  # more than the 4096 a millisecond's counter holds
    assert made == sorted(made) and len(set(made)) == len(made)
    millis = {uuid.UUID(u).int >> 80 for u in made}
    assert len(millis) >= 2  # borrowed from the next millisecond rather than repeat
