"""The reason an earn entry keeps is the sale's explanation, stored in English ("2.5 % discount
Silver + 7.5 % Silver") because ledger rows travel between tills; the desk's points history reads
it back into the checkout's own words, so a Ukrainian or Russian owner sees their language and
their decimal comma — while a reason a person typed stays exactly as typed."""

from __future__ import annotations

from dataclasses import replace

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.program import ProgramBook
from terminal.core.checkout import explanation_from_text
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.core.program import DEFAULT_PROGRAM, ProgramKind, Tier
from terminal.core.sentences import Sentence
from terminal.ledger_reasons import reason_text
from terminal.ui.customer_desk import CustomerDesk
from terminal.ui.services import AppServices


def _reasons_shown(desk: CustomerDesk) -> list[str]:
    model = desk.ledger_model
    column = model.columns.index(next(c for c in model.columns if c.header == "Reason"))
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_desk_shows_a_mixed_programs_earn_reason_in_ukrainian(till, qtbot, language) -> None:
    hybrid = replace(
        DEFAULT_PROGRAM,
        kind=ProgramKind.HYBRID,
        tiers=(Tier("Silver", 0, 750, 250),),
        welcome_points=0,
    )
    ProgramBook(till).save(hybrid)
    olena = Enrollment(till).register(CustomerForm("Олена Коваль", "0671234567"))
    Counter(till).checkout(SaleRequest(olena.card, 20_000), new_id())
    language("uk")
    desk = CustomerDesk(AppServices(till=till))
    qtbot.addWidget(desk)
    desk.open_customer(olena.customer_id)
    assert _reasons_shown(desk) == ["знижка 2,5 % Silver + 7,5 % Silver"]


def test_earn_reasons_read_back_with_promotions_and_the_locales_comma(language) -> None:
    stored = "2.5 % discount Silver + 7.5 % Silver + Happy hour ×2"
    again = explanation_from_text(stored)
    assert isinstance(again, Sentence) and again == stored  # the same English, now translatable
    language("ru")
    assert reason_text(stored, "earn") == "скидка 2,5 % Silver + 7,5 % Silver + Happy hour ×2"
    assert reason_text("5 % Bronze", "earn") == "5 % Bronze"
    assert reason_text("Gold", "earn") == "Gold"  # a bare tier name: the owner's word


def test_a_typed_reason_that_looks_like_a_rate_stays_as_typed(language) -> None:
    language("uk")
    typed = "2.5 % discount promised by phone"
    assert reason_text(typed, "adjustment") == typed
    assert reason_text(typed) == typed
