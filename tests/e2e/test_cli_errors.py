"""Bad input at the CLI: one plain sentence on stderr, a non-zero exit, and not one byte written.

Every case compares a dump of every table before and after. A representative set runs the real
command in a child process; the full list runs ``main([...])`` in-process.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.till import open_till
from terminal.cli import main
from terminal.cli.context import ExitCode
from terminal.core.cards import make_card_number
from terminal.core.customer_form import CustomerForm
from terminal.log_file import COMMAND_LOG, log_folder
from terminal.sync.exchange import SyncExchange
from tests.e2e.cli_helpers import dump, run_cli

INVALID, NOT_FOUND, REFUSED, CONFLICT = (
    ExitCode.INVALID_INPUT,
    ExitCode.NOT_FOUND,
    ExitCode.REFUSED,
    ExitCode.CONFLICT,
)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A database with a rich customer (450 points), a blocked card and one sale."""
    path = tmp_path_factory.mktemp("shop") / "template.db"
    till = open_till(path)
    try:
        enroll = Enrollment(till)
        rich = enroll.register(CustomerForm("Rich", "067 000 00 01"))
        Counter(till).checkout(SaleRequest(rich.card, 7000_00))  # +350 → 450
        poor = enroll.register(CustomerForm("Poor", "067 000 00 02"))
        lost = enroll.register(CustomerForm("Lost", "067 000 00 03"))
        sale = Counter(till).checkout(SaleRequest(poor.card, 100_00))
    finally:
        till.close()
    conn = sqlite3.connect(str(path))
    with conn:
        conn.execute(
            "UPDATE card SET status = 'blocked', status_reason = 'lost' WHERE number = ?",
            (lost.card,),
        )
    conn.close()
    return {
        "path": str(path),
        "rich": rich.card,
        "poor": poor.card,
        "lost": lost.card,
        "sale": sale.sale_id,
    }


@pytest.fixture
def db(shop: dict[str, str], tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    src = sqlite3.connect(shop["path"])
    dst = sqlite3.connect(str(path))
    src.backup(dst)
    src.close()
    dst.close()
    return path


UNKNOWN = make_card_number(42, 777)
WRONG_CHECK = UNKNOWN[:-1] + str((int(UNKNOWN[-1]) + 1) % 10)

# (args with {rich}/{poor}/{lost}/{sale} placeholders, exit code, words in the sentence)
CASES = [
    (["sale", "--card", WRONG_CHECK, "--amount", "10"], INVALID, "Wrong check digit"),
    (["sale", "--card", "201000000001", "--amount", "10"], INVALID, "card"),
    (["sale", "--card", "2.01E+12", "--amount", "10"], INVALID, "spreadsheet"),
    (["sale", "--card", "4006381333931", "--amount", "10"], INVALID, "product barcode"),
    (["sale", "--card", "abc", "--amount", "10"], INVALID, "digits only"),
    (["sale", "--card", UNKNOWN, "--amount", "10"], NOT_FOUND, "is not known here"),
    (["sale", "--card", "{lost}", "--amount", "10"], REFUSED, "is blocked (lost)"),
    (["balance", "{lost}"], REFUSED, "is blocked"),
    (["customer", "show", "{lost}"], REFUSED, "is blocked"),
    (["sale", "--card", "{rich}", "--amount", "-5"], INVALID, "cannot be negative"),
    (["sale", "--card", "{rich}", "--amount", "abc"], INVALID, "is not an amount"),
    (["sale", "--card", "{rich}", "--amount", "1e5"], INVALID, "is not an amount"),
    (["sale", "--card", "{rich}", "--amount", "10.005"], INVALID, "at most 2"),
    (["sale", "--card", "{rich}", "--amount", "0"], INVALID, "more than zero"),
    (["sale", "--card", "{rich}", "--amount", "1,234.56"], INVALID, "is not an amount"),
    (["sale", "--amount", "-1"], INVALID, "cannot be negative"),
    (["sale", "--card", "{rich}", "--amount", "100", "--redeem", "51"], REFUSED, "At most 50"),
    (["sale", "--card", "{poor}", "--amount", "1000", "--redeem", "200"], REFUSED, "Only 105"),
    (["sale", "--card", "{rich}", "--amount", "100", "--redeem", "-3"], INVALID, "not a number"),
    (["sale", "--card", "{rich}", "--amount", "100", "--redeem", "all"], INVALID, "not a number"),
    (["sale", "--card", "{rich}", "--amount", "1", "--id", "not-a-uuid"], INVALID, "UUID"),
    (["sale", "--card", "{rich}", "--amount", "5", "--id", "{sale}"], CONFLICT, "already used"),
    (["refund", "--sale", str(uuid.UUID(int=7)), "--amount", "1"], NOT_FOUND, "No sale"),
    (["refund", "--sale", "{sale}", "--amount", "100.01"], REFUSED, "larger than what is left"),
    (["refund", "--sale", "{sale}", "--amount", "0"], INVALID, "more than zero"),
    (["refund", "--sale", "nope"], INVALID, "UUID"),
    (["customer", "add", "--name", "X", "--phone", "12"], INVALID, "digits"),
    (["customer", "add", "--name", "X", "--phone", "067 000 00 01"], CONFLICT, "already has"),
    (["customer", "add", "--name", "X", "--birthday", "31.02.1990"], INVALID, "not a real date"),
    (["customer", "add", "--name", "X", "--email", "x@"], INVALID, "not an e-mail"),
    (["customer", "add", "--name", "  "], INVALID, "name"),
    (["customer", "add", "--name", "X", "--referrer", UNKNOWN], NOT_FOUND, "not known"),
    (["customer", "add", "--name", "X", "--referrer", WRONG_CHECK], INVALID, "Referrer's card"),
    (["customer", "add", "--name", "X", "--card", "{rich}"], CONFLICT, "already belongs"),
    (["customer", "show", "067 999 99 99"], NOT_FOUND, "No customer has the phone"),
    (["balance", UNKNOWN], NOT_FOUND, "not known"),
]


def _args(template: list[str], shop: dict[str, str]) -> list[str]:
    return [part.format(**shop) for part in template]


@pytest.mark.parametrize(("template", "code", "words"), CASES, ids=lambda v: str(v)[:40])
def test_refused_in_process(db: Path, shop, capsys, template, code, words) -> None:
    before = dump(db)
    result = main(["--db", str(db), *_args(template, shop)])
    out = capsys.readouterr()
    assert result == code, out.err
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("loyalty-terminal: "), out.err
    assert words in lines[0]
    assert "Traceback" not in out.err and out.out == ""
    assert dump(db) == before


SUBPROCESS = [CASES[i] for i in (0, 6, 11, 13, 16, 17, 21, 23)]


@pytest.mark.parametrize(("template", "code", "words"), SUBPROCESS, ids=lambda v: str(v)[:40])
def test_refused_through_the_real_command(db: Path, shop, template, code, words) -> None:
    before = dump(db)
    result = run_cli(db, *_args(template, shop), "--json")
    assert result.returncode == code, result.stderr
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] and words in error["message"]
    assert dump(db) == before


