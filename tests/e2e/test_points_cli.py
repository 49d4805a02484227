"""``loyalty-terminal points adjust``: the owner PIN is required, the reason too; a refusal
writes nothing and says why in one sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from terminal.app.staff import StaffRoster
from terminal.app.till import open_till
from terminal.cli import main
from tests.e2e.cli_helpers import dump

ADJUST = ("points", "adjust", "0671112233")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    assert main(["--db", str(path), "customer", "add", "--name", "Iryna", "--phone",
                 "0671112233"]) == 0  # fmt: skip
    return path


def _owner(db: Path) -> None:
    till = open_till(db)
    try:
        StaffRoster(till).set_first_owner("Olena", "2468")
    finally:
        till.close()


def test_owner_adjusts_with_pin_and_reason(db: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _owner(db)
    capsys.readouterr()
    code = main(["--db", str(db), *ADJUST, "--points", "+50", "--reason", "lost receipt",
                 "--pin", "2468", "--json"])  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["points"], out["reason"], out["balance_before"], out["balance"]) == (
        50, "lost receipt", 100, 150,
    )  # fmt: skip
    monkeypatch.setenv("LOYALTY_OWNER_PIN", "2468")  # the PIN kept out of the shell history
    assert main(["--db", str(db), *ADJUST, "--points", "-30", "--reason", "typo"]) == 0
    assert "150 → 120" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "code", "words"),
    [
        (["--points", "+50", "--reason", "  ", "--pin", "2468"], 3, "Write why the points change"),
        (["--points", "ten", "--reason", "x", "--pin", "2468"], 3, "is not a number of points"),
        (["--points", "-500", "--reason", "x", "--pin", "2468"], 5, "Iryna has 100 points"),
        (["--points", "+50", "--reason", "x", "--pin", "1111"], 5, "Wrong PIN. 4 tries left"),
    ],
)
def test_refusals_write_nothing(db: Path, capsys, monkeypatch, extra, code, words) -> None:  # type: ignore[no-untyped-def]
    _owner(db)
    monkeypatch.delenv("LOYALTY_OWNER_PIN", raising=False)
    before = {k: v for k, v in dump(db).items() if k not in ("staff", "audit_log")}
    capsys.readouterr()
    assert main(["--db", str(db), *ADJUST, *extra]) == code
    assert words in capsys.readouterr().err
    assert {k: v for k, v in dump(db).items() if k not in ("staff", "audit_log")} == before


def test_no_owner_pin_no_adjustment(db: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LOYALTY_OWNER_PIN", raising=False)
    before = dump(db)
    assert main(["--db", str(db), *ADJUST, "--points", "+5", "--reason", "x"]) == 3
    assert "No owner PIN is set yet" in capsys.readouterr().err
    assert dump(db) == before
