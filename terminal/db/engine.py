"""The SQLite engine, made at start-up (never at import) with the settings a till needs.

* WAL so the counter can read while a sync import writes;
* ``synchronous=FULL`` so a sale confirmed to the customer survives a power cut;
* ``BEGIN IMMEDIATE`` for every write transaction, so two processes never both read a balance and
  then both spend it: the second waits (``busy_timeout``) instead of failing half-way.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from terminal.core.errors import QT_TRANSLATE_NOOP, DatabaseBusy, StorageError
from terminal.db.binding import bind_plain_values_fast

log = logging.getLogger("db")

BUSY_TIMEOUT_MS = 5000
# Below this much free space, a file SQLite cannot open or write is taken to be on a full disk:
# opening a WAL database creates its shared-memory file (32 KiB) even to read.
FULL_DISK_BYTES = 256 * 1024


def make_engine(path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine on the database file ``path`` with the till's pragmas on every connection."""
    bind_plain_values_fast()
    engine = create_engine(
        f"sqlite:///{Path(path)}",
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit BEGIN is DEFERRED).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")
        # Foreign keys are checked at COMMIT, so a use case may add related rows in any order.
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")

    return engine


def _disk_full(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < FULL_DISK_BYTES
    except OSError:
        return False


def storage_error(exc: BaseException, path: Path | None = None) -> Exception | None:
    """Translate SQLite's failures into errors a cashier can act on; None if not one of them.

    ``path``: the database file, when known. SQLite reports a full disk met while opening the
    file as a plain I/O error; the free space on its disk tells the owner what to do instead.
    """
    text = str(getattr(exc, "orig", exc)).lower()
    if ("disk i/o error" in text or "unable to open" in text) and _disk_full(path):
        text = "disk is full"
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The database is busy with another program (a sync or a second window). Try "
                "again in a moment.",
            )
        )
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError(
            QT_TRANSLATE_NOOP(
                "Errors", "The disk is full: nothing was saved. Free some space and try again."
            )
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(
            QT_TRANSLATE_NOOP(
                "Errors", "The database file cannot be written (read-only): nothing was saved."
            )
        )
    if "disk i/o error" in text or "unable to open" in text:
        return StorageError(
            QT_TRANSLATE_NOOP("Errors", "The database file cannot be reached: nothing was saved.")
        )
    return None


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One write transaction (BEGIN IMMEDIATE): commits on success, rolls back on any error."""
    with Session(engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except OperationalError as exc:
            s.rollback()
            mapped = storage_error(exc)
            if mapped is not None:
                log.warning("write refused: %s", exc.orig)
                raise mapped from exc
            raise
        except BaseException:
            s.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only view; the transaction is deferred so it never blocks a writer."""
    with Session(engine, expire_on_commit=False) as s:
        try:
            yield s
        finally:
            s.rollback()
