"""The open till: database engine, clock and this till's identity, made once at start-up.

Every use case receives a :class:`Till`; tests build one on a temporary file with a fixed clock.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session, select

from terminal import APP_AUTHOR, APP_NAME
from terminal.app.settings import get_setting, put_setting
from terminal.core.errors import QT_TRANSLATE_NOOP, StorageError
from terminal.core.ids import new_id
from terminal.core.money import Currency, currency
from terminal.core.program import DEFAULT_PROGRAM, Program
from terminal.db import bulk_load, migrate
from terminal.db.engine import make_engine, read_session, storage_error, write_session
from terminal.db.models import ProgramVersion, Terminal

log = logging.getLogger("db")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The shop's local wall-clock time, to the microsecond."""
    return datetime.now()


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    """``--db`` wins, then ``LOYALTY_DB``, then the OS's user data directory."""
    env = os.environ.get("LOYALTY_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "loyalty.db"


@dataclass
class Till:
    engine: Engine
    db_path: Path
    clock: Clock
    terminal_id: str
    terminal_number: int

    @contextmanager
    def write(self) -> Iterator[Session]:
        with write_session(self.engine) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with read_session(self.engine) as session:
            yield session

    @contextmanager
    def write_driver(
        self, *, bulk: bool = False, attaching: bool = False, references_once: bool = False
    ) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction on a pooled ``sqlite3`` connection (the sale path).

        The same guarantees as :meth:`write` — commits on success, rolls back on any error,
        foreign keys checked at commit, a busy or full database becomes a plain-words error —
        without an ORM session, whose bookkeeping costs as much as the sale's SQL itself.
        ``bulk``: a load of a million rows, written once instead of twice when nobody else has
        the file open (``bulk_load.rollback_journal``); ``attaching``: the transaction attaches
        other files (``sync/staging.py``), detached after it — SQLite cannot detach a file
        inside a transaction — before the connection goes back to the pool;
        ``references_once``: the foreign keys are checked once, over the whole file, before
        the commit instead of row by row (``bulk_load.references_checked_once``).
        """
        fairy = self.engine.raw_connection()
        db: sqlite3.Connection = fairy.driver_connection  # type: ignore[assignment]
        try:
            with (
                bulk_load.rollback_journal(db) if bulk else nullcontext(),
                bulk_load.references_checked_once(db)
                if references_once
                else nullcontext() as references,
            ):
                yield from self._transaction(db, references)
        finally:
            try:
                if attaching:
                    for _, name, _ in db.execute("PRAGMA database_list").fetchall():
                        if name not in ("main", "temp"):
                            db.execute(f"DETACH {name}")
            finally:
                fairy.close()

    @staticmethod
    def _transaction(
        db: sqlite3.Connection, references: bulk_load.ReferencesOnce | None = None
    ) -> Iterator[sqlite3.Connection]:
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("PRAGMA defer_foreign_keys=ON")
            if references is not None:
                references.begun()
            yield db
            if references is not None:
                references.ending()
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            mapped = storage_error(exc) if isinstance(exc, sqlite3.OperationalError) else None
            if mapped is not None:
                log.warning("write refused: %s", exc)
                raise mapped from exc
            raise

    @contextmanager
    def read_driver(self) -> Iterator[sqlite3.Connection]:
        """A read snapshot on a pooled ``sqlite3`` connection, for the counter's hot reads.

        Same pragmas and same consistency as :meth:`read` (one deferred transaction), without
        the ORM session around it.
        """
        fairy = self.engine.raw_connection()
        db: sqlite3.Connection = fairy.driver_connection  # type: ignore[assignment]
        try:
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.execute("ROLLBACK")
        finally:
            fairy.close()

    def now(self) -> datetime:
        return self.clock()

    @property
    def backup_dir(self) -> Path:
        return self.db_path.parent / "backups"

    def currency(self) -> Currency:
        with self.read() as s:
            return currency(get_setting(s, "currency"))

    def checkpoint(self) -> None:
        """Copy the WAL into the database file now, while nobody waits (never blocks a writer)."""
        fairy = self.engine.raw_connection()
        try:
            fairy.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[union-attr]
        finally:
            fairy.close()

    def close(self) -> None:
        try:
            self.checkpoint()
        except Exception:  # closing must not fail because the file went away
            log.debug("checkpoint at close skipped", exc_info=True)
        self.engine.dispose()


class DamagedDatabase(StorageError):
    """The database file is not one SQLite can read as ours: damaged, cut short, or another
    program's file given by mistake."""

    code = "damaged_database"


def damaged_database(path: Path) -> DamagedDatabase:
    return DamagedDatabase(
        QT_TRANSLATE_NOOP(
            "Errors",
            "The database {path} is damaged or is not a loyalty terminal database; put a backup "
            "back with “loyalty-terminal restore BACKUP-FILE”.",
        ),
        path=str(path),
    )


def open_till(
    db_path: Path | str | None = None,
    clock: Clock = system_clock,
    *,
    named_folder_must_exist: bool = False,
) -> Till:
    """Open (creating or upgrading) the database and make sure this till has an identity.

    ``named_folder_must_exist``: a database named by the owner (``--db``, ``LOYALTY_DB``) in a
    folder that does not exist is refused rather than made — a mistyped path would otherwise
    start a new, empty shop and record sales in it. The default database in the user data
    folder is always made, folders included, on the first start.
    """
    named = db_path is not None or bool(os.environ.get("LOYALTY_DB"))
    path = Path(db_path) if db_path is not None else default_db_path()
    if named_folder_must_exist and named and not path.parent.is_dir():
        raise StorageError(
            QT_TRANSLATE_NOOP(
                "Errors", "There is no folder {folder} for the database; check the path."
            ),
            folder=str(path.parent),
        )
    if migrate.another_programs_file(path):
        raise damaged_database(path)  # before the engine switches the file to WAL
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    _defer_checkpoints(engine)
    try:
        migrate.upgrade(engine, path, path.parent / "backups")
        terminal_id, number = _ensure_identity(engine, clock)
    except (sqlite3.OperationalError, OperationalError) as exc:
        # e.g. `sync import` holds the file for a big catch-up: say so in plain words
        engine.dispose()
        mapped = storage_error(exc, path)
        if mapped is None:
            raise
        log.warning("cannot open %s: %s", path, getattr(exc, "orig", exc))
        raise mapped from exc
    except (sqlite3.DatabaseError, DatabaseError) as exc:
        # "file is not a database", "database disk image is malformed": no traceback, a way out
        engine.dispose()
        log.warning("cannot open %s: %s", path, getattr(exc, "orig", exc))
        raise damaged_database(path) from exc
    return Till(engine, path, clock, terminal_id, number)


# SQLite copies the WAL back into the database file ("checkpoint") inside whichever commit
# pushes the WAL past ``wal_autocheckpoint`` pages; with synchronous=FULL that commit then waits
# for extra fsyncs — at the default (1000 pages) about one sale in a hundred at the counter.
# The till raises the threshold and checkpoints when the counter is idle (Till.checkpoint, run
# by the GUI's idle timer and when a CLI command ends); the threshold stays as a safety net.
WAL_AUTOCHECKPOINT_PAGES = 10_000


def _defer_checkpoints(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")


def _ensure_identity(engine: Engine, clock: Clock) -> tuple[str, int]:
    with write_session(engine) as s:
        local = s.exec(select(Terminal).where(Terminal.is_local == True)).first()  # noqa: E712
        now = clock()
        if local is None:
            local = Terminal(id=new_id(), number=1, name="Till 1", is_local=True, created_at=now)
            s.add(local)
        if not get_setting(s, "shop_id"):
            put_setting(s, "shop_id", new_id(), now)
        if s.get(ProgramVersion, 1) is None:
            s.add(
                ProgramVersion(
                    version=1,
                    rules=json.dumps(DEFAULT_PROGRAM.to_dict()),
                    created_at=now,
                    created_by="system",
                    note="Default program",
                )
            )
        return local.id, local.number


def driver_connection(session: Session | sqlite3.Connection) -> sqlite3.Connection:
    """The session's own ``sqlite3`` connection, inside the session's transaction.

    The counter's hot reads (a scan, a quote on every keystroke) go straight to the driver with
    fixed SQL: the ORM's per-query overhead is many times the cost of the query itself, and the
    counter must answer within a couple of milliseconds on 100 000 customers. Pending ORM
    changes are flushed first, as the ORM's own autoflush would, so the SQL sees them.
    """
    if isinstance(session, sqlite3.Connection):
        return session
    if not _is_clean(session):
        session.flush()
    transaction = session.get_transaction()
    cached = session.info.get(_DRIVER_KEY)
    if cached is not None and cached[0] is transaction:
        return cached[1]
    db = session.connection().connection.driver_connection
    session.info[_DRIVER_KEY] = (session.get_transaction(), db)
    return db  # type: ignore[return-value]


_DRIVER_KEY = "terminal.driver_connection"


def _is_clean(session: Session) -> bool:
    """No pending ORM changes (SQLAlchemy's own cheap test, falling back to the public one)."""
    check = getattr(session, "_is_clean", None)
    if check is not None:
        return bool(check())
    return not (session.new or session.dirty or session.deleted)  # pragma: no cover


def current_program(session: Session | sqlite3.Connection) -> tuple[int, Program]:
    """The program version in force: the highest saved version (parsed once per version)."""
    db = session if isinstance(session, sqlite3.Connection) else driver_connection(session)
    row = db.execute(
        "SELECT version, rules FROM program_version ORDER BY version DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return 1, DEFAULT_PROGRAM
    return row[0], _program_cache(row[0], row[1])


_PROGRAMS: dict[tuple[int, str], Program] = {}


def _program_cache(version: int, rules: str) -> Program:
    key = (version, rules)
    program = _PROGRAMS.get(key)
    if program is None:
        program = Program.from_dict(json.loads(rules))
        _PROGRAMS[key] = program
    return program
