"""Importing the shop's existing regulars: customers, their cards and opening balances.

Read the file (CSV in any delimiter and UTF-8, UTF-8 with BOM or Windows-1251; or Excel .xlsx),
map its columns, dry-run (every row that would be refused, with the reasons), then apply in ONE
transaction: all rows, or — when the owner chose to skip refused rows — all the good ones.

Applying writes with plain SQL on the session's connection (10 000 rows must take seconds, not
minutes) and journals the facts like any other change: one ``customers.imported`` event per chunk
of rows, so an event stays a sensible size for sync. Opening balances are ``opening_balance``
ledger entries (through :class:`Ledger`, so lots and expiry work as for earned points) with the
file name in the reason. Imported customers get no welcome bonus: they are not new to the shop.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session

from terminal.app.files import cannot_read
from terminal.app.journal import ChangeSet, insert_sql, record_event, sql_value
from terminal.app.ledger import Account, Ledger
from terminal.app.lookup import name_key
from terminal.app.settings import get_setting
from terminal.app.till import Till, current_program, driver_connection
from terminal.core.cards import make_card_number
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.ids import new_id
from terminal.core.import_rows import (
    FIELDS,
    CleanRow,
    KnownInDatabase,
    RefusedRow,
    RowCheck,
    check_rows,
    guess_mapping,
)

log = logging.getLogger("import")

CHUNK_ROWS = 500  # rows per journal event
PREVIEW_ROWS = 10
Progress = Callable[[int, int], None]  # (rows done, rows in all)


class ImportRefused(InvalidInput):
    """Some rows would be refused and the owner did not choose to skip them: nothing written."""

    code = "import_refused"


@dataclass(frozen=True)
class SheetFile:
    """A file read into text cells: headers, and data rows with the line number the owner sees."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str = ""
    delimiter: str = ""

    def preview(self, count: int = PREVIEW_ROWS) -> list[tuple[str, ...]]:
        return [cells for _line, cells in self.rows[:count]]


@dataclass(frozen=True)
class DryRun:
    file_name: str
    rows: int
    good: int
    refused: list[RefusedRow]
    opening_points: int
    new_cards: int  # customers without a card in the file get a new number from this till


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    imported: int
    skipped: int
    opening_points: int
    new_cards: int
    events: int


# -- reading ------------------------------------------------------------------------------------


