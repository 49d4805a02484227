"""What is printed on a card: the facts a card face needs, as words.

The facts come from ``terminal.app.card_stock`` (the database stays behind the app layer); the
drawing code receives a :class:`CardFace`. The terms on the back are derived from the program in
force, so a card printed today tells today's rules — in the chosen language, with amounts and
rates written by its QLocale ("1 бал = 1,00 ₴", "від 5 000 ₴"), never Python's "1.00".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from terminal.app.card_stock import ShopPrintFacts, printable_card, shop_print_facts
from terminal.app.till import Till
from terminal.core.cards import display_card_number, normalize_card_number
from terminal.core.money import currency
from terminal.core.program import Program
from terminal.i18n_text import locale_amount, locale_percent, plural_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("CardPrint", text)


def display_number(number: str) -> str:
    """A card number checked and written as people read it (``display_card_number``): what is
    printed is what the till shows."""
    return display_card_number(normalize_card_number(number))


@dataclass(frozen=True)
class ShopFacts:
    """What every card of this shop shares."""

    name: str
    phone: str
    logo_path: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class CardFace:
    """One card to print: its number, the optional holder's name, and the shop's facts."""

    number: str
    shop: ShopFacts
    holder: str = ""

    @property
    def display_number(self) -> str:
        return display_number(self.number)


def _percent(basis_points: int) -> str:
    """2.5 or 2,5: the locale's decimal separator."""
    return locale_percent(basis_points)


def program_terms(program: Program, currency_code: str) -> tuple[str, ...]:
    """Short lines for the back of the card, e.g. "5 % back in points, 1 point = 1.00 ₴"."""
    money = currency(currency_code)
    lines: list[str] = []
    base = program.tiers[0]
    if program.earns_points:
        lines.append(
            _tr("%1 % back in points, 1 point = %2 %3")
            .replace("%1", _percent(base.earn_bp))
            .replace("%2", locale_amount(program.point_value, money.decimals))
            .replace("%3", money.symbol)
        )
    if program.gives_discount and base.discount_bp:
        lines.append(
            _tr("%1 % discount on every purchase").replace("%1", _percent(base.discount_bp))
        )
    higher = [t for t in program.tiers[1:] if t.threshold > 0]
    if higher:
        steps = []
        for tier in higher:
            rate = tier.earn_bp if program.earns_points else tier.discount_bp
            steps.append(
                f"{tier.name} {_percent(rate)} % "
                + _tr("from %1 %2")
                .replace("%1", locale_amount(tier.threshold, money.decimals))
                .replace("%2", money.symbol)
            )
        lines.append(", ".join(steps))
    if program.earns_points and program.redeem_cap_bp:
        lines.append(
            _tr("Pay up to %1 % of a purchase with points").replace(
                "%1", _percent(program.redeem_cap_bp)
            )
        )
    if program.earns_points and program.expiry_days:
        lines.append(
            plural_text("CardPrint", "Points are valid for %n day(s)", program.expiry_days)
        )
    return tuple(lines)


def shop_facts(facts: ShopPrintFacts) -> ShopFacts:
    return ShopFacts(
        name=facts.shop_name,
        phone=facts.shop_phone,
        logo_path=facts.logo_path,
        terms=program_terms(facts.program, facts.currency_code),
    )


def face_for_card(till: Till, raw_number: str, *, with_name: bool = True) -> CardFace:
    """The face of an existing card (unknown, blocked and replaced cards are refused)."""
    card = printable_card(till, raw_number, with_name=with_name)
    return CardFace(number=card.number, shop=shop_facts(shop_print_facts(till)), holder=card.holder)


def faces_for_numbers(till: Till, numbers: Iterable[str]) -> list[CardFace]:
    """Faces of unassigned (stock) cards for a sheet: no names, the shop's facts once."""
    facts = shop_facts(shop_print_facts(till))
    return [CardFace(number=normalize_card_number(n), shop=facts) for n in numbers]
