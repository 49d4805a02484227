"""Reading and writing the program editor's fields: text a person typed ⇄ a Program.

Kept apart from the screen so the parsing rules (percentages, money, weekdays, hours) are one
small, testable piece. Percentages are parsed as minor units with two decimals, which is exactly
basis points ("7.5" → 750); money through ``parse_amount`` — never a float.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from terminal.core.errors import InvalidInput
from terminal.core.money import format_amount, parse_amount
from terminal.core.program import format_bp
from terminal.i18n_text import error_text


def tr(text: str) -> str:
    return QCoreApplication.translate("ProgramForm", text)


def parse_percent(text: str, what: str) -> int:
    """ "7.5" or "7,5" → 750 basis points; empty → 0."""
    if not text.strip():
        return 0
    try:
        value = parse_amount(text.replace("%", ""), 2, allow_zero=True)
    except InvalidInput:
        raise InvalidInput(
            tr("{what}: “{text}” is not a percentage.").format(what=what, text=text.strip()),
            field=what,
        ) from None
    if value > 10_000:
        raise InvalidInput(tr("{what}: at most 100 %.").format(what=what), field=what)
    return value


def parse_money(text: str, decimals: int, what: str) -> int:
    if not text.strip():
        return 0
    try:
        return parse_amount(text, decimals, allow_zero=True)
    except InvalidInput as exc:
        raise InvalidInput(f"{what}: {error_text(exc)}", field=what) from None


def parse_count(text: str, what: str, *, empty: int | None = 0) -> int | None:
    stripped = text.strip()
    if not stripped:
        return empty
    if not stripped.isdigit():
        raise InvalidInput(tr("{what}: type a whole number.").format(what=what), field=what)
    return int(stripped)


def show_percent(bp: int) -> str:
    return format_bp(bp).replace(".", QLocale().decimalPoint())


def show_money(minor: int, decimals: int) -> str:
    return format_amount(minor, decimals).replace(".", QLocale().decimalPoint())


def day_names() -> list[str]:
    """Short weekday names in the interface language, Monday first."""
    locale = QLocale()
    return [locale.dayName(day, QLocale.FormatType.ShortFormat) for day in range(1, 8)]


def show_weekdays(days: tuple[int, ...]) -> str:
    if not days:
        return ""
    names = day_names()
    ranges: list[str] = []
    start = prev = days[0]
    for day in [*days[1:], None]:
        if day is not None and day == prev + 1:
            prev = day
            continue
        ranges.append(names[start] if start == prev else f"{names[start]}–{names[prev]}")
        if day is not None:
            start = prev = day
    return ", ".join(ranges)


def parse_weekdays(text: str) -> list[int]:
    """ "Mon–Fri", "Sat, Sun", "1-5" (1 = Monday) → [0, …]; empty = every day."""
    stripped = text.strip()
    if not stripped:
        return []
    names = [n.casefold().rstrip(".") for n in day_names()]
    english = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    def one(token: str) -> int:
        key = token.strip().casefold().rstrip(".")
        if key.isdigit() and 1 <= int(key) <= 7:
            return int(key) - 1
        for table in (names, english):
            for i, name in enumerate(table):
                if key and (key == name or (len(key) >= 2 and name.startswith(key))):
                    return i
        raise InvalidInput(
            tr("“{day}” is not a day of the week.").format(day=token.strip()), field="weekdays"
        )

    days: set[int] = set()
    for part in re.split(r"[,;]", stripped):
        if not part.strip():
            continue
        bounds = re.split(r"\s*[–—-]\s*", part.strip())
        if len(bounds) == 2:
            first, last = one(bounds[0]), one(bounds[1])
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
            days.update(span)
        else:
            days.add(one(part))
    return sorted(days)


def parse_hours(text: str) -> list[str] | None:
    """ "16:00–18:00" → ["16:00", "18:00"]; empty = all day."""
    stripped = text.strip()
    if not stripped:
        return None
    parts = re.split(r"\s*[–—-]\s*", stripped)
    if len(parts) != 2:
        raise InvalidInput(tr("Hours are written like 16:00–18:00."), field="hours")
    result = []
    for part in parts:
        match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?", part.strip())
        try:
            if match is None:
                raise ValueError(part)
            result.append(time(int(match.group(1)), int(match.group(2) or 0)).strftime("%H:%M"))
        except ValueError:
            raise InvalidInput(
                tr("“{time}” is not a time of day.").format(time=part), field="hours"
            ) from None
    return result


def parse_dates(text: str) -> tuple[str | None, str | None]:
    """ "2026-12-01 – 2026-12-31" or "01.12.2026–31.12.2026"; one side may be empty."""
    stripped = text.strip()
    if not stripped:
        return None, None
    parts = re.split(r"\s+[–—-]\s+|\s*[–—]\s*", stripped)
    if len(parts) == 1:
        parts = [parts[0], parts[0]]
    if len(parts) != 2:
        raise InvalidInput(tr("Dates are written like 01.12.2026 – 31.12.2026."), field="dates")
    return _one_date(parts[0]), _one_date(parts[1])


def _one_date(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise InvalidInput(tr("“{date}” is not a date.").format(date=text), field="dates")


def show_dates(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    fmt = QLocale.FormatType.ShortFormat
    locale = QLocale()

    def one(value: date | None) -> str:
        return (
            "" if value is None else locale.toString(QDate(value.year, value.month, value.day), fmt)
        )

    return f"{one(start)} – {one(end)}"


def split_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def promotion_row(values: dict[str, str]) -> dict[str, Any]:
    """One row of the promotions table as the program's JSON shape."""
    name = values["name"].strip()
    what = name or tr("Promotion")
    multiplier = values["multiplier"].strip().lstrip("×x*")
    multiplier_pct = 100
    if multiplier:
        try:
            multiplier_pct = parse_amount(multiplier, 2, allow_zero=True)
        except InvalidInput:
            raise InvalidInput(
                tr("{what}: the multiplier is written like 2 or 1.5.").format(what=what),
                field="promotions",
            ) from None
    start, end = parse_dates(values["dates"])
    return {
        "name": name,
        "multiplier_pct": multiplier_pct,
        "extra_bp": parse_percent(values["extra"], what),
        "weekdays": parse_weekdays(values["days"]),
        "hours": parse_hours(values["hours"]),
        "start": start,
        "end": end,
        "categories": split_names(values["categories"]),
    }
