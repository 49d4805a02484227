"""Export and import of a large journal: ``python bench/bench_sync.py [--quick] [--events N]``.

Builds till 1 of a two-till shop with N sale events (each: a purchase, an earn ledger entry and
its points lot, over 10 000 customers registered by the first events), exports them to one
bundle, imports the bundle on till 2 and checks that both tills hold the same balances. Prints
the times and the ratio of the import against raw sqlite3 ``executemany`` of the same rows in
the same process (the floor any import must stand on). Goal: 1 000 000 events, each step < 30 s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from terminal.app.journal import event_schema
from terminal.app.till import open_till
from terminal.core.ids import uuid7
from terminal.db import bulk_load
from terminal.sync.bundle import COMPRESS_LEVEL
from terminal.sync.exchange import BIG_BATCH_CACHE_KIB, BIG_BATCH_SORT_THREADS, SyncExchange
from terminal.sync.pairing import create_pairing, join_pairing

CUSTOMERS = 10_000


FILL_CHUNK = 50_000  # events built and written at a time, so filling a million stays small


def _customer_row(cid: str, seq: int, stamp: str, terminal_id: str) -> dict[str, Any]:
    return {
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


def _sale_rows(cid: str, stamp: str, terminal_id: str) -> dict[str, list[dict[str, Any]]]:
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
    return {"purchase": [purchase], "ledger_entry": [ledger], "points_lot": [points_lot]}


def _stored(value: Any) -> Any:
    """A payload value as the app stores it (times with a space and microseconds)."""
    if isinstance(value, str) and len(value) == 19 and value[10] == "T":
        return value[:10] + " " + value[11:] + ".000000"
    return int(value) if isinstance(value, bool) else value


def _fill(db_path: Path, terminal_id: str, count: int) -> None:
    """Write ``count`` journal events with their rows, the way the app would have, a chunk at a
    time (a million events held at once would be gigabytes of dicts)."""
    start = datetime(2026, 1, 1, 9, 0)
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA cache_size=-262144")  # filling is not what is measured
    db.execute("BEGIN")
    customers = [str(uuid7()) for _ in range(min(CUSTOMERS, count))]
    for first in range(1, count + 1, FILL_CHUNK):
        events: list[tuple[Any, ...]] = []
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for seq in range(first, min(first + FILL_CHUNK, count + 1)):
            at = start + timedelta(seconds=seq)
            stamp = at.isoformat()
            if seq <= len(customers):
                row = _customer_row(customers[seq - 1], seq, stamp, terminal_id)
                payload: dict[str, Any] = {"rows": {"customer": [row]}}
                kind = "customer.registered"
            else:
                sale = _sale_rows(customers[seq % len(customers)], stamp, terminal_id)
                payload = {"rows": sale, "summary": {"sale_id": sale["purchase"][0]["id"]}}
                kind = "sale.committed"
            for table, table_rows in payload["rows"].items():
                rows[table].extend(table_rows)
            events.append(
                (
                    str(uuid7()),
                    terminal_id,
                    seq,
                    at.isoformat(sep=" ", timespec="microseconds"),
                    kind,
                    json.dumps(payload, separators=(",", ":")),
                    event_schema(kind),
                )
            )
        db.executemany(
            "INSERT INTO journal_event (id, terminal_id, seq, created_at, type, payload, "
            "schema_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        for table in ("customer", "purchase", "ledger_entry", "points_lot"):
            values = rows.get(table)
            if values:
                cols = tuple(values[0])
                db.executemany(
                    f"INSERT INTO {table} ({', '.join(cols)}) "
                    f"VALUES ({', '.join('?' * len(cols))})",
                    [tuple(_stored(v) for v in row.values()) for row in values],
                )
    db.execute(
        "UPDATE customer SET balance = (SELECT COALESCE(SUM(points), 0) FROM "
        "ledger_entry e WHERE e.customer_id = customer.id), "
        "lifetime_paid = (SELECT COALESCE(SUM(paid), 0) FROM purchase p "
        "WHERE p.customer_id = customer.id), "
        "visits = (SELECT COUNT(*) FROM purchase p WHERE p.customer_id = customer.id), "
        "last_visit_at = (SELECT MAX(created_at) FROM purchase p "
        "WHERE p.customer_id = customer.id)"
    )
    db.execute("COMMIT")
    db.close()


# What the raw baseline copies, in the order import writes it: the facts, then the archived
# bundle (the importing till keeps no journal row per event of another till).
_RAW_TABLES = ("customer", "purchase", "ledger_entry", "points_lot", "journal_archive")


def _raw_baseline(source: Path, target: Path, *, triggers: bool, bulk: bool = False) -> float:
    """Raw sqlite3: the rows the import wrote (facts, archived bundle), copied from the importing
    till into a fresh till's database with plain ``executemany`` in one transaction, commit
    included — the floor any import stands on. Reading the rows is not timed. With
    ``triggers=False`` the schema's triggers are dropped first, to show what they cost; with
    ``bulk`` the load is also done the way a big catch-up does it (plain indexes built after
    the rows, a rollback journal), so the two differ only by what the import adds: reading
    the bundle and turning its JSON into rows."""
    open_till(target).close()  # the real schema: every index (and trigger) a till has
    db = sqlite3.connect(target, isolation_level=None)
    db.execute(f"PRAGMA cache_size={BIG_BATCH_CACHE_KIB}")
    if bulk:
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute(f"PRAGMA threads={BIG_BATCH_SORT_THREADS}")
    if not triggers:
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            db.execute(f"DROP TRIGGER {name}")
    src = sqlite3.connect(source)
    took = 0.0
    db.execute("BEGIN IMMEDIATE")
    began = time.perf_counter()
    aside = bulk_load.drop_plain_indexes(db, _RAW_TABLES) if bulk else []
    took += time.perf_counter() - began
    for table in _RAW_TABLES:
        cursor = src.execute(f"SELECT * FROM {table}")
        sql = f"INSERT OR IGNORE INTO {table} VALUES ({', '.join('?' * len(cursor.description))})"
        while rows := cursor.fetchmany(FILL_CHUNK):
            began = time.perf_counter()
            db.executemany(sql, rows)
            took += time.perf_counter() - began
    began = time.perf_counter()
    bulk_load.restore(db, aside)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    took += time.perf_counter() - began
    src.close()
    db.close()
    return took


def _parse_only(bundle: Path) -> float:
    """orjson alone over the bundle's events (each line, then its payload), the file already
    inflated: the one step any import of a JSON bundle adds to the raw load above."""
    lines = gzip.decompress(bundle.read_bytes()).split(b"\n")[1:-2]  # no manifest, signature
    began = time.perf_counter()
    loads = orjson.loads
    for line in lines:
        loads(loads(line)["payload"])
    return time.perf_counter() - began


def _load() -> str:
    """The load average, printed beside every figure: other work on the machine slows them."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def _flushed() -> str:
    """Write the fill's and the export's pages out before the next timed step, so that step is
    not timed doing it (a till receiving a bundle has not just written a gigabyte)."""
    began = time.perf_counter()
    os.sync()
    return f"earlier writes flushed in {time.perf_counter() - began:.1f} s"


