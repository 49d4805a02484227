"""Checkout math: what a sale costs the customer and what it earns, as one pure function.

``quote`` is all arithmetic and no I/O so the counter can re-quote on every keystroke and the
commit can re-run it inside its transaction on fresh data and compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from terminal.core.calendar import birthday_occurrence_near
from terminal.core.errors import (
    QT_TRANSLATE_NOOP,
    InsufficientPoints,
    InvalidAmount,
    InvalidInput,
    RedemptionRefused,
)
from terminal.core.money import MAX_CHECK_MINOR, percent_of
from terminal.core.program import Program
from terminal.core.promotions import AppliedRate, apply_promotions
from terminal.core.sentences import Listing, Percent, Sentence


class RedeemMode(StrEnum):
    NONE = "none"
    MAX = "max"
    POINTS = "points"


@dataclass(frozen=True)
class Redeem:
    """What the customer asked to pay with points: nothing, as much as allowed, or N points."""

    mode: RedeemMode = RedeemMode.NONE
    points: int = 0

    @classmethod
    def parse(cls, text: str | None) -> Redeem:
        value = (text or "none").strip().lower()
        if value in ("", "none", "0"):
            return cls()
        if value == "max":
            return cls(RedeemMode.MAX)
        if not value.isdigit():
            # A typo, not a rule saying no: invalid input, like a mistyped amount.
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors", "“{text}” is not a number of points; use none, max or a whole number."
                ),
                text=text,
            )
        return cls(RedeemMode.POINTS, int(value))


NONE = Redeem()
MAX = Redeem(RedeemMode.MAX)


@dataclass(frozen=True)
class CustomerState:
    """What the rules need to know about a customer at the moment of a sale."""

    balance: int  # points, after anything that expired by now
    lifetime_paid: int  # minor units paid over all earlier sales, net of refunds
    visits: int = 0  # earlier sales
    birthday: date | None = None
    birthday_bonus_years: frozenset[int] = frozenset()  # birthday occurrences already rewarded
    referral_pending: bool = False  # referred and no first sale yet


@dataclass(frozen=True)
class Bonus:
    kind: str  # birthday, referral, milestone
    points: int


@dataclass(frozen=True)
class Quote:
    amount: int
    discount: int
    points_redeemed: int
    redeemed_value: int
    to_pay: int
    points_earned: int
    bonuses: tuple[Bonus, ...]
    referrer_bonus: int  # points the referrer receives on this sale
    balance_before: int
    balance_after: int
    max_redeemable: int
    tier: str
    tier_after: str
    tier_up: str | None
    earn_bp: int
    discount_bp: int
    explanation: str
    birthday_year: int | None = None
    redeem: Redeem = field(default=NONE)

    @property
    def bonus_points(self) -> int:
        return sum(b.points for b in self.bonuses)


def check_amount(amount: int) -> None:
    """Refuse a check amount no sale can have, with or without a card. parse_amount refuses
    a too large one first, with the limit in the shop's currency; this keeps any other caller
    from pricing (and so recording) an absurd check."""
    if amount <= 0:
        raise InvalidAmount(QT_TRANSLATE_NOOP("Errors", "The amount must be more than zero."))
    if amount > MAX_CHECK_MINOR:
        raise InvalidAmount(QT_TRANSLATE_NOOP("Errors", "The amount is too large."))


def check_cardless(redeem: Redeem) -> None:
    """A sale without a card has no balance to pay from: asking for points there is a
    mistake to point out, not to drop silently and charge the full price."""
    if redeem.mode != RedeemMode.NONE:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "Points can only be used with the customer's card."),
            field="redeem",
        )


def max_redeemable(program: Program, state: CustomerState, base: int) -> int:
    """The most points this check may take: limited by balance, cap and the minimum balance."""
    if not program.earns_points or state.balance <= 0:
        return 0
    if state.balance < program.min_balance_to_redeem:
        return 0
    cap_points = percent_of(base, program.redeem_cap_bp) // program.point_value
    return max(0, min(state.balance, cap_points))


def quote(
    program: Program,
    state: CustomerState,
    amount: int,
    redeem: Redeem = NONE,
    now: datetime | None = None,
    category: str | None = None,
) -> Quote:
    """Price a sale under ``program`` at ``now``; raises if the redemption is refused.

    Promotions raise the points rate in bonus and hybrid programs, and the discount rate in a
    discount-only program (which has no points to multiply).
    """
    check_amount(amount)
    moment = now or datetime.now()
    today = moment.date()
    tier = program.tier_for(state.lifetime_paid)
    promoted_rate = tier.discount_bp if not program.earns_points else tier.earn_bp
    rate = apply_promotions(promoted_rate, program.promotions, program.stacking, moment, category)
    discount = 0
    if program.gives_discount:
        discount = (
            percent_of(amount, tier.discount_bp) if program.earns_points else rate.scaled(amount)
        )
        discount = min(discount, amount)  # never below zero to pay, whatever a program says
    base = amount - discount
    cap = max_redeemable(program, state, base)
    points = _requested_points(program, state, base, cap, redeem)
    redeemed_value = points * program.point_value
    to_pay = base - redeemed_value

    earned = 0
    if program.earns_points and amount >= program.min_check_to_earn:
        earn_base = base if program.earn_on_redeemed else to_pay
        earned = rate.points(earn_base, program.point_value)

    bonuses: list[Bonus] = []
    birthday_year = None
    if program.birthday_points and state.birthday is not None:
        occurrence = birthday_occurrence_near(state.birthday, today, program.birthday_window_days)
        if occurrence is not None and occurrence.year not in state.birthday_bonus_years:
            bonuses.append(Bonus("birthday", program.birthday_points))
            birthday_year = occurrence.year
    referrer_bonus = 0
    if state.referral_pending and amount >= program.referral_min_first_check:
        if program.referral_newcomer_points:
            bonuses.append(Bonus("referral", program.referral_newcomer_points))
        referrer_bonus = program.referral_referrer_points
    for visit, points_for_visit in program.milestones:
        if visit == state.visits + 1 and points_for_visit:
            bonuses.append(Bonus("milestone", points_for_visit))

    tier_after = program.tier_for(state.lifetime_paid + to_pay)
    tier_up = tier_after.name if tier_after.threshold > tier.threshold else None
    balance_after = state.balance - points + earned + sum(b.points for b in bonuses)
    return Quote(
        amount=amount,
        discount=discount,
        points_redeemed=points,
        redeemed_value=redeemed_value,
        to_pay=to_pay,
        points_earned=earned,
        bonuses=tuple(bonuses),
        referrer_bonus=referrer_bonus,
        balance_before=state.balance,
        balance_after=balance_after,
        max_redeemable=cap,
        tier=tier.name,
        tier_after=tier_after.name,
        tier_up=tier_up,
        earn_bp=tier.earn_bp if program.earns_points else 0,
        discount_bp=tier.discount_bp if program.gives_discount else 0,
        explanation=_explain(program, tier.name, tier.earn_bp, tier.discount_bp, rate),
        birthday_year=birthday_year,
        redeem=redeem,
    )


def _requested_points(
    program: Program, state: CustomerState, base: int, cap: int, redeem: Redeem
) -> int:
    if redeem.mode == RedeemMode.NONE:
        return 0
    if redeem.mode == RedeemMode.MAX:
        return cap
    wanted = redeem.points
    if wanted < 0:
        raise RedemptionRefused(QT_TRANSLATE_NOOP("Errors", "Points to redeem cannot be negative."))
    if wanted == 0:
        return 0
    if not program.earns_points:
        raise RedemptionRefused(
            QT_TRANSLATE_NOOP(
                "Errors", "This shop's program gives a discount; it has no points to spend."
            )
        )
    if state.balance < 0:
        raise InsufficientPoints(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The balance is negative ({balance}); points cannot be spent until it is back "
                "above zero.",
            ),
            balance=state.balance,
        )
    if wanted > state.balance:
        raise InsufficientPoints(
            QT_TRANSLATE_NOOP(
                "Errors", "Only {balance} points are available; {wanted} were asked for."
            ),
            balance=state.balance,
            wanted=wanted,
        )
    if state.balance < program.min_balance_to_redeem:
        raise RedemptionRefused(
            QT_TRANSLATE_NOOP("Errors", "Points can be spent from a balance of {minimum}."),
            minimum=program.min_balance_to_redeem,
        )
    if wanted > cap:
        raise RedemptionRefused(
            QT_TRANSLATE_NOOP("Errors", "At most {cap} points can be spent on this check."),
            cap=cap,
            wanted=wanted,
        )
    return wanted


def _explain(
    program: Program, tier: str, earn_bp: int, discount_bp: int, rate: AppliedRate | None = None
) -> str:
    """The words a customer history shows for a sale, e.g. "5 % Bronze + Happy hour ×2".

    A :class:`Sentence`: stored in English (the purchase and ledger rows), shown by the sale
    panel in the till's language with the locale's decimal separator ("7,5 % Silver").
    """
    parts: list[Any] = []
    if program.gives_discount and discount_bp:
        parts.append(
            Sentence(
                QT_TRANSLATE_NOOP("Checkout", "{rate} % discount {tier}"),
                context="Checkout",
                rate=Percent(discount_bp),
                tier=tier,
            )
        )
    if program.earns_points:
        parts.append(
            Sentence(
                QT_TRANSLATE_NOOP("Checkout", "{rate} % {tier}"),
                context="Checkout",
                rate=Percent(earn_bp),
                tier=tier,
            )
        )
    if rate is not None:
        parts += [promo.label() for promo in rate.promotions]
    if not parts:
        return tier
    return Sentence("{parts}", context="Checkout", parts=Listing(tuple(parts), " + "))


_DISCOUNT_PART = re.compile(r"^(?P<rate>\d+(?:\.\d+)?) % discount (?P<tier>.+)$")
_EARN_PART = re.compile(r"^(?P<rate>\d+(?:\.\d+)?) % (?P<tier>.+)$")


def explanation_from_text(text: str) -> str:
    """An explanation as stored (the English words on a purchase or an earn entry, e.g.
    "2.5 % discount Silver + 7.5 % Silver + Happy hour ×2") read back into the
    :class:`Sentence` :func:`_explain` made, so a history can show it in the till's language.

    Rows keep English because they travel between tills; the parts are the shapes ``_explain``
    writes, joined by " + ". A part of another shape (a promotion's label, a bare tier name) is
    the owner's own words and stays as written; text with no known part comes back unchanged.
    """
    parts: list[Any] = []
    for part in text.split(" + "):
        if match := _DISCOUNT_PART.match(part):
            template = QT_TRANSLATE_NOOP("Checkout", "{rate} % discount {tier}")
        elif match := _EARN_PART.match(part):
            template = QT_TRANSLATE_NOOP("Checkout", "{rate} % {tier}")
        else:
            parts.append(part)
            continue
        rate = Percent(int(Decimal(match["rate"]) * 100))
        if str(rate) != match["rate"]:  # not a rate _explain writes ("2.555")
            parts.append(part)
            continue
        parts.append(Sentence(template, context="Checkout", rate=rate, tier=match["tier"]))
    if not any(isinstance(part, Sentence) for part in parts):
        return text
    return Sentence("{parts}", context="Checkout", parts=Listing(tuple(parts), " + "))
