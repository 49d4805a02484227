"""The owner's own copy of the customer list, with consent status, as CSV or Excel.

Columns carry the same headers the importer recognises, so an exported file can be edited and
imported into another shop's terminal. CSV is written as UTF-8 with a BOM and ``;`` between
fields: that is what Excel opens correctly (Cyrillic names, one column per field) in Ukrainian
and Russian locales. Balances are what the customer can spend now (points past their expiry
are left out even if the write-off entry is not written yet). Erased customers are not exported.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from terminal.app.files import write_whole
from terminal.app.settings import get_setting
from terminal.app.till import Till, driver_connection
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.money import currency, format_amount

log = logging.getLogger("export")

HEADERS = (
    "Name",
    "Phone",
    "Email",
    "Birthday",
    "Card",
    "Balance",
    "Lifetime paid",
    "Visits",
    "Consent",
    "Consent given at",
    "Member since",
)

_SQL = """
SELECT c.name, c.phone, c.email, c.birthday,
       (SELECT number FROM card k WHERE k.customer_id = c.id AND k.status = 'active'
        ORDER BY k.issued_at DESC LIMIT 1),
       c.balance - COALESCE((SELECT SUM(l.remaining) FROM points_lot l
                              WHERE l.customer_id = c.id AND l.remaining > 0
                                AND l.expires_at IS NOT NULL AND l.expires_at <= ?), 0),
       c.lifetime_paid, c.visits, c.consent, c.consent_at, c.created_at
FROM customer c WHERE c.erased_at IS NULL ORDER BY c.name_key, c.created_at
"""


@dataclass(frozen=True)
class ExportResult:
    path: str
    customers: int
    with_consent: int


def _day(text: str | None) -> str:
    return (text or "")[:10]


def _row(raw: tuple, decimals: int) -> list[object]:
    name, phone, email, birthday, card, balance, paid, visits, consent, consent_at, created = raw
    return [
        name,
        phone or "",
        email or "",
        birthday or "",
        card or "",
        balance,
        format_amount(paid, decimals),
        visits,
        "yes" if consent else "no",
        _day(consent_at),
        _day(created),
    ]


class CustomerExport:
    def __init__(self, till: Till) -> None:
        self.till = till

    def rows(self) -> list[list[object]]:
        now = self.till.now().isoformat(sep=" ", timespec="microseconds")
        with self.till.read() as s:
            decimals = currency(get_setting(s, "currency")).decimals
            raw = driver_connection(s).execute(_SQL, (now,)).fetchall()
        return [_row(r, decimals) for r in raw]

    def write(self, path: Path | str) -> ExportResult:
        path = Path(path)
        suffix = path.suffix.casefold()
        if suffix not in (".csv", ".xlsx"):
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Export to a .csv or an .xlsx file."), field="out"
            )
        rows = self.rows()
        # whole or not at all: a full or missing disk must not leave a 0-byte "export"
        fill = _write_csv if suffix == ".csv" else _write_xlsx
        write_whole(path, lambda out: fill(out, rows))
        consented = sum(1 for r in rows if r[8] == "yes")
        log.info("exported %d customers", len(rows))
        return ExportResult(str(path), len(rows), consented)


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        writer.writerows(rows)


def _write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    sheet.freeze_panes = "A2"
    sheet.append(list(HEADERS))
    for row in rows:
        card = WriteOnlyCell(sheet, value=row[4])
        card.number_format = "@"  # text: a card number must not become 2.01E+12
        sheet.append([*row[:4], card, *row[5:]])
    # made in memory, then written in one go: a full disk met inside openpyxl's zip writer
    # leaves a half-closed zip that complains on stderr when it is collected
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
