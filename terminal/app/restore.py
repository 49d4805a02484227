"""Putting a backup back: only a sound database of this shop, with the current one kept aside.

The candidate is copied into a staging file first (a damaged file fails right there), checked
without relying on its schema, refused when it is another shop's while this till has sales of
its own, upgraded to the current schema, then checked with every ``check`` rule. Only then is
the current database copied aside and the staged one copied over it — through SQLite's backup
API, one locked step, so other connections see either the old data or the new, never a mix.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from terminal.app.backup import (
    STAMP,
    BackupRefused,
    check_header,
    copy_database,
    customers_count,
    sales_count,
    verify_file,
)
from terminal.app.files import cannot_write
from terminal.app.till import Clock, Till, open_till, system_clock
from terminal.core.errors import QT_TRANSLATE_NOOP
from terminal.core.sentences import Sentence
from terminal.db import migrate
from terminal.db.engine import make_engine, storage_error

log = logging.getLogger("backup")

KEEP_ASIDE = 10  # databases kept from before a restore


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept_aside: Path
    customers: int
    sales: int

    @property
    def summary(self) -> Sentence:
        """What the owner is told: what came back, and where the replaced data went."""
        return Sentence(
            QT_TRANSLATE_NOOP(
                "Outcomes",
                "Restored {customers} and {sales} from {source}. The data as it was is kept in "
                "{aside}.",
            ),
            customers=customers_count(self.customers),
            sales=sales_count(self.sales),
            source=self.restored_from.name,
            aside=self.kept_aside,
        )


class Restore:
    def __init__(self, till: Till) -> None:
        self.till = till

    @property
    def folder(self) -> Path:
        return self.till.backup_dir

    # ---- restoring -------------------------------------------------------------------------

    def run(self, source: Path) -> RestoreResult:
        """Replace the till's database with ``source`` after proving it is sound and ours."""
        source = Path(source)
        if not source.is_file():
            raise BackupRefused(
                QT_TRANSLATE_NOOP("Errors", "There is no file {source}."), source=source
            )
        check_header(source)
        now = self.till.now()
        self.folder.mkdir(parents=True, exist_ok=True)
        staging = self.folder / f"restoring-{now:{STAMP}}.db"
        staging.unlink(missing_ok=True)
        try:
            try:
                copy_database(source, staging)
            except sqlite3.DatabaseError as exc:
                raise BackupRefused(
                    QT_TRANSLATE_NOOP(
                        "Errors", "The file {name} is damaged ({exc}); it cannot be used."
                    ),
                    name=source.name,
                    exc=exc,
                ) from exc
            verify_file_schema_free(staging, source.name)
            self._refuse_foreign(staging, source.name)
            engine = make_engine(staging)
            try:
                migrate.upgrade(engine, None, None)
            finally:
                engine.dispose()
            customers, sales, _shop = verify_file(staging)
            aside = self._keep_aside(now)
            try:
                self._copy_into_live(staging)
            except sqlite3.OperationalError as exc:
                mapped = storage_error(exc)
                raise (mapped or exc) from exc
        finally:
            for leftover in (staging, Path(f"{staging}-wal"), Path(f"{staging}-shm")):
                leftover.unlink(missing_ok=True)
        log.warning("database restored from %s; previous kept as %s", source, aside.name)
        return RestoreResult(source, aside, customers, sales)

    def _keep_aside(self, now: datetime) -> Path:
        """Copy the current database next to the backups before it is replaced.

        Through the backup API when it can be read; byte for byte (with its WAL) when it is
        damaged — a damaged database is the usual reason to restore, and it is still evidence.
        Only the newest KEEP_ASIDE such copies are kept.
        """
        aside = self.folder / f"before-restore-{now:{STAMP}}.db"
        try:
            copy_database(self.till.db_path, aside)
        except sqlite3.DatabaseError:
            log.warning("current database unreadable; keeping a raw copy aside")
            shutil.copyfile(self.till.db_path, aside)
            wal = Path(f"{self.till.db_path}-wal")
            if wal.exists():
                shutil.copyfile(wal, Path(f"{aside}-wal"))
        for old in sorted(self.folder.glob("before-restore-*.db"))[:-KEEP_ASIDE]:
            old.unlink(missing_ok=True)
            Path(f"{old}-wal").unlink(missing_ok=True)
        return aside

    def _refuse_foreign(self, staging: Path, name: str) -> None:
        db = sqlite3.connect(f"file:{staging}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM shop_setting WHERE key = 'shop_id'").fetchone()
        finally:
            db.close()
        theirs = json.loads(row[0]) if row else ""
        with self.till.read_driver() as live:
            (ours,) = live.execute(
                "SELECT value FROM shop_setting WHERE key = 'shop_id'"
            ).fetchone()
            (sales,) = live.execute("SELECT COUNT(*) FROM purchase").fetchone()
        if theirs != json.loads(ours) and sales:
            raise BackupRefused(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The file {name} is another shop's database, and this till already has "
                    "{sales} sales of its own; restoring it would replace this shop's records.",
                ),
                shop_id=theirs,
                name=name,
                sales=sales,
            )

    def _copy_into_live(self, staging: Path) -> None:
        """Copy the staged file over the live database with the backup API (one locked step)."""
        self.till.engine.dispose()
        src = sqlite3.connect(f"file:{staging}?mode=ro", uri=True)
        try:
            live = sqlite3.connect(str(self.till.db_path), timeout=30)
            try:
                src.backup(live)
                live.execute("PRAGMA journal_mode=WAL")
                live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                live.close()
        finally:
            src.close()
        self.till.engine.dispose()


