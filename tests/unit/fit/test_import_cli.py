"""``import customers`` and ``export customers`` as the owner types them."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from terminal.app.enrollment import Enrollment
from terminal.cli import main
from terminal.core.customer_form import CustomerForm
from tests.unit.fit.regulars import write_csv

ROWS = [
    ["Ann Lee", "067 111 22 33", "2050000000010", "120", "01.02.1990", "ann@example.com"],
    ["", "067 111 22 34", "", "5", "", ""],
    ["Bob Stone", "067 111 22 35", "", "-3", "", ""],
]


def test_dry_run_lists_refused_rows_and_writes_nothing(db_path, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "r.csv", ROWS)
    code = main(["import", "customers", str(path), "--dry-run", "--db", str(db_path), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["good"] == 1
    assert [(r["line"], r["reasons"]) for r in data["refused"]] == [
        (3, ["missing name"]),
        (4, ["negative balance -3"]),
    ]
    assert data["written"] is False


def test_refused_rows_stop_the_import_unless_skipped(db_path, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "r.csv", ROWS)
    assert main(["import", "customers", str(path), "--db", str(db_path)]) == 3
    assert "Nothing was imported" in capsys.readouterr().out
    assert main(["import", "customers", str(path), "--skip-refused", "--db", str(db_path)]) == 0
    assert "Imported 1 customer from" in capsys.readouterr().out
    assert main(["balance", "2050000000010", "--db", str(db_path)]) == 0
    assert "120 points" in capsys.readouterr().out


def test_map_names_columns_by_header_or_number(db_path, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "odd.csv"
    path.write_text("Who,Mob,Bonus\nAnn,0671112233,9\n", encoding="utf-8")
    code = main(
        [
            "import",
            "customers",
            str(path),
            "--map",
            "name=Who,phone=2,balance=Bonus",
            "--db",
            str(db_path),
            "--json",
        ]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 1
    assert main(["import", "customers", str(path), "--map", "name=Nope", "--db", str(db_path)]) == 3
    assert "no column “Nope”" in capsys.readouterr().err


def test_export_csv_and_xlsx_with_consent(till, db_path, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    Enrollment(till).register(CustomerForm("Оля", "0671112233", consent=True))
    Enrollment(till).register(CustomerForm("Bob", "0671112234"))
    out = tmp_path / "customers.csv"
    assert main(["export", "customers", "--out", str(out), "--db", str(db_path)]) == 0
    assert "Exported 2 customers (1 agreed" in capsys.readouterr().out
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Name;Phone;Email;Birthday;Card;Balance")
    bob, olya = lines[1].split(";"), lines[2].split(";")
    assert (bob[0], bob[8]) == ("Bob", "no")
    assert (olya[0], olya[1], olya[5], olya[8]) == ("Оля", "+380671112233", "100", "yes")

    xlsx = tmp_path / "customers.xlsx"
    assert main(["export", "customers", "--out", str(xlsx), "--db", str(db_path)]) == 0
    sheet = load_workbook(xlsx).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2][0] == "Оля" and values[2][8] == "yes"
    assert isinstance(values[2][4], str) and len(values[2][4]) == 13  # card kept as text


def test_exported_file_imports_into_another_shop(till, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    Enrollment(till).register(CustomerForm("Оля", "0671112233", consent=True))
    out = tmp_path / "customers.xlsx"
    assert main(["export", "customers", "--out", str(out), "--db", str(till.db_path)]) == 0
    other = tmp_path / "other.db"
    assert main(["import", "customers", str(out), "--db", str(other), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["imported"] == 1
    assert main(["customer", "show", "0671112233", "--db", str(other)]) == 0
    assert "Balance 100 points" in capsys.readouterr().out
