"""``loyalty-terminal report`` prints the figures of ``Reports.kpis`` (the fixture's shop)."""

from __future__ import annotations

import json

from terminal.cli import main


def test_report_json_and_text(shop, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["report", "--db", str(db_path), "--from", "2026-02-01", "--to", "2026-02-10"]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["current"]["sales"] == 4 and data["current"]["participation_bp"] == 7500
    assert data["previous"]["retention_bp"] is None
    assert data["point_value"] == "1.00"  # money as the README says: text, two decimals
    assert data["current"]["avg_check_members"] == "36.67"
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "Participation" in text and "75.00 %" in text and "66.67 %" in text
    assert "Average check, members" in text and "36.67" in text


def test_report_refuses_a_date_it_cannot_read(db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["report", "--db", str(db_path), "--from", "31.01.2026", "--to", "2026-02-10"]) == 2
    assert "is not a date like 2026-01-31" in capsys.readouterr().err
