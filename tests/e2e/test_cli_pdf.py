"""The commands that write PDFs (a card, a batch of sheets, a customer's data) work as a real
process on a headless till: no display, no Qt platform chosen, nothing made by a test first.

They once aborted the process (exit 134) at the first font: the command line's language made a
plain QCoreApplication before the painting could make the QGuiApplication fonts need.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from terminal.app.card_stock import CardStock
from terminal.app.till import open_till
from tests.e2e.cli_helpers import REPO

CARD = "2010000000014"

# A script that makes the plain QCoreApplication first, as an embedding program might, and then
# runs the command line: painting cannot work, and the command must say so, not abort.
CORE_APP_FIRST = r"""
import sys
from PySide6.QtCore import QCoreApplication
from terminal.cli import main

app = QCoreApplication(["loyalty-terminal"])
sys.exit(main(sys.argv[1:]))
"""


def _headless_env(db: Path) -> dict[str, str]:
    """The environment of a till with no screen: no display and no Qt platform named."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    return {**env, "PYTHONPATH": str(REPO), "LOYALTY_DB": str(db.parent / "unused.db")}


def _run(db: Path, *args: str, script: str | None = None) -> subprocess.CompletedProcess[str]:
    start = ["-c", script] if script else ["-m", "terminal"]
    return subprocess.run(
        [sys.executable, *start, "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=_headless_env(db),
        cwd=REPO,
        timeout=120,
    )


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("pdf") / "shop.db"
    result = _run(db, "demo", "--customers", "20")
    assert result.returncode == 0, result.stderr
    return db


def _assert_pdf(path: Path, result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert path.is_file() and path.stat().st_size > 0, result.stderr
    assert path.read_bytes().startswith(b"%PDF"), result.stderr


def _in_stock(db: Path) -> int:
    till = open_till(db)
    try:
        return CardStock(till).report().in_stock
    finally:
        till.close()


def test_cards_print_writes_a_pdf(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    _assert_pdf(out, _run(shop, "cards", "print", "--card", CARD, "--back", "--out", str(out)))


def test_cards_batch_writes_a_pdf(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheets.pdf"
    before = _in_stock(shop)
    _assert_pdf(out, _run(shop, "cards", "batch", "--count", "10", "--out", str(out)))
    assert _in_stock(shop) == before + 10


def test_customer_data_export_writes_a_pdf(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "customer.pdf"
    _assert_pdf(out, _run(shop, "customer-data", "export", CARD, "--out", str(out)))


def test_pdf_with_json_prints_the_result(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    result = _run(shop, "--json", "cards", "print", "--card", CARD, "--out", str(out))
    _assert_pdf(out, result)
    assert '"pages": 1' in result.stdout


def test_a_batch_that_cannot_paint_reserves_nothing(shop: Path, tmp_path: Path) -> None:
    """When painting is impossible the command says so in one sentence (an internal error) and
    no stock numbers are left reserved without sheets."""
    out = tmp_path / "sheets.pdf"
    before = _in_stock(shop)
    result = _run(shop, "cards", "batch", "--count", "10", "--out", str(out), script=CORE_APP_FIRST)
    assert result.returncode == 70, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("loyalty-terminal: unexpected error"), lines
    assert not out.exists()
    assert _in_stock(shop) == before


def test_painting_commands_are_recognised_before_parsing() -> None:
    from terminal.cli import PAINTING_COMMANDS, _command_words

    painting = [
        ["--db", "x.db", "cards", "print", "--card", CARD],
        ["cards", "--db", "x.db", "--json", "batch", "--count", "3"],
        ["--json", "customer-data", "export", CARD, "--out", "x.pdf"],
    ]
    assert all(_command_words(args) in PAINTING_COMMANDS for args in painting)
    assert _command_words(["--db", "cards", "balance", CARD]) not in PAINTING_COMMANDS
    assert _command_words(["cards", "stock"]) not in PAINTING_COMMANDS
