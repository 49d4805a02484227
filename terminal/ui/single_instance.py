"""One till window per database: a second window on the same file is refused in plain words.

Two windows on one database would each think they own the counter (idle checkpoints, backups,
the customer display) and a cashier could ring one sale up twice. The command line may still use
the database alongside the window: SQLite's own locking keeps those writes whole.

The lock is a QLockFile next to the database (``loyalty.db.lock``); Qt removes a lock left by a
crashed process (its PID is gone), so a crash never locks the shop out.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile

log = logging.getLogger("ui")


class AlreadyOpen(Exception):
    """Another till window holds the database; ``str()`` is the sentence to show."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def hold_database(db_path: Path) -> QLockFile:
    """Take the window lock on ``db_path`` (keep the returned object alive while the window
    runs); raises :class:`AlreadyOpen` naming the other process."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(lock_path(db_path)))
    lock.setStaleLockTime(0)  # only a dead owner makes a lock stale, never its age
    if lock.tryLock(200):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()  # PySide6: (pid, hostname, appname); C++ adds a bool first
        pid, host = (info[-3], info[-2]) if len(info) >= 3 else ("?", "?")
        log.warning("database %s already open by pid %s on %s", db_path.name, pid, host)
        raise AlreadyOpen(
            QCoreApplication.translate(
                "App",
                "The till is already open on this database (process {pid}). Switch to that "
                "window; a second window on the same data is not allowed.",
            ).format(pid=pid)
        )
    raise AlreadyOpen(
        QCoreApplication.translate(
            "App", "Cannot lock the database folder {folder}: check that it is writable."
        ).format(folder=db_path.parent)
    )


def refuse_second_window(error: AlreadyOpen) -> int:
    """Tell the person why no window opens (stderr, and a dialog when there is a screen to show
    it on); the exit code says "conflict" to scripts."""
    import sys

    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    print(f"loyalty-terminal: {error}", file=sys.stderr)
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        QMessageBox.warning(
            None, QCoreApplication.translate("App", "The till is already open"), str(error)
        )
    return 6  # terminal.cli.context.ExitCode.CONFLICT
