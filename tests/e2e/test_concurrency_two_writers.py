"""Two programs writing the same database at once lose nothing.

One process is the counter (checkouts through :func:`retry_busy`, which reports "database busy,
retrying" to its caller), the other an import that holds the write lock in one long transaction
— longer than SQLite's busy timeout — and then registers customers while the counter keeps
selling. Every sale and every imported row is there afterwards and ``check`` passes. A lock held
past every retry ends in :class:`DatabaseBusy` with a message a cashier can act on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.retry import retry_busy
from terminal.app.till import open_till
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import DatabaseBusy
from terminal.db.engine import make_engine
from tests.e2e.cli_helpers import REPO

COUNTER = r"""
import sys, uuid
from terminal.app.counter import Counter, SaleRequest
from terminal.app.retry import retry_busy
from terminal.app.till import open_till

db, card, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
till = open_till(db)
counter = Counter(till)
print("ready", flush=True)
sys.stdin.readline()
for i in range(count):
    sale_id = str(uuid.uuid4())
    def busy(attempt, attempts):
        print(f"busy database busy, retrying ({attempt}/{attempts})", flush=True)
    result = retry_busy(lambda: counter.checkout(SaleRequest(card, 1000 + i), sale_id), busy)
    print("confirmed " + sale_id, flush=True)
print("finished", flush=True)
"""

IMPORT = r"""
import sys, time
from datetime import datetime
from terminal.app.enrollment import Enrollment
from terminal.app.till import open_till
from terminal.core.customer_form import CustomerForm

db, rows, hold, registrations = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
till = open_till(db)
now = datetime.now().isoformat(sep=" ")
with till.write_driver() as conn:  # one long import transaction holding the write lock
    print("locked", flush=True)
    for i in range(rows):
        conn.execute(
            "INSERT INTO customer (id, name, name_key, consent, created_at, balance, "
            "lifetime_paid, visits) VALUES (?, ?, ?, 0, ?, 0, 0, 0)",
            (f"import-{i}", f"Imported {i}", f"imported {i}", now),
        )
    time.sleep(hold)
print("committed", flush=True)
for i in range(registrations):
    Enrollment(till).register(CustomerForm(name=f"Walk-in {i}"))
print("finished", flush=True)
"""


def _spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.slow
def test_counter_and_long_import_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    till = open_till(db)
    card = Enrollment(till).register(CustomerForm(name="Regular")).card
    till.close()

    counter = _spawn(COUNTER, str(db), card, "60")
    assert counter.stdout is not None and counter.stdin is not None
    assert counter.stdout.readline().strip() == "ready"
    importer = _spawn(IMPORT, str(db), "2000", "6.5", "40")
    assert importer.stdout is not None
    assert importer.stdout.readline().strip() == "locked"
    counter.stdin.write("go\n")
    counter.stdin.flush()
    counter_out, _ = counter.communicate(timeout=60)
    import_out, _ = importer.communicate(timeout=60)
    assert counter.returncode == 0 and importer.returncode == 0
    busy = [line for line in counter_out.splitlines() if line.startswith("busy")]
    confirmed = [line.split()[1] for line in counter_out.splitlines() if line.startswith("conf")]
    print(f"\nconcurrency: {len(confirmed)} sales confirmed, {len(busy)} busy notices")
    assert busy and "database busy, retrying" in busy[0]
    assert len(confirmed) == 60 and "finished" in import_out

    till = open_till(db)
    try:
        with till.read_driver() as conn:
            stored = {row[0] for row in conn.execute("SELECT id FROM purchase")}
            (imported,) = conn.execute(
                "SELECT COUNT(*) FROM customer WHERE id LIKE 'import-%'"
            ).fetchone()
            (walk_ins,) = conn.execute(
                "SELECT COUNT(*) FROM customer WHERE name LIKE 'Walk-in %'"
            ).fetchone()
        assert stored == set(confirmed)
        assert imported == 2000 and walk_ins == 40
        report = Integrity(till).check()
        assert report.ok, report.problems
    finally:
        till.close()


def test_a_lock_held_past_every_retry_is_a_clear_busy_message(tmp_path: Path, clock) -> None:
    import sqlite3

    db = tmp_path / "locked.db"
    till = open_till(db, clock=clock)
    card = Enrollment(till).register(CustomerForm(name="Waiting")).card
    till.engine.dispose()
    till.engine = make_engine(db, busy_timeout_ms=150)  # the 5 s wait, shortened for the test
    other = sqlite3.connect(str(db), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    notices: list[tuple[int, int]] = []
    sale_id = str(uuid.uuid4())
    started = time.monotonic()
    with pytest.raises(DatabaseBusy) as busy:
        retry_busy(
            lambda: Counter(till).checkout(SaleRequest(card, 2500), sale_id),
            lambda attempt, attempts: notices.append((attempt, attempts)),
            attempts=3,
            pause_s=0.05,
        )
    assert time.monotonic() - started >= 0.45  # it did wait on each try
    assert notices == [(1, 3), (2, 3)]
    assert "stayed busy" in busy.value.message and "nothing was saved" in busy.value.message
    # the other program lets go: the same sale goes through, once
    other.execute("COMMIT")
    other.close()
    result = retry_busy(lambda: Counter(till).checkout(SaleRequest(card, 2500), sale_id))
    assert not result.replayed
    with till.read_driver() as conn:
        assert conn.execute("SELECT COUNT(*) FROM purchase").fetchone() == (1,)
    till.close()
