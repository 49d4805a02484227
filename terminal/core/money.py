"""Money as integer minor units (kopecks, cents), parsed from what people type.

Amounts are parsed with :class:`decimal.Decimal` and never pass through ``float``. The number of
decimals belongs to the shop's currency; an amount with more decimals than the currency has is
refused rather than rounded, because a cashier who typed 10.005 made a typo, not a price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidAmount

# Group separators people and spreadsheets put inside numbers: space, no-break space,
# narrow no-break space, thin space, apostrophe.
_GROUP_SEPARATORS = (" ", "\u00a0", "\u202f", "\u2009", "'")
_AMOUNT_RE = re.compile(r"^(?P<int>\d+)(?:[.,](?P<frac>\d*))?$")

# The largest check the till takes, in major units: 10 000 000.00 ₴ / $ / € (¥10 000 000). No
# small shop sells that much in one check; a bigger number is a slip of the finger or a barcode
# or card number typed into the amount field. It keeps every derived figure (points, lifetime
# spend) far from where numbers stop fitting in Qt (32-bit counts) or SQLite (64-bit integers).
MAX_CHECK_MAJOR = 10_000_000
# The same in minor units for a two-decimal currency, the most any currency we know has: what the
# pure rules refuse when they are not told the currency (a backstop behind parse_amount).
MAX_CHECK_MINOR = MAX_CHECK_MAJOR * 100


def max_check(decimals: int) -> int:
    """The largest check amount in minor units for a currency with ``decimals`` minor digits."""
    return MAX_CHECK_MAJOR * 10**decimals


@dataclass(frozen=True)
class Currency:
    """A shop currency: ISO code, symbol shown at the counter, and how many minor digits it has."""

    code: str
    symbol: str
    decimals: int = 2

    @property
    def minor_per_major(self) -> int:
        return 10**self.decimals


CURRENCIES: dict[str, Currency] = {
    "UAH": Currency("UAH", "₴", 2),
    "RUB": Currency("RUB", "₽", 2),
    "USD": Currency("USD", "$", 2),
    "EUR": Currency("EUR", "€", 2),
    "PLN": Currency("PLN", "zł", 2),
    "KZT": Currency("KZT", "₸", 2),
    "GEL": Currency("GEL", "₾", 2),
    "MDL": Currency("MDL", "L", 2),
    "GBP": Currency("GBP", "£", 2),
    "JPY": Currency("JPY", "¥", 0),
}


def currency(code: str) -> Currency:
    """Look up a currency by ISO code; unknown codes get two decimals, which fits almost all."""
    return CURRENCIES.get(code.upper(), Currency(code.upper(), code.upper(), 2))


def parse_amount(text: str, decimals: int = 2, *, allow_zero: bool = False) -> int:
    """Turn what a cashier typed ("123.45", "123,45", "1 240", "123") into minor units.

    Refuses negatives, text, exponents and more decimals than the currency has, each with a
    sentence a cashier understands.
    """
    raw = (text or "").strip()
    for sep in _GROUP_SEPARATORS:
        raw = raw.replace(sep, "")
    if not raw:
        raise InvalidAmount(QT_TRANSLATE_NOOP("Errors", "Enter an amount."), text=text)
    if raw.startswith("-"):
        raise InvalidAmount(
            QT_TRANSLATE_NOOP("Errors", "The amount cannot be negative."), text=text
        )
    if raw.startswith("+"):
        raw = raw[1:]
    match = _AMOUNT_RE.match(raw)
    if not match:
        raise InvalidAmount(
            QT_TRANSLATE_NOOP("Errors", "“{shown}” is not an amount. Type digits, e.g. 123.45."),
            text=text,
            shown=text.strip(),
        )
    frac = match.group("frac") or ""
    if len(frac) > decimals:
        if decimals == 0:
            raise InvalidAmount(
                QT_TRANSLATE_NOOP(
                    "Errors", "This currency has no minor units; type a whole amount."
                ),
                text=text,
            )
        raise InvalidAmount(
            QT_TRANSLATE_NOOP(
                "Errors", "Too many digits after the decimal point: at most {decimals}."
            ),
            text=text,
            decimals=decimals,
        )
    try:
        value = Decimal(match.group("int") + ("." + frac if frac else ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise InvalidAmount(
            QT_TRANSLATE_NOOP("Errors", "“{text}” is not an amount."), text=text
        ) from exc
    minor = int(value.scaleb(decimals))
    if minor == 0 and not allow_zero:
        raise InvalidAmount(
            QT_TRANSLATE_NOOP("Errors", "The amount must be more than zero."), text=text
        )
    if minor > max_check(decimals):
        # sentences.py imports this module, so Amount is imported only when it is needed.
        from terminal.core.sentences import Amount

        raise InvalidAmount(
            QT_TRANSLATE_NOOP(
                "Errors", "The amount is above {maximum}, the most one check can be; check it."
            ),
            text=text,
            maximum=Amount(max_check(decimals), decimals),
        )
    return minor


def format_amount(minor: int, decimals: int = 2, *, group: str = "") -> str:
    """Plain, locale-free rendering ("1240.50") used by the CLI and JSON; the UI uses QLocale."""
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**decimals)
    whole_text = f"{whole:,}".replace(",", group) if group else str(whole)
    if decimals == 0:
        return f"{sign}{whole_text}"
    return f"{sign}{whole_text}.{frac:0{decimals}d}"


def percent_of(minor: int, basis_points: int) -> int:
    """``basis_points``/100 % of an amount, rounded down (the customer never gets a fraction)."""
    return minor * basis_points // 10_000
