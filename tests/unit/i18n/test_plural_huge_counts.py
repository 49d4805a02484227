"""Plural texts for any Python int: Qt takes the count as a 32-bit int, so a huge balance once
crashed every screen that showed it. The form must be the right one and the number the real one."""

from __future__ import annotations

import pytest

from terminal.i18n_text import plural_count, plural_text, points_text


@pytest.mark.parametrize(
    ("n", "stand_in"),
    [
        (0, 0),
        (1, 1),
        (2**31 - 1, 2**31 - 1),
        (2**31, 148),
        (5_000_000_000, 100),
        (10**12 + 1, 101),
        (-3, 3),
        (-(10**15) - 21, 121),
    ],
)
def test_the_stand_in_keeps_the_last_two_digits(n: int, stand_in: int) -> None:
    assert plural_count(n) == stand_in


@pytest.mark.parametrize(
    ("code", "n", "expected"),
    [
        ("en", 5_000_000_000, "5000000000 points"),
        ("en", 10**12 + 1, "1000000000001 points"),
        ("ru", 10**12 + 1, "1000000000001 балл"),
        ("ru", 10**12 + 2, "1000000000002 балла"),
        ("ru", 5_000_000_011, "5000000011 баллов"),
        ("uk", 10**30 + 22, "1000000000000000000000000000022 бали"),
        ("uk", 5_000_000_000, "5000000000 балів"),
        ("uk", -21, "-21 бал"),
    ],
)
def test_huge_counts_read_right_in_every_language(language, code, n, expected) -> None:
    language(code)
    assert plural_text("Points", "%n point(s)", n) == expected
    assert points_text(n) == expected
