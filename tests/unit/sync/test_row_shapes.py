"""Rows of one table written by different releases (a column added in between) arriving in one
batch: each is stored with every column it carries, none cut to another row's columns."""

from __future__ import annotations

import orjson
import pytest

from terminal.app.enrollment import Enrollment
from terminal.core.customer_form import CustomerForm
from terminal.sync.apply import apply_events
from terminal.sync.exchange import local_events


def _registrations(till) -> list[dict]:
    Enrollment(till).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
    Enrollment(till).register(CustomerForm(name="Petro Bondar", email="petro@example.com"))
    with till.write_driver() as db:
        return list(local_events(db, till.terminal_id, 0))


def _without(event: dict, column: str) -> dict:
    payload = orjson.loads(event["payload"])
    for row in payload["rows"]["customer"]:
        del row[column]
    return {**event, "payload": orjson.dumps(payload).decode()}


def _stored(till) -> dict[str, tuple]:
    with till.read_driver() as db:
        return {
            name: (phone, email)
            for name, phone, email in db.execute("SELECT name, phone, email FROM customer")
        }


@pytest.mark.parametrize(
    "older",
    [
        pytest.param({0: "email"}, id="first row shorter"),
        pytest.param({1: "phone"}, id="second row shorter"),
        pytest.param({0: "email", 1: "phone"}, id="as many columns, other names"),
    ],
)
def test_rows_of_two_releases_keep_their_own_columns(shop, older):
    """A column a row lacks is one its release did not have: the customer has none of it."""
    one, two, _ = shop
    events = _registrations(one)
    events = [
        _without(event, older[number]) if number in older else event
        for number, event in enumerate(events)
    ]
    with two.write_driver() as db:
        assert apply_events(db, two.terminal_id, events, two.now()) == 2
    assert _stored(two) == {
        "Olena Koval": ("+380501112233", None),
        "Petro Bondar": (None, "petro@example.com"),
    }


def test_a_table_named_with_no_rows_is_no_obstacle(shop):
    one, two, _ = shop
    first, second = _registrations(one)
    payload = orjson.loads(first["payload"])
    payload["rows"]["refund"] = []
    events = [{**first, "payload": orjson.dumps(payload).decode()}, second]
    with two.write_driver() as db:
        assert apply_events(db, two.terminal_id, events, two.now()) == 2
    assert set(_stored(two)) == {"Olena Koval", "Petro Bondar"}
