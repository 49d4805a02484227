"""A generated spreadsheet of a shop's regulars with known bad rows, for the import tests and
``bench/bench_import.py``.

Good row ``i`` has a name, a phone, a card from till 5's range (or none every 97th row: a new card
is issued), a balance and now and then a birthday and an e-mail. Twenty rows are broken on purpose,
each in one way the owner must be told about; ``BAD_LINES`` maps their line numbers (the header is
line 1) to a word the refusal reason must contain.
"""

from __future__ import annotations

import csv
from pathlib import Path

from terminal.core.cards import check_digit, make_card_number

HEADERS = ("Name", "Phone", "Card", "Balance", "Birthday", "Email")
DB_PHONE = "+380509999999"  # a customer already in the shop
DB_CARD = make_card_number(9, 1)


def _wrong_digit(number: str) -> str:
    return number[:12] + str((int(number[12]) + 1) % 10)


def _foreign_card() -> str:
    body = "482000000123"
    return body + check_digit(body)


def good_row(i: int) -> list[str]:
    card = "" if i % 97 == 0 else make_card_number(5, i + 1)
    birthday = f"{1 + i % 28:02d}.{1 + i % 12:02d}.{1950 + i % 50}" if i % 3 == 0 else ""
    email = f"customer{i}@example.com" if i % 5 == 0 else ""
    return [f"Customer {i}", f"+38067{i:07d}", card, str(i % 700), birthday, email]


def regulars(count: int = 10_000) -> tuple[list[list[str]], dict[int, str]]:
    """Rows (without the header) and the bad lines with a word their reason must contain."""
    rows = [good_row(i) for i in range(count)]
    breakers = [
        ("phone", lambda r, i: r.__setitem__(1, "12345")),
        ("phone", lambda r, i: r.__setitem__(1, "067 12x 45 67")),
        ("phone", lambda r, i: r.__setitem__(1, "+38 067 1")),
        ("duplicate card", lambda r, i: r.__setitem__(2, rows[i - 7][2] or rows[i - 8][2])),
        ("duplicate card", lambda r, i: r.__setitem__(2, rows[10][2])),
        ("duplicate card", lambda r, i: r.__setitem__(2, rows[i - 1][2] or rows[i - 2][2])),
        ("duplicate card", lambda r, i: r.__setitem__(2, DB_CARD)),
        ("duplicate card", lambda r, i: r.__setitem__(2, DB_CARD)),
        ("check digit", lambda r, i: r.__setitem__(2, _wrong_digit(make_card_number(5, i + 1)))),
        ("check digit", lambda r, i: r.__setitem__(2, _wrong_digit(make_card_number(5, i + 1)))),
        ("check digit", lambda r, i: r.__setitem__(2, _wrong_digit(make_card_number(5, i + 1)))),
        ("negative balance", lambda r, i: r.__setitem__(3, "-50")),
        ("negative balance", lambda r, i: r.__setitem__(3, "-1")),
        ("negative balance", lambda r, i: r.__setitem__(3, "-700")),
        ("duplicate phone", lambda r, i: r.__setitem__(1, rows[i - 3][1])),
        ("duplicate phone", lambda r, i: r.__setitem__(1, rows[5][1])),
        ("phone", lambda r, i: r.__setitem__(1, DB_PHONE)),
        ("missing name", lambda r, i: r.__setitem__(0, "")),
        ("missing name", lambda r, i: r.__setitem__(0, "   ")),
        ("in-store range", lambda r, i: r.__setitem__(2, _foreign_card())),
    ]
    bad: dict[int, str] = {}
    step = count // (len(breakers) + 1)
    for k, (word, breaker) in enumerate(breakers, start=1):
        i = k * step + (k % 7)
        breaker(rows[i], i)
        bad[i + 2] = word  # line numbers: header is line 1
    return rows, bad


def write_csv(
    path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """As a shop's spreadsheet holds them: numbers as numbers, card numbers as numbers too."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Regulars")
    sheet.append(list(HEADERS))
    for row in rows:
        cells: list[object] = list(row)
        for index in (2, 3):
            text = row[index]
            if text.lstrip("-").isdigit():
                cells[index] = int(text)
        sheet.append(cells)
    book.save(path)
    return path
