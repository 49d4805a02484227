"""Loyalty card numbers: EAN-13 in the in-store range (first digit 2).

Layout: ``2 TT SSSSSSSSS C`` — the in-store prefix 2, the two-digit till number that issued the
card, a nine-digit serial kept per till, and the EAN-13 check digit. Putting the till number inside
the digits lets every till issue numbers offline without ever colliding with another till.
"""

from __future__ import annotations

import re
import unicodedata

from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidCardNumber

CARD_LENGTH = 13
IN_STORE_PREFIX = "2"
MAX_TILL = 99
MAX_SERIAL = 999_999_999
# The reason stored when a card is blocked without one. Stored in English, as every till and
# older databases have it, and translated where it is shown (its words were first marked in the
# command line's context, where the translations already are).
BLOCKED_AT_THE_DESK = QT_TRANSLATE_NOOP("Cli", "Blocked at the desk")
_SCIENTIFIC = re.compile(r"^\d([.,]\d+)?[eE][+]?\d+$")


def check_digit(first12: str) -> str:
    """EAN-13 check digit: weights 1,3,1,3... from the left over the first twelve digits."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError("check_digit needs exactly twelve digits")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def make_card_number(till: int, serial: int) -> str:
    """The card number a till issues; deterministic, so batches can be reserved in advance."""
    if not 0 <= till <= MAX_TILL:
        raise ValueError(f"till number must be 0..{MAX_TILL}")
    if not 0 < serial <= MAX_SERIAL:
        raise ValueError(f"serial must be 1..{MAX_SERIAL}")
    body = f"{IN_STORE_PREFIX}{till:02d}{serial:09d}"
    return body + check_digit(body)


def display_card_number(number: str) -> str:
    """The one way a card number is written for people: "2010 0000 0001 4" (4-4-4-1), as it is
    printed on the card, so the cashier compares the screen with the card in the customer's
    hand group by group. Anything that is not one of our 13-digit numbers is shown as it is."""
    if len(number) != 13 or not number.isdigit():
        return number
    return f"{number[0:4]} {number[4:8]} {number[8:12]} {number[12]}"


def till_of(number: str) -> int:
    return int(number[1:3])


def normalize_card_number(raw: str) -> str:
    """Clean up what a scanner, a person or a spreadsheet produced and verify it.

    Accepts surrounding whitespace, a trailing Enter, spaces or dashes inside the digits and leading
    zeros lost by a spreadsheet; refuses everything else with the reason in plain words.
    """
    text = _ascii_digits(raw or "").strip()
    if not text:
        raise InvalidCardNumber(QT_TRANSLATE_NOOP("Errors", "Scan or type a card number."), raw=raw)
    if _SCIENTIFIC.match(text):
        raise InvalidCardNumber(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The card number was mangled by a spreadsheet (it shows as “{text}”); format "
                "that column as text and try again.",
            ),
            raw=raw,
            text=text,
        )
    compact = re.sub(r"[\s\-]", "", text)
    if not (compact.isascii() and compact.isdigit()):
        raise InvalidCardNumber(
            QT_TRANSLATE_NOOP("Errors", "That is not a card number: it must contain digits only."),
            raw=raw,
        )
    if len(compact) > CARD_LENGTH:
        raise InvalidCardNumber(
            QT_TRANSLATE_NOOP("Errors", "A card number has {length} digits; this one has {count}."),
            raw=raw,
            length=CARD_LENGTH,
            count=len(compact),
        )
    if len(compact) < CARD_LENGTH:
        padded = compact.zfill(CARD_LENGTH)
        # Zeros lost by a spreadsheet only make sense when the padded number is valid.
        if len(compact) >= 8 and check_digit(padded[:12]) == padded[12]:
            compact = padded
        else:
            raise InvalidCardNumber(
                QT_TRANSLATE_NOOP(
                    "Errors", "A card number has {length} digits; this one has {count}."
                ),
                raw=raw,
                length=CARD_LENGTH,
                count=len(compact),
            )
    if check_digit(compact[:12]) != compact[12]:
        raise InvalidCardNumber(
            QT_TRANSLATE_NOOP(
                "Errors", "Wrong check digit: the number was mistyped or misread. Scan again."
            ),
            raw=raw,
        )
    if not compact.startswith(IN_STORE_PREFIX):
        raise InvalidCardNumber(
            QT_TRANSLATE_NOOP("Errors", "This is a product barcode, not one of our loyalty cards."),
            raw=raw,
        )
    return compact


def _ascii_digits(text: str) -> str:
    """``text`` with the digits people's keyboards and input methods type written as 0–9:
    NFKC turns full-width "２０１０" (Japanese and Chinese IMEs) and the like into ASCII, and any
    other decimal digit (Arabic-Indic "٢٠١٠") is mapped by its value. The check digit and the
    database only know 0–9, so without this a correctly typed card reads as mistyped."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in text
    )


def looks_like_card_number(text: str) -> bool:
    """Cheap test used by search boxes to decide whether to look up a card or a name/phone."""
    compact = re.sub(r"[\s\-]", "", _ascii_digits(text or ""))
    return (
        compact.isascii()
        and compact.isdigit()
        and len(compact) == CARD_LENGTH
        and compact.startswith("2")
    )
