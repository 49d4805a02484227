"""Absurd or broken input at the command line: one sentence, the right exit code, nothing
written, and no command left crashing afterwards (the audit's findings, each reproduced)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.program import ProgramBook
from terminal.app.till import open_till
from terminal.cli import main
from terminal.cli.context import ExitCode
from terminal.core.customer_form import CustomerForm
from tests.e2e.cli_helpers import dump, run_cli

INVALID, NOT_FOUND = ExitCode.INVALID_INPUT, ExitCode.NOT_FOUND


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A customer 100.00 short of Silver (10 000.00 lifetime), with one sale to refund."""
    path = tmp_path_factory.mktemp("absurd") / "template.db"
    till = open_till(path)
    try:
        olena = Enrollment(till).register(CustomerForm("Olena", "067 000 00 11"))
        sale = Counter(till).checkout(SaleRequest(olena.card, 9_900_00))
        program = tmp_path_factory.mktemp("program") / "program.json"
        ProgramBook(till).export_json(program)
    finally:
        till.close()
    return {"path": str(path), "card": olena.card, "sale": sale.sale_id, "program": str(program)}


@pytest.fixture
def db(shop: dict[str, str], tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    src, dst = sqlite3.connect(shop["path"]), sqlite3.connect(str(path))
    src.backup(dst)
    src.close()
    dst.close()
    return path


def _refused(db: Path, capsys: pytest.CaptureFixture[str], code: int, words: str, *args: str):
    """Run in-process; one ``loyalty-terminal: …`` line with ``words``, exit ``code``, and not
    one row changed."""
    before = dump(db)
    result = main(["--db", str(db), *args])
    out = capsys.readouterr()
    assert result == code, out.err
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("loyalty-terminal: "), out.err
    assert words in lines[0], lines[0]
    assert "unexpected error" not in out.err and "Traceback" not in out.err
    assert dump(db) == before


def _program_file(shop: dict[str, str], tmp_path: Path, **changes: Any) -> str:
    data = json.loads(Path(shop["program"]).read_text(encoding="utf-8"))
    data["program"].update(changes)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# -- 1. an absurd amount, and counts past Qt's 32-bit int ---------------------------------------


def test_an_absurd_amount_is_refused_and_nothing_is_recorded(db: Path, shop) -> None:
    before = dump(db)
    result = run_cli(db, "sale", "--card", shop["card"], "--amount", "100000000000")
    assert result.returncode == INVALID, result.stderr
    assert result.stderr.strip() == (
        "loyalty-terminal: The amount is above 10,000,000.00, the most one check can be; check it."
    )
    assert dump(db) == before
    assert run_cli(db, "balance", shop["card"]).returncode == 0


def test_the_largest_check_is_still_taken(db: Path, shop, capsys) -> None:
    assert main(["--db", str(db), "sale", "--card", shop["card"], "--amount", "10000000"]) == 0
    assert main(["--db", str(db), "sale", "--amount", "10000000.01"]) == INVALID


def test_a_huge_balance_already_stored_is_shown_not_crashed_on(db: Path, shop, capsys) -> None:
    """A database that took an absurd sale before this fix: its balance reads again."""
    conn = sqlite3.connect(str(db))
    with conn:
        conn.execute(
            "UPDATE customer SET balance = 5000000117 WHERE id = "
            "(SELECT customer_id FROM card WHERE number = ?)",
            (shop["card"],),
        )
    conn.close()
    assert main(["--db", str(db), "balance", shop["card"]]) == 0
    assert "5000000117 points" in capsys.readouterr().out
    assert main(["--db", str(db), "customer", "show", shop["card"]]) == 0


# -- 2. a program file with nonsense numbers --------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("expiry_days", 10**12, "“expiry_days” must be at most 3660."),
        ("point_value", 10**40, "“point_value” must be at most 1000000."),
        ("birthday_window_days", 400, "“birthday_window_days” must be at most 31."),
        ("welcome_points", 10**12, "“welcome_points” must be at most 1000000."),
        ("milestones", [[5, 10**9]], "“milestones[1].points” must be at most 1000000."),
        (
            "tiers",
            [
                {"name": "Bronze", "threshold": 0, "earn_bp": 500},
                {"name": "Silver", "threshold": 10**15, "earn_bp": 700},
            ],
            "“tiers[2].threshold” must be at most 100000000000.",
        ),
    ],
)
def test_a_program_with_absurd_numbers_is_refused_and_not_saved(
    db: Path, shop, tmp_path, capsys, field, value, words
) -> None:
    path = _program_file(shop, tmp_path, **{field: value})
    _refused(db, capsys, INVALID, words, "program", "import", path)
    assert main(["--db", str(db), "sale", "--card", shop["card"], "--amount", "10"]) == 0


