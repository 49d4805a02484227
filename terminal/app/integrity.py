"""``loyalty-terminal check``: prove the caches equal the ledger and the journal has no gaps.

Written as set-based SQL so it runs over 100 000 customers in seconds, and reports every problem
it finds instead of stopping at the first.
"""

from __future__ import annotations

from sqlalchemy import text

from terminal.app.results import CheckReport
from terminal.app.till import Till
from terminal.core.sentences import QT_TRANSLATE_NOOP, Sentence
from terminal.db.report_aggregates import RECOMPUTED, mismatch_sql

# (template, the names of the row's columns in it, SQL): each row the SQL finds is a problem.
# Every till's journal as runs of sequence numbers: this till's events (and other tills' imported
# before the archive existed) one row each, other tills' imported since as archived runs.
JOURNAL_RUNS = (
    "SELECT terminal_id, seq AS lo, seq AS hi FROM journal_event UNION ALL "
    "SELECT terminal_id, first_seq, last_seq FROM journal_archive WHERE piece = 0"
)

_CHECKS: list[tuple[str, tuple[str, ...], str]] = [
    (
        QT_TRANSLATE_NOOP(
            "Outcomes",
            "customer {customer}: cached balance {cached} but the ledger sums to {total}",
        ),
        ("customer", "cached", "total"),
        """SELECT c.id, c.balance, COALESCE(SUM(e.points), 0) AS total
           FROM customer c LEFT JOIN ledger_entry e ON e.customer_id = c.id
           GROUP BY c.id HAVING c.balance != total""",
    ),
    (
        QT_TRANSLATE_NOOP(
            "Outcomes",
            "customer {customer}: cached lifetime paid {cached} but sales less refunds make "
            "{total}",
        ),
        ("customer", "cached", "total"),
        """SELECT c.id, c.lifetime_paid,
                  COALESCE((SELECT SUM(p.paid) FROM purchase p WHERE p.customer_id = c.id), 0)
                  - COALESCE((SELECT SUM(r.money_returned) FROM refund r
                              JOIN purchase p ON p.id = r.purchase_id
                              WHERE p.customer_id = c.id), 0) AS total
           FROM customer c WHERE c.lifetime_paid != total""",
    ),
    (
        QT_TRANSLATE_NOOP(
            "Outcomes", "customer {customer}: cached visits {cached} but there are {total} sales"
        ),
        ("customer", "cached", "total"),
        """SELECT c.id, c.visits,
                  (SELECT COUNT(*) FROM purchase p WHERE p.customer_id = c.id) AS n
           FROM customer c WHERE c.visits != n""",
    ),
    (
        QT_TRANSLATE_NOOP(
            "Outcomes",
            "points lot {lot}: remainder {cached} but its grant and movements make {total}",
        ),
        ("lot", "cached", "total"),
        """SELECT l.id, l.remaining, l.points + COALESCE(SUM(m.points), 0) AS total
           FROM points_lot l LEFT JOIN lot_movement m ON m.lot_id = l.id
           GROUP BY l.id HAVING l.remaining != total""",
    ),
    (
        QT_TRANSLATE_NOOP("Outcomes", "points lot {lot}: remainder {cached} is below zero"),
        ("lot", "cached"),
        # A lot spent on two tills offline goes below zero: both sales stand and the owner sees
        # the customer flagged by sync (docs/sync.md, "points spent twice"), so it is no fault.
        """SELECT id, remaining FROM points_lot WHERE remaining < 0 AND customer_id NOT IN
           (SELECT customer_id FROM sync_conflict WHERE kind = 'points_overspent')""",
    ),
    (
        QT_TRANSLATE_NOOP(
            "Outcomes",
            "customer {customer}: live lots hold {live} points but the balance is {balance}",
        ),
        ("customer", "live", "balance"),
        # Sync flags the two ways tills apart can leave lots and balance apart, both honest:
        # points spent twice (a lot below zero), and a debt one till made that another till's
        # points did not pay (docs/sync.md, "Conflicts").
        """SELECT c.id, COALESCE(SUM(l.remaining), 0) AS live, c.balance
           FROM customer c LEFT JOIN points_lot l ON l.customer_id = c.id
           WHERE c.id NOT IN
             (SELECT customer_id FROM sync_conflict
              WHERE kind IN ('points_overspent', 'points_debt_unsettled'))
           GROUP BY c.id HAVING live != MAX(c.balance, 0)""",
    ),
    (
        QT_TRANSLATE_NOOP(
            "Outcomes",
            "sale {sale}: refunded {cached} in its cache but its refunds add up to {total}",
        ),
        ("sale", "cached", "total"),
        """SELECT p.id, p.refunded_amount, COALESCE(SUM(r.amount), 0) AS total
           FROM purchase p LEFT JOIN refund r ON r.purchase_id = p.id
           GROUP BY p.id HAVING p.refunded_amount != total""",
    ),
    (
        QT_TRANSLATE_NOOP(
            "Outcomes", "sale {sale}: refunded {refunded}, more than its amount {amount}"
        ),
        ("sale", "refunded", "amount"),
        # A sale refunded on two tills offline: both refunds stand (the money went back at both
        # counters) and sync flags the sale for the owner (docs/sync.md), so it is no fault.
        """SELECT id, refunded_amount, amount FROM purchase WHERE refunded_amount > amount
           AND id NOT IN
             (SELECT subject FROM sync_conflict WHERE kind = 'sale_refunded_twice')""",
    ),
    (
        QT_TRANSLATE_NOOP(
            "Outcomes",
            "journal of till {till}: {events} events but sequence numbers run from {first} to "
            "{last}",
        ),
        ("till", "events", "first", "last"),
        # this till's events are rows; other tills' are rows (imported before the archive)
        # and archived runs (db/journal_archive.py): together one unbroken run per till
        f"""WITH runs AS ({JOURNAL_RUNS})
           SELECT terminal_id, SUM(hi - lo + 1) AS n, MIN(lo) AS first, MAX(hi) AS last
           FROM runs GROUP BY terminal_id HAVING first != 1 OR last != n""",
    ),
]
# the dashboard's trigger-kept aggregates (migration a_aggregates) equal the facts they count
_CHECKS += [
    (
        QT_TRANSLATE_NOOP(
            "Outcomes", "report figures {table}: the row for {key} differs from the facts it counts"
        ),
        ("table", "key"),
        mismatch_sql(*spec),
    )
    for spec in RECOMPUTED
]