def verify_file_schema_free(path: Path, name: str) -> None:
    """The checks that do not depend on the schema version (before an older file is upgraded)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        status = [row[0] for row in db.execute("PRAGMA integrity_check")]
        if status != ["ok"]:
            raise BackupRefused(
                QT_TRANSLATE_NOOP(
                    "Errors", "The file {name} is damaged ({status}); it cannot be used."
                ),
                name=name,
                status=status[0],
            )
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(
            QT_TRANSLATE_NOOP("Errors", "The file {name} is damaged ({exc}); it cannot be used."),
            name=name,
            exc=exc,
        ) from exc
    finally:
        db.close()
    if not {"shop_setting", "customer", "purchase", "alembic_version"} <= tables:
        raise BackupRefused(
            QT_TRANSLATE_NOOP("Errors", "The file {name} is not a loyalty terminal database."),
            name=name,
        )


def newest_backup(db_path: Path) -> tuple[datetime, Path] | None:
    """The newest backup in the database's backup folder, found without opening the database
    (which may be the damaged one): what the window offers to put back."""
    from terminal.app.backup import backups_in

    found = backups_in(db_path.parent / "backups")
    return found[-1] if found else None


def restore_over_damaged(
    db_path: Path, source: Path, clock: Clock = system_clock
) -> tuple[Till, RestoreResult]:
    """Put the backup ``source`` in place of a database that cannot be opened.

    The damaged file (with its WAL) is moved into the backup folder first, kept as evidence and
    never deleted; a new database is made in its place and the backup restored into it. The
    result names the damaged file as the data as it was, not the empty stand-in."""
    if not source.is_file():
        raise BackupRefused(
            QT_TRANSLATE_NOOP("Errors", "There is no file {source}."), source=source
        )
    damaged = _put_damaged_aside(db_path)
    till = open_till(db_path, clock)
    try:
        result = Restore(till).run(source)
    except BaseException:
        till.close()
        raise
    return till, replace(result, kept_aside=damaged)


def _put_damaged_aside(damaged: Path) -> Path:
    """Move a database that cannot be opened (with its WAL) into its backup folder; returns
    where the file itself went."""
    folder = damaged.parent / "backups"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for end in ("", "-wal", "-shm"):
            side = Path(f"{damaged}{end}")
            if side.exists():
                os.replace(side, folder / f"damaged-{stamp}.db{end}")
    except OSError as exc:
        raise cannot_write(exc, folder) from exc
    return folder / f"damaged-{stamp}.db"
