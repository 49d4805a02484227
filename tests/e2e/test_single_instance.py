"""A second till window on the same database is refused in plain words and leaves the data
alone; the first window keeps working, and a lock left by a crashed window does not lock the
shop out."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from terminal.app.integrity import Integrity
from terminal.app.till import open_till


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(
        os.environ,
        HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        QT_QPA_PLATFORM="offscreen",
        LANG="en_GB.UTF-8",
        LC_ALL="en_GB.UTF-8",
    )
    env.pop("LOYALTY_DB", None)
    return env


def _window(db: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "terminal", "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)  # polling another process; there is no event to wait on


@pytest.mark.slow
def test_second_window_on_the_same_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "shop" / "loyalty.db"
    env = _env(tmp_path)
    first = _window(db, env)
    try:
        _wait_for(lambda: (db.parent / "loyalty.db.lock").exists() or first.poll() is not None)
        assert first.poll() is None, first.communicate()
        second = subprocess.run(
            [sys.executable, "-m", "terminal", "--db", str(db)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode != 0
        assert "already open on this database" in second.stderr
        assert f"process {first.pid}" in second.stderr
        assert first.poll() is None, "the first window must keep running"
    finally:
        first.terminate()
        first.wait(timeout=30)
    till = open_till(db)
    try:
        assert Integrity(till).check().ok
    finally:
        till.close()


@pytest.mark.slow
def test_refusal_speaks_the_system_language(tmp_path: Path) -> None:
    db = tmp_path / "loyalty.db"
    env = _env(tmp_path)
    first = _window(db, env)
    try:
        _wait_for(lambda: (tmp_path / "loyalty.db.lock").exists() or first.poll() is not None)
        env_ru = dict(env, LANG="ru_RU.UTF-8", LC_ALL="ru_RU.UTF-8")
        second = subprocess.run(
            [sys.executable, "-m", "terminal", "--db", str(db)],
            env=env_ru,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode != 0
        assert "Касса уже открыта на этой базе данных" in second.stderr
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    """A crash leaves the lock file behind; the next start must not refuse the shop."""
    from terminal.i18n_text import core_application
    from terminal.ui.single_instance import hold_database, lock_path

    core_application()
    db = tmp_path / "loyalty.db"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], text=True,
                          capture_output=True, check=True).stdout.strip()  # fmt: skip
    lock_path(db).write_text(f"{dead}\nloyalty-terminal\n{os.uname().nodename}\n")
    lock = hold_database(db)
    assert lock.isLocked()
    lock.unlock()
