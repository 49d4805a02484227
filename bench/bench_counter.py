"""Counter speed at shop scale: card lookup and checkout commit, app vs. raw sqlite3.

    python bench/bench_counter.py                 # 100 000 customers / 1 000 000 sales
    python bench/bench_counter.py --quick         # 2 000 / 20 000, a smoke run
    python bench/bench_counter.py --db big.db     # reuse (or build once) a database

Builds the database with ``loyalty-terminal demo`` (same seed, same data), then times, in the
same process and interleaved op by op so both see the same cache and disk:

* lookup — ``Customers.by_card`` (what the counter shows after a scan) against raw ``sqlite3``
  running the same six queries;
* commit — ``Counter.checkout`` with a fresh sale id (redeem none / max mixed) against raw
  ``sqlite3`` doing the same reads, inserts, updates and journal event in one
  ``BEGIN IMMEDIATE`` transaction, with the same pragmas (WAL, ``synchronous=FULL``, the till's
  ``wal_autocheckpoint``). Every 25 sales the WAL is checkpointed untimed, as the GUI does when
  the counter is idle, so neither side pays a checkpoint inside a sale.

Prints p50/p99 in milliseconds, the app/raw ratios and whether the targets hold
(lookup p99 ≤ 2 ms and ≤ 3× raw; commit p99 ≤ 15 ms and ≤ 2× raw).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.demo import Demo, DemoPlan
from terminal.app.till import WAL_AUTOCHECKPOINT_PAGES, Till, open_till
from terminal.core import lots as lotrules
from terminal.core.checkout import MAX, NONE, CustomerState, quote
from terminal.core.ids import new_id
from terminal.core.program import Program

CHECKPOINT_EVERY = 25  # sales between idle moments at a busy counter
TARGETS = {"lookup": (2.0, 3.0), "commit": (15.0, 2.0)}  # p99 ms, max ratio to raw


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def sql_time(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="microseconds")


class RawTill:
    """The counter's work written by hand against ``sqlite3``: the baseline."""

    def __init__(self, path: Path, terminal_id: str) -> None:
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            "busy_timeout=5000",
            f"wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}",
        ):
            self.conn.execute(f"PRAGMA {pragma}")
        self.terminal_id = terminal_id
        self._programs: dict[tuple[int, str], Program] = {}

    def _program(self) -> tuple[int, Program]:
        version, rules = self.conn.execute(
            "SELECT version, rules, created_at, created_by, note FROM program_version "
            "ORDER BY version DESC LIMIT 1"
        ).fetchone()[:2]
        key = (version, rules)
        if key not in self._programs:
            self._programs[key] = Program.from_dict(json.loads(rules))
        return version, self._programs[key]

    def _card_owner(self, number: str) -> tuple[tuple, tuple]:
        card = self.conn.execute("SELECT * FROM card WHERE number = ?", (number,)).fetchone()
        customer = self.conn.execute("SELECT * FROM customer WHERE id = ?", (card[1],)).fetchone()
        return card, customer

    def _lots(self, customer_id: str) -> list[lotrules.LotView]:
        return [
            lotrules.LotView(row[0], row[3], dt(row[4]), dt(row[5]))  # type: ignore[arg-type]
            for row in self.conn.execute(
                "SELECT id, customer_id, points, remaining, granted_at, expires_at "
                "FROM points_lot WHERE customer_id = ? AND remaining > 0",
                (customer_id,),
            )
        ]

    def _below_zero(self, customer_id: str) -> list[tuple]:
        """Points given settle against lots spent below zero on two tills (an index seek)."""
        return self.conn.execute(
            "SELECT id, points, remaining, granted_at, expires_at FROM points_lot "
            "WHERE customer_id = ? AND remaining < 0",
            (customer_id,),
        ).fetchall()

    def lookup(self, number: str, now: datetime) -> int:
        self.conn.execute("BEGIN")
        try:
            _card, customer = self._card_owner(number)
            self._program()
            lots = self._lots(customer[0])
            due = sum(v.remaining for v in lotrules.expired(lots, now))
            lotrules.expiring_within(lots, now, 30)
            self.conn.execute(
                "SELECT * FROM purchase WHERE customer_id = ? ORDER BY created_at DESC LIMIT 5",
                (customer[0],),
            ).fetchall()
            self.conn.execute(
                "SELECT * FROM card WHERE customer_id = ? ORDER BY issued_at", (customer[0],)
            ).fetchall()
            return customer[12] - due
        finally:
            self.conn.execute("ROLLBACK")

    def checkout(self, number: str, amount: int, redeem_max: bool, now: datetime) -> int:
        c = self.conn
        sale_id = new_id()
        c.execute("BEGIN IMMEDIATE")
        try:
            c.execute("SELECT * FROM purchase WHERE id = ?", (sale_id,)).fetchone()
            version, program = self._program()
            card, cust = self._card_owner(number)
            lots = self._lots(cust[0])
            self._below_zero(cust[0])
            years = [
                y
                for (y,) in c.execute(
                    "SELECT birthday_year FROM ledger_entry WHERE customer_id = ? AND kind = ?",
                    (cust[0], "birthday"),
                )
                if y is not None
            ]
            due = lotrules.expired(lots, now)
            state = CustomerState(
                balance=cust[12] - sum(v.remaining for v in due),
                lifetime_paid=cust[13],
                visits=cust[14],
                birthday=datetime.fromisoformat(cust[5]).date() if cust[5] else None,
                birthday_bonus_years=frozenset(years),
                referral_pending=cust[8] is not None and cust[14] == 0,
            )
            q = quote(program, state, amount, MAX if redeem_max else NONE, now)
            at = sql_time(now)
            rows: dict[str, list[dict[str, object]]] = {"purchase": [], "ledger_entry": []}
            purchase = (
                sale_id, cust[0], card[0], q.amount, q.discount, q.points_redeemed,
                q.redeemed_value, q.to_pay, q.points_earned, q.bonus_points, version, q.tier,
                q.explanation, None, None, self.terminal_id, at, 0, q.balance_after, q.tier_after,
            )  # fmt: skip
            c.execute(f"INSERT INTO purchase VALUES ({','.join('?' * 20)})", purchase)
            rows["purchase"].append(dict(enumerate(purchase)))  # type: ignore[arg-type]
            entries, moves, lot_updates = [], [], []
            remaining = {v.lot_id: v.remaining for v in lots}
            for view in due:
                eid = new_id()
                entries.append((eid, cust[0], "expire", -view.remaining, None, None, None,
                                "expired", None, None, self.terminal_id, None, at))  # fmt: skip
                moves.append((eid, view.lot_id, -view.remaining))
                remaining[view.lot_id] = 0
            if q.points_redeemed:
                eid = new_id()
                entries.append((eid, cust[0], "redeem", -q.points_redeemed, sale_id, None, None,
                                "", None, version, self.terminal_id, None, at))  # fmt: skip
                live = [
                    lotrules.LotView(v.lot_id, remaining[v.lot_id], v.granted_at, v.expires_at)
                    for v in lots
                ]
                taken, _short = lotrules.allocate(live, q.points_redeemed)
                for lot_id, points in taken:
                    moves.append((eid, lot_id, -points))
                    remaining[lot_id] -= points
            new_lots = []
            grants = [(cust[0], "earn", q.points_earned, q.explanation)]
            grants += [(cust[0], b.kind, b.points, b.kind) for b in q.bonuses]
            if q.referrer_bonus and cust[8]:
                grants.append((cust[8], "referral", q.referrer_bonus, "referral"))
                self._below_zero(cust[8])
            for owner, kind, points, reason in grants:
                if not points:
                    continue
                lot_id = new_id()
                expires = now + timedelta(days=program.expiry_days or 365)
                new_lots.append((lot_id, owner, points, points, at, sql_time(expires)))
                entries.append((new_id(), owner, kind, points, sale_id, None, lot_id,
                                reason, None, version, self.terminal_id, None, at))  # fmt: skip
                if owner != cust[0]:
                    c.execute(
                        "UPDATE customer SET balance = balance + ? WHERE id = ?", (points, owner)
                    )
            c.executemany(f"INSERT INTO ledger_entry VALUES ({','.join('?' * 13)})", entries)
            rows["ledger_entry"] = [dict(enumerate(e)) for e in entries]  # type: ignore[misc]
            for move in moves:
                c.execute(
                    "INSERT INTO lot_movement (entry_id, lot_id, points) VALUES (?,?,?)", move
                )
            rows["lot_movement"] = [dict(enumerate(m)) for m in moves]  # type: ignore[misc]
            for lot_id in {m[1] for m in moves}:
                lot_updates.append((remaining[lot_id], lot_id))
            c.executemany("UPDATE points_lot SET remaining = ? WHERE id = ?", lot_updates)
            c.executemany("INSERT INTO points_lot VALUES (?,?,?,?,?,?)", new_lots)
            rows["points_lot"] = [dict(enumerate(lot)) for lot in new_lots]  # type: ignore[misc]
            c.execute(
                "UPDATE customer SET balance = ?, lifetime_paid = ?, visits = ?, "
                "last_visit_at = ? WHERE id = ?",
                (q.balance_after, cust[13] + q.to_pay, cust[14] + 1, at, cust[0]),
            )
            (last,) = c.execute(
                "SELECT max(seq) FROM journal_event WHERE terminal_id = ?", (self.terminal_id,)
            ).fetchone()
            payload = json.dumps(
                {"rows": rows, "summary": {"sale_id": sale_id}},
                ensure_ascii=False,
                separators=(",", ":"),
            )
            c.execute(
                "INSERT INTO journal_event VALUES (?,?,?,?,?,?,?,?)",
                (new_id(), self.terminal_id, (last or 0) + 1, at, "sale.committed", payload, 1,
                 None),
            )  # fmt: skip
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        return q.balance_after


