"""The registration form: one validation for the GUI form and ``customer add``."""

from __future__ import annotations

from datetime import date

import pytest

from terminal.core.customer_form import CustomerForm, clean, parse_birthday
from terminal.core.errors import InvalidInput, InvalidPhone

TODAY = date(2026, 3, 2)


def test_clean_form() -> None:
    data = clean(
        CustomerForm(
            "  Олена   Коваленко ", "067 123 45 67", " o@example.com ", "17.05.1990", True
        ),
        TODAY,
    )
    assert data.name == "Олена Коваленко"
    assert data.phone == "+380671234567"
    assert data.email == "o@example.com"
    assert data.birthday == date(1990, 5, 17)
    assert data.consent is True


def test_only_a_name_is_required() -> None:
    data = clean(CustomerForm("Іван"), TODAY)
    assert (data.phone, data.email, data.birthday, data.consent) == (None, None, None, False)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (CustomerForm("   "), "name"),
        (CustomerForm("x" * 121), "name"),
        (CustomerForm("Іван", email="not-an-email"), "email"),
        (CustomerForm("Іван", birthday="31.02.1990"), "birthday"),
        (CustomerForm("Іван", birthday="yesterday"), "birthday"),
        (CustomerForm("Іван", birthday="2027-01-01"), "birthday"),
        (CustomerForm("Іван", birthday="1900-01-01"), "birthday"),
    ],
)
def test_bad_fields_are_named(form: CustomerForm, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean(form, TODAY)
    assert caught.value.params["field"] == field


def test_bad_phone() -> None:
    with pytest.raises(InvalidPhone):
        clean(CustomerForm("Іван", phone="12"), TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-05-17", date(1990, 5, 17)),
        ("17.05.1990", date(1990, 5, 17)),
        ("17/05/1990", date(1990, 5, 17)),
        (" 1992-02-29 ", date(1992, 2, 29)),
        ("", None),
        (None, None),
        (date(1990, 1, 1), date(1990, 1, 1)),
    ],
)
def test_birthday_formats(text: str | date | None, expected: date | None) -> None:
    assert parse_birthday(text, TODAY) == expected
