"""What a card says: the grouped number, the holder, the program terms, and which cards refuse
to be printed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from terminal.app.enrollment import Enrollment
from terminal.app.settings import put_setting
from terminal.cardprint.content import display_number, face_for_card, program_terms
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import CardBlocked, CardNotFound, CardUnavailable, InvalidCardNumber
from terminal.core.program import DEFAULT_PROGRAM, Program, ProgramKind, Tier
from terminal.db.models import Card
from terminal.i18n_text import core_application, install_translations, remove_translations


def test_number_is_grouped_four_four_four_one() -> None:
    assert display_number("2010000000014") == "2010 0000 0001 4"
    assert display_number(" 2010-0000-0001-4\n") == "2010 0000 0001 4"
    with pytest.raises(InvalidCardNumber):
        display_number("2010000000015")


@pytest.fixture
def english() -> Iterator[None]:
    """English as the app installs it (its plurals, the UK locale's digit grouping)."""
    app = core_application()
    install_translations(app, "en")
    yield
    remove_translations(app)


def test_back_terms_follow_the_program_in_force(english: None) -> None:
    terms = program_terms(DEFAULT_PROGRAM, "UAH")
    assert terms[0] == "5 % back in points, 1 point = 1.00 ₴"
    assert "Silver 7 % from 10,000.00 ₴, Gold 10 % from 30,000.00 ₴" in terms
    assert "Pay up to 50 % of a purchase with points" in terms
    assert "Points are valid for 365 days" in terms

    discount = Program(
        kind=ProgramKind.DISCOUNT, tiers=(Tier("Base", 0, 0, 350),), expiry_days=None
    )
    assert program_terms(discount, "EUR") == ("3.5 % discount on every purchase",)


def test_face_carries_holder_and_shop_facts(till) -> None:
    with till.write() as s:
        put_setting(s, "shop_name", "Кав'ярня «Ранок»", till.now())
        put_setting(s, "shop_phone", "+380 44 000 11 22", till.now())
    enrolled = Enrollment(till).register(CustomerForm("Олена Петренко", "0671234567"))
    face = face_for_card(till, enrolled.card)
    assert face.holder == "Олена Петренко"
    assert face.shop.name == "Кав'ярня «Ранок»"
    assert face.shop.phone == "+380 44 000 11 22"
    assert face_for_card(till, enrolled.card, with_name=False).holder == ""


def test_unknown_blocked_and_replaced_cards_are_not_printed(till) -> None:
    with pytest.raises(CardNotFound):
        face_for_card(till, "2010000000991")
    first = Enrollment(till).register(CustomerForm("A", "0671111111")).card
    second = Enrollment(till).register(CustomerForm("B", "0672222222")).card
    with till.write() as s:
        s.get(Card, first).status = "blocked"
        s.get(Card, second).status = "replaced"
    with pytest.raises(CardBlocked, match="blocked"):
        face_for_card(till, first)
    with pytest.raises(CardUnavailable, match="replaced"):
        face_for_card(till, second)
