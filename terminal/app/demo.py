"""``loyalty-terminal demo``: a throwaway shop with realistic customers and a year of sales.

Used to try the program, to show reports something real, and by ``bench/bench_counter.py`` to
measure the counter at 100 000 customers / 1 000 000 sales. The same seed gives the same data on
the same day (the year of sales ends at the till's clock).

Speed: a million sales cannot go through one ORM transaction each, so the figures are priced by
the real rules (:func:`terminal.core.checkout.quote`) while an in-memory twin of the ledger
(:mod:`terminal.app.demo_ledger`) produces the rows, which are written with ``executemany`` in
large transactions with the secondary indexes rebuilt at the end. ``check`` passes on the result.

Demo rows are not journaled one event per sale: their payloads would multiply the file size for
data that is by definition not to be synced to a real shop. One ``demo.generated`` event records
what was made, so the journal stays gap-free and shows that the database holds demo data.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from dataclasses import asdict
from datetime import datetime

from terminal.app.demo_ledger import sql_time
from terminal.app.demo_sales import (
    FLUSH_EVERY,
    DemoPlan,
    DemoResult,
    Generator,
    Person,
    Progress,
)
from terminal.app.journal import record_event
from terminal.app.till import Till, current_program
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.db import bulk_load, report_aggregates
from terminal.db.models import Terminal

log = logging.getLogger("demo")


__all__ = ["FLUSH_EVERY", "Demo", "DemoPlan", "DemoResult"]


class Demo:
    """Fills an empty till database with demo data."""

    def __init__(self, till: Till) -> None:
        self.till = till

    def fill(self, plan: DemoPlan, progress: Progress | None = None) -> DemoResult:
        if plan.customers < 1 or plan.months < 1 or plan.total_sales < 0:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors", "Customers and months must be at least 1, sales at least 0."
                )
            )
        started = time.perf_counter()
        report = progress or (lambda _stage, _done, _total: None)
        end = datetime.combine(self.till.now().date(), datetime.min.time())
        with self.till.read() as s:
            version, program = current_program(s)
            terminal = s.get(Terminal, self.till.terminal_id)
            assert terminal is not None
            till_number, first_serial = terminal.number, terminal.next_card_serial
            busy = (
                s.connection()
                .exec_driver_sql(
                    "SELECT (SELECT COUNT(*) FROM customer) + (SELECT COUNT(*) FROM purchase)"
                )
                .scalar()
            )
        if busy:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "This database already has customers or sales; demo data goes into a new, "
                    "empty database (use --db with a new file name).",
                )
            )
        gen = Generator(plan, program, version, end, self.till.terminal_id, report)
        people = gen.people(till_number, first_serial)
        conn = sqlite3.connect(str(self.till.db_path), isolation_level=None)
        triggers: list[tuple[str, str]] = []
        try:
            conn.execute("PRAGMA foreign_keys=OFF")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA cache_size=-200000")
            indexes = bulk_load.drop_plain_indexes(conn, _BULK_TABLES)
            conn.execute("BEGIN")
            triggers = report_aggregates.drop_triggers(conn)
            gen.sales(people, lambda: _flush(conn, gen, people_done=False))
            gen.finish(people)
            _flush(conn, gen, people_done=True)
            _write_people(conn, gen, people)
            conn.execute(
                "UPDATE terminal SET next_card_serial = ? WHERE id = ?",
                (first_serial + len(people), self.till.terminal_id),
            )
            conn.execute("COMMIT")
            report("indexes", 0, len(indexes))
            conn.execute("BEGIN")
            for i, (_kind, _name, sql) in enumerate(indexes):
                conn.execute(sql)
                report("indexes", i + 1, len(indexes))
            # the dashboard's aggregates, counted once over the loaded facts (not row by row)
            report_aggregates.rebuild(conn)
            bulk_load.restore(conn, triggers)
            conn.execute("COMMIT")
            conn.execute("ANALYZE")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if triggers:  # never leave the reports uncounted, even for half-written demo data
                report_aggregates.rebuild(conn)
                bulk_load.restore(conn, triggers)
            raise
        finally:
            conn.close()
        result = DemoResult(seconds=round(time.perf_counter() - started, 1), **gen.counts())
        with self.till.write() as s:
            summary = asdict(result) | {"seed": plan.seed, "months": plan.months}
            record_event(
                s, self.till.terminal_id, "demo.generated", {"summary": summary}, self.till.now()
            )
        log.info("demo data generated: %s", json.dumps(asdict(result)))
        return result


# the tables the demo fills in bulk: their indexes are built once after the load
_BULK_TABLES = ("ledger_entry", "points_lot", "lot_movement", "purchase", "refund", "nps_response")


_INSERTS = {
    "entries": "INSERT INTO ledger_entry (id, customer_id, kind, points, purchase_id, refund_id, "
    "lot_id, reason, birthday_year, program_version, terminal_id, created_by, created_at) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "movements": "INSERT INTO lot_movement (entry_id, lot_id, points) VALUES (?,?,?)",
    "lots": "INSERT INTO points_lot (id, customer_id, points, remaining, granted_at, expires_at) "
    "VALUES (?,?,?,?,?,?)",
    "purchases": "INSERT INTO purchase (id, customer_id, card_number, amount, discount, "
    "points_redeemed, redeemed_value, paid, points_earned, bonus_points, program_version, tier, "
    "explanation, category, cashier_id, terminal_id, created_at, refunded_amount, balance_after, "
    "tier_after) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "refunds": "INSERT INTO refund (id, purchase_id, amount, money_returned, points_returned, "
    "points_reversed, bonus_reversed, cashier_id, terminal_id, created_at) "
    "VALUES (?,?,?,?,?,?,?,?,?,?)",
    "nps": "INSERT INTO nps_response (id, customer_id, purchase_id, score, created_at) "
    "VALUES (?,?,?,?,?)",
}


def _flush(conn: sqlite3.Connection, gen: Generator, people_done: bool) -> None:
    """Write what is pending; lots only once nothing can change them any more."""
    rows = gen.rows
    conn.executemany(_INSERTS["purchases"], gen.purchases)
    conn.executemany(_INSERTS["refunds"], gen.refunds)
    conn.executemany(_INSERTS["entries"], rows.entries)
    conn.executemany(_INSERTS["movements"], rows.movements)
    conn.executemany(_INSERTS["nps"], gen.nps)
    if people_done:
        settled, rows.lots = rows.lots, []
    else:  # a spent lot is final: refunds are written together with their sale
        settled = [lot for lot in rows.lots if lot.remaining == 0]
        rows.lots = [lot for lot in rows.lots if lot.remaining != 0]
    conn.executemany(_INSERTS["lots"], [lot.row() for lot in settled])
    gen.purchases, gen.refunds, gen.nps = [], [], []
    rows.entries, rows.movements = [], []
    conn.execute("COMMIT")
    conn.execute("BEGIN")


def _write_people(conn: sqlite3.Connection, gen: Generator, people: list[Person]) -> None:
    customers = []
    cards = []
    for p in people:
        a = p.account
        created = sql_time(p.created_at)
        customers.append(
            (
                a.id,
                p.name,
                " ".join(p.name.split()).casefold(),
                p.phone,
                p.email,
                p.birthday.isoformat() if p.birthday else None,
                int(p.consent),
                created if p.consent else None,
                a.referrer.id if a.referrer else None,
                created,
                gen.terminal_id,
                None,
                a.balance,
                a.lifetime_paid,
                a.visits,
                sql_time(a.last_visit_at),
            )
        )
        cards.append((p.card, a.id, "active", created, created, "", gen.terminal_id, None))
    conn.executemany(
        "INSERT INTO customer (id, name, name_key, phone, email, birthday, consent, consent_at, "
        "referrer_id, created_at, created_terminal_id, erased_at, balance, lifetime_paid, visits, "
        "last_visit_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        customers,
    )
    conn.executemany(
        "INSERT INTO card (number, customer_id, status, issued_at, assigned_at, status_reason, "
        "terminal_id, batch) VALUES (?,?,?,?,?,?,?,?)",
        cards,
    )
    conn.executemany(
        "INSERT INTO feedback (id, customer_id, kind, text, status, resolution, created_at, "
        "resolved_at, created_by) VALUES (?,?,?,?,?,?,?,?,?)",
        gen.feedback_rows(people),
    )
