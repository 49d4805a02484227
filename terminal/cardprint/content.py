"""What is printed on a card: the facts a card face needs, gathered from the till in one read.

Drawing code receives a :class:`CardFace` and never touches the database; the terms on the back
are derived from the program in force, so a card printed today tells today's rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from sqlmodel import Session

from terminal.app.settings import get_setting
from terminal.app.till import Till, current_program
from terminal.core.cards import normalize_card_number
from terminal.core.errors import CardBlocked, CardNotFound, CardUnavailable
from terminal.core.money import currency, format_amount
from terminal.core.program import Program
from terminal.db.models import Card, Customer


def _tr(text: str) -> str:
    return QCoreApplication.translate("CardPrint", text)


def display_number(number: str) -> str:
    """The one way card numbers are written for people: "2010 0000 0001 4" (4-4-4-1), easy to
    read aloud over the phone and to compare with what the till shows."""
    digits = normalize_card_number(number)
    return f"{digits[0:4]} {digits[4:8]} {digits[8:12]} {digits[12]}"


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
    whole, rest = divmod(basis_points, 100)
    return f"{whole}" if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")


def program_terms(program: Program, currency_code: str) -> tuple[str, ...]:
    """Short lines for the back of the card, e.g. "5 % back in points, 1 point = 1.00 UAH"."""
    money = currency(currency_code)
    lines: list[str] = []
    base = program.tiers[0]
    if program.earns_points:
        lines.append(
            _tr("%1 % back in points, 1 point = %2 %3")
            .replace("%1", _percent(base.earn_bp))
            .replace("%2", format_amount(program.point_value, money.decimals))
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
                .replace("%1", format_amount(tier.threshold, money.decimals, group=" "))
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
        lines.append(_tr("Points are valid for %1 days").replace("%1", str(program.expiry_days)))
    return tuple(lines)


def shop_facts(session: Session) -> ShopFacts:
    _version, program = current_program(session)
    return ShopFacts(
        name=str(get_setting(session, "shop_name") or ""),
        phone=str(get_setting(session, "shop_phone") or ""),
        logo_path=str(get_setting(session, "logo_path") or ""),
        terms=program_terms(program, str(get_setting(session, "currency"))),
    )


def face_for_card(till: Till, raw_number: str, *, with_name: bool = True) -> CardFace:
    """The face of an existing card; refuses numbers that are unknown, blocked or replaced, since
    a reprint of those would hand out a card the till turns away."""
    number = normalize_card_number(raw_number)
    with till.read() as s:
        card = s.get(Card, number)
        if card is None:
            raise CardNotFound(f"There is no card {number}.", card=number)
        if card.status == "blocked":
            raise CardBlocked(f"Card {number} is blocked; issue a new card instead.", card=number)
        if card.status == "replaced":
            raise CardUnavailable(
                f"Card {number} was replaced by another card; print the new one instead.",
                card=number,
            )
        holder = ""
        if with_name and card.customer_id:
            customer = s.get(Customer, card.customer_id)
            if customer is not None and customer.erased_at is None:
                holder = customer.name
        return CardFace(number=number, shop=shop_facts(s), holder=holder)


def faces_for_numbers(till: Till, numbers: Iterable[str]) -> list[CardFace]:
    """Faces of unassigned (stock) cards for a sheet: no names, the shop's facts once."""
    with till.read() as s:
        facts = shop_facts(s)
    return [CardFace(number=normalize_card_number(n), shop=facts) for n in numbers]
