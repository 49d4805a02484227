"""The loyalty slip's text, laid out for a 58 or 80 mm thermal roll. Pure: no printer, no I/O.

A slip tells the customer what this sale did to their points and what they have now, so they
need not ask the cashier: shop name, masked card number, points earned (with bonuses) and
redeemed, the new balance, points that expire soon, and a QR of the card number (printed by the
app layer after these lines). Only the last four digits of the card are shown: slips are left
on counters and in bins.

Font A on ESC/POS printers is 12 dots wide: 384 dots on a 58 mm roll hold 32 characters,
576 dots on an 80 mm roll hold 48.

The words on the slip are English source texts marked in the ``Slip`` context; the app layer
passes their translations in (``words``), so the slip reads in the till's language while this
module stays free of Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from terminal.core.errors import QT_TRANSLATE_NOOP

# Every word a slip prints, for the translations the app layer looks up (``Slip`` context).
SLIP_TEXTS = (
    QT_TRANSLATE_NOOP("Slip", "TEST SLIP"),
    QT_TRANSLATE_NOOP("Slip", "The printer works."),
    QT_TRANSLATE_NOOP("Slip", "Loyalty card"),
    QT_TRANSLATE_NOOP("Slip", "Date"),
    QT_TRANSLATE_NOOP("Slip", "Level"),
    QT_TRANSLATE_NOOP("Slip", "Points earned"),
    QT_TRANSLATE_NOOP("Slip", "Bonus points"),
    QT_TRANSLATE_NOOP("Slip", "Points spent"),
    QT_TRANSLATE_NOOP("Slip", "Points this visit"),
    QT_TRANSLATE_NOOP("Slip", "Balance"),
    QT_TRANSLATE_NOOP("Slip", "Expire {day}"),
    QT_TRANSLATE_NOOP("Slip", "Show this code next time"),
)

WIDTHS_MM = (58, 80)
CHARS_PER_LINE = {58: 32, 80: 48}
DOTS_PER_LINE = {58: 384, 80: 576}


@dataclass(frozen=True)
class SlipLine:
    text: str
    bold: bool = False
    center: bool = False
    big: bool = False  # double width and height: the shop name and the balance


@dataclass(frozen=True)
class SlipData:
    shop_name: str
    card: str
    at: datetime
    points_earned: int = 0  # the sale's own points
    bonus_points: int = 0  # birthday, referral, milestone bonuses granted with the sale
    points_redeemed: int = 0
    balance: int = 0
    tier: str | None = None
    expiring: tuple[tuple[int, date], ...] = field(default_factory=tuple)
    shop_phone: str = ""
    test: bool = False  # "print test slip" from the settings


def mask_card(number: str) -> str:
    """``2010000000014`` → ``•••• 0014``: enough for the customer to know it is their card."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"•••• {digits[-4:]}" if len(digits) > 4 else "••••"


def chars_per_line(width_mm: int) -> int:
    if width_mm not in CHARS_PER_LINE:
        raise ValueError(f"slip width must be one of {WIDTHS_MM} mm")
    return CHARS_PER_LINE[width_mm]


def _pair(label: str, value: str, width: int) -> str:
    room = width - len(value) - 1
    if room < 1:
        return f"{label}\n{value.rjust(width)}"
    return f"{label[:room].ljust(room)} {value}"


def _fit(text: str, width: int) -> list[str]:
    """Wrap on spaces; a word longer than the line is cut, never overflowing the paper."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def signed(points: int) -> str:
    return f"+{points}" if points > 0 else str(points)


def slip_lines(
    data: SlipData, width_mm: int, words: Mapping[str, str] | None = None
) -> list[SlipLine]:
    """The slip, line by line; every line fits the roll (big lines count double). ``words``
    maps the English texts of :data:`SLIP_TEXTS` to the till's language (English if missing)."""

    def w(text: str) -> str:
        return (words or {}).get(text) or text

    width = chars_per_line(width_mm)
    rule = "-" * width
    out: list[SlipLine] = [
        SlipLine(line, bold=True, center=True, big=True)
        for line in _fit(data.shop_name, width // 2)
    ]
    if data.test:
        out.append(SlipLine(w("TEST SLIP"), bold=True, center=True))
        out.extend(SlipLine(t, center=True) for t in _fit(w("The printer works."), width))
    out.append(SlipLine(rule))
    out.append(SlipLine(_pair(w("Loyalty card"), mask_card(data.card), width)))
    out.append(SlipLine(_pair(w("Date"), f"{data.at:%d.%m.%Y %H:%M}", width)))
    if data.tier:
        out.append(SlipLine(_pair(w("Level"), data.tier, width)))
    out.append(SlipLine(rule))
    if data.points_earned:
        out.append(SlipLine(_pair(w("Points earned"), signed(data.points_earned), width)))
    if data.bonus_points:
        out.append(SlipLine(_pair(w("Bonus points"), signed(data.bonus_points), width)))
    if data.points_redeemed:
        out.append(SlipLine(_pair(w("Points spent"), signed(-data.points_redeemed), width)))
    if not (data.points_earned or data.bonus_points or data.points_redeemed):
        out.append(SlipLine(_pair(w("Points this visit"), "0", width)))
    out.append(SlipLine(_pair(w("Balance"), f"{data.balance}", width // 2), bold=True, big=True))
    for points, day in data.expiring:
        label = w("Expire {day}").replace("{day}", f"{day:%d.%m.%Y}")
        out.append(SlipLine(_pair(label, f"{points}", width)))
    out.append(SlipLine(rule))
    out.extend(SlipLine(t, center=True) for t in _fit(w("Show this code next time"), width))
    if data.shop_phone:
        out.extend(SlipLine(t, center=True) for t in _fit(data.shop_phone, width))
    for line in out:
        limit = width // 2 if line.big else width
        assert all(len(part) <= limit for part in line.text.split("\n")), line
    return out
