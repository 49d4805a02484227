"""The one place the UI turns minor units and points into text, the way the shop's locale reads.

No floats: the whole part is formatted by QLocale as an integer (digit grouping of the locale),
the minor part is appended after the locale's decimal separator.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from terminal.core.money import Currency
from terminal.i18n_text import short_date_format, short_datetime_format


def format_money(minor: int, currency: Currency, *, symbol: bool = True) -> str:
    """``124050`` → "1,240.50 ₴" (en) or "1 240,50 ₴" (uk)."""
    locale = QLocale()
    sign = "−" if minor < 0 else ""
    whole, frac = divmod(abs(minor), currency.minor_per_major)
    text = locale.toString(whole)
    if currency.decimals:
        text += locale.decimalPoint() + f"{frac:0{currency.decimals}d}"
    return f"{sign}{text}\u00a0{currency.symbol}" if symbol else f"{sign}{text}"


def format_points(points: int) -> str:
    """Points with the locale's digit grouping; a negative balance keeps its minus sign."""
    text = QLocale().toString(abs(points))
    return f"−{text}" if points < 0 else text


def decimal_separator() -> str:
    return QLocale().decimalPoint()


def amount_example(currency: Currency) -> str:
    """What to show in an empty amount field, e.g. "0.00" or "0,00"."""
    if currency.decimals == 0:
        return "0"
    return "0" + decimal_separator() + "0" * currency.decimals


def format_date(value: object, long: bool = False) -> str:
    """A date (or datetime's date) in the locale's short or long form."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return "—"
    day = QDate(value.year, value.month, value.day)
    if long:
        return QLocale().toString(day, QLocale.FormatType.LongFormat)
    return QLocale().toString(day, short_date_format())


def format_day_month(value: object) -> str:
    """ "12 April" style, for "expires on" and birthdays."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return "—"
    return QLocale().toString(QDate(value.year, value.month, value.day), "d MMMM")


def format_time(value: object) -> str:
    if not isinstance(value, datetime):
        return "—"
    qt = QDateTime(value.year, value.month, value.day, value.hour, value.minute, value.second)
    return QLocale().toString(qt, short_datetime_format())


def format_moment(value: datetime) -> str:
    """ "Thursday, 5 March 2026 16:00": the long date and the short time, in the shop's language
    (when a backup was made, when the tills last synced)."""
    stamp = QDateTime(value)
    locale = QLocale()
    return (
        f"{locale.toString(stamp.date(), QLocale.FormatType.LongFormat)} "
        f"{locale.toString(stamp.time(), QLocale.FormatType.ShortFormat)}"
    )


def format_clock(value: object) -> str:
    """The time of day alone, the locale's short way ("16:05", or "4:05 PM" in US English)."""
    if not isinstance(value, datetime):
        return "—"
    return QLocale().toString(QTime(value.hour, value.minute), QLocale.FormatType.ShortFormat)
