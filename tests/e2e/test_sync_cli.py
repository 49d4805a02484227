"""The sync commands as a shop owner runs them: pair a second till, carry bundles both ways."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

import terminal.cli.sync as sync_command
from terminal.cli import main
from terminal.log_file import log_folder
from tests.e2e.cli_helpers import dump, run_cli, run_json


def _two_tills(tmp_path: Path, amount: str) -> tuple[Path, Path, dict[str, Any]]:
    """Till 1 with Olena and her sale of ``amount``, and till 2 joined to its shop with the
    commands (nothing exchanged yet)."""
    one, two = tmp_path / "one" / "loyalty.db", tmp_path / "two" / "loyalty.db"
    one.parent.mkdir()
    two.parent.mkdir()
    olena = run_json(one, "customer", "add", "--name", "Олена Коваленко", "--phone", "0671234567")
    run_json(one, "sale", "--card", olena["card"], "--amount", amount)
    run_json(one, "sync", "pair-create", "--till", "2", "--out", str(tmp_path / "till2.pair"))
    joined = run_json(two, "sync", "pair-join", str(tmp_path / "till2.pair"))
    assert joined["till_number"] == 2
    return one, two, olena


@pytest.mark.slow
def test_pair_export_import_through_the_command(tmp_path: Path):
    one, two, olena = _two_tills(tmp_path, "300,00")
    pairing = tmp_path / "till2.pair"
    logs = [*tmp_path.rglob("*.log"), *log_folder().glob("*.log*")]
    log_text = "".join(p.read_text(errors="replace") for p in logs)
    assert "pairing file for till 2 written" in log_text  # the commands' log was read
    assert pairing.read_text().split('"shop_key": "')[1][:64] not in log_text

    assert run_json(one, "sync", "status")["waiting"] == 2
    exported = run_json(one, "sync", "export", "--out", str(tmp_path / "usb"))
    assert exported["count"] == 2
    imported = run_json(two, "sync", "import", exported["path"])
    assert imported["applied"] == 2
    assert run_cli(two, "check").returncode == 0

    # the other way: a sale at till two reaches till one
    run_json(two, "sale", "--card", olena["card"], "--amount", "100")
    back = run_json(two, "sync", "export", "--out", str(tmp_path / "usb"))
    run_json(one, "sync", "import", back["path"])
    shown = run_json(one, "customer", "show", olena["card"])
    assert shown["visits"] == 2

    # a changed byte: refused with a reason, nothing written
    lines = gzip.decompress(Path(back["path"]).read_bytes()).replace(b"10000", b"90000")
    bad = tmp_path / "bad.ltb"
    bad.write_bytes(gzip.compress(lines))
    before = dump(one)
    refused = run_cli(one, "sync", "import", str(bad))
    assert refused.returncode != 0
    assert "signature does not match" in refused.stderr
    assert dump(one) == before


@pytest.mark.slow
def test_the_owner_lists_a_conflict_and_marks_it_dealt_with_from_the_command(tmp_path: Path):
    one, two, olena = _two_tills(tmp_path, "500")
    run_json(two, "sync", "import", run_json(one, "sync", "export", "--out", str(tmp_path))["path"])
    for till in (one, two):  # the same points spent on both tills, offline
        run_json(till, "sale", "--card", olena["card"], "--amount", "300", "--redeem", "max")
    run_json(one, "sync", "import", run_json(two, "sync", "export", "--out", str(tmp_path))["path"])

    [conflict] = run_json(one, "sync", "conflicts")["conflicts"]
    assert conflict["kind"] == "points_overspent"
    listed = run_cli(one, "sync", "conflicts", check=True).stdout
    assert conflict["id"] in listed
    settled = run_cli(one, "sync", "settle", conflict["id"], check=True).stdout
    assert settled.startswith("Marked as dealt with")
    assert run_json(one, "sync", "conflicts")["conflicts"] == []
    again = run_cli(one, "sync", "settle", conflict["id"])
    assert again.returncode != 0
    assert "already marked as dealt with" in again.stderr
    assert run_cli(one, "check").returncode == 0


def test_a_big_bundle_says_what_it_does_before_the_wait(tmp_path: Path, capsys, monkeypatch):
    """A million events take a while to write and the better part of a minute to apply: each
    command says what it is doing first, on stderr, so stdout keeps just the result; with
    nothing new it says nothing more."""
    one, two, _ = _two_tills(tmp_path, "300,00")
    monkeypatch.setattr(sync_command, "BIG_BATCH", 2)  # two events make a big bundle here
    assert main(["--db", str(one), "sync", "export", "--out", str(tmp_path / "usb")]) == 0
    out = capsys.readouterr()
    assert out.err.strip() == "Writing 2 events of till 1 to a bundle…"
    (exported,) = (tmp_path / "usb").iterdir()
    assert out.out.strip() == f"Exported events 1–2 (2) to {exported}."
    assert main(["--db", str(two), "sync", "import", str(exported)]) == 0
    out = capsys.readouterr()
    assert out.err.strip() == "Checking and applying 2 new events of till 1…"
    assert out.out.strip() == "Till 1: 2 new events applied, 0 already here."
    assert main(["--db", str(two), "sync", "import", str(exported)]) == 0
    assert capsys.readouterr().err == ""
    assert main(["--db", str(one), "sync", "export", "--out", str(tmp_path / "usb")]) == 0
    assert capsys.readouterr().err == ""  # nothing new: no bundle, nothing said