def test_usage_errors_exit_2(db: Path, capsys) -> None:
    before = dump(db)
    assert main(["--db", str(db), "sale"]) == ExitCode.USAGE  # --amount is required
    assert main(["--db", str(db), "demo", "--customers", "0"]) == ExitCode.USAGE
    capsys.readouterr()
    assert dump(db) == before


def test_check_finds_a_tampered_balance(db: Path, shop, capsys) -> None:
    assert main(["--db", str(db), "check"]) == 0
    capsys.readouterr()
    conn = sqlite3.connect(str(db))
    with conn:
        conn.execute(
            "UPDATE customer SET balance = balance + 5 WHERE id = "
            "(SELECT customer_id FROM card WHERE number = ?)",
            (shop["rich"],),
        )
        conn.execute(
            "UPDATE points_lot SET remaining = remaining - 1 WHERE rowid = "
            "(SELECT MIN(rowid) FROM points_lot WHERE remaining > 0)"
        )
    conn.close()
    result = run_cli(db, "check")
    assert result.returncode == 1
    assert "cached balance 455 but the ledger sums to 450" in result.stdout
    assert "remainder" in result.stdout
    data = json.loads(run_cli(db, "check", "--json").stdout)
    assert data["ok"] is False and len(data["problems"]) >= 2


def test_check_finds_a_gap_in_the_journal(db: Path, capsys) -> None:
    conn = sqlite3.connect(str(db))
    with conn:
        conn.execute("DELETE FROM journal_event WHERE seq = 2")
    conn.close()
    assert main(["--db", str(db), "check"]) == 1
    assert "sequence numbers run from 1 to" in capsys.readouterr().out


def test_the_reason_behind_the_words_goes_to_the_log_not_the_screen(db: Path, tmp_path) -> None:
    """A bundle that cannot be written: the person at the command line reads one sentence;
    the technical reason is in the command log for whoever supports the shop."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run_cli(db, "sync", "export", "--out", str(blocker / "bundles"))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("loyalty-terminal: "), result.stderr
    assert "could not be written" in lines[0]
    logged = (log_folder() / COMMAND_LOG).read_text()
    assert f"bundle not written to {blocker / 'bundles'}" in logged


def test_an_unexpected_error_names_the_log_that_has_its_details(
    db: Path, tmp_path, capsys, monkeypatch
) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("the disk controller said no")

    monkeypatch.setattr(SyncExchange, "export", broken)
    assert main(["--db", str(db), "sync", "export", "--out", str(tmp_path)]) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    log = log_folder() / COMMAND_LOG
    assert err.strip() == (
        f"loyalty-terminal: unexpected error: the disk controller said no "
        f"(the details are in {log})"
    )
    assert "Traceback" in log.read_text() and "Traceback" not in err
