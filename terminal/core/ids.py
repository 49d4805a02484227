"""Identifiers that tills create offline without coordination."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """A time-ordered UUID (RFC 9562 version 7): sorts by creation, unique across tills.

    Within one millisecond the 12-bit ``rand_a`` field is a counter (RFC 9562, method 1), so ids
    made one after another by this process also sort in the order they were made — a sale's
    redeem entry sorts before its earn entry, even when both are written in the same
    millisecond. The counter starts at a random value below 2048 each millisecond; if it ever
    runs out, the timestamp steps forward by a millisecond instead.
    """
    global _last_ms, _counter
    rand = int.from_bytes(os.urandom(10), "big")
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:
                ms += 1
                _counter = (rand >> 64) & 0x7FF
        else:
            _counter = (rand >> 64) & 0x7FF
        _last_ms = ms
        counter = _counter
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def new_id() -> str:
    return uuid7()
