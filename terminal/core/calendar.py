"""Birthday windows, which need care around year ends and 29 February."""

from __future__ import annotations

from datetime import date


def birthday_in_year(birthday: date, year: int) -> date:
    """The day the birthday is celebrated in ``year`` (29 Feb falls on 28 Feb in common years)."""
    try:
        return birthday.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def birthday_occurrence_near(birthday: date, today: date, window_days: int) -> date | None:
    """The birthday occurrence within ``window_days`` of ``today`` (either side), if any.

    Looks at last, this and next year so that a 30 December birthday is found on 2 January.
    """
    for year in (today.year - 1, today.year, today.year + 1):
        occurrence = birthday_in_year(birthday, year)
        if abs((occurrence - today).days) <= window_days:
            return occurrence
    return None
