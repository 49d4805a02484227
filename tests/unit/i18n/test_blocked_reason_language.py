"""A card blocked without a reason: the stored default is a marker shown in the reader's
language, for new blocks and for the English words older databases already hold."""

from __future__ import annotations

import sqlite3

import pytest

from terminal.app.card_admin import CardAdmin
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import CardBlocked
from terminal.i18n_text import error_text


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ru", "Карта {card} заблокирована (Заблокирована на стойке)."),
        ("uk", "Картку {card} заблоковано (Заблоковано на стійці)."),
        ("en", "Card {card} is blocked (Blocked at the desk)."),
    ],
)
def test_the_default_reason_is_shown_translated(till, db_path, language, code, expected):
    card = Enrollment(till).register(CustomerForm("Lost", "067 000 00 21")).card
    CardAdmin(till).block(card)
    language(code)
    with pytest.raises(CardBlocked) as caught:
        Customers(till).by_card(card)
    assert error_text(caught.value) == expected.format(card=card)


def test_an_old_databases_stored_words_are_translated_too(till, db_path, language):
    card = Enrollment(till).register(CustomerForm("Old", "067 000 00 22")).card
    conn = sqlite3.connect(str(db_path))
    with conn:
        conn.execute(
            "UPDATE card SET status = 'blocked', status_reason = 'Blocked at the desk' "
            "WHERE number = ?",
            (card,),
        )
    conn.close()
    language("ru")
    with pytest.raises(CardBlocked) as caught:
        Customers(till).by_card(card)
    assert error_text(caught.value) == f"Карта {card} заблокирована (Заблокирована на стойке)."
