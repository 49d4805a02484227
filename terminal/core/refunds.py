"""Refund math: proportional and cumulative, so that refunding in parts ends where refunding at
once ends, to the point and the kopeck.

Each figure of the sale is split by the share of the check amount refunded *so far*, and a part
refund gets the difference between the share after it and the share before it. Rounding is
always down on the cumulative share, so the last part settles the remainder exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.core.errors import QT_TRANSLATE_NOOP, RefundRefused


@dataclass(frozen=True)
class SaleFigures:
    amount: int
    to_pay: int
    points_redeemed: int
    points_earned: int
    bonus_points: int  # sale-triggered bonuses (birthday, referral, milestone): undone in full only


@dataclass(frozen=True)
class RefundFigures:
    amount: int
    money_returned: int
    points_returned: int  # redeemed points given back to the customer
    points_reversed: int  # earned points taken back
    bonus_reversed: bool  # this part completes the refund, so sale bonuses are taken back
    complete: bool


def _share(total: int, part: int, whole: int) -> int:
    return total * part // whole


def split_refund(sale: SaleFigures, refunded_before: int, amount: int | None) -> RefundFigures:
    """Figures for refunding ``amount`` (None = the rest) of a sale already refunded by some."""
    remaining = sale.amount - refunded_before
    if remaining <= 0:
        raise RefundRefused(
            QT_TRANSLATE_NOOP("Errors", "This sale has already been refunded in full.")
        )
    if amount is None:
        amount = remaining
    if amount <= 0:
        raise RefundRefused(
            QT_TRANSLATE_NOOP("Errors", "The refund amount must be more than zero.")
        )
    if amount > remaining:
        raise RefundRefused(
            QT_TRANSLATE_NOOP("Errors", "The refund is larger than what is left of the sale."),
            remaining=remaining,
        )
    after = refunded_before + amount

    def part(total: int) -> int:
        return _share(total, after, sale.amount) - _share(total, refunded_before, sale.amount)

    complete = after == sale.amount
    return RefundFigures(
        amount=amount,
        money_returned=part(sale.to_pay),
        points_returned=part(sale.points_redeemed),
        points_reversed=part(sale.points_earned),
        bonus_reversed=complete and sale.bonus_points > 0,
        complete=complete,
    )
