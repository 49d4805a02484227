"""The program's log files, in the user's log folder (never PINs, keys or full phone numbers).

The window writes ``terminal.log``; a command (``loyalty-terminal sync folder`` run by the
shop's scheduler, an import, a backup) writes ``cli.log`` beside it. Two files, because a
command may run while the window is open, and on Windows a process cannot rename a file the
other holds open to rotate it. A command logging to a file also keeps its warnings off the
console, where the person reading sees one message in plain words, not the technical line
behind it (Python prints a warning to stderr when no handler is set).
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from terminal import APP_AUTHOR, APP_NAME

WINDOW_LOG = "terminal.log"
COMMAND_LOG = "cli.log"


def log_folder() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def configure_logging(file_name: str = WINDOW_LOG) -> Path | None:
    """Send this process's log to a rotating file; returns its path (None when a file is
    already set up, or the folder cannot be written: the program works on without one)."""
    if current_log_file() is not None:
        return None
    folder = log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            folder / file_name, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return folder / file_name


def current_log_file() -> Path | None:
    """The file this process logs to, to name it where a person is told to look."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RotatingFileHandler):
            return Path(handler.baseFilename)
    return None
