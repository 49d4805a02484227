"""The hybrid logical clock that orders field edits made on different tills.

A stamp is ``(wall milliseconds, counter, till id)`` written as one string that sorts the way
the stamps compare: it follows the wall clock when clocks agree, yet an edit made after a till
has seen another till's edit always sorts after it, even if the second till's clock is behind.
Ties (same millisecond and counter) are broken by the till id, so every till picks the same
winner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

_EPOCH = datetime(1970, 1, 1)


def wall_ms(moment: datetime) -> int:
    """Milliseconds since 1970, truncated, in integers (a float of seconds can land a
    millisecond low); the same figure ``apply.clock_local_events`` computes in SQL."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


@dataclass(frozen=True, order=True)
class Stamp:
    ms: int
    counter: int
    terminal_id: str = ""

    def text(self) -> str:
        return f"{self.ms:015d}.{self.counter:06d}.{self.terminal_id}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        ms, counter, terminal_id = text.split(".", 2)
        return cls(int(ms), int(counter), terminal_id)


ZERO = Stamp(0, 0, "")


def tick(last: Stamp, moment: datetime, terminal_id: str) -> Stamp:
    """The stamp of a local event made at ``moment`` after the clock stood at ``last``."""
    ms = max(last.ms, wall_ms(moment))
    counter = last.counter + 1 if ms == last.ms else 0
    return Stamp(ms, counter, terminal_id)


def merge(last: Stamp, seen: Stamp) -> Stamp:
    """The clock after receiving ``seen``: never behind anything this till has seen."""
    return max(last, seen)
