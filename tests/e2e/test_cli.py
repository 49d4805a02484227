"""The ``loyalty-terminal`` command as scripts use it: JSON shapes, money as strings, exit codes.

The first test drives the real command in child processes (``python -m terminal --db …``); the
rest call ``main([...])`` in-process, which is the same code without the start-up cost.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from terminal.cli import main
from tests.e2e.cli_helpers import dump, run_cli, run_json


def test_a_session_through_child_processes(tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    olena = run_json(db, "customer", "add", "--name", "Олена Коваленко", "--phone",
                     "067 123 45 67", "--consent")  # fmt: skip
    assert olena["balance"] == 100 and len(olena["card"]) == 13
    ivan = run_json(db, "customer", "add", "--name", "Іван", "--referrer", olena["card"])
    sale_id = str(uuid.uuid4())
    sale = run_json(db, "sale", "--card", ivan["card"], "--amount", "300,00", "--redeem", "max",
                    "--id", sale_id)  # fmt: skip
    assert sale == sale | {
        "sale_id": sale_id,
        "amount": "300.00",
        "discount": "0.00",
        "points_redeemed": 100,
        "redeemed_value": "100.00",
        "to_pay": "200.00",
        "points_earned": 10,
        "bonuses": [{"kind": "referral", "points": 100}],
        "balance": 110,
        "tier": "Bronze",
        "tier_up": None,
    }
    again = run_json(db, "sale", "--card", ivan["card"], "--amount", "300", "--redeem", "max",
                     "--id", sale_id)  # fmt: skip
    assert again["replayed"] is True and again["balance"] == 110
    refund = run_json(db, "refund", "--sale", sale_id, "--amount", "100")
    assert refund == refund | {
        "amount": "100.00",
        "money_returned": "66.66",
        "points_returned": 33,
        "points_reversed": 3,
        "balance": 140,
    }
    shown = run_json(db, "customer", "show", "+380671234567")
    assert (shown["name"], shown["balance"], shown["tier"]) == ("Олена Коваленко", 200, "Bronze")
    assert run_json(db, "balance", ivan["card"])["balance"] == 140
    text = run_cli(db, "check", check=True).stdout
    assert text.startswith("All good: 2 customers, 1 sale,")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "shop.db"


def cli_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> dict:
    code = main(["--db", str(db), *args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_customer_add_and_show_in_json(db: Path, capsys) -> None:
    added = cli_json(capsys, db, "customer", "add", "--name", "Марія", "--phone",
                     "+7 912 345-67-89", "--email", "m@example.com", "--birthday",
                     "20.08.1985")  # fmt: skip
    assert set(added) == {"customer_id", "name", "card", "balance", "welcome_points"}
    cli_json(capsys, db, "sale", "--card", added["card"], "--amount", "1 240,50")
    shown = cli_json(capsys, db, "customer", "show", added["card"])
    assert shown["phone"] == "+79123456789"
    assert shown["lifetime_paid"] == "1240.50"
    assert shown["cards"] == [{"number": added["card"], "status": "active"}]
    assert shown["purchases"][0]["amount"] == "1240.50"
    assert shown["purchases"][0]["points_earned"] == 62
    assert shown["balance"] == 162
    assert shown["expiring"] == []


def test_dry_run_records_nothing(db: Path, capsys) -> None:
    card = cli_json(capsys, db, "customer", "add", "--name", "Oleh")["card"]
    before = dump(db)
    quote = cli_json(capsys, db, "sale", "--card", card, "--amount", "150", "--redeem", "max",
                     "--dry-run")  # fmt: skip
    assert quote == quote | {"dry_run": True, "points_redeemed": 75, "to_pay": "75.00",
                             "max_redeemable": 75, "balance": 28}  # fmt: skip
    assert dump(db) == before


def test_sale_without_a_card(db: Path, capsys) -> None:
    sale = cli_json(capsys, db, "sale", "--amount", "99.90")
    assert sale == sale | {"card": None, "to_pay": "99.90", "points_earned": 0, "balance": None}


def test_human_output(db: Path, capsys) -> None:
    assert main(["--db", str(db), "customer", "add", "--name", "Taras"]) == 0
    line = capsys.readouterr().out
    assert line.startswith("Registered Taras: card 2") and "balance 100 points" in line


def test_expire_command(db: Path, capsys) -> None:
    cli_json(capsys, db, "customer", "add", "--name", "Oksana")
    assert cli_json(capsys, db, "expire") == {"customers": 0, "points": 0}
    assert main(["--db", str(db), "expire"]) == 0
    assert "No points were due to expire" in capsys.readouterr().out


def test_demo_is_the_same_for_the_same_seed_and_passes_check(tmp_path: Path, capsys) -> None:
    first, second, other = (tmp_path / n for n in ("a.db", "b.db", "c.db"))
    for path, seed in ((first, "5"), (second, "5"), (other, "6")):
        result = cli_json(capsys, path, "demo", "--customers", "60", "--sales", "900",
                          "--months", "14", "--seed", seed)  # fmt: skip
        assert result["customers"] == 60 and result["sales"] == 900
    assert result["card_sales"] < 900  # some sales without a card

    def data(path: Path) -> dict:
        tables = dump(path)
        # each database has its own till identity (and so its own journal): compare the rest
        till_id = tables["terminal"][0][0]
        return {
            table: [tuple("TILL" if v == till_id else v for v in row) for row in rows]
            for table, rows in tables.items()
            if table not in ("terminal", "journal_event", "shop_setting", "program_version")
        }

    assert data(first) == data(second)
    assert data(first) != data(other)
    for table in ("nps_response", "feedback", "refund"):
        assert data(first)[table], table
    kinds = {row[2] for row in data(first)["ledger_entry"]}
    assert {"welcome", "earn", "redeem", "birthday", "referral", "expire"} <= kinds
    assert main(["--db", str(first), "check"]) == 0  # the report aggregates count it all
    # the demo loads without the aggregate triggers; they are back for the sales that follow
    con = sqlite3.connect(first)
    triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    con.close()
    assert {"report_sale_day", "report_member_sale", "report_points_entry"} <= triggers
    # demo refuses to mix into a database that already has customers
    assert main(["--db", str(first), "demo", "--customers", "5"]) == 3
    assert "new, empty database" in capsys.readouterr().err
