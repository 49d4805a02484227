"""How a journal payload's rows become SQL: one INSERT per table and set of columns.

Shared by the importer (``apply.py``, rows straight into the till) and the processes that
stage a big catch-up's rows on other cores (``staging.py``), so both store exactly the same
values. Light on purpose: a staging process imports this and nothing of SQLAlchemy or Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from operator import itemgetter
from typing import Any

# _db_value in SQL, for the rows inserted by executemany: the values are bound straight from
# the parsed payload dicts, so no per-row Python work remains. Any column of a table this
# program does not know may hold a time, so there every value is tested the way _db_value tests
# it (the value named once in a one-row subquery, read by each test). A date-time column of a
# known table holds nothing but a naive datetime's isoformat() — 19 characters, or 26 with the
# microseconds — or NULL, and one expression reading the value once turns either into the
# stored form: no subquery, which cost a catch-up more than all its time conversions
# (0.75 s of 3.4 s for 200 000 sales' rows, measured; test_bundles pins it against _db_value).
STORED_TIME = (
    "CASE WHEN typeof({p}) = 'text' AND length({p}) IN (19, 26) AND substr({p}, 11, 1) = 'T'"
    " AND substr({p}, 5, 1) = '-' AND substr({p}, 14, 1) = ':'"
    " THEN substr({p}, 1, 10) || ' ' || substr({p}, 12)"
    " || CASE WHEN length({p}) = 19 THEN '.000000' ELSE '' END ELSE {p} END"
)
STORED_TIME_COLUMN = "substr(replace(?, 'T', ' ') || '.000000', 1, 26)"

# A column whose payload value is not copied: a lot movement's id is this till's own rowid.
# Such a table's rows have no key of their own here, so there is no repeat to ignore either.
COLUMN_NOT_COPIED = {"lot_movement": "id"}

Getter = Callable[[dict[str, Any]], Any]


def copied_columns(table: str, columns: Sequence[str]) -> tuple[str, ...]:
    """The payload row's columns that are stored (all but a column the till numbers itself)."""
    return tuple(c for c in columns if c != COLUMN_NOT_COPIED.get(table))


def insert_verb(table: str) -> str:
    """``INSERT OR IGNORE`` for rows keyed by their own id (a repeat is the same fact), plain
    ``INSERT`` for rows numbered here."""
    return "INSERT" if table in COLUMN_NOT_COPIED else "INSERT OR IGNORE"


def row_insert(
    verb: str, target: str, names: Sequence[str], times: Collection[str] | None
) -> tuple[str, Getter]:
    """The INSERT of rows with columns ``names`` into ``target`` and a getter that turns such
    a row (a dict) into its parameters, in C (``itemgetter``): binding by name made the sqlite3
    module build a string per column per row. ``times``: the date-time columns, or None for a
    table this program does not know, where every value is tested for a time.

    Each value is bound once, by a plain ``?``. Where a value must be read several times (the
    time tests for a table this program does not know) it is named in a one-row subquery.
    Numbered placeholders (``?3``) would do the same, but since Python 3.12 the sqlite3 module
    warns for every such value bound from a sequence (the import ran 3 times slower there,
    40 µs a 20-value row) and 3.14 refuses them."""
    if times is None:
        values = [STORED_TIME.format(p=f"v{n}") for n in range(1, len(names) + 1)]
        bound = ", ".join(f"? AS v{n}" for n in range(1, len(names) + 1))
        source = f"SELECT {', '.join(values)} FROM (SELECT {bound})"
    else:
        source = "VALUES ({})".format(
            ", ".join(STORED_TIME_COLUMN if name in times else "?" for name in names)
        )
    sql = f"{verb} INTO {target} ({', '.join(names)}) {source}"
    getter = itemgetter(*names)
    return sql, (getter if len(names) > 1 else lambda row: (getter(row),))


def same_columns(rows: list[dict[str, Any]], values: Getter) -> list[Any] | None:
    """Every row's parameters when all rows have the first row's columns, else None.

    Nearly always every row has the columns of the first (one release wrote them all), and
    that is checked in C rather than by sorting each row by its columns in Python (a fifth of
    a catch-up's own Python): rows as many columns long as the first, from each of which the
    first's columns could all be taken, have exactly the first's columns."""
    if len(set(map(len, rows))) != 1:
        return None
    try:
        return list(map(values, rows))
    except KeyError:  # as many columns, other names: rows written by another release
        return None


def by_columns(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Rows grouped by their set of columns, in the order each set first appears."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return groups
