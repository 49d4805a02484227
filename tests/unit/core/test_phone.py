"""Phone numbers as people write them all find the same customer."""

from __future__ import annotations

import pytest

from terminal.core.errors import InvalidPhone
from terminal.core.phone import mask_phone, normalize_phone, phone_search_key

UA = "+380671234567"
RU = "+79123456789"


@pytest.mark.parametrize(
    "raw",
    [
        "+380671234567",
        "+380 67 123 45 67",
        "+38 (067) 123-45-67",
        "380671234567",
        "0671234567",
        "067 123 45 67",
        "(067) 123-45-67",
        "067-123-45-67",
        "671234567",
        "00380671234567",
        " 067 123 45 67\n",
        "067/123.45.67",
    ],
)
def test_ukrainian_numbers_in_every_usual_shape(raw: str) -> None:
    assert normalize_phone(raw, "UA") == UA


@pytest.mark.parametrize(
    "raw", ["+7 912 345-67-89", "8 (912) 345-67-89", "89123456789", "79123456789", "+79123456789"]
)
def test_russian_numbers_typed_in_a_ukrainian_shop(raw: str) -> None:
    assert normalize_phone(raw, "UA") == RU


@pytest.mark.parametrize(
    "raw", ["+7 912 345-67-89", "8 (912) 345-67-89", "9123456789", "79123456789"]
)
def test_russian_region(raw: str) -> None:
    assert normalize_phone(raw, "RU") == RU
    assert normalize_phone(raw, "KZ") == RU


def test_ukrainian_number_in_a_russian_shop() -> None:
    assert normalize_phone("380671234567", "RU") == UA
    assert normalize_phone("+380671234567", "RU") == UA


def test_other_regions_prefix_their_country_code() -> None:
    assert normalize_phone("601 234 567", "PL") == "+48601234567"
    assert normalize_phone("48601234567", "PL") == "+48601234567"
    assert normalize_phone("069 123 456", "MD") == "+37369123456"


@pytest.mark.parametrize(
    ("raw", "region", "words"),
    [
        ("", "UA", "Enter a phone"),
        ("   ", "UA", "Enter a phone"),
        ("067 123 45 6x", "UA", "only digits"),
        ("call me", "UA", "only digits"),
        ("067 123 45", "UA", "has 8 digits"),
        ("067 123 45 67 8", "UA", "has 11 digits"),
        ("12345678901234", "UA", "has 14 digits"),
        ("912 345", "RU", "has 6 digits"),
        ("+1234567", "UA", "has 7 digits"),
        ("+1234567890123456", "UA", "has 16 digits"),
        ("12", "PL", "has 2 digits"),
    ],
)
def test_bad_numbers_say_what_is_wrong(raw: str, region: str, words: str) -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone(raw, region)
    assert words in caught.value.message


def test_none_is_refused() -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(None)  # type: ignore[arg-type]


def test_search_key() -> None:
    assert phone_search_key("067 123 45 67") == UA
    assert phone_search_key("Олена") is None
    assert phone_search_key("4567") is None


def test_mask_shows_only_the_last_four_digits() -> None:
    assert mask_phone(UA) == "•••4567"
    assert "123" not in mask_phone(UA)
    assert mask_phone("") == "•••"
    assert mask_phone("1234") == "•••"
