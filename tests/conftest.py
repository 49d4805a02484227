"""Shared fixtures: a fresh till database per test, with a clock the test controls."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The commands the tests run write their log (terminal/log_file.py) here, not into the
# machine's own log folder.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="loyalty-test-state-")


class FixedClock:
    """A clock that stands still until the test moves it: expiry and happy hours at set moments."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 10, 0, 0))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "loyalty.db"


@pytest.fixture
def till(db_path: Path, clock: FixedClock) -> Iterator[object]:
    from terminal.app.till import open_till

    opened = open_till(db_path, clock=clock)
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def _root_logger_as_it_was() -> Iterator[None]:
    """A command run in-process sets up its log file on the root logger (terminal/log_file.py),
    as a real process does once; here the next test starts without it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture(scope="session", autouse=True)
def _one_qt_application(qapp: object) -> object:
    """One QApplication for the whole run, made before any test.

    Qt allows one application object per process and a QApplication cannot replace a bare
    QCoreApplication. The CLI, run in-process by tests, makes a QCoreApplication for its
    translations when none exists; creating the QApplication first keeps every later GUI test
    working whatever order the tests run in.
    """
    return qapp


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs mounted for the test: a disk that really fills up."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