def test_a_binary_file_is_not_a_program(db: Path, tmp_path, capsys) -> None:
    path = tmp_path / "photo.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xd0\xff\xfe\x00" * 20)
    _refused(db, capsys, INVALID, "is not a program file", "program", "import", str(path))


# -- 3. numbers and dates past what SQLite and the calendar hold --------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["report", "--from", "1000-01-01", "--to", "2999-12-31"], "no period of the same length"),
        (["report", "--from", "2026-01-01", "--to", "9999-12-31"], "must end before"),
        (["customer", "show", "{card}", "--visits", "99999999999999999999"], "between 0 and"),
        (["customer", "show", "{card}", "--visits", "-1"], "between 0 and"),
        (["program", "show", "--version", "99999999999999999999"], "is not a program version"),
        (["program", "show", "--version", "0"], "is not a program version"),
    ],
)
def test_out_of_range_numbers_and_dates_are_invalid_input(db: Path, shop, capsys, args, words):
    _refused(db, capsys, INVALID, words, *[a.format(**shop) for a in args])


# -- 4. a refund repeated with the same id ----------------------------------------------------


def test_a_repeated_refund_says_there_is_nothing_to_give_back(db: Path, shop, capsys) -> None:
    refund = str(uuid.uuid4())
    args = ["--db", str(db), "refund", "--sale", shop["sale"], "--amount", "100", "--id", refund]
    assert main(args) == 0
    assert "give back 100.00" in capsys.readouterr().out
    before = dump(db)
    assert main(args) == 0
    again = capsys.readouterr().out.strip()
    assert again == (
        f"Refund {refund} was already made earlier (100.00 of the check); nothing was done now "
        "and there is nothing to give back."
    )
    assert dump(db) == before


# -- 5. points without a card; a redemption that is not a number --------------------------------


def test_points_without_a_card_are_refused_not_dropped(db: Path, capsys) -> None:
    _refused(
        db, capsys, INVALID, "Points can only be used with the customer's card.",
        "sale", "--amount", "100", "--redeem", "50",
    )  # fmt: skip
    _refused(db, capsys, INVALID, "customer's card", "sale", "--amount", "100", "--redeem", "max")


def test_a_redemption_that_is_not_a_number_is_invalid_input(db: Path, shop, capsys) -> None:
    _refused(
        db, capsys, INVALID, "“abc” is not a number of points",
        "sale", "--card", shop["card"], "--amount", "100", "--redeem", "abc",
    )  # fmt: skip


# -- 6. a card typed with full-width digits; an unknown referrer --------------------------------


def test_a_full_width_card_number_is_read(db: Path, shop, capsys) -> None:
    wide = shop["card"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert main(["--db", str(db), "balance", wide]) == 0
    assert shop["card"] in capsys.readouterr().out


def test_an_unknown_referrer_is_named_as_the_referrer(db: Path, capsys) -> None:
    _refused(
        db, capsys, NOT_FOUND, "The referrer's card 2010000009987 is not known here; check it.",
        "customer", "add", "--name", "X", "--referrer", "2010000009987",
    )  # fmt: skip


# -- 7. a tier reached: one full stop -----------------------------------------------------------


def test_the_sale_sentence_ends_with_one_full_stop(db: Path, shop, capsys) -> None:
    assert main(["--db", str(db), "sale", "--card", shop["card"], "--amount", "200"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.endswith(", now Silver."), out
    assert "!." not in out


# -- 9. money in --json is a string with the currency's decimals ------------------------------


def test_report_json_writes_money_as_text(db: Path, capsys) -> None:
    assert main(["--db", str(db), "--json", "report", "--from", "2000-01-01", "--to",
                 "2099-12-31"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    current = data["current"]
    assert current["revenue"] == "9900.00" and current["avg_check"] == "9900.00"
    assert current["refunded_amount"] == "0.00" and current["sales"] == 1
    assert data["liability"]["value"].endswith(".00")
    assert isinstance(current["points_issued"], int)


def test_program_show_json_writes_money_as_text(db: Path, capsys) -> None:
    assert main(["--db", str(db), "--json", "program", "show"]) == 0
    program = json.loads(capsys.readouterr().out)["program"]
    assert [t["threshold"] for t in program["tiers"]] == ["0.00", "10000.00", "30000.00"]
    assert program["point_value"] == "1.00" and program["welcome_points"] == 100
