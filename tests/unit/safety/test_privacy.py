"""Privacy: the export holds everything about the person, erase removes the person and not the
books, consent changes are kept with their time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.privacy import ERASED_NAME, Privacy
from terminal.cli import main
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import CardNotFound, CustomerNotFound
from terminal.core.ids import new_id
from tests.unit.safety.conftest import dump_tables

PHONE = "+380671112233"


@pytest.fixture
def anna(till):  # type: ignore[no-untyped-def]
    card = (
        Enrollment(till)
        .register(
            CustomerForm(
                name="Anna Kovalenko",
                phone=PHONE,
                email="anna@example.com",
                birthday="1990-05-17",
                consent=True,
            )
        )
        .card
    )
    counter = Counter(till)
    for amount in (25_000, 13_050, 8_000):
        counter.checkout(SaleRequest(card, amount), new_id())
    with till.write_driver() as db:
        db.execute(
            "INSERT INTO feedback (id, customer_id, kind, text, status, resolution, created_at) "
            "SELECT 'fb-1', customer_id, 'complaint', 'Call me on 0671112233 about the cake', "
            "'open', '', '2026-03-02 10:00:00' FROM card WHERE number = ?",
            (card,),
        )
    return card


def test_export_contains_everything_stored_about_the_customer(till, anna, tmp_path: Path) -> None:
    out = tmp_path / "anna.json"
    result = Privacy(till).export(PHONE, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["customer"]["name"] == "Anna Kovalenko"
    assert data["customer"]["phone"] == PHONE
    assert data["customer"]["email"] == "anna@example.com"
    assert data["customer"]["birthday"] == "1990-05-17"
    assert [c["number"] for c in data["cards"]] == [anna]
    assert sorted(p["amount"] for p in data["purchases"]) == [8_000, 13_050, 25_000]
    assert sum(e["points"] for e in data["ledger"]) == data["customer"]["balance"]
    assert data["feedback"][0]["text"].startswith("Call me")
    assert result.sections["purchases"] == 3
    assert set(data["explanation"]) >= {"customer", "purchases", "ledger", "consent_history"}


def test_erase_anonymizes_and_keeps_every_figure(till, anna) -> None:
    before = dump_tables(till.db_path)
    balance = Customers(till).find(anna).balance
    result = Privacy(till).erase(anna, actor="owner-1")
    after = dump_tables(till.db_path)
    # the books are untouched
    for table in ("purchase", "ledger_entry", "points_lot", "lot_movement", "refund", "card"):
        assert after[table] == before[table], table
    assert result.purchases_kept == 3 and result.balance_kept == balance
    assert Integrity(till).check().ok
    # the person is gone from the database file, journal included
    with till.read_driver() as db:
        row = db.execute(
            "SELECT name, phone, email, birthday, consent, erased_at FROM customer WHERE id = ?",
            (result.customer_id,),
        ).fetchone()
        journal = " ".join(p for (p,) in db.execute("SELECT payload FROM journal_event"))
        feedback = db.execute("SELECT text FROM feedback").fetchone()[0]
        audit = db.execute("SELECT action, details FROM audit_log").fetchall()
    assert row[:5] == (ERASED_NAME, None, None, None, 0) and row[5] is not None
    assert "Anna" not in journal and "0671112233" not in journal and "anna@" not in journal
    assert "0671112233" not in feedback
    assert ("customer.erased", json.dumps({"customer_id": result.customer_id})) in audit
    # and cannot be found any more, by card or by phone
    with pytest.raises(CardNotFound):
        Customers(till).by_card(anna)
    with pytest.raises(CustomerNotFound):
        Privacy(till).erase(PHONE)


def test_erase_is_journaled_for_other_tills(till, anna) -> None:
    Privacy(till).erase(anna)
    with till.read_driver() as db:
        (payload,) = db.execute(
            "SELECT payload FROM journal_event WHERE type = 'customer.erased'"
        ).fetchone()
    updates = json.loads(payload)["updates"]
    customer = next(u for u in updates if u["table"] == "customer")
    assert customer["fields"]["name"] == ERASED_NAME and customer["fields"]["phone"] is None
    assert any(u["table"] == "feedback" for u in updates)


def test_consent_changes_are_kept_with_their_time(till, anna, clock) -> None:
    privacy = Privacy(till)
    clock.advance(days=3)
    off = privacy.set_consent(anna, False, actor="cashier-1")
    assert off.changed and off.at == clock.now
    again = privacy.set_consent(anna, False)
    assert not again.changed
    clock.advance(days=10)
    privacy.set_consent(PHONE, True, source="cli")
    history = privacy.consent_history(anna)
    assert [(c, at) for c, at, _ in history] == [
        (False, clock.now.replace(day=clock.now.day - 10)),
        (True, clock.now),
    ]
    with till.read_driver() as db:
        actions = [a for (a,) in db.execute("SELECT action FROM audit_log ORDER BY id")]
        consent, consent_at = db.execute(
            "SELECT consent, consent_at FROM customer WHERE phone = ?", (PHONE,)
        ).fetchone()
    assert actions == ["customer.consent_off", "customer.consent_on"]
    assert consent == 1 and consent_at.startswith(clock.now.date().isoformat())
    assert Integrity(till).check().ok


def test_cli_commands(till, anna, tmp_path: Path, capsys) -> None:
    db = str(till.db_path)
    out = tmp_path / "export.json"
    assert main(["--db", db, "customer-data", "export", anna, "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["customer"]["phone"] == PHONE
    assert main(["--db", db, "consent", PHONE, "off"]) == 0
    assert "Consent withdrawn" in capsys.readouterr().out
    assert main(["--db", db, "customer-data", "erase", anna]) == 2  # needs --yes
    assert "--yes" in capsys.readouterr().err
    assert main(["--db", db, "customer-data", "erase", anna, "--yes"]) == 0
    assert "3 sales" in capsys.readouterr().out
    assert main(["--db", db, "customer-data", "export", anna, "--out", str(out)]) == 4


def test_pdf_export_is_readable_text(till, anna, tmp_path: Path) -> None:
    import shutil
    import subprocess

    out = tmp_path / "anna.pdf"
    Privacy(till).export(anna, out)
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Anna Kovalenko" in text and PHONE in text
    assert "250.00" in text and "130.50" in text  # money with its decimals
    assert "Purchases (3)" in text
