"""Figures a staged catch-up's workers count over the rows they staged, while the till builds
its indexes: for a till that held no customers, sales or points before (a new till joining a
shop), those rows are exactly the till's rows once they are copied in, so whatever the till
would count from its own tables after the copy can be counted from the staged ones beside it.

Two counts, each the very query or pass the till makes itself otherwise, one after the
other by one worker:

* ``sums`` — each customer's sums of points and of sales (:data:`POINTS_BY_CUSTOMER`,
  :data:`SALES_BY_CUSTOMER`), from which ``sync/apply.py`` sets the balances;
* ``walk`` — the report aggregates' pass over the member sales in order
  (``report_aggregates.walked_counts``).

The other report tables stay with the till: summed through its indexes they cost it less than
the sorts the worker needs over unindexed staged rows (0.85 s against 2.1 s for a million
events, measured), and the worker's two counts already take as long as the till's own work
after the copy.

Each says how many rows it counted (:func:`rows_counted`); the till takes a count only if it
then holds exactly as many (a row it ignored as a repeat would have been counted twice) and
nothing it did after the copy changed what the count read (``StagedBundle.counted``).

Light on purpose, like ``staging.py``, which a worker process imports: nothing of SQLAlchemy
or Qt.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from terminal.db import report_aggregates

# The columns the counts read of each table; the till's tables as views over staged rows hold
# these (rows of a release without one of them are not counted: the till counts).
COUNTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "purchase": ("id", "customer_id", "created_at", "amount", "paid"),
    "customer": ("id", "created_at"),
    "ledger_entry": ("customer_id", "created_at", "kind", "points"),
}
# What each count reads.
READS = {"sums": ("purchase", "ledger_entry"), "walk": ("purchase", "customer")}

# Each customer's points and sales, summed from the facts (``{hint}``: the till's own scan of a
# whole table names no index, ``sync/apply.py``).
POINTS_BY_CUSTOMER = "SELECT customer_id, SUM(points) FROM ledger_entry{hint} GROUP BY customer_id"
SALES_BY_CUSTOMER = (
    "SELECT customer_id, SUM(paid), COUNT(*), MAX(created_at) FROM purchase{hint} "
    "WHERE customer_id IS NOT NULL GROUP BY customer_id"
)

# Where the rows of each counted table are: (staging file, staging table) pairs.
Sources = dict[str, list[tuple[str, str]]]


@dataclass
class Figures:
    """One count's results, with the rows it counted (see :func:`rows_counted`)."""

    counted: dict[str, int]
    walked: report_aggregates.Walked | None = None
    points: list[tuple[Any, ...]] = field(default_factory=list)
    sales: list[tuple[Any, ...]] = field(default_factory=list)


def rows_counted(db: sqlite3.Connection, kind: str) -> dict[str, int]:
    """How many rows count ``kind`` reads in ``db`` (the till, or the views over the staged
    rows): the member sales and customers the walk reads, the sales and entries the sums
    read."""
    queries = {
        "walk": {
            "members": "SELECT COUNT(*) FROM purchase WHERE customer_id IS NOT NULL",
            "customers": "SELECT COUNT(*) FROM customer",
        },
        "sums": {
            "sales": "SELECT COUNT(*) FROM purchase",
            "entries": "SELECT COUNT(*) FROM ledger_entry",
        },
    }[kind]
    return {name: int(db.execute(sql).fetchone()[0]) for name, sql in queries.items()}


def count(kind: str, sources: Sources) -> Figures | str:
    """Count ``kind`` over the staged rows at ``sources``, through views named as the till's
    tables; a failure comes back as its text (the till then counts itself)."""
    try:
        db = sqlite3.connect(":memory:")
        try:
            _views(db, sources, READS[kind])
            figures = Figures(rows_counted(db, kind))
            if kind == "walk":
                figures.walked = report_aggregates.walked_counts(db)
            else:
                figures.points = db.execute(POINTS_BY_CUSTOMER.format(hint="")).fetchall()
                figures.sales = db.execute(SALES_BY_CUSTOMER.format(hint="")).fetchall()
            return figures
        finally:
            db.close()
    except Exception as exc:  # told to the till, which then counts itself
        return f"{type(exc).__name__}: {exc}"


def _views(db: sqlite3.Connection, sources: Sources, tables: tuple[str, ...]) -> None:
    files: dict[str, str] = {}
    for table in tables:
        for path, _ in sources[table]:
            if path not in files:
                files[path] = f"staged_{len(files)}"
                db.execute(f"ATTACH ? AS {files[path]}", (path,))
    for table in tables:
        columns = ", ".join(COUNTED_COLUMNS[table])
        selects = [f"SELECT {columns} FROM {files[path]}.{stage}" for path, stage in sources[table]]
        empty = "SELECT " + ", ".join(f"NULL AS {c}" for c in COUNTED_COLUMNS[table]) + " WHERE 0"
        db.execute(f"CREATE TEMP VIEW {table} AS {' UNION ALL '.join(selects) or empty}")
