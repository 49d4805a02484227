"""The report aggregates recomputed from the facts, to prove the trigger-kept copies right.

Migration ``a_aggregates`` creates the ``report_*`` tables and the triggers that keep them as
sales, ledger entries and lots are written (the reasoning is in its docstring); this module holds
the same figures computed from scratch in one set-based pass each, for ``loyalty-terminal check``.
The migration keeps its own frozen copy of these queries for its backfill, as migrations must not
change when later code does.
"""

from __future__ import annotations

import sqlite3

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
    a kept row that counts nothing is the same as no row."""
    key = columns.split(",")[0]
    kept = f"SELECT {columns} FROM {table} WHERE NOT ({empty})"
    return (
        f"WITH fresh ({columns}) AS ({recomputed})"
        f" SELECT '{table}', {key} FROM (SELECT * FROM fresh EXCEPT {kept})"
        f" UNION SELECT '{table}', {key} FROM ({kept} EXCEPT SELECT * FROM fresh)"
    )


def rebuild(conn: sqlite3.Connection) -> None:
    """Recount every aggregate from the facts, in the caller's transaction.

    Three of the recountings group the same ordered walk over every member sale (a window over
    the whole purchase table): it is made once into a temporary table and grouped three times.
    """
    walk = f"({_ORDERED})"
    conn.execute("DROP TABLE IF EXISTS temp.report_rebuild_walk")
    conn.execute(f"CREATE TEMP TABLE report_rebuild_walk AS {_ORDERED}")
    try:
        for table, columns, _empty, recomputed in RECOMPUTED:
            conn.execute(f"DELETE FROM {table}")
            source = recomputed.replace(walk, "temp.report_rebuild_walk")
            conn.execute(f"INSERT INTO {table} ({columns}) SELECT * FROM ({source})")
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.report_rebuild_walk")


def drop_triggers(conn: sqlite3.Connection) -> bulk_load.SetAside:
    """Drop the aggregate triggers for a bulk load into an empty database (each row's trigger
    work is wasted there: :func:`rebuild` counts everything once at the end); returns them for
    :func:`terminal.db.bulk_load.restore`."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type = 'trigger'"
        " AND name LIKE 'report\\_%' ESCAPE '\\'"
    ).fetchall()
    return bulk_load.set_aside(conn, rows)
