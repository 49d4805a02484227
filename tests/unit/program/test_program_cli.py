"""``program show|export|import|history`` as the owner types them at a shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from terminal.cli import main


@pytest.fixture(autouse=True)
def _gui_application(qapp):  # type: ignore[no-untyped-def]
    """The CLI installs its translator on the running Qt application, creating a bare
    QCoreApplication when there is none; one made here is a QApplication, so GUI tests that
    run later in the same process can still build widgets."""
    return qapp


def _run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_show_prints_the_default_program_in_plain_words(db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _run(capsys, "program", "show", "--db", str(db_path))
    assert code == 0
    assert "Program version 1" in out
    assert "Silver: from 10,000.00 paid — 7 % points" in out  # the locale's digit grouping
    assert "points pay up to 50 % of a check; they expire after 365 days" in out
    assert "Welcome 100, birthday 200 (±7 days), referral 100/100" in out


def test_export_edit_import_makes_version_two_and_lists_the_changes(
    db_path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "program.json"
    code, out, _ = _run(capsys, "program", "export", str(path), "--db", str(db_path))
    assert code == 0 and "version 1" in out
    data = json.loads(path.read_text(encoding="utf-8"))
    data["program"]["kind"] = "hybrid"
    data["program"]["tiers"][0]["discount_bp"] = 200
    path.write_text(json.dumps(data), encoding="utf-8")

    code, out, _ = _run(capsys, "program", "import", str(path), "--db", str(db_path), "--json")
    assert code == 0
    saved = json.loads(out)
    assert saved["version"] == 2 and saved["created_by"] == "cli"
    assert saved["changes"] == ["Program kind: bonus → hybrid", "Bronze discount 0 % → 2 %"]

    code, out, _ = _run(capsys, "program", "history", "--db", str(db_path), "--json")
    assert [v["version"] for v in json.loads(out)["versions"]] == [2, 1]
    code, out, _ = _run(capsys, "program", "show", "--version", "1", "--db", str(db_path))
    assert "points on what is paid" in out


def test_a_bad_file_names_the_field_and_saves_nothing(db_path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text('{"program": {"kind": "bonus", "redeem_cap_bp": 12000}}', encoding="utf-8")
    code, out, err = _run(capsys, "program", "import", str(bad), "--db", str(db_path))
    assert code != 0
    assert "The redemption cap must be between 0 % and 100 %" in err
    assert "redeem_cap_bp" in err  # the field as it is written in the file
    _, out, _ = _run(capsys, "program", "history", "--db", str(db_path), "--json")
    assert [v["version"] for v in json.loads(out)["versions"]] == [1]
