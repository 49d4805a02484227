"""Backups a shop can count on: made while the till runs, verified when made, restorable.

A backup is taken with SQLite's online backup API (consistent even while a sale is being
written), then opened on its own and proven sound — ``PRAGMA integrity_check`` and every
``check`` invariant — before it gets its final name. So a file named ``loyalty-<stamp>.db`` in the
backup folder *is* a verified backup, and the newest one is the last success: no separate log
that could disagree with the files. Old backups are thinned to 7 daily, 4 weekly and 12 monthly.

Restore (:mod:`terminal.app.restore`) refuses anything that is not a sound database of this
shop, upgrades the backup to the current schema, keeps the current database aside, then copies
the backup in through the same backup API (open connections never see a half-copied file).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine

from terminal.app.files import cannot_write, os_reason, remove_quietly
from terminal.app.integrity import Integrity
from terminal.app.settings import get_setting, put_setting
from terminal.app.till import Till
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput, LoyaltyError, StorageError
from terminal.core.sentences import QT_TRANSLATE_N_NOOP, Count, Sentence

if TYPE_CHECKING:
    from terminal.app.restore import RestoreResult

log = logging.getLogger("backup")

PREFIX = "loyalty-"
STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^loyalty-(\d{8}-\d{6})\.db$")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
OVERDUE_AFTER = timedelta(days=2)
SQLITE_MAGIC = b"SQLite format 3\x00"
STATUS_FILE = "backup-status.json"


class BackupRefused(LoyaltyError):
    """A file cannot be used as a backup (damaged, not a till database, another shop's)."""

    code = "backup_refused"


def customers_count(customers: int) -> Count:
    """“1 customer / 5 customers” in the reader's plural forms."""
    return Count("Outcomes", QT_TRANSLATE_N_NOOP("Outcomes", "%n customer(s)"), customers)


def sales_count(sales: int) -> Count:
    """“1 sale / 5 sales” in the reader's plural forms."""
    return Count("Outcomes", QT_TRANSLATE_N_NOOP("Outcomes", "%n sale(s)"), sales)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    made_at: datetime
    size: int
    customers: int
    sales: int
    mirror_path: Path | None = None
    mirror_error: str = ""  # a Sentence when the second copy failed (English as a str)
    removed: list[str] = field(default_factory=list)

    @property
    def summary(self) -> Sentence:
        """What the owner is told: the backup is made, checked, and holds this much."""
        return Sentence(
            QT_TRANSLATE_NOOP("Outcomes", "Backup made and verified: {customers}, {sales}."),
            customers=customers_count(self.customers),
            sales=sales_count(self.sales),
        )


@dataclass(frozen=True)
class BackupStatus:
    last_success: datetime | None
    last_path: Path | None
    overdue: bool  # no verified backup for OVERDUE_AFTER: the counter shows a warning
    count: int
    folder: Path
    mirror_dir: str
    last_error: str  # the last failed attempt's reason (a Sentence when it has a template)


def verify_file(path: Path, *, expected_shop: str | None = None) -> tuple[int, int, str]:
    """Prove ``path`` is a sound till database; returns (customers, sales, shop id).

    Raises :class:`BackupRefused` with the reason in plain words. The file is only read.
    """
    check_header(path)
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupRefused(
            QT_TRANSLATE_NOOP("Errors", "The file {name} cannot be opened: {exc}."),
            name=path.name,
            exc=exc,
        ) from exc
    try:
        status = [row[0] for row in db.execute("PRAGMA integrity_check")]
        if status != ["ok"]:
            raise BackupRefused(
                QT_TRANSLATE_NOOP(
                    "Errors", "The file {name} is damaged ({status}); it cannot be used."
                ),
                problems=status[:10],
                name=path.name,
                status=status[0],
            )
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if not {"shop_setting", "customer", "purchase", "ledger_entry"} <= tables:
            raise BackupRefused(
                QT_TRANSLATE_NOOP("Errors", "The file {name} is not a loyalty terminal database."),
                name=path.name,
            )
        row = db.execute("SELECT value FROM shop_setting WHERE key = 'shop_id'").fetchone()
        shop = json.loads(row[0]) if row else ""
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(
            QT_TRANSLATE_NOOP("Errors", "The file {name} is damaged ({exc}); it cannot be used."),
            name=path.name,
            exc=exc,
        ) from exc
    finally:
        db.close()
    if expected_shop is not None and shop != expected_shop:
        raise BackupRefused(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The file {name} belongs to another shop; restoring it would mix two shops' "
                "customers.",
            ),
            shop_id=shop,
            name=path.name,
        )
    customers, sales = _check_invariants(path)
    return customers, sales, shop


