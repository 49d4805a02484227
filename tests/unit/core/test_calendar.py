"""Birthday windows across year ends and 29 February."""

from __future__ import annotations

from datetime import date

import pytest

from terminal.core.calendar import birthday_in_year, birthday_occurrence_near


def test_birthday_in_year() -> None:
    assert birthday_in_year(date(1990, 5, 17), 2026) == date(2026, 5, 17)
    assert birthday_in_year(date(1992, 2, 29), 2026) == date(2026, 2, 28)
    assert birthday_in_year(date(1992, 2, 29), 2028) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("birthday", "today", "expected"),
    [
        (date(1990, 5, 17), date(2026, 5, 17), date(2026, 5, 17)),
        (date(1990, 5, 17), date(2026, 5, 10), date(2026, 5, 17)),  # 7 days before
        (date(1990, 5, 17), date(2026, 5, 24), date(2026, 5, 17)),  # 7 days after
        (date(1990, 5, 17), date(2026, 5, 9), None),  # 8 days before
        (date(1990, 5, 17), date(2026, 5, 25), None),  # 8 days after
        (date(1990, 12, 30), date(2027, 1, 2), date(2026, 12, 30)),  # last year's, across NY
        (date(1990, 1, 3), date(2026, 12, 29), date(2027, 1, 3)),  # next year's
        (date(1990, 12, 31), date(2027, 1, 7), date(2026, 12, 31)),
        (date(1990, 12, 31), date(2027, 1, 8), None),
        (date(1992, 2, 29), date(2026, 3, 7), date(2026, 2, 28)),  # common year: 28 Feb
        (date(1992, 2, 29), date(2026, 3, 8), None),
        (date(1992, 2, 29), date(2028, 3, 7), date(2028, 2, 29)),  # leap year: 29 Feb
        (date(1992, 2, 29), date(2028, 2, 22), date(2028, 2, 29)),
        (date(1992, 2, 29), date(2028, 2, 21), None),
    ],
)
def test_birthday_window_of_seven_days(birthday: date, today: date, expected: date | None) -> None:
    assert birthday_occurrence_near(birthday, today, 7) == expected


def test_zero_day_window_is_the_day_itself() -> None:
    assert birthday_occurrence_near(date(1990, 5, 17), date(2026, 5, 17), 0) == date(2026, 5, 17)
    assert birthday_occurrence_near(date(1990, 5, 17), date(2026, 5, 18), 0) is None
