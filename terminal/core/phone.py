"""Phone numbers as people write them, normalized to one international form for lookup.

A cashier may type ``+380 67 123-45-67``, ``067 123 45 67``, ``8 (912) 345-67-89`` or ``+7 912…``;
all of these must find the same customer. Numbers are stored as ``+`` and digits (E.164 shape).
The shop's region decides how a national number without a country code is read.
"""

from __future__ import annotations

import re

from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidPhone

REGIONS = {"UA": "380", "RU": "7", "KZ": "7", "PL": "48", "MD": "373", "GE": "995"}
_ALLOWED = re.compile(r"^[\d\s\-().+/]+$")


def normalize_phone(raw: str, region: str = "UA") -> str:
    """Return ``+<country><number>`` or raise :class:`InvalidPhone` saying what is wrong."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone(QT_TRANSLATE_NOOP("Errors", "Enter a phone number."), raw=raw)
    if not _ALLOWED.match(text):
        raise InvalidPhone(
            QT_TRANSLATE_NOOP(
                "Errors", "A phone number may contain only digits, spaces, dashes and +."
            ),
            raw=raw,
        )
    has_plus = text.startswith("+")
    digits = re.sub(r"\D", "", text)
    if has_plus or digits.startswith("00"):
        digits = digits[2:] if not has_plus and digits.startswith("00") else digits
        result = digits
    elif region == "UA":
        if len(digits) == 12 and digits.startswith("380"):
            result = digits
        elif len(digits) == 10 and digits.startswith("0"):
            result = "38" + digits
        elif len(digits) == 9:
            result = "380" + digits
        elif len(digits) == 11 and digits[0] in "78":
            result = "7" + digits[1:]  # a Russian/Kazakh number typed the Russian way
        else:
            raise InvalidPhone(_LENGTH_MESSAGE, raw=raw, count=len(digits))
    elif region in ("RU", "KZ"):
        if len(digits) == 11 and digits[0] in "78":
            result = "7" + digits[1:]
        elif len(digits) == 10:
            result = "7" + digits
        elif len(digits) == 12 and digits.startswith("380"):
            result = digits
        else:
            raise InvalidPhone(_LENGTH_MESSAGE, raw=raw, count=len(digits))
    else:
        code = REGIONS.get(region, "")
        result = digits if digits.startswith(code) else code + digits.lstrip("0")
    if not 8 <= len(result) <= 15:
        raise InvalidPhone(_LENGTH_MESSAGE, raw=raw, count=len(digits))
    return "+" + result


_LENGTH_MESSAGE = QT_TRANSLATE_NOOP(
    "Errors",
    "This phone number has {count} digits; type it with the area code, e.g. 067 123 45 67.",
)


def mask_phone(phone: str) -> str:
    """What logs and slips may show: the last four digits only."""
    return "•••" + phone[-4:] if phone and len(phone) > 4 else "•••"


def phone_search_key(text: str, region: str = "UA") -> str | None:
    """The normalized form if ``text`` reads as a whole phone number, else ``None``."""
    try:
        return normalize_phone(text, region)
    except InvalidPhone:
        return None