def read_sheet(path: Path | str) -> SheetFile:
    """Read a .csv/.txt or .xlsx file into text cells; the first non-empty row is the header."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "There is no file {path}."), field="file", path=path
        )
    suffix = path.suffix.casefold()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors", "Old Excel files (.xls) cannot be read; save the sheet as .xlsx or CSV."
            ),
            field="file",
        )
    return _read_csv(path)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's
    "Unicode text", tab-separated), else Windows-1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"  # the BOM says which byte order
        except UnicodeDecodeError:
            pass  # two bytes that only look like a BOM: read it as the others below
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1251"), "cp1251"


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (";", ",", "\t", "|")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(path: Path) -> SheetFile:
    try:
        data = path.read_bytes()
    except OSError as exc:  # no right to read it, a failing USB stick
        raise cannot_read(exc, path) from exc
    text, encoding = decode_text(data)
    delimiter = _delimiter(text)
    return _sheet(path.name, _csv_rows(path.name, text, delimiter), encoding, delimiter)


def _csv_rows(name: str, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The rows with the line each starts on. Strict about quotes: an unclosed one would
    otherwise swallow every following line into one cell, imported as one customer."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{name} cannot be read: the quotation marks on line {line} do not pair up; "
                    "correct that line and import again.",
                ),
                field="file",
                name=name,
                line=line,
            ) from exc
        yield line, row
        line = reader.line_num + 1


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> SheetFile:
    from openpyxl import load_workbook  # imported here: only an .xlsx import pays for it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "{name} is not a readable Excel file ({exc})."),
            field="file",
            name=path.name,
            exc=exc,
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows = (
            (n, [_xlsx_cell(v) for v in values])
            for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _sheet(path.name, rows, "xlsx", "")
    finally:
        book.close()


def _sheet(name: str, rows, encoding: str, delimiter: str) -> SheetFile:  # type: ignore[no-untyped-def]
    headers: tuple[str, ...] | None = None
    data: list[tuple[int, tuple[str, ...]]] = []
    for line, cells in rows:
        cells = tuple((c or "").strip() for c in cells)
        if headers is None:
            if any(cells):
                headers = cells
            continue
        data.append((line, cells))
    if headers is None:
        raise InvalidInput(QT_TRANSLATE_NOOP("Errors", "{name} is empty."), field="file", name=name)
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    headers = tuple(h or f"Column {i + 1}" for i, h in enumerate(headers[:width]))
    return SheetFile(name, headers, tuple(data), encoding, delimiter)


# -- mapping ------------------------------------------------------------------------------------


def parse_mapping(spec: str, headers: Sequence[str]) -> dict[str, int]:
    """``name=Client,phone=3`` → field → column index (by header text or 1-based number)."""
    mapping: dict[str, int] = {}
    folded = [h.casefold() for h in headers]
    for part in (p for p in spec.split(",") if p.strip()):
        field_name, _, column = part.partition("=")
        field_name, column = field_name.strip().casefold(), column.strip()
        if field_name not in FIELDS:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Unknown field “{field_name}”; use one of {join}."),
                field="map",
                field_name=field_name,
                join=", ".join(FIELDS),
            )
        if column.isdigit() and 1 <= int(column) <= len(headers):
            mapping[field_name] = int(column) - 1
        elif column.casefold() in folded:
            mapping[field_name] = folded.index(column.casefold())
        else:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors", "The file has no column “{column}”; its columns are {join}."
                ),
                field="map",
                column=column,
                join=", ".join(headers),
            )
    return mapping


# -- checking and applying ---------------------------------------------------------------------


def _known(db) -> KnownInDatabase:  # type: ignore[no-untyped-def]
    phones = frozenset(
        p
        for (p,) in db.execute(
            "SELECT phone FROM customer WHERE phone IS NOT NULL AND erased_at IS NULL"
        )
    )
    cards: set[str] = set()
    stock: set[str] = set()
    for number, status, owner in db.execute("SELECT number, status, customer_id FROM card"):
        (stock if status == "stock" and owner is None else cards).add(number)
    return KnownInDatabase(phones, frozenset(cards), frozenset(stock))


class Importer:
    def __init__(self, till: Till) -> None:
        self.till = till

    def _check(self, session: Session, sheet: SheetFile, mapping: Mapping[str, int]) -> RowCheck:
        db = driver_connection(session)
        region = get_setting(session, "phone_region")
        return check_rows(sheet.rows, mapping, _known(db), self.till.now().date(), region)

    def dry_run(self, sheet: SheetFile, mapping: Mapping[str, int] | None = None) -> DryRun:
        """What applying would do and every row it would refuse, with reasons. Writes nothing."""
        mapping = dict(mapping) if mapping is not None else guess_mapping(sheet.headers)
        with self.till.read() as s:
            checked = self._check(s, sheet, mapping)
        return DryRun(
            sheet.name,
            len(checked.good) + len(checked.refused),
            len(checked.good),
            checked.refused,
            sum(r.balance for r in checked.good),
            sum(1 for r in checked.good if r.card is None),
        )

    def apply(
        self,
        sheet: SheetFile,
        mapping: Mapping[str, int] | None = None,
        *,
        skip_refused: bool = False,
        cashier: str | None = None,
        progress: Progress | None = None,
    ) -> ImportResult:
        """Import in one transaction; rows are checked again on the data as it is now."""
        mapping = dict(mapping) if mapping is not None else guess_mapping(sheet.headers)
        now = self.till.now()
        with self.till.write() as s:
            checked = self._check(s, sheet, mapping)
            if checked.refused and not skip_refused:
                first = checked.refused[0]
                raise ImportRefused(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "{count} rows of {name} would be refused (line {line}: {reasons}). "
                        "Fix them, or skip refused rows; nothing was imported.",
                    ),
                    refused=len(checked.refused),
                    count=len(checked.refused),
                    name=sheet.name,
                    line=first.line,
                    reasons=first.reasons[0],
                )
            imported, points, new_cards, events = self._write(
                s, sheet.name, checked.good, now, cashier, progress
            )
        log.info("imported %d customers from %s", imported, sheet.name)
        return ImportResult(sheet.name, imported, len(checked.refused), points, new_cards, events)

    def _write(
        self,
        s: Session,
        file_name: str,
        rows: list[CleanRow],
        now: datetime,
        cashier: str | None,
        progress: Progress | None,
    ) -> tuple[int, int, int, int]:
        db = driver_connection(s)
        version, program = current_program(s)
        numbers = self._new_card_numbers(db, sum(1 for r in rows if r.card is None))
        stock = {
            n
            for (n,) in db.execute(
                "SELECT number FROM card WHERE status = 'stock' AND customer_id IS NULL"
            )
        }
        reason = f"Opening balance imported from {file_name}"
        points_total = events = new_cards = 0
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[start : start + CHUNK_ROWS]
            changes = ChangeSet(s)
            customers: list[dict[str, object]] = []
            cards: list[dict[str, object]] = []
            grants: list[tuple[str, int]] = []
            for row in chunk:
                customer_id = new_id()
                # the opening grant below settles no debt, so the cached balance is the grant
                customers.append(_customer_values(customer_id, row, now, self.till))
                if row.card is None:
                    new_cards += 1
                    cards.append(_card_values(next(numbers), customer_id, now, self.till))
                elif row.card in stock:
                    db.execute(
                        "UPDATE card SET customer_id = ?, status = 'active', assigned_at = ? "
                        "WHERE number = ?",
                        (customer_id, sql_value(now), row.card),
                    )
                    changes.update(
                        "card",
                        row.card,
                        {"customer_id": customer_id, "status": "active", "assigned_at": now},
                    )
                else:
                    cards.append(_card_values(row.card, customer_id, now, self.till))
                if row.balance:
                    grants.append((customer_id, row.balance))
            _insert_many(changes, "customer", customers)
            _insert_many(changes, "card", cards)
            for customer_id, points in grants:
                account = Account(customer_id, 0)
                Ledger(changes, account, now, self.till.terminal_id, cashier).grant(
                    "opening_balance",
                    points,
                    expiry_days=program.expiry_days,
                    program_version=version,
                    reason=reason,
                )
                assert account.balance == points
                points_total += points
            record_event(
                s,
                self.till.terminal_id,
                "customers.imported",
                changes.payload(
                    file=file_name,
                    first_line=chunk[0].line,
                    last_line=chunk[-1].line,
                    customers=len(chunk),
                ),
                now,
            )
            events += 1
            if progress is not None:
                progress(start + len(chunk), len(rows))
        return len(rows), points_total, new_cards, events

    def _new_card_numbers(self, db, count: int):  # type: ignore[no-untyped-def]
        """Card numbers for customers without one: this till's next serials, skipping taken ones."""
        if count == 0:
            return iter(())
        number_of_till, serial = db.execute(
            "SELECT number, next_card_serial FROM terminal WHERE id = ?",
            (self.till.terminal_id,),
        ).fetchone()
        taken = {n for (n,) in db.execute("SELECT number FROM card")}
        numbers: list[str] = []
        while len(numbers) < count:
            number = make_card_number(number_of_till, serial)
            serial += 1
            if number not in taken:
                numbers.append(number)
        db.execute(
            "UPDATE terminal SET next_card_serial = ? WHERE id = ?", (serial, self.till.terminal_id)
        )
        return iter(numbers)