def check_header(path: Path) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise BackupRefused(
            QT_TRANSLATE_NOOP("Errors", "The file {path} cannot be read: {strerror}."),
            path=path,
            strerror=os_reason(exc),
        ) from exc
    if not head.startswith(SQLITE_MAGIC):
        raise BackupRefused(
            QT_TRANSLATE_NOOP("Errors", "The file {name} is not a database (not an SQLite file)."),
            name=path.name,
        )
    if len(head) < 100 or path.stat().st_size < 512:
        raise BackupRefused(
            QT_TRANSLATE_NOOP(
                "Errors", "The file {name} is damaged (cut short); it cannot be used."
            ),
            name=path.name,
        )


def _check_invariants(path: Path) -> tuple[int, int]:
    """Run ``check`` on a file that is already at the current schema (our own fresh copies)."""
    # Read-only and without the till's pragmas: checking a copy must not change it (no WAL).
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        probe = Till(engine, path, datetime.now, "", 0)
        try:
            report = Integrity(probe).check(limit_per_check=5)
        except Exception as exc:  # a schema we cannot read is as bad as a damaged file
            raise BackupRefused(
                QT_TRANSLATE_NOOP("Errors", "The file {name} cannot be checked: {exc}."),
                name=path.name,
                exc=exc,
            ) from exc
        if not report.ok:
            raise BackupRefused(
                QT_TRANSLATE_NOOP("Errors", "The file {name} fails the books check: {problem}"),
                problems=report.problems,
                name=path.name,
                problem=report.problems[0],
            )
        return report.customers, report.purchases
    finally:
        engine.dispose()


def copy_database(source: Path, dest: Path) -> None:
    """A consistent copy through SQLite's online backup API (readers and writers keep going)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        out = sqlite3.connect(str(dest))
        try:
            src.backup(out, pages=4096)
            out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
        finally:
            out.close()
    finally:
        src.close()


class Backups:
    """Make, list, thin, verify and restore backups of the open till."""

    def __init__(self, till: Till) -> None:
        self.till = till

    @property
    def folder(self) -> Path:
        return self.till.backup_dir

    # ---- making ----------------------------------------------------------------------------

    def make(self, out: Path | None = None) -> BackupResult:
        """Take a verified backup into the backup folder (and the mirror), or to ``out``."""
        now = self.till.now()
        name = f"{PREFIX}{now:{STAMP}}.db"
        target = self.folder / name if out is None else Path(out)
        if target.is_dir():  # "backup --out /media/usb": the usual name inside that folder
            target = target / name
        try:
            result = self._make_verified(target, now)
        except (LoyaltyError, OSError, sqlite3.Error) as exc:
            reason = _reason(exc)
            self._write_status({"last_error_at": now.isoformat(), **_saved_reason(reason)})
            log.error("backup failed: %s", reason)
            if isinstance(exc, LoyaltyError):
                raise
            raise StorageError(
                QT_TRANSLATE_NOOP("Errors", "The backup could not be made: {reason}"), reason=reason
            ) from exc
        if out is not None:
            return result
        removed = rotate(self.folder, now)
        mirror_path, mirror_error = self._mirror(result.path, now)
        self._write_status({"last_error": "", "last_error_at": ""})
        log.info("backup %s verified (%d sales)", result.path.name, result.sales)
        return BackupResult(
            result.path,
            now,
            result.size,
            result.customers,
            result.sales,
            mirror_path,
            mirror_error,
            removed,
        )

    def _make_verified(self, target: Path, now: datetime) -> BackupResult:
        partial = target.with_name(target.name + ".partial")
        try:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                # made by us first: a folder we may not write in is reported with the system's
                # reason, where SQLite would only say "unable to open database file"
                os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666))
                copy_database(self.till.db_path, partial)
            except sqlite3.OperationalError as exc:
                if "full" not in str(exc):
                    raise
                raise cannot_write(OSError(errno.ENOSPC, str(exc)), target) from exc
            except OSError as exc:
                raise cannot_write(exc, target) from exc
            customers, sales, _shop = verify_file(partial)
            os.replace(partial, target)
        finally:
            # SQLite's own side files too: a failed copy leaves its rollback journal behind
            remove_quietly(*(Path(f"{partial}{end}") for end in ("", "-journal", "-wal", "-shm")))
        return BackupResult(target, now, target.stat().st_size, customers, sales)

    def _mirror(self, made: Path, now: datetime) -> tuple[Path | None, str]:
        mirror = self.mirror_dir()
        if not mirror:
            return None, ""
        folder = Path(mirror)
        try:
            if not folder.is_dir():
                return None, Sentence(
                    QT_TRANSLATE_NOOP(
                        "Outcomes", "The mirror folder {folder} is not available (unplugged?)."
                    ),
                    folder=folder,
                )
            dest = folder / made.name
            partial = dest.with_name(dest.name + ".partial")
            shutil.copyfile(made, partial)
            with partial.open("rb") as f:
                os.fsync(f.fileno())
            os.replace(partial, dest)
            rotate(folder, now)
            return dest, ""
        except OSError as exc:
            log.warning("mirror copy failed: %s", exc)
            return None, Sentence(
                QT_TRANSLATE_NOOP("Outcomes", "The copy to {folder} failed: {reason}."),
                folder=folder,
                reason=os_reason(exc),
            )

    def auto(self) -> BackupResult | None:
        """The daily backup: made when today has none yet (the GUI calls this at start and on a
        timer). Never raises: a failure is recorded and shown through :meth:`status`."""
        status = self.status()
        today = self.till.now().date()
        if status.last_success is not None and status.last_success.date() >= today:
            return None
        try:
            return self.make()
        except LoyaltyError:
            return None

    # ---- status and settings ---------------------------------------------------------------

    def list(self) -> list[tuple[datetime, Path]]:
        return backups_in(self.folder)

    def status(self) -> BackupStatus:
        found = self.list()
        last = found[-1] if found else None
        now = self.till.now()
        overdue = last is None or now - last[0] > OVERDUE_AFTER
        saved = self._read_status()
        return BackupStatus(
            last_success=last[0] if last else None,
            last_path=last[1] if last else None,
            overdue=overdue,
            count=len(found),
            folder=self.folder,
            mirror_dir=self.mirror_dir(),
            last_error=_read_reason(saved),
        )

    def mirror_dir(self) -> str:
        with self.till.read() as s:
            return str(get_setting(s, "backup_mirror_dir") or "")

    def set_mirror_dir(self, folder: str) -> None:
        """Choose (or clear, with "") the second folder every backup is also copied to."""
        text = folder.strip()
        if text and not Path(text).is_dir():
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The folder {text} does not exist."),
                field="mirror",
                text=text,
            )
        with self.till.write() as s:
            put_setting(s, "backup_mirror_dir", text, self.till.now())

    def _read_status(self) -> dict[str, Any]:
        try:
            return json.loads((self.folder / STATUS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_status(self, data: dict[str, Any]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / STATUS_FILE).write_text(json.dumps(data), encoding="utf-8")
        except OSError:  # the status file is a courtesy; the disk may be the problem
            log.debug("backup status not written", exc_info=True)

    # ---- restoring ----------------------------------------------------------------------------

    def restore(self, source: Path) -> RestoreResult:
        """Replace the till's database with ``source`` (see :mod:`terminal.app.restore`)."""
        from terminal.app.restore import Restore  # restore builds on this module

        return Restore(self.till).run(source)


