"""The report aggregates recomputed from the facts, to prove the trigger-kept copies right.

Migration ``a_aggregates`` creates the ``report_*`` tables and the triggers that keep them as
sales, ledger entries and lots are written (the reasoning is in its docstring); this module holds
the same figures computed from scratch in one set-based pass each, for ``loyalty-terminal check``.
The migration keeps its own frozen copy of these queries for its backfill, as migrations must not
change when later code does.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from terminal.db import bulk_load

# each member's sales in (created_at, id) order with the days of the two sales before
_ORDERED = """SELECT p.customer_id, substr(p.created_at, 1, 10) AS d, p.amount,
        LAG(substr(p.created_at, 1, 10), 1, '') OVER w AS p1,
        LAG(substr(p.created_at, 1, 10), 2, '') OVER w AS p2,
        substr(c.created_at, 1, 7) AS cohort
    FROM purchase p LEFT JOIN customer c ON c.id = p.customer_id
    WHERE p.customer_id IS NOT NULL
    WINDOW w AS (PARTITION BY p.customer_id ORDER BY p.created_at, p.id)"""

# (table, its columns, "this row counts nothing" test, recomputation with the same columns)
RECOMPUTED: tuple[tuple[str, str, str, str], ...] = (
    (
        "report_day",
        "day, sales, revenue, card_sales, member_revenue",
        "sales = 0",
        """SELECT substr(created_at, 1, 10), COUNT(*), SUM(amount), COUNT(customer_id),
            COALESCE(SUM(CASE WHEN customer_id IS NOT NULL THEN amount END), 0)
        FROM purchase GROUP BY 1""",
    ),
    (
        "report_visit_gap",
        "day, prev_day, visits, amount",
        "visits = 0 AND amount = 0",
        f"SELECT d, p1, COUNT(*), SUM(amount) FROM ({_ORDERED}) GROUP BY d, p1",
    ),
    (
        "report_visit_gap2",
        "day, prev_day, visits",
        "visits = 0",
        f"SELECT d, p2, COUNT(*) FROM ({_ORDERED}) GROUP BY d, p2",
    ),
    (
        "report_cohort_visit",
        "cohort, month, prev_month, visits",
        "visits = 0",
        f"""SELECT cohort, substr(d, 1, 7), substr(p1, 1, 7), COUNT(*) FROM ({_ORDERED})
        WHERE cohort IS NOT NULL GROUP BY 1, 2, 3""",
    ),
    (
        "report_member_total",
        "customer_id, sales, amount",
        "sales = 0",
        """SELECT customer_id, COUNT(*), SUM(amount) FROM purchase
        WHERE customer_id IS NOT NULL GROUP BY customer_id""",
    ),
    (
        "report_points_day",
        "day, kind, plus, minus",
        "plus = 0 AND minus = 0",
        """SELECT substr(created_at, 1, 10), kind, COALESCE(SUM(MAX(points, 0)), 0),
            COALESCE(SUM(MIN(points, 0)), 0) FROM ledger_entry GROUP BY 1, 2""",
    ),
    (
        "report_lot_expiry",
        "day, remaining",
        "remaining = 0",
        """SELECT COALESCE(substr(expires_at, 1, 10), 'never'), SUM(remaining) FROM points_lot
        GROUP BY 1 HAVING SUM(remaining) != 0""",
    ),
)


def mismatch_sql(table: str, columns: str, empty: str, recomputed: str) -> str:
    """Rows (table, first key column) where the kept table and the recomputation disagree —
    a row that counts nothing is the same as no row, on either side (a day's expiries can
    all be 0 points: a second till's sweep of a lot already written off, ``sync/apply.py``)."""
    key = columns.split(",")[0]
    kept = f"SELECT {columns} FROM {table} WHERE NOT ({empty})"
    fresh = f"SELECT {columns} FROM fresh WHERE NOT ({empty})"
    return (
        f"WITH fresh ({columns}) AS ({recomputed})"
        f" SELECT '{table}', {key} FROM ({fresh} EXCEPT {kept})"
        f" UNION SELECT '{table}', {key} FROM ({kept} EXCEPT {fresh})"
    )


# The member sales in the order the windows of _ORDERED walk them (the covering index
# ix_purchase_member_order gives it without a sort).
_MEMBER_SALES = """SELECT customer_id, substr(created_at, 1, 10), amount FROM purchase
    WHERE customer_id IS NOT NULL ORDER BY customer_id, created_at, id"""

# The tables counted from that walk: ``rebuild`` counts them in one pass of its own.
_WALKED = ("report_visit_gap", "report_visit_gap2", "report_cohort_visit")

# What that pass counts: report_visit_gap (day, previous day) -> [visits, amount],
# report_visit_gap2 (day, the day before the previous) -> visits, report_cohort_visit
# (cohort, month, previous month) -> visits.
Walked = tuple[dict[tuple[str, str], list[int]], Counter[tuple[str, str]], Counter[tuple[str, ...]]]


def rebuild(conn: sqlite3.Connection, walked: Walked | None = None) -> None:
    """Recount every aggregate from the facts, in the caller's transaction.

    The three tables that need each member's previous sales are counted by one pass over the
    member sales in order (:func:`walked_counts`) rather than by the window queries ``check``
    runs: SQLite's windows buffered each member's rows and the three groupings each sorted a
    million (8.4 s of a million-sale import; the pass takes ~2 s); ``check`` still recounts
    them in SQL after every bulk load in the tests, so each way proves the other. ``walked``:
    that pass made already, over the same sales (a staged catch-up has a worker process make
    it while this one builds indexes, ``sync/staged_counts.py``).
    """
    for table, columns, _empty, recomputed in RECOMPUTED:
        conn.execute(f"DELETE FROM {table}")
        if table not in _WALKED:
            conn.execute(f"INSERT INTO {table} ({columns}) SELECT * FROM ({recomputed})")
    gaps, gaps2, cohorts = walked if walked is not None else walked_counts(conn)
    conn.executemany(
        "INSERT INTO report_visit_gap (day, prev_day, visits, amount) VALUES (?, ?, ?, ?)",
        ((day, before, visits, amount) for (day, before), (visits, amount) in gaps.items()),
    )
    conn.executemany(
        "INSERT INTO report_visit_gap2 (day, prev_day, visits) VALUES (?, ?, ?)",
        ((day, before, visits) for (day, before), visits in gaps2.items()),
    )
    conn.executemany(
        "INSERT INTO report_cohort_visit (cohort, month, prev_month, visits) VALUES (?, ?, ?, ?)",
        ((*key, visits) for key, visits in cohorts.items()),
    )


def walked_counts(conn: sqlite3.Connection) -> Walked:
    """report_visit_gap, report_visit_gap2 and report_cohort_visit as _ORDERED's windows count
    them, from one ordered pass over the member sales (``purchase`` and ``customer`` as
    ``conn`` names them: the till's tables, or views over a staged catch-up's rows).

    The windows look back one and two sales for the day of each, so a member's sales on one
    day count as a run: its first sale looks back to the member's last two sales before the
    day, the second to that day and the last sale before it, the rest to the day twice. Rows
    are only added up within a run; the counting happens once a run ends (a member buying
    several times a day costs one step more than once)."""
    cohort_of = dict(conn.execute("SELECT id, substr(created_at, 1, 7) FROM customer"))
    gaps: dict[tuple[str, str], list[int]] = {}
    gaps2: Counter[tuple[str, str]] = Counter()
    cohorts: Counter[tuple[str, ...]] = Counter()

    def count_run(
        cohort: str | None, day: str, sales: int, first: int, rest: int, last: str, before: str
    ) -> None:
        # ``last``/``before``: the days of the member's last two sales before this run
        gap = gaps.setdefault((day, last), [0, 0])
        gap[0] += 1
        gap[1] += first
        gaps2[(day, before)] += 1
        if cohort is not None:
            cohorts[(cohort, day[:7], last[:7])] += 1
        if sales > 1:
            gap = gaps.setdefault((day, day), [0, 0])
            gap[0] += sales - 1
            gap[1] += rest
            gaps2[(day, last)] += 1
            if sales > 2:
                gaps2[(day, day)] += sales - 2
            if cohort is not None:
                cohorts[(cohort, day[:7], day[:7])] += sales - 1

    member: str | None = None
    cohort: str | None = None
    day = last = before = ""
    sales = first = rest = 0
    for customer_id, sale_day, amount in conn.execute(_MEMBER_SALES):
        if sale_day == day and customer_id == member:
            sales += 1
            rest += amount
            continue
        if sales:
            count_run(cohort, day, sales, first, rest, last, before)
            before, last = (day, day) if sales > 1 else (last, day)
        if customer_id != member:
            member, cohort = customer_id, cohort_of.get(customer_id)
            last = before = ""
        day, sales, first, rest = sale_day, 1, amount, 0
    if sales:
        count_run(cohort, day, sales, first, rest, last, before)
    return gaps, gaps2, cohorts


def drop_triggers(conn: sqlite3.Connection) -> bulk_load.SetAside:
    """Drop the aggregate triggers for a bulk load into an empty database (each row's trigger
    work is wasted there: :func:`rebuild` counts everything once at the end); returns them for
    :func:`terminal.db.bulk_load.restore`."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type = 'trigger'"
        " AND name LIKE 'report\\_%' ESCAPE '\\'"
    ).fetchall()
    return bulk_load.set_aside(conn, rows)