def _import_command(db: Path, bundle: Path) -> int:
    """``loyalty-terminal sync import`` as a shop runs it: a program of its own (so a big
    catch-up may use a rollback journal and worker processes, sync/staging.py)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "terminal",
            "--db",
            str(db),
            "--json",
            "sync",
            "import",
            str(bundle),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"the import failed ({result.returncode}): {result.stderr}")
    return int(json.loads(result.stdout)["applied"])


def _child_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="50 000 events instead of 1 000 000")
    parser.add_argument("--events", type=int, default=None)
    parser.add_argument("--no-baseline", action="store_true", help="skip the raw sqlite3 baselines")
    args = parser.parse_args()
    count = args.events or (50_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        one = open_till(root / "one" / "loyalty.db")
        create_pairing(one, 2, root / "pair.json")
        two = open_till(root / "two" / "loyalty.db")
        join_pairing(two, root / "pair.json")
        one.close()
        print(f"filling till 1 with {count:,} events ... ({_load()})", flush=True)
        began = time.perf_counter()
        _fill(root / "one" / "loyalty.db", one.terminal_id, count)
        print(f"filled in {time.perf_counter() - began:.0f} s", flush=True)
        one = open_till(root / "one" / "loyalty.db")
        one.checkpoint()

        print(f"export ... ({_load()}, {_flushed()})", flush=True)
        began = time.perf_counter()
        exported = SyncExchange(one).export(root / "out", since=0)
        export_s = time.perf_counter() - began
        assert exported.path is not None
        size = exported.path.stat().st_size
        print(
            f"export: {exported.count:,} events in {export_s:.1f} s "
            f"({exported.count / export_s:,.0f}/s), bundle {size / 1e6:.1f} MB "
            f"(gzip level {COMPRESS_LEVEL}) ({_load()})",
            flush=True,
        )

        print(f"import ... ({_load()}, {_flushed()})", flush=True)
        two.close()
        began = time.perf_counter()
        applied = _import_command(root / "two" / "loyalty.db", exported.path)
        import_s = time.perf_counter() - began
        two = open_till(root / "two" / "loyalty.db")
        print(
            f"import: {applied:,} events in {import_s:.1f} s "
            f"({applied / import_s:,.0f}/s) by `loyalty-terminal sync import` in a process of "
            f"its own, start to exit; its peak memory {_child_peak_mib():,.0f} MiB ({_load()})",
            flush=True,
        )
        again = time.perf_counter()
        SyncExchange(two).import_file(exported.path)
        print(f"re-import (nothing to do): {time.perf_counter() - again:.1f} s ({_load()})")

        query = "SELECT id, balance, visits, lifetime_paid, last_visit_at FROM customer ORDER BY id"
        with one.read_driver() as a, two.read_driver() as b:
            same = a.execute(query).fetchall() == b.execute(query).fetchall()
        print(f"balances identical on both tills: {same}", flush=True)
        one.close()
        two.close()
        if not args.no_baseline:
            source = root / "two" / "loyalty.db"
            shapes = {
                "with the schema's triggers": {"triggers": True},
                "triggers dropped": {"triggers": False},
                "loaded as a catch-up is: triggers dropped, plain indexes built after, "
                "rollback journal": {"triggers": False, "bulk": True},
            }
            for number, (shape, how) in enumerate(shapes.items()):
                raw = _raw_baseline(source, root / f"raw{number}" / "loyalty.db", **how)
                print(
                    f"raw sqlite3 executemany of the same rows into a till's schema ({shape}): "
                    f"{raw:.1f} s; import / raw = {import_s / raw:.1f}x ({_load()})",
                    flush=True,
                )
            parse = _parse_only(exported.path)
            print(
                f"orjson alone over the bundle's lines and payloads: {parse:.1f} s; with the "
                f"last raw load above, {raw + parse:.1f} s is what any import of this JSON "
                f"bundle from Python stands on ({_load()})",
                flush=True,
            )
        ok = same and export_s < 30 and import_s < 30
        print("goal (each < 30 s):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
