"""What SQLite's failures become for the person at the till, in plain words."""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from pathlib import Path

import pytest

from terminal.core.errors import StorageError
from terminal.db import engine

Usage = namedtuple("Usage", "total used free")


@pytest.mark.parametrize("error", ["disk I/O error", "unable to open database file"])
def test_a_file_that_cannot_be_opened_on_a_full_disk_is_said_to_be_on_a_full_disk(
    error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite cannot create a WAL database's shared-memory file on a full disk, even to read,
    and says only "disk I/O error": the free space tells the owner what to do."""
    failure = sqlite3.OperationalError(error)
    db = tmp_path / "loyalty.db"
    monkeypatch.setattr(engine.shutil, "disk_usage", lambda _path: Usage(10**9, 10**9, 4096))
    full = engine.storage_error(failure, db)
    assert isinstance(full, StorageError)
    assert full.message == "The disk is full: nothing was saved. Free some space and try again."
    monkeypatch.setattr(engine.shutil, "disk_usage", lambda _path: Usage(10**9, 0, 10**9))
    gone = engine.storage_error(failure, db)
    assert isinstance(gone, StorageError)
    assert gone.message == "The database file cannot be reached: nothing was saved."
    assert engine.storage_error(failure).message == gone.message  # no file known: no guess
