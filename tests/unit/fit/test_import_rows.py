"""The pure row rules: header guessing in three languages, and every refusal reason."""

from __future__ import annotations

from datetime import date

import pytest

from terminal.core.cards import check_digit
from terminal.core.errors import InvalidInput
from terminal.core.import_rows import KnownInDatabase, check_rows, guess_mapping, parse_points

TODAY = date(2026, 3, 2)
MAP = {"name": 0, "phone": 1, "card": 2, "balance": 3, "birthday": 4, "email": 5, "consent": 6}


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Name", "Phone", "Card", "Balance"], {"name": 0, "phone": 1, "card": 2, "balance": 3}),
        (
            ["ФИО", "Телефон", "Номер карты", "Баллы", "День рождения"],
            {"name": 0, "phone": 1, "card": 2, "balance": 3, "birthday": 4},
        ),
        (
            ["Ім’я", "Телефон", "Картка", "Бали", "Дата народження", "E-mail", "Згода"],
            {
                "name": 0,
                "phone": 1,
                "card": 2,
                "balance": 3,
                "birthday": 4,
                "email": 5,
                "consent": 6,
            },
        ),
        (["#", "Phone number", "Customer name"], {"phone": 1, "name": 2}),
    ],
)
def test_guess_mapping(headers: list[str], expected: dict[str, int]) -> None:
    assert guess_mapping(headers) == expected


@pytest.mark.parametrize(("text", "points"), [("", 0), ("1 200", 1200), ("350.0", 350), ("7", 7)])
def test_points_as_written(text: str, points: int) -> None:
    assert parse_points(text) == points


@pytest.mark.parametrize("text", ["12.5", "abc", "-3"])
def test_points_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_points(text)


NOTHING_KNOWN = KnownInDatabase()


def _check(*rows: list[str], known: KnownInDatabase = NOTHING_KNOWN):  # type: ignore[no-untyped-def]
    return check_rows(enumerate(rows, start=2), MAP, known, TODAY)


def test_every_reason_of_a_row_is_listed() -> None:
    result = _check(["", "123", "2010000000015", "-5", "31.02.1990", "not-mail", "maybe"])
    (refused,) = result.refused
    text = " | ".join(refused.reasons)
    for word in (
        "missing name",
        "bad phone",
        "wrong check digit",
        "negative balance",
        "not a real date",
        "not an e-mail",
        "neither yes nor no",
    ):
        assert word in text


def test_a_card_from_another_system_is_refused_with_the_way_out() -> None:
    """Only numbers from outside our range can start with 0; they are named in full."""
    body = "000012345678"
    number = body + check_digit(body)
    result = _check(["Ann", "", number.lstrip("0"), "", "", "", ""])
    assert f"card {number} is not in the in-store range" in result.refused[0].reasons[0]


def test_a_stock_card_may_be_given_but_not_a_customers_card() -> None:
    known = KnownInDatabase(
        cards=frozenset({"2010000000014"}), stock_cards=frozenset({"2010000000021"})
    )
    result = _check(
        ["Ann", "", "2010000000014", "", "", "", ""],
        ["Bob", "", "2010000000021", "", "", "", "yes"],
        known=known,
    )
    assert [r.line for r in result.refused] == [2]
    assert result.good[0].card == "2010000000021" and result.good[0].consent is True


def test_blank_lines_are_ignored_and_the_first_duplicate_wins() -> None:
    result = _check(
        ["Ann", "0671112233", "", "", "", "", ""],
        ["", "", "", "", "", "", ""],
        ["Ann again", "+380 67 111 22 33", "", "", "", "", ""],
    )
    assert [r.line for r in result.good] == [2]
    assert result.refused[0].line == 4
    assert "already on line 2" in result.refused[0].reasons[0]


def test_without_a_name_column_the_check_refuses_to_start() -> None:
    with pytest.raises(InvalidInput, match="names"):
        check_rows([], {"phone": 0}, KnownInDatabase(), TODAY)
