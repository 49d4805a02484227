"""Two hundred checkouts with the till killed (SIGKILL) at random moments, restarted each time.

A child process rings up sales and prints each sale id once ``checkout`` returned — the moment
the cashier tells the customer "done". The parent kills it at random moments (often inside a
commit), then starts a new child that first re-submits the sale that was in flight, as a cashier
would after a crash. When 200 sales are confirmed: every confirmed sale is in the database
exactly once, nothing else is, every stored sale is whole (its ledger entries, lot movements and
journal event), and ``check`` passes.
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

from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.till import open_till
from terminal.core.customer_form import CustomerForm
from tests.e2e.cli_helpers import REPO

CHILD = r"""
import sys
from terminal.app.counter import Counter, SaleRequest
from terminal.app.till import open_till
from terminal.core.checkout import MAX, NONE

db, cards, *sale_ids = sys.argv[1:]
cards = cards.split(",")
till = open_till(db)
counter = Counter(till)
print("ready", flush=True)
for sale_id in sale_ids:
    n = int(sale_id[:6], 16)  # the same sale whichever child (re)submits it
    card = None if n % 5 == 0 else cards[n % len(cards)]
    redeem = MAX if n % 4 == 1 else NONE
    result = counter.checkout(SaleRequest(card, 500 + n % 90_000, redeem), sale_id)
    print(("replayed " if result.replayed else "confirmed ") + sale_id, flush=True)
print("finished", flush=True)
"""

TARGET = 200


def _cards(db: Path) -> list[str]:
    till = open_till(db)
    try:
        return [
            Enrollment(till).register(CustomerForm(name=f"Crash {i}", consent=True)).card
            for i in range(3)
        ]
    finally:
        till.close()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_two_hundred_checkouts_survive_random_kills(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    cards = _cards(db)
    rng = random.Random(10_200)
    pending = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(TARGET)]
    confirmed: list[str] = []
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    kills = starts = 0
    deadline = time.monotonic() + 240  # a guard against a hang, not a speed test
    while pending and time.monotonic() < deadline:
        starts += 1
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), ",".join(cards), *pending],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        stop_after = rng.randint(0, 25)
        seen = 0
        if stop_after == 0:  # sometimes kill before the first commit even finished
            time.sleep(rng.uniform(0, 0.01))
            child.send_signal(signal.SIGKILL)
            kills += 1
        else:
            for line in child.stdout:
                word, _, sale_id = line.strip().partition(" ")
                if word in ("confirmed", "replayed"):
                    assert sale_id == pending[0]  # sales are confirmed in order
                    confirmed.append(sale_id)
                    pending.pop(0)
                    seen += 1
                if seen >= stop_after and pending:
                    time.sleep(rng.uniform(0, 0.006))  # land anywhere in the next commit
                    child.send_signal(signal.SIGKILL)
                    kills += 1
                    break
        child.wait(timeout=30)
        child.stdout.close()

    conn = sqlite3.connect(str(db))
    counts = dict(conn.execute("SELECT id, COUNT(*) FROM purchase GROUP BY id").fetchall())
    print(
        f"\ncrash loop: {len(confirmed)} sales confirmed, {len(counts)} found, "
        f"{sum(counts.values())} rows, {kills} kills, {starts} starts"
    )
    assert len(confirmed) == TARGET and not pending
    assert kills >= 10
    assert len(set(confirmed)) == TARGET
    assert counts == {sale_id: 1 for sale_id in confirmed}  # each exactly once, nothing else
    events = dict(
        conn.execute(
            "SELECT json_extract(payload, '$.summary.sale_id'), COUNT(*) FROM journal_event "
            "WHERE type = 'sale.committed' GROUP BY 1"
        ).fetchall()
    )
    assert events == {sale_id: 1 for sale_id in confirmed}
    for sale_id, customer, earned, redeemed in conn.execute(
        "SELECT id, customer_id, points_earned, points_redeemed FROM purchase"
    ).fetchall():
        kinds = dict(
            conn.execute(
                "SELECT kind, SUM(points) FROM ledger_entry WHERE purchase_id = ? GROUP BY kind",
                (sale_id,),
            ).fetchall()
        )
        if customer is None:
            assert kinds == {}
            continue
        assert kinds.get("earn", 0) == earned and -kinds.get("redeem", 0) == redeemed
    conn.close()
    till = open_till(db)
    try:
        report = Integrity(till).check()
        assert report.ok, report.problems
    finally:
        till.close()
