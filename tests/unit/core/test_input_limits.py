"""The largest numbers the pure rules take from people and files, and Unicode digits in card
numbers: each refused in one sentence naming what is wrong, before anything is written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from terminal.core.cards import normalize_card_number
from terminal.core.checkout import NONE, CustomerState, Redeem, check_cardless, quote
from terminal.core.errors import InvalidAmount, InvalidInput
from terminal.core.import_rows import MAX_OPENING_BALANCE, parse_points
from terminal.core.kpis import Period
from terminal.core.money import MAX_CHECK_MINOR, max_check, parse_amount
from terminal.core.program import DEFAULT_PROGRAM, Program, Tier


def test_parse_amount_takes_the_largest_check_and_refuses_one_more_minor_unit() -> None:
    assert parse_amount("10000000") == max_check(2) == 1_000_000_000
    assert parse_amount("10000000", 0) == max_check(0) == 10_000_000
    for text, decimals in (("10000000.01", 2), ("10000001", 0), ("100000000000", 2)):
        with pytest.raises(InvalidAmount) as caught:
            parse_amount(text, decimals)
        assert caught.value.message.startswith("The amount is above ")


def test_quote_refuses_an_amount_no_caller_should_price() -> None:
    state = CustomerState(balance=0, lifetime_paid=0)
    assert quote(DEFAULT_PROGRAM, state, MAX_CHECK_MINOR).amount == MAX_CHECK_MINOR
    with pytest.raises(InvalidAmount, match="too large"):
        quote(DEFAULT_PROGRAM, state, MAX_CHECK_MINOR + 1)


def test_opening_balance_has_a_ceiling() -> None:
    assert parse_points(str(MAX_OPENING_BALANCE)) == MAX_OPENING_BALANCE
    with pytest.raises(InvalidInput, match="more than the 10000000 points"):
        parse_points("999999999999999")


def test_redeem_that_is_not_a_number_is_invalid_input_not_a_refusal() -> None:
    with pytest.raises(InvalidInput) as caught:
        Redeem.parse("abc")
    assert type(caught.value) is InvalidInput  # exit 3, not RedemptionRefused's 5
    with pytest.raises(InvalidInput, match="only be used with the customer's card"):
        check_cardless(Redeem.parse("50"))
    check_cardless(NONE)


@pytest.mark.parametrize(
    "typed", ["２０１００００００００１４", "٢٠١٠٠٠٠٠٠٠٠١٤", " ２０１０ ００００ ０００１ ４ "]
)
def test_card_numbers_typed_with_other_digits_are_read(typed: str) -> None:
    assert normalize_card_number(typed) == "2010000000014"


def test_a_period_with_nothing_before_it_is_refused_in_words() -> None:
    with pytest.raises(InvalidInput, match="no period of the same length"):
        Period(date(1000, 1, 1), date(2999, 12, 31)).previous()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expiry_days": 10**12}, "expiry_days"),
        ({"point_value": 10**40}, "point_value"),
        ({"birthday_window_days": 400}, "birthday_window_days"),
        ({"welcome_points": 10**12}, "welcome_points"),
        ({"min_check_to_earn": 10**13}, "min_check_to_earn"),
        ({"milestones": ((10**6, 10),)}, "milestones[1].visit"),
        ({"tiers": (Tier("Bronze", 0, 500), Tier("Gold", 10**14, 700))}, "tiers[2].threshold"),
    ],
)
def test_every_number_in_a_program_has_a_ceiling(changes: dict[str, object], field: str) -> None:
    program = replace(Program(), **changes)
    with pytest.raises(InvalidInput) as caught:
        program.validate()
    assert caught.value.message == f"“{field}” must be at most {caught.value.params['maximum']}."


def test_a_stored_program_past_the_limits_still_loads_so_it_can_be_fixed() -> None:
    data = Program().to_dict() | {"expiry_days": 10**12}
    assert Program.from_dict(data).expiry_days == 10**12
    with pytest.raises(InvalidInput, match="expiry_days"):
        Program.from_dict(data).validate()
