"""Promotions on their own: when they are on, and the limits that keep a check sane."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from terminal.core.checkout import CustomerState, quote
from terminal.core.errors import InvalidInput
from terminal.core.program import Program, ProgramKind, Tier
from terminal.core.promotions import Promotion, Stacking

NEW = CustomerState(balance=0, lifetime_paid=0)


@pytest.mark.parametrize(
    ("moment", "on"),
    [
        (datetime(2026, 3, 2, 21, 59), False),
        (datetime(2026, 3, 2, 22, 0), True),
        (datetime(2026, 3, 3, 1, 59), True),
        (datetime(2026, 3, 3, 2, 0), False),
    ],
)
def test_night_hours_run_past_midnight(moment: datetime, on: bool) -> None:
    night = Promotion("Night", multiplier_pct=200, hours=(time(22), time(2)))
    assert night.applies(moment) is on


def test_a_date_range_includes_both_ends_and_weekdays_narrow_it() -> None:
    december = Promotion(
        "December weekends",
        extra_bp=300,
        start=date(2026, 12, 1),
        end=date(2026, 12, 31),
        weekdays=(5, 6),
    )
    assert not december.applies(datetime(2026, 11, 28, 12))  # a Saturday, before the range
    assert december.applies(datetime(2026, 12, 5, 12))  # first Saturday of December
    assert not december.applies(datetime(2026, 12, 7, 12))  # a Monday
    assert december.applies(datetime(2026, 12, 27, 12))  # last Sunday
    assert not december.applies(datetime(2027, 1, 2, 12))  # a Saturday, after the range


def test_a_category_promotion_needs_that_category_at_the_counter() -> None:
    coffee = Promotion("Coffee", extra_bp=200, categories=("Coffee",))
    program = Program(categories=("Coffee", "Pastry"), promotions=(coffee,))
    moment = datetime(2026, 3, 2, 12)
    assert quote(program, NEW, 100_000, now=moment).points_earned == 50
    assert quote(program, NEW, 100_000, now=moment, category="Pastry").points_earned == 50
    result = quote(program, NEW, 100_000, now=moment, category="Coffee")
    assert (result.points_earned, result.explanation) == (70, "5 % Bronze + Coffee +2 %")


def test_a_promotion_may_not_push_a_discount_past_the_whole_check() -> None:
    too_much = Program(
        kind=ProgramKind.DISCOUNT,
        tiers=(Tier("Bronze", 0, 0, 6000),),
        promotions=(Promotion("Happy hour", multiplier_pct=200),),
    )
    with pytest.raises(InvalidInput, match="could get a discount rate of 120 %"):
        too_much.validate()


def test_summed_promotions_are_checked_together() -> None:
    each_fine = (Promotion("A", extra_bp=5000), Promotion("B", extra_bp=5000))
    tiers = (Tier("Bronze", 0, 500),)
    Program(tiers=tiers, promotions=each_fine, stacking=Stacking.BEST).validate()
    with pytest.raises(InvalidInput, match="points rate of 105 %"):
        Program(tiers=tiers, promotions=each_fine, stacking=Stacking.SUM).validate()


def test_an_unvalidated_program_still_never_makes_the_check_negative() -> None:
    """A program built in code skips validation; the quote itself stops at the whole check."""
    generous = Program(
        kind=ProgramKind.DISCOUNT,
        tiers=(Tier("Bronze", 0, 0, 6000),),
        promotions=(Promotion("Happy hour", multiplier_pct=200),),
    )
    result = quote(generous, NEW, 10_000, now=datetime(2026, 3, 2, 17))
    assert (result.discount, result.to_pay) == (10_000, 0)
