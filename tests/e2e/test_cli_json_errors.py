"""With --json every failed command ends with exactly one JSON object on stdout, shaped like a
refused sale's (``{"error": {"code", "message"}}``, the message in English for scripts), and
keeps its exit code: usage mistakes argparse catches (2), a refusal of ours (2), a bug (70) and
Ctrl-C (130). The sentence for people still goes to stderr."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import terminal.cli
import terminal.cli.maintenance
from terminal.cli import main
from terminal.cli.context import ExitCode
from terminal.i18n_text import core_application, remove_translations
from tests.e2e.cli_helpers import dump, run_cli

CARD = "2010000000014"


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    remove_translations(core_application())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    assert main(["--db", str(path), "customer", "add", "--name", "Iryna"]) == 0
    return path


def _one_error(stdout: str) -> dict[str, Any]:
    """The only line on stdout, as the error object."""
    lines = stdout.strip().splitlines()
    assert len(lines) == 1, stdout
    data = json.loads(lines[0])
    assert set(data) == {"error"} and set(data["error"]) == {"code", "message"}, data
    return data["error"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["sale", "--card", CARD], "the following arguments are required: --amount"),
        (["customer", "show", CARD, "--visits", "abc"], "argument --visits: invalid int value"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["customer-data", "erase", CARD], "add --yes to confirm"),
    ],
    ids=["missing-amount", "bad-int", "unknown-command", "erase-without-yes"],
)
def test_usage_errors_print_one_json_object(db: Path, args: list[str], words: str) -> None:
    before = dump(db)
    result = run_cli(db, "--json", *args)
    assert result.returncode == ExitCode.USAGE, result.stderr
    error = _one_error(result.stdout)
    assert error["code"] == "usage" and words in error["message"]
    assert result.stderr.strip()  # people still read argparse's words
    assert dump(db) == before


def test_usage_error_json_stays_english_in_a_ukrainian_shop(db: Path) -> None:
    from terminal.app.settings import put_setting
    from terminal.app.till import open_till

    till = open_till(db)
    try:
        with till.write() as session:
            put_setting(session, "language", "uk", till.now())
    finally:
        till.close()
    result = run_cli(db, "--json", "sale", "--card", CARD)
    assert result.returncode == ExitCode.USAGE
    error = _one_error(result.stdout)
    assert error["message"] == "the following arguments are required: --amount"
    assert "помилка: не вказано обов'язкові аргументи: --amount" in result.stderr, result.stderr


def test_without_json_a_usage_error_prints_nothing_on_stdout(db: Path) -> None:
    result = run_cli(db, "sale", "--card", CARD)
    assert result.returncode == ExitCode.USAGE and result.stdout == ""


def test_an_unexpected_error_prints_one_json_object(db: Path, capsys, monkeypatch) -> None:
    def broken(cli: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(terminal.cli.maintenance, "_check", broken)
    assert main(["--db", str(db), "--json", "check"]) == ExitCode.INTERNAL
    out = capsys.readouterr()
    error = _one_error(out.out)
    assert error["code"] == "internal"
    assert error["message"].startswith("unexpected error: division by zero")
    assert out.err.startswith("loyalty-terminal: unexpected error: division by zero")


def test_ctrl_c_in_a_command_prints_one_json_object(db: Path, capsys, monkeypatch) -> None:
    def interrupted(cli: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(terminal.cli.maintenance, "_check", interrupted)
    assert main(["--db", str(db), "--json", "check"]) == 130
    out = capsys.readouterr()
    assert _one_error(out.out) == {
        "code": "interrupted",
        "message": "interrupted; nothing half-written was kept.",
    }
    assert out.err == "loyalty-terminal: interrupted; nothing half-written was kept.\n"


def test_ctrl_c_while_starting_prints_one_json_object(db: Path, capsys, monkeypatch) -> None:
    def interrupted() -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(terminal.cli, "build_parser", interrupted)
    assert main(["--db", str(db), "--json", "check"]) == 130
    out = capsys.readouterr()
    assert _one_error(out.out)["code"] == "interrupted"
    assert out.err == "loyalty-terminal: interrupted; nothing half-written was kept.\n"
