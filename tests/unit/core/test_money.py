"""Amounts as cashiers type them become exact minor units, or a plain refusal."""

from __future__ import annotations

import pytest

from terminal.core.errors import InvalidAmount
from terminal.core.money import currency, format_amount, parse_amount, percent_of


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("123.45", 12345),
        ("123,45", 12345),
        ("123", 12300),
        ("123.", 12300),
        ("0.5", 50),
        ("0,05", 5),
        ("1 240,50", 124050),
        ("1\u00a0240.50", 124050),
        ("1\u202f240", 124000),
        ("1'240.5", 124050),
        ("  99.90\n", 9990),
        ("+10", 1000),
        ("007.10", 710),
        ("10000000", 10**9),  # the largest check (MAX_CHECK_MAJOR)
    ],
)
def test_amounts_people_type_are_read_exactly(text: str, minor: int) -> None:
    assert parse_amount(text) == minor


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("-5", "cannot be negative"),
        ("- 5", "cannot be negative"),
        ("abc", "is not an amount"),
        ("12a", "is not an amount"),
        ("1e5", "is not an amount"),
        ("1E5", "is not an amount"),
        ("1.2e3", "is not an amount"),
        ("12.3.4", "is not an amount"),
        ("1,234.56", "is not an amount"),
        (".5", "is not an amount"),
        ("NaN", "is not an amount"),
        ("inf", "is not an amount"),
        ("10.005", "at most 2"),
        ("10,123", "at most 2"),
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("10000000.01", "is above 10000000.00"),
    ],
)
def test_bad_amounts_are_refused_in_plain_words(text: str, words: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_amount(text)
    assert words in caught.value.message
    assert caught.value.code == "invalid_amount"


def test_none_is_treated_as_empty() -> None:
    with pytest.raises(InvalidAmount, match="Enter an amount"):
        parse_amount(None)  # type: ignore[arg-type]


def test_zero_is_allowed_when_asked_for() -> None:
    assert parse_amount("0", allow_zero=True) == 0
    assert parse_amount("0,00", allow_zero=True) == 0


def test_a_currency_without_minor_units_takes_whole_amounts_only() -> None:
    assert parse_amount("1500", decimals=0) == 1500
    with pytest.raises(InvalidAmount, match="no minor units"):
        parse_amount("1500.5", decimals=0)
    assert parse_amount("1500.", decimals=0) == 1500


def test_three_decimal_currency() -> None:
    assert parse_amount("1.234", decimals=3) == 1234
    with pytest.raises(InvalidAmount, match="at most 3"):
        parse_amount("1.2345", decimals=3)


@pytest.mark.parametrize(
    ("minor", "decimals", "group", "text"),
    [
        (12345, 2, "", "123.45"),
        (5, 2, "", "0.05"),
        (0, 2, "", "0.00"),
        (-12345, 2, "", "-123.45"),
        (123456789, 2, " ", "1 234 567.89"),
        (1500, 0, "", "1500"),
        (-1500, 0, ",", "-1,500"),
    ],
)
def test_format_amount(minor: int, decimals: int, group: str, text: str) -> None:
    assert format_amount(minor, decimals, group=group) == text


def test_format_then_parse_round_trips() -> None:
    for minor in (1, 99, 100, 12345, 10**9 - 7):
        assert parse_amount(format_amount(minor)) == minor


def test_currencies() -> None:
    assert currency("uah").symbol == "₴"
    assert currency("JPY").decimals == 0
    assert currency("JPY").minor_per_major == 1
    assert currency("UAH").minor_per_major == 100
    unknown = currency("xyz")
    assert (unknown.code, unknown.decimals) == ("XYZ", 2)


def test_percent_of_rounds_down() -> None:
    assert percent_of(12345, 500) == 617  # 617.25
    assert percent_of(199, 5000) == 99  # 99.5
    assert percent_of(0, 700) == 0