def build(path: Path, customers: int, sales: int) -> None:
    print(f"building {customers} customers / {sales} sales in {path} …", flush=True)
    started = time.perf_counter()
    till = open_till(path)
    try:
        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 10 or done == total:
                last[0] = time.perf_counter()
                print(f"  {stage} {done}/{total}", flush=True)

        Demo(till).fill(DemoPlan(customers=customers, sales=sales, seed=1), progress)
    finally:
        till.close()
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - start) / 1e6


def run(till: Till, raw: RawTill, cards: list[str], ops: int, rng: random.Random) -> dict:
    customers = Customers(till)
    counter = Counter(till)
    samples: dict[str, list[float]] = {
        "lookup": [],
        "raw lookup": [],
        "commit": [],
        "raw commit": [],
    }
    warm = min(200, ops // 5)
    for i in range(warm + ops):
        app_card, raw_card = rng.choice(cards), rng.choice(cards)
        now = datetime.now()
        a = timed(lambda c=app_card: customers.by_card(c))
        b = timed(lambda c=raw_card, n=now: raw.lookup(c, n))
        if i >= warm:
            samples["lookup"].append(a)
            samples["raw lookup"].append(b)
    for i in range(warm + ops):
        app_card, raw_card = rng.choice(cards), rng.choice(cards)
        amount = rng.randint(1_000, 200_000)
        use_max = rng.random() < 0.3
        request = SaleRequest(app_card, amount, MAX if use_max else NONE)
        a = timed(lambda r=request: counter.checkout(r, str(uuid.uuid4())))
        b = timed(lambda c=raw_card, m=amount, x=use_max: raw.checkout(c, m, x, datetime.now()))
        if i >= warm:
            samples["commit"].append(a)
            samples["raw commit"].append(b)
        if i % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1:
            till.checkpoint()  # what the GUI's idle timer does between customers (untimed)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 000 customers / 20 000 sales")
    parser.add_argument("--db", type=Path, default=None, help="database to reuse or build")
    parser.add_argument("--ops", type=int, default=2000, help="timed operations of each kind")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    customers, sales = (2_000, 20_000) if args.quick else (100_000, 1_000_000)
    ops = min(args.ops, 500) if args.quick else args.ops
    tmp = None
    path = args.db
    if path is None:
        tmp = tempfile.TemporaryDirectory(prefix="loyalty-bench-")
        path = Path(tmp.name) / "bench.db"
    if not path.exists():
        build(path, customers, sales)
    till = open_till(path)
    try:
        raw = RawTill(path, till.terminal_id)
        counts = raw.conn.execute(
            "SELECT (SELECT COUNT(*) FROM customer), (SELECT COUNT(*) FROM purchase)"
        ).fetchone()
        cards = [r[0] for r in raw.conn.execute("SELECT number FROM card WHERE status='active'")]
        print(f"database: {counts[0]} customers, {counts[1]} sales, {ops} ops of each kind")
        samples = run(till, raw, cards, ops, random.Random(args.seed))
        ok = True
        for kind in ("lookup", "commit"):
            app, base = samples[kind], samples[f"raw {kind}"]
            p50, p99 = percentile(app, 50), percentile(app, 99)
            r50, r99 = percentile(base, 50), percentile(base, 99)
            limit, max_ratio = TARGETS[kind]
            ratio = p99 / r99
            good = p99 <= limit and ratio <= max_ratio
            ok &= good
            print(
                f"{kind:7s} app p50 {p50:6.2f} ms  p99 {p99:6.2f} ms | raw p50 {r50:6.2f} ms  "
                f"p99 {r99:6.2f} ms | ratio p50 {p50 / r50:4.2f}x  p99 {ratio:4.2f}x | target "
                f"p99 ≤ {limit:g} ms and ≤ {max_ratio:g}x: {'OK' if good else 'MISSED'}"
            )
        raw.conn.close()
    finally:
        till.close()
        if tmp is not None:
            tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
