"""The database the command line is pointed at: a damaged or foreign file is named as such (with
the way out, ``restore``), and a mistyped path never starts a new, empty shop."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from tests.e2e.cli_helpers import run_cli, run_json

STORAGE = 8


def _damaged(path: Path) -> str:
    return (
        f"loyalty-terminal: The database {path} is damaged or is not a loyalty terminal "
        "database; put a backup back with “loyalty-terminal restore BACKUP-FILE”."
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sound") / "loyalty.db"
    olena = run_json(db, "customer", "add", "--name", "Олена Коваленко", "--phone", "0671234567")
    run_json(db, "sale", "--card", olena["card"], "--amount", "300")
    run_json(db, "backup", "--out", str(db.parent / "good-backup.db"))
    assert run_cli(db, "check").returncode == 0
    return db


def _text_file(folder: Path, _sound: Path | None = None) -> Path:
    path = folder / "notes.db"
    path.write_text("shopping list: bread, milk\n", encoding="utf-8")
    return path


def _cut_short(folder: Path, sound: Path) -> Path:
    path = folder / "cut.db"
    path.write_bytes(sound.read_bytes()[:8192])
    return path


def _another_programs_file(folder: Path, _sound: Path | None = None) -> Path:
    path = folder / "recipes.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE recipe (name TEXT, steps TEXT)")
        db.execute("INSERT INTO recipe VALUES ('borscht', 'beets first')")
        db.commit()
    return path


@pytest.mark.parametrize("make", [_text_file, _cut_short, _another_programs_file])
def test_a_damaged_or_foreign_file_is_named_and_left_as_it_was(
    tmp_path: Path, sound: Path, make: Callable[[Path, Path], Path]
) -> None:
    db = make(tmp_path, sound)
    before = _sha(db)
    for command in (("check",), ("sale", "--amount", "250")):
        done = run_cli(db, *command)
        assert done.returncode == STORAGE, done.stderr
        assert done.stderr.strip() == _damaged(db)
    assert _sha(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [db.name]


def test_restore_puts_a_backup_back_over_a_damaged_database(tmp_path: Path, sound: Path) -> None:
    db = _text_file(tmp_path)
    restored = run_json(db, "restore", str(sound.parent / "good-backup.db"))
    assert restored["customers"] == 1 and restored["sales"] == 1
    assert run_cli(db, "check").returncode == 0
    kept = list((tmp_path / "backups").glob("damaged-*.db"))
    assert [p.read_text(encoding="utf-8") for p in kept] == ["shopping list: bread, milk\n"]
    assert restored["kept_aside"] == str(kept[0])  # the owner is told where that file went


def test_a_mistyped_database_folder_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    typo = tmp_path / "shpo" / "loyalty.db"
    done = run_cli(typo, "sale", "--amount", "250")
    assert done.returncode == STORAGE, done.stderr
    assert done.stderr.strip() == (
        f"loyalty-terminal: There is no folder {typo.parent} for the database; check the path."
    )
    assert not typo.parent.exists()


def test_loyalty_db_in_a_missing_folder_is_refused_too(tmp_path: Path) -> None:
    typo = tmp_path / "shpo" / "loyalty.db"
    env = {**os.environ, "LOYALTY_DB": str(typo), "PYTHONPATH": str(Path(__file__).parents[2])}
    done = subprocess.run(
        [sys.executable, "-m", "terminal", "check"], capture_output=True, text=True, env=env
    )
    assert done.returncode == STORAGE, done.stderr
    assert "There is no folder" in done.stderr
    assert not typo.parent.exists()


def test_commands_that_make_a_database_still_make_its_folder(tmp_path: Path) -> None:
    new = tmp_path / "new-till" / "loyalty.db"
    run_json(new, "demo", "--customers", "5", "--months", "1")
    assert new.is_file()
    fresh = tmp_path / "fresh.db"  # the folder exists: a new database is made as before
    assert run_json(fresh, "customer", "add", "--name", "Taras")["card"]
