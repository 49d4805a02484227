"""Import speed: 10 000 customers with cards and opening balances, from CSV and from .xlsx.

    python bench/bench_import.py            # 10 000 rows (20 of them bad)
    python bench/bench_import.py --rows 50000

For each format, on a fresh database: read the file, dry-run it, apply with "skip refused rows"
(one transaction), and run ``check``. Prints the seconds of each step, the total against the
10 s target, and the ratio of the apply step against raw ``sqlite3`` inserting the same rows
(customer, card, lot, ledger entry, one journal event per 500 rows) in one transaction in the
same process with the same pragmas.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from terminal.app.enrollment import Enrollment
from terminal.app.importer import Importer, read_sheet
from terminal.app.integrity import Integrity
from terminal.app.till import open_till
from terminal.core.customer_form import CustomerForm
from tests.unit.fit.regulars import DB_CARD, DB_PHONE, regulars, write_csv, write_xlsx

TARGET_SECONDS = 10.0


def _raw_apply(path: Path, rows: list[list[str]]) -> float:
    """The same writes as the importer, as plain sqlite3 with no checks: the floor."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(
        "CREATE TABLE customer (id TEXT PRIMARY KEY, name TEXT, name_key TEXT, phone TEXT, "
        "balance INT, created_at TEXT)"
    )
    db.execute("CREATE INDEX ix_phone ON customer(phone)")
    db.execute("CREATE TABLE card (number TEXT PRIMARY KEY, customer_id TEXT, status TEXT)")
    db.execute("CREATE TABLE lot (id TEXT PRIMARY KEY, customer_id TEXT, points INT, rem INT)")
    db.execute(
        "CREATE TABLE entry (id TEXT PRIMARY KEY, customer_id TEXT, kind TEXT, points INT, "
        "lot_id TEXT, reason TEXT)"
    )
    db.execute("CREATE TABLE journal (id TEXT PRIMARY KEY, seq INT, payload TEXT)")
    now = datetime(2026, 3, 2).isoformat()
    start = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    payload: list[object] = []
    for i, row in enumerate(rows):
        cid, lot, entry = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
        points = max(0, int(row[3]) if row[3].lstrip("-").isdigit() else 0)
        db.execute(
            "INSERT INTO customer VALUES (?,?,?,?,?,?)",
            (cid, row[0], row[0].casefold(), row[1], points, now),
        )
        db.execute("INSERT INTO card VALUES (?,?,?)", (row[2] or cid[:13], cid, "active"))
        db.execute("INSERT INTO lot VALUES (?,?,?,?)", (lot, cid, points, points))
        db.execute(
            "INSERT INTO entry VALUES (?,?,?,?,?,?)",
            (entry, cid, "opening_balance", points, lot, "Opening balance"),
        )
        payload.append([cid, row, lot, entry])
        if len(payload) == 500 or i == len(rows) - 1:
            db.execute(
                "INSERT INTO journal VALUES (?,?,?)",
                (str(uuid.uuid4()), i, json.dumps(payload)),
            )
            payload = []
    db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def run(kind: str, rows: list[list[str]], bad: dict[int, str], folder: Path) -> float:
    path = folder / f"regulars.{kind}"
    (write_csv if kind == "csv" else write_xlsx)(path, rows)
    till = open_till(folder / f"{kind}.db")
    Enrollment(till).register(CustomerForm("Already Here", DB_PHONE), card_number=DB_CARD)
    try:
        t0 = time.perf_counter()
        sheet = read_sheet(path)
        t1 = time.perf_counter()
        dry = Importer(till).dry_run(sheet)
        t2 = time.perf_counter()
        result = Importer(till).apply(sheet, skip_refused=True)
        t3 = time.perf_counter()
        report = Integrity(till).check()
        t4 = time.perf_counter()
    finally:
        till.close()
    good = [row for i, row in enumerate(rows) if i + 2 not in bad]
    raw = _raw_apply(folder / f"{kind}-raw.db", good)
    total = t3 - t0
    print(
        f"{kind:>4}: {len(rows)} rows  read {t1 - t0:5.2f} s  dry run {t2 - t1:5.2f} s  "
        f"apply {t3 - t2:5.2f} s  → {total:5.2f} s for read+dry run+apply "
        f"({'OK' if total < TARGET_SECONDS else 'OVER'} the {TARGET_SECONDS:.0f} s target)"
    )
    print(
        f"      imported {result.imported}, refused {len(dry.refused)}, "
        f"{result.events} journal events; check {'passes' if report.ok else 'FAILS'} "
        f"({t4 - t3:.2f} s); apply vs raw sqlite3 {raw:.2f} s = {(t3 - t2) / raw:.1f}×"
    )
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    rows, bad = regulars(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        totals = [run(kind, rows, bad, Path(folder)) for kind in ("csv", "xlsx")]
    return 0 if all(t < TARGET_SECONDS for t in totals) else 1


if __name__ == "__main__":
    sys.exit(main())
