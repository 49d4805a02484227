"""Card numbers: EAN-13 in-store range, check digit, and what scanners and spreadsheets do."""

from __future__ import annotations

import pytest

from terminal.core.cards import (
    check_digit,
    looks_like_card_number,
    make_card_number,
    normalize_card_number,
    till_of,
)
from terminal.core.errors import InvalidCardNumber

CARD = make_card_number(1, 1)  # 2010000000014


def test_check_digit_of_known_ean13_numbers() -> None:
    assert check_digit("400638133393") == "1"  # 4006381333931, a real product barcode
    assert check_digit("590123412345") == "7"  # 5901234123457, the GS1 example
    assert check_digit("201000000001") == "4"
    assert check_digit("200000000000") == "8"  # 2+0*... = 2 -> 8


@pytest.mark.parametrize("bad", ["12345678901", "1234567890123", "20100000000a"])
def test_check_digit_needs_twelve_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="twelve digits"):
        check_digit(bad)


def test_card_number_layout_carries_till_and_serial() -> None:
    number = make_card_number(7, 123_456)
    assert number == "207000123456" + check_digit("207000123456")
    assert len(number) == 13 and number.startswith("2")
    assert till_of(number) == 7
    assert normalize_card_number(number) == number


def test_two_tills_never_issue_the_same_number() -> None:
    first = {make_card_number(1, s) for s in range(1, 2000)}
    second = {make_card_number(2, s) for s in range(1, 2000)}
    assert not first & second


@pytest.mark.parametrize(("till", "serial"), [(-1, 1), (100, 1), (1, 0), (1, 1_000_000_000)])
def test_out_of_range_till_or_serial(till: int, serial: int) -> None:
    with pytest.raises(ValueError):
        make_card_number(till, serial)


def test_limits_are_valid() -> None:
    assert till_of(make_card_number(99, 999_999_999)) == 99
    assert till_of(make_card_number(0, 1)) == 0


@pytest.mark.parametrize(
    "raw",
    [
        CARD,
        f"  {CARD}  ",
        f"{CARD}\n",
        f"{CARD}\r\n",
        f"\t{CARD}\r",
        "2010-0000-0001-4",
        "201 000 000 001 4",
        "2-010000-000014",
    ],
)
def test_scanner_and_typing_noise_is_cleaned(raw: str) -> None:
    assert normalize_card_number(raw) == CARD


def test_leading_zeros_lost_by_a_spreadsheet_are_restored() -> None:
    card = make_card_number(0, 12345)  # 2000000123456 + check: starts "2000…" — no leading zero
    assert normalize_card_number(card) == card
    # an EAN-13 that starts with 0 is not ours: a spreadsheet shows 12 digits, we refuse with
    # "product barcode" after restoring it, not with a length error
    product = "0" + "40063813339"
    product += check_digit(product)
    with pytest.raises(InvalidCardNumber, match="product barcode"):
        normalize_card_number(product.lstrip("0"))


def test_short_number_whose_padding_is_valid_is_accepted_then_judged() -> None:
    padded = "000000" + "123456"
    padded += check_digit(padded)
    short = padded.lstrip("0")  # 7 digits: too short to be a number that only lost zeros
    assert len(short) == 7
    with pytest.raises(InvalidCardNumber, match="13 digits; this one has 7"):
        normalize_card_number(short)
    eight = "0000" + "12345678"
    eight += check_digit(eight)
    with pytest.raises(InvalidCardNumber, match="product barcode"):
        normalize_card_number(eight.lstrip("0"))


def test_truncated_card_is_refused() -> None:
    with pytest.raises(InvalidCardNumber, match="13 digits; this one has 12"):
        normalize_card_number(make_card_number(1, 2)[:-1])
    # 1 in 10 truncations happens to read as a valid 12-digit UPC-A code: still refused
    with pytest.raises(InvalidCardNumber, match="product barcode"):
        normalize_card_number(CARD[:-1])


@pytest.mark.parametrize("raw", ["2.01E+12", "2,01e12", "2E12", "2.010000000014e+12"])
def test_scientific_notation_from_a_spreadsheet_is_explained(raw: str) -> None:
    with pytest.raises(InvalidCardNumber, match="spreadsheet"):
        normalize_card_number(raw)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Scan or type"),
        ("   \n", "Scan or type"),
        ("20100000000l4", "digits only"),
        ("2010000000014x", "digits only"),
        ("card", "digits only"),
        ("20100000000145", "has 14"),
        ("123", "has 3"),
        ("2010000000015", "Wrong check digit"),
        ("2010000000041", "Wrong check digit"),  # two digits swapped
        ("4006381333931", "product barcode"),
        ("5901234123457", "product barcode"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(raw: str, words: str) -> None:
    with pytest.raises(InvalidCardNumber) as caught:
        normalize_card_number(raw)
    assert words in caught.value.message
    assert caught.value.params["raw"] == raw


def test_none_is_refused() -> None:
    with pytest.raises(InvalidCardNumber, match="Scan or type"):
        normalize_card_number(None)  # type: ignore[arg-type]


def test_every_single_digit_typo_is_caught() -> None:
    for position in range(13):
        for digit in "0123456789":
            if digit == CARD[position]:
                continue
            typo = CARD[:position] + digit + CARD[position + 1 :]
            with pytest.raises(InvalidCardNumber):
                normalize_card_number(typo)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CARD, True),
        ("2010-0000-0001-4", True),
        ("4006381333931", False),
        ("201000000001", False),
        ("Олена", False),
        ("", False),
        (None, False),
    ],
)
def test_looks_like_card_number(text: str | None, expected: bool) -> None:
    assert looks_like_card_number(text) is expected  # type: ignore[arg-type]