def _insert_many(changes: ChangeSet, table: str, rows: list[dict[str, object]]) -> None:
    """Insert plain rows in one statement and record them as facts, as ChangeSet.insert does
    row by row (customers and cards are the bulk of an import; no rowids are needed)."""
    if not rows:
        return
    columns = tuple(rows[0])
    driver_connection(changes.session).executemany(
        insert_sql(table, columns), [[sql_value(v) for v in row.values()] for row in rows]
    )
    changes.rows.setdefault(table, []).extend(
        {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()} for row in rows
    )


def _customer_values(customer_id: str, row: CleanRow, now: datetime, till: Till) -> dict:
    return {
        "id": customer_id,
        "name": row.name,
        "name_key": name_key(row.name),
        "phone": row.phone,
        "email": row.email,
        "birthday": row.birthday,
        "consent": row.consent,
        "consent_at": now if row.consent else None,
        "referrer_id": None,
        "created_at": now,
        "created_terminal_id": till.terminal_id,
        "erased_at": None,
        "balance": row.balance,
        "lifetime_paid": 0,
        "visits": 0,
        "last_visit_at": None,
    }


def _card_values(number: str, customer_id: str, now: datetime, till: Till) -> dict:
    return {
        "number": number,
        "customer_id": customer_id,
        "status": "active",
        "issued_at": now,
        "assigned_at": now,
        "status_reason": "",
        "terminal_id": till.terminal_id,
        "batch": None,
    }
