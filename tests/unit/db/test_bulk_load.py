"""A bulk load writes its pages once (a rollback journal) only while it has the file to itself:
with anyone else on the file it stays in WAL, so nobody reading is locked out; either way the
file is in WAL again afterwards and a failed load leaves nothing behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from terminal.db.bulk_load import broken_references, references_checked_once, rollback_journal


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "till.db"
    conn = _connect(path)
    conn.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, amount INTEGER)")
    conn.execute("INSERT INTO sale (amount) VALUES (100)")
    conn.close()
    return path


def _mode(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


def test_alone_on_the_file_the_load_uses_a_rollback_journal_then_wal_again(db_file: Path) -> None:
    conn = _connect(db_file)
    with rollback_journal(conn) as alone:
        assert alone
        assert _mode(conn) == "delete"
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO sale (amount) VALUES (?)", [(n,) for n in range(1000)])
        conn.execute("COMMIT")
    assert _mode(conn) == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("SELECT COUNT(*) FROM sale").fetchone()[0] == 1001


def test_with_a_reader_on_the_file_the_load_stays_in_wal_and_the_reader_reads(
    db_file: Path,
) -> None:
    conn, reader = _connect(db_file), _connect(db_file)
    reader.execute("SELECT COUNT(*) FROM sale").fetchone()
    with rollback_journal(conn) as alone:
        assert not alone
        assert _mode(conn) == "wal"
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO sale (amount) VALUES (5)")
        # the counter reads while the load writes
        assert reader.execute("SELECT COUNT(*) FROM sale").fetchone()[0] == 1
        conn.execute("COMMIT")
    assert _mode(conn) == "wal"
    assert reader.execute("SELECT COUNT(*) FROM sale").fetchone()[0] == 2


def test_a_failed_load_in_a_rollback_journal_leaves_the_file_as_it_was(db_file: Path) -> None:
    before = db_file.read_bytes()
    conn = _connect(db_file)
    with pytest.raises(RuntimeError), rollback_journal(conn) as alone:
        assert alone
        conn.execute("PRAGMA cache_size=10")  # tiny cache: pages spill into the file
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO sale (amount) VALUES (?)", [(n,) for n in range(50_000)])
        try:
            raise RuntimeError("refused half-way")
        finally:
            conn.execute("ROLLBACK")
    conn.close()
    after = db_file.read_bytes()
    assert len(after) == len(before)
    # every byte but SQLite's two header counters (offsets 24 and 92), which count the writes
    # to the header the switch of journal mode makes
    changed = {i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b}
    assert changed <= {*range(24, 28), *range(92, 96)}


def test_opening_the_till_while_a_bulk_load_holds_the_file_says_busy_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from functools import partial

    from terminal.app import till as till_module
    from terminal.core.errors import DatabaseBusy
    from terminal.db.engine import make_engine

    path = tmp_path / "loyalty.db"
    till_module.open_till(path).close()
    loader = _connect(path)
    with rollback_journal(loader) as alone:
        assert alone
        loader.execute("BEGIN EXCLUSIVE")  # a big load holds the file once its pages spill
        monkeypatch.setattr(till_module, "make_engine", partial(make_engine, busy_timeout_ms=50))
        with pytest.raises(DatabaseBusy) as refused:
            till_module.open_till(path)
        assert "busy with another program" in str(refused.value.args[0])
        loader.execute("ROLLBACK")
    till_module.open_till(path).close()  # and opens as usual once the load is done


def _shop(path: Path) -> sqlite3.Connection:
    conn = _connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("CREATE TABLE customer (id TEXT PRIMARY KEY)")
    conn.execute(
        "CREATE TABLE purchase (id TEXT PRIMARY KEY, customer_id TEXT REFERENCES customer (id))"
    )
    conn.execute("CREATE INDEX ix_purchase_customer ON purchase (customer_id)")
    conn.execute("INSERT INTO customer VALUES ('olena')")
    return conn


def _load(conn: sqlite3.Connection, rows: list[tuple[str, str | None]]) -> None:
    """What Till._transaction does around a bulk load with its keys checked once."""
    with references_checked_once(conn) as references:
        conn.execute("BEGIN IMMEDIATE")
        try:
            references.begun()
            conn.executemany("INSERT INTO purchase VALUES (?, ?)", rows)
            references.ending()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def test_keys_checked_once_refuse_what_row_by_row_refuses_and_keep_nothing(
    tmp_path: Path,
) -> None:
    conn = _shop(tmp_path / "till.db")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"):
        _load(conn, [("s1", "olena"), ("s2", "taras"), ("s3", None)])
    assert conn.execute("SELECT COUNT(*) FROM purchase").fetchone() == (0,)
    # the connection checks row by row again, whatever way the load ended
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO purchase VALUES ('s9', 'nobody')")
    # a parent that arrives in the same load mends the reference, as SQLite's deferred check
    _load(conn, [("s1", "olena"), ("s3", None)])
    assert conn.execute("SELECT COUNT(*) FROM purchase").fetchone() == (2,)


def test_a_reference_broken_before_the_load_is_not_the_load_s_doing(tmp_path: Path) -> None:
    conn = _shop(tmp_path / "till.db")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("INSERT INTO purchase VALUES ('old', 'gone')")  # e.g. left by an old release
    conn.execute("PRAGMA foreign_keys=ON")
    assert broken_references(conn) == {("purchase", 0, "gone")}
    _load(conn, [("s1", "olena")])
    with pytest.raises(sqlite3.IntegrityError):
        _load(conn, [("s2", "taras")])
    assert conn.execute("SELECT id FROM purchase ORDER BY id").fetchall() == [("old",), ("s1",)]
