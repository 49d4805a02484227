"""A shop of several tills, each its own database, paired the way the owner pairs them."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from terminal.app.till import Till, open_till
from terminal.sync.pairing import create_pairing, join_pairing


def make_shop(tmp_path: Path, clock: Callable, count: int) -> list[Till]:
    first = open_till(tmp_path / "till1" / "loyalty.db", clock=clock)
    tills = [first]
    for number in range(2, count + 1):
        pairing = tmp_path / f"pair{number}.json"
        create_pairing(first, number, pairing)
        till = open_till(tmp_path / f"till{number}" / "loyalty.db", clock=clock)
        join_pairing(till, pairing)
        tills.append(till)
    return tills


@pytest.fixture
def shop(tmp_path: Path, clock: Callable) -> Iterator[list[Till]]:
    tills = make_shop(tmp_path, clock, 3)
    yield tills
    for till in tills:
        till.close()


def file_digest(till: Till) -> str:
    """The database file's bytes after the WAL is copied in (what "unchanged" means)."""
    with sqlite3.connect(till.db_path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    till.engine.dispose()
    return hashlib.sha256(till.db_path.read_bytes()).hexdigest()


def balances(till: Till) -> dict[str, tuple]:
    with till.read_driver() as db:
        return {
            row[0]: tuple(row[1:])
            for row in db.execute(
                "SELECT id, name, phone, balance, lifetime_paid, visits FROM customer ORDER BY id"
            )
        }
