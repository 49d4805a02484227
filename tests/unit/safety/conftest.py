"""Fixtures of the data-safety tests: a till with a realistic history, and a table dump."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from terminal.app.demo import Demo, DemoPlan


@pytest.fixture
def filled(till):  # type: ignore[no-untyped-def]
    """The ``till`` fixture with 40 customers, 250 sales, refunds, bonuses and expiries."""
    Demo(till).fill(DemoPlan(customers=40, months=6, sales=250, seed=7))
    return till


def dump_tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two databases with equal dumps answer every query alike."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(db.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
            for name in sorted(names)
        }
    finally:
        db.close()