def backups_in(folder: Path) -> list[tuple[datetime, Path]]:
    """The backups this program made in ``folder``, oldest first (by the time in their names)."""
    found: list[tuple[datetime, Path]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _NAME.match(path.name)
        if match:
            found.append((datetime.strptime(match.group(1), STAMP), path))
    return sorted(found)


def keep_set(stamps: list[datetime]) -> set[datetime]:
    """Which backups to keep: the newest of each of the last 7 days, 4 weeks and 12 months."""
    keep: set[datetime] = set()
    for bucket, count in (
        (lambda t: t.date(), KEEP_DAILY),
        (lambda t: t.isocalendar()[:2], KEEP_WEEKLY),
        (lambda t: (t.year, t.month), KEEP_MONTHLY),
    ):
        newest: dict[object, datetime] = {}
        for stamp in stamps:
            key = bucket(stamp)
            if key not in newest or stamp > newest[key]:
                newest[key] = stamp
        keep |= set(sorted(newest.values(), reverse=True)[:count])
    return keep


def rotate(folder: Path, now: datetime) -> list[str]:
    """Delete backups outside the 7/4/12 plan; returns the names removed."""
    found = backups_in(folder)
    keep = keep_set([stamp for stamp, _ in found])
    removed = []
    for stamp, path in found:
        if stamp not in keep:
            try:
                path.unlink()
                removed.append(path.name)
            except OSError:
                log.warning("could not remove old backup %s", path)
    return removed


def _reason(exc: BaseException) -> str:
    """Why a backup failed: the error's sentence (translatable) or the system's own words."""
    if isinstance(exc, LoyaltyError):
        return Sentence.of_error(exc)
    if isinstance(exc, OSError):
        return os_reason(exc)
    return str(exc)


def _saved_reason(reason: str) -> dict[str, Any]:
    """The reason as the status file keeps it: the English text, and the template with its
    parameters (as text) so the Backups screen can say it again in the shop's language."""
    saved: dict[str, Any] = {"last_error": str(reason)}
    if isinstance(reason, Sentence):
        saved["last_error_template"] = reason.template
        saved["last_error_context"] = reason.context
        saved["last_error_params"] = {key: str(value) for key, value in reason.params.items()}
    return saved


def _read_reason(saved: dict[str, Any]) -> str:
    text = str(saved.get("last_error") or "")
    template, params = saved.get("last_error_template"), saved.get("last_error_params")
    if not text or not isinstance(template, str) or not isinstance(params, dict):
        return text
    context = str(saved.get("last_error_context") or "Errors")
    return Sentence(template, context=context, **{str(k): v for k, v in params.items()})