class Integrity:
    def __init__(self, till: Till) -> None:
        self.till = till

    def check(self, limit_per_check: int = 50) -> CheckReport:
        problems: list[str] = []  # Sentences: English for logs and JSON, translated when shown
        with self.till.engine.connect() as conn:
            status = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
            if status != ["ok"]:
                problems += [
                    Sentence(QT_TRANSLATE_NOOP("Outcomes", "SQLite integrity: {line}"), line=line)
                    for line in status
                ]
            fk = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
            problems += [
                Sentence(
                    QT_TRANSLATE_NOOP(
                        "Outcomes", "broken reference in {table} row {row} to {parent}"
                    ),
                    table=row[0],
                    row=row[1],
                    parent=row[2],
                )
                for row in fk
            ]
            for template, columns, sql in _CHECKS:
                rows = conn.execute(text(sql)).fetchmany(limit_per_check + 1)
                for row in rows[:limit_per_check]:
                    problems.append(Sentence(template, **dict(zip(columns, row, strict=False))))
                if len(rows) > limit_per_check:
                    problems.append(
                        Sentence(QT_TRANSLATE_NOOP("Outcomes", "… and more of the same"))
                    )
            counts = conn.exec_driver_sql(
                "SELECT (SELECT COUNT(*) FROM customer), (SELECT COUNT(*) FROM purchase), "
                f"(SELECT COALESCE(SUM(hi - lo + 1), 0) FROM ({JOURNAL_RUNS}))"
            ).one()
            conn.rollback()
        return CheckReport(problems, counts[0], counts[1], counts[2])
