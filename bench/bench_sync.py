"""Export and import of a large journal: ``python bench/bench_sync.py [--quick] [--events N]``.

Builds till 1 of a two-till shop with N sale events (each: a purchase, an earn ledger entry and
its points lot, over 10 000 customers registered by the first events), exports them to one
bundle, imports the bundle on till 2 and checks that both tills hold the same balances. Prints
the times and the ratio of the import against raw sqlite3 ``executemany`` of the same rows in
the same process (the floor any import must stand on). Goal: 1 000 000 events, each step < 30 s.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from terminal.app.journal import SCHEMA_VERSION
from terminal.app.till import open_till
from terminal.core.ids import uuid7
from terminal.sync.exchange import SyncExchange
from terminal.sync.pairing import create_pairing, join_pairing

CUSTOMERS = 10_000


def _fill(db_path: Path, terminal_id: str, count: int) -> None:
    """Write ``count`` journal events with their rows, the way the app would have."""
    start = datetime(2026, 1, 1, 9, 0)
    db = sqlite3.connect(db_path)
    db.execute("BEGIN")
    customers = [str(uuid7()) for _ in range(min(CUSTOMERS, count))]
    events, rows = [], {"customer": [], "purchase": [], "ledger_entry": [], "points_lot": []}
    for seq in range(1, count + 1):
        at = start + timedelta(seconds=seq)
        stamp = at.isoformat()
        if seq <= len(customers):
            cid = customers[seq - 1]
            row = {
                "id": cid,
                "name": f"Customer {seq}",
                "name_key": f"customer {seq}",
                "phone": None,
                "email": None,
                "birthday": None,
                "consent": False,
                "consent_at": None,
                "referrer_id": None,
                "created_at": stamp,
                "created_terminal_id": terminal_id,
                "erased_at": None,
                "balance": 0,
                "lifetime_paid": 0,
                "visits": 0,
                "last_visit_at": None,
            }
            payload = {"rows": {"customer": [row]}}
            rows["customer"].append(row)
            kind = "customer.registered"
        else:
            cid = customers[seq % len(customers)]
            sale, entry, lot = str(uuid7()), str(uuid7()), str(uuid7())
            purchase = {
                "id": sale,
                "customer_id": cid,
                "card_number": None,
                "amount": 10000,
                "discount": 0,
                "points_redeemed": 0,
                "redeemed_value": 0,
                "paid": 10000,
                "points_earned": 50,
                "bonus_points": 0,
                "program_version": 1,
                "tier": "",
                "explanation": "",
                "category": None,
                "cashier_id": None,
                "terminal_id": terminal_id,
                "created_at": stamp,
                "refunded_amount": 0,
                "balance_after": 0,
                "tier_after": "",
            }
            ledger = {
                "id": entry,
                "customer_id": cid,
                "kind": "earn",
                "points": 50,
                "purchase_id": sale,
                "refund_id": None,
                "lot_id": lot,
                "reason": "",
                "birthday_year": None,
                "program_version": 1,
                "terminal_id": terminal_id,
                "created_by": None,
                "created_at": stamp,
            }
            points_lot = {
                "id": lot,
                "customer_id": cid,
                "points": 50,
                "remaining": 50,
                "granted_at": stamp,
                "expires_at": None,
            }
            payload = {
                "rows": {
                    "purchase": [purchase],
                    "ledger_entry": [ledger],
                    "points_lot": [points_lot],
                },
                "summary": {"sale_id": sale},
            }
            rows["purchase"].append(purchase)
            rows["ledger_entry"].append(ledger)
            rows["points_lot"].append(points_lot)
            kind = "sale.committed"
        events.append(
            (
                str(uuid7()),
                terminal_id,
                seq,
                at.isoformat(sep=" "),
                kind,
                json.dumps(payload, separators=(",", ":")),
                SCHEMA_VERSION,
            )
        )
    db.executemany(
        "INSERT INTO journal_event (id, terminal_id, seq, created_at, type, payload, "
        "schema_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
        events,
    )
    for table, values in rows.items():
        if values:
            cols = tuple(values[0])
            db.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [
                    tuple(
                        v.replace("T", " ") if isinstance(v, str) and "T" in v[:11] else v
                        for v in row.values()
                    )
                    for row in values
                ],
            )
    db.execute(
        "UPDATE customer SET balance = (SELECT COALESCE(SUM(points), 0) FROM "
        "ledger_entry e WHERE e.customer_id = customer.id), "
        "lifetime_paid = (SELECT COALESCE(SUM(paid), 0) FROM purchase p "
        "WHERE p.customer_id = customer.id), "
        "visits = (SELECT COUNT(*) FROM purchase p WHERE p.customer_id = customer.id)"
    )
    db.execute("COMMIT")
    db.close()


def _raw_baseline(events: int) -> float:
    """Raw sqlite3: the same number of journal + fact rows inserted with executemany."""
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "raw.db")
        db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b INTEGER, c TEXT)")
        began = time.perf_counter()
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?)",
            ((str(i), "x" * 40, i, "y" * 200) for i in range(events * 4)),
        )
        db.execute("COMMIT")
        took = time.perf_counter() - began
        db.close()
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="50 000 events instead of 1 000 000")
    parser.add_argument("--events", type=int, default=None)
    args = parser.parse_args()
    count = args.events or (50_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        one = open_till(root / "one" / "loyalty.db")
        create_pairing(one, 2, root / "pair.json")
        two = open_till(root / "two" / "loyalty.db")
        join_pairing(two, root / "pair.json")
        one.close()
        print(f"filling till 1 with {count:,} events ...", flush=True)
        _fill(root / "one" / "loyalty.db", one.terminal_id, count)
        one = open_till(root / "one" / "loyalty.db")

        began = time.perf_counter()
        exported = SyncExchange(one).export(root / "out", since=0)
        export_s = time.perf_counter() - began
        assert exported.path is not None
        size = exported.path.stat().st_size
        print(
            f"export: {exported.count:,} events in {export_s:.1f} s "
            f"({exported.count / export_s:,.0f}/s), bundle {size / 1e6:.1f} MB"
        )

        began = time.perf_counter()
        imported = SyncExchange(two).import_file(exported.path)
        import_s = time.perf_counter() - began
        print(
            f"import: {imported.applied:,} events in {import_s:.1f} s "
            f"({imported.applied / import_s:,.0f}/s)"
        )
        again = time.perf_counter()
        SyncExchange(two).import_file(exported.path)
        print(f"re-import (nothing to do): {time.perf_counter() - again:.1f} s")

        raw = _raw_baseline(count)
        print(
            f"raw sqlite3 executemany of {count * 4:,} rows: {raw:.1f} s; "
            f"import / raw = {import_s / raw:.1f}x"
        )
        query = "SELECT id, balance, visits, lifetime_paid FROM customer ORDER BY id"
        with one.read_driver() as a, two.read_driver() as b:
            same = a.execute(query).fetchall() == b.execute(query).fetchall()
        print(f"balances identical on both tills: {same}")
        ok = same and export_s < 30 and import_s < 30
        print("goal (each < 30 s):", "met" if ok else "NOT met")
        one.close()
        two.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
