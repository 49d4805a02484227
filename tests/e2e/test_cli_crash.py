"""Killing the till in the middle of sales: every confirmed sale is there once, nothing is half.

A child process rings up sales as fast as it can and prints each sale id once ``checkout``
returned (what the cashier would see as "done"). The parent SIGKILLs it at random moments —
often inside a transaction — and starts a new child that first re-submits the sale that was in
flight, as a cashier retrying after a crash would. At the end every confirmed sale exists exactly
once, every sale in the database is complete (its ledger entries and journal event), and
``check`` passes. (The long 200-kill loop lives with the data-safety tests.)
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from terminal.cli import main
from tests.e2e.cli_helpers import REPO

CHILD = r"""
import sys
from terminal.app.counter import Counter, SaleRequest
from terminal.app.till import open_till
from terminal.core.checkout import MAX, NONE

db, card, *sale_ids = sys.argv[1:]
till = open_till(db)
counter = Counter(till)
print("ready", flush=True)
for sale_id in sale_ids:
    n = int(sale_id[:6], 16)  # the same sale (amount, redemption) whichever child retries it
    redeem = MAX if n % 3 == 2 else NONE
    result = counter.checkout(SaleRequest(card, 10_000 + n % 50_000, redeem), sale_id)
    print(("replayed " if result.replayed else "confirmed ") + sale_id, flush=True)
print("finished", flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_mid_commit_keeps_whole_sales_only(tmp_path: Path, capsys) -> None:
    db = tmp_path / "crash.db"
    assert main(["--db", str(db), "customer", "add", "--name", "Crash Test"]) == 0
    card = capsys.readouterr().out.split("card ")[1].split(",")[0]
    rng = random.Random(20260302)
    pending = [str(uuid.uuid4()) for _ in range(400)]
    confirmed: set[str] = set()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    kills = 0
    deadline = time.monotonic() + 20
    while pending and kills < 5 and time.monotonic() < deadline:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), card, *pending],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        stop_after = rng.randint(3, 40)
        seen = 0
        for line in child.stdout:
            word, _, sale_id = line.strip().partition(" ")
            if word in ("confirmed", "replayed"):
                confirmed.add(sale_id)
                pending.remove(sale_id)
                seen += 1
            if seen >= stop_after:
                time.sleep(rng.uniform(0, 0.004))  # land anywhere inside the next commit
                child.send_signal(signal.SIGKILL)
                kills += 1
                break
        child.wait(timeout=30)
        child.stdout.close()
    assert kills >= 3
    conn = sqlite3.connect(str(db))
    counts = dict(conn.execute("SELECT id, COUNT(*) FROM purchase GROUP BY id").fetchall())
    assert all(counts.get(sale_id) == 1 for sale_id in confirmed)
    # every sale that made it in is whole: its journal event and its ledger entries
    sales = conn.execute("SELECT id, points_earned, points_redeemed FROM purchase").fetchall()
    events = {
        row[0]
        for row in conn.execute(
            "SELECT json_extract(payload, '$.summary.sale_id') FROM journal_event "
            "WHERE type = 'sale.committed'"
        )
    }
    for sale_id, earned, redeemed in sales:
        assert sale_id in events
        kinds = dict(
            conn.execute(
                "SELECT kind, SUM(points) FROM ledger_entry WHERE purchase_id = ? GROUP BY kind",
                (sale_id,),
            ).fetchall()
        )
        assert kinds.get("earn", 0) == earned and -kinds.get("redeem", 0) == redeemed
    # a sale is never recorded that the next child did not then confirm or replay
    assert set(counts) <= confirmed | set(pending)
    conn.close()
    assert main(["--db", str(db), "check"]) == 0, capsys.readouterr().out
