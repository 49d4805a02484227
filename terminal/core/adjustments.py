"""Manual point adjustments: what the owner typed, checked before anything is written.

A change is a whole number of points with a sign ("+50", "-20", "−20"); zero, fractions, text and
absurd sizes (a card number pasted into the points field) are refused in plain words. The reason
is required: it is what the customer desk shows when someone asks "where did these points come
from?".
"""

from __future__ import annotations

import re

from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput

# Far beyond any real correction, far below a 13-digit card number typed into the wrong field.
MAX_ADJUSTMENT = 1_000_000
REASON_MAX = 200
_GROUP_SEPARATORS = (" ", "\u00a0", "\u202f", "\u2009", "'")
_MINUS_SIGNS = ("\u2212", "\u2013", "\u2014")  # −, –, — as people and keyboards type them
_POINTS_RE = re.compile(r"^[+-]?\d+$")


def parse_point_change(text: str) -> int:
    """Turn "+50", "-20", "−1 000" into a signed number of points, or refuse it."""
    raw = (text or "").strip()
    for sep in _GROUP_SEPARATORS:
        raw = raw.replace(sep, "")
    for minus in _MINUS_SIGNS:
        raw = raw.replace(minus, "-")
    if not raw:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "Type how many points to add (+) or take away (−)."),
            field="points",
        )
    if not _POINTS_RE.match(raw):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors", "“{shown}” is not a number of points. Type whole points, e.g. +50 or -20."
            ),
            field="points",
            shown=text.strip(),
        )
    return check_point_change(int(raw))


def check_point_change(points: int) -> int:
    """A signed change must be a non-zero whole number of sensible size."""
    if isinstance(points, bool) or not isinstance(points, int):
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "Points are whole numbers, e.g. +50 or -20."),
            field="points",
        )
    if points == 0:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "Zero points changes nothing. Type e.g. +50 or -20."),
            field="points",
        )
    if abs(points) > MAX_ADJUSTMENT:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors", "That is too many points for one adjustment (at most {most})."
            ),
            field="points",
            most=MAX_ADJUSTMENT,
        )
    return points


def clean_reason(text: str) -> str:
    """The reason with its spaces tidied; refused when empty or longer than a sentence or two."""
    reason = " ".join((text or "").split())
    if not reason:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors", "Write why the points change (e.g. “lost receipt, sale of 12 May”)."
            ),
            field="reason",
        )
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "The reason is too long: at most {most} characters."),
            field="reason",
            most=REASON_MAX,
        )
    return reason
