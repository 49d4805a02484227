"""Importing the owner's spreadsheet of regulars: reading, mapping, dry run, one transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from terminal.app.enrollment import Enrollment
from terminal.app.importer import Importer, ImportRefused, read_sheet
from terminal.app.integrity import Integrity
from terminal.core.customer_form import CustomerForm
from tests.unit.fit.regulars import DB_CARD, DB_PHONE, regulars, write_csv, write_xlsx


def _shop_with_one_regular(till) -> None:  # type: ignore[no-untyped-def]
    Enrollment(till).register(CustomerForm("Already Here", DB_PHONE), card_number=DB_CARD)


def _count(db_path: Path, sql: str) -> int:
    with sqlite3.connect(db_path) as db:
        return db.execute(sql).fetchone()[0]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_ten_thousand_rows_with_twenty_bad_ones(kind, till, db_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _shop_with_one_regular(till)
    rows, bad = regulars(10_000)
    path = tmp_path / f"regulars.{kind}"
    (write_csv if kind == "csv" else write_xlsx)(path, rows)
    sheet = read_sheet(path)
    importer = Importer(till)

    dry = importer.dry_run(sheet)

    assert {r.line for r in dry.refused} == set(bad)
    for refused in dry.refused:
        assert bad[refused.line] in " ".join(refused.reasons), refused
    assert dry.good == 9_980
    assert _count(db_path, "SELECT COUNT(*) FROM customer") == 1  # the dry run wrote nothing

    with pytest.raises(ImportRefused):
        importer.apply(sheet)
    assert _count(db_path, "SELECT COUNT(*) FROM customer") == 1

    events_before = _count(db_path, "SELECT COUNT(*) FROM journal_event")
    result = importer.apply(sheet, skip_refused=True)

    assert (result.imported, result.skipped) == (9_980, 20)
    assert _count(db_path, "SELECT COUNT(*) FROM customer") == 9_981
    expected_points = sum(int(r[3]) for i, r in enumerate(rows) if i + 2 not in bad)
    assert result.opening_points == expected_points
    assert (
        _count(
            db_path,
            "SELECT COALESCE(SUM(points), 0) FROM ledger_entry WHERE kind = 'opening_balance'",
        )
        == expected_points
    )
    assert _count(db_path, "SELECT COUNT(*) FROM journal_event") - events_before == result.events
    assert result.events == 20  # 9 980 rows in chunks of 500
    report = Integrity(till).check()
    assert report.ok, report.problems


def test_imported_customer_is_found_by_card_with_the_opening_balance(till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from terminal.app.customers import Customers

    path = tmp_path / "regulars.csv"
    path.write_text(
        "Имя;Телефон;Номер карты;Баллы;День рождения\n"
        "Ольга Петренко;067 123 45 67;2050000000010;1 250;14.02.1985\n"
        "Без карты;050 765 43 21;;0;\n",
        encoding="cp1251",
    )
    sheet = read_sheet(path)
    assert (sheet.encoding, sheet.delimiter) == ("cp1251", ";")
    result = Importer(till).apply(sheet)

    assert (result.imported, result.new_cards) == (2, 1)
    view = Customers(till).find("2050000000010")
    assert (view.name, view.phone, view.balance) == ("Ольга Петренко", "+380671234567", 1250)
    assert view.birthday.isoformat() == "1985-02-14"
    assert view.expiring == []  # a year away: not "expiring soon"
    no_card = Customers(till).find("0507654321")
    assert no_card.card and no_card.card.startswith("201")  # issued by this till (till 1)
    assert Integrity(till).check().ok


def test_opening_balance_entry_names_the_file(till, db_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "notebook.csv", [["Ann", "0671112233", "", "40", "", ""]])
    Importer(till).apply(read_sheet(path))
    with sqlite3.connect(db_path) as db:
        kind, points, reason = db.execute(
            "SELECT kind, points, reason FROM ledger_entry"
        ).fetchone()
    assert (kind, points) == ("opening_balance", 40)
    assert "notebook.csv" in reason


def test_a_failure_half_way_leaves_nothing_written(till, db_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows, _bad = regulars(2_000)
    sheet = read_sheet(write_csv(tmp_path / "r.csv", rows))

    def fail_after_first_chunk(done: int, total: int) -> None:
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        Importer(till).apply(sheet, skip_refused=True, progress=fail_after_first_chunk)
    assert _count(db_path, "SELECT COUNT(*) FROM customer") == 0
    assert (
        _count(db_path, "SELECT COUNT(*) FROM journal_event WHERE type = 'customers.imported'") == 0
    )


def test_a_stock_card_in_the_file_is_handed_to_the_imported_customer(till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from terminal.app.card_stock import CardStock
    from terminal.app.customers import Customers

    stock = CardStock(till).reserve(1)
    number = stock.numbers[0]
    path = write_csv(tmp_path / "r.csv", [["Ann", "0671112233", number, "5", "", ""]])
    assert Importer(till).dry_run(read_sheet(path)).refused == []
    Importer(till).apply(read_sheet(path))
    assert Customers(till).find(number).name == "Ann"
    assert Integrity(till).check().ok


def test_utf8_bom_and_tabs(till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.txt"
    path.write_bytes("\ufeffІм'я\tТелефон\tКартка\tБали\nМарія\t0671112233\t\t7\n".encode())
    sheet = read_sheet(path)
    assert sheet.headers == ("Ім'я", "Телефон", "Картка", "Бали")
    dry = Importer(till).dry_run(sheet)
    assert (dry.good, dry.opening_points, dry.new_cards) == (1, 7, 1)
