"""Reserving pre-numbered stock: one transaction, one journal event, and a stock number is
assigned at registration exactly once."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import select

from terminal.app.card_stock import MAX_BATCH, CardStock, numbers_csv
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.cardprint import display_number
from terminal.core.cards import make_card_number
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import CardUnavailable, InvalidInput
from terminal.db.models import Card, JournalEvent


def _events(till) -> list[tuple[str, dict]]:
    with till.read() as s:
        rows = s.exec(select(JournalEvent).order_by(JournalEvent.seq)).all()
        return [(e.type, json.loads(e.payload)) for e in rows]


def test_reserve_writes_stock_cards_and_one_journal_event(till) -> None:
    batch = CardStock(till).reserve(10)
    assert batch.numbers == [make_card_number(1, serial) for serial in range(1, 11)]
    with till.read() as s:
        cards = [
            (c.status, c.customer_id)
            for c in s.exec(select(Card).where(Card.batch == batch.batch)).all()
        ]
    assert cards == [("stock", None)] * 10
    events = _events(till)
    assert [kind for kind, _ in events] == ["cards.reserved"]
    payload = events[0][1]
    assert [row["number"] for row in payload["rows"]["card"]] == batch.numbers
    assert payload["summary"]["count"] == 10
    assert Integrity(till).check().ok


@pytest.mark.parametrize("count", [0, -3, MAX_BATCH + 1])
def test_bad_counts_write_nothing(till, count: int) -> None:
    with pytest.raises(InvalidInput):
        CardStock(till).reserve(count)
    assert _events(till) == []
    assert CardStock(till).report().in_stock == 0


def test_reserved_numbers_are_never_reissued(till) -> None:
    first = CardStock(till).reserve(3)
    walk_in = Enrollment(till).register(CustomerForm("Walk-in", "0670000001"))
    second = CardStock(till).reserve(3)
    everything = [*first.numbers, walk_in.card, *second.numbers]
    assert len(set(everything)) == 7
    assert first.batch != second.batch


def test_sheet_number_is_assigned_at_registration_once(till) -> None:
    batch = CardStock(till).reserve(10)
    number = batch.numbers[4]
    enrolled = Enrollment(till).register(CustomerForm("Ірина", "0673334455"), card_number=number)
    assert enrolled.card == number
    with till.read() as s:
        card = s.get(Card, number)
        assert card.status == "active" and card.customer_id == enrolled.customer_id
    with pytest.raises(CardUnavailable) as refused:
        Enrollment(till).register(CustomerForm("Petro", "0675556677"), card_number=number)
    assert "already belongs to a customer" in refused.value.message
    report = CardStock(till).report()
    assert report.counts["stock"] == 9 and report.counts["active"] == 1
    assert report.batches[0].in_stock == 9 and report.batches[0].count == 10
    assert CardStock(till).batch_numbers(batch.batch, only_stock=True) == [
        n for n in batch.numbers if n != number
    ]
    assert Integrity(till).check().ok


def test_csv_lists_the_digits_as_text_for_the_print_shop(till) -> None:
    batch = CardStock(till).reserve(2)
    text = numbers_csv(batch.numbers, display_number)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["card_number", "printed_as"],
        ["2010000000014", "2010 0000 0001 4"],
        ["2010000000021", "2010 0000 0002 1"],
    ]


def test_numbers_already_known_are_skipped(till) -> None:
    """A number of this till's range may already exist (restored backup, typed in by hand)."""
    known = make_card_number(1, 2)
    with till.write() as s:
        s.add(Card(number=known, status="stock", issued_at=till.now(), batch="old"))
    batch = CardStock(till).reserve(3)
    assert batch.numbers == [make_card_number(1, n) for n in (1, 3, 4)]
    assert CardStock(till).reserve(1).numbers == [make_card_number(1, 5)]
