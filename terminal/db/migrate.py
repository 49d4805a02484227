"""Bring a database file to the current schema, keeping a copy of it first.

Runs at every start. A database made by any earlier release upgrades in place through the
Alembic chain; before the first change to an existing file, a consistent copy is taken with
SQLite's online backup API so a failed upgrade can never cost the shop its records.
"""

from __future__ import annotations

import ast
import logging
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("db")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revisions() -> set[str]:
    """The newest revisions, read from the migration files without importing Alembic.

    Alembic costs a second of start-up on a slow till; on almost every start the database is
    already current, so it is imported only when an upgrade is really needed.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.Assign) or len(node.targets) != 1:
                continue
            name = getattr(node.targets[0], "id", None)
            if name not in ("revision", "down_revision"):
                continue
            value = ast.literal_eval(node.value)
            values = set(value) if isinstance(value, tuple | list) else {value}
            (revisions if name == "revision" else parents).update(v for v in values if v)
    return revisions - parents


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).fetchall()
        except OperationalError:  # a new, empty database
            return set()
        finally:
            conn.rollback()
    return {row[0] for row in rows}


def another_programs_file(db_path: Path) -> bool:
    """Whether ``db_path`` is an SQLite file with tables but no ``alembic_version``: every
    database this program made since its first release carries that table, so such a file is
    another program's, named by mistake (``--db`` pointing at the wrong file). It is read
    without changing a byte (no WAL switch, no lock files: immutable when no log is beside
    it); a file SQLite cannot read at all is left to the opening to report."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return False
    wal = db_path.with_name(db_path.name + "-wal")
    uri = f"{db_path.resolve().as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    try:
        with closing(sqlite3.connect(uri, uri=True)) as db:
            names = {
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            }
    except sqlite3.Error:
        return False
    return bool(names) and "alembic_version" not in names


def backup_copy(db_path: Path, dest: Path) -> Path:
    """Consistent copy of a live database (WAL included) through SQLite's backup API."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(db_path))
    try:
        out = sqlite3.connect(str(dest))
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    return dest


def upgrade(engine: Engine, db_path: Path | None, backup_dir: Path | None) -> Path | None:
    """Migrate to head; returns the path of the pre-migration copy when one was made."""
    current = current_revisions(engine)
    heads = head_revisions()
    if current == heads:
        return None
    copy = None
    if current and db_path is not None and db_path.exists() and backup_dir is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        label = "-".join(sorted(current))
        copy = backup_copy(db_path, backup_dir / f"pre-migration-{label}-{stamp}.db")
        log.info("copied the database to %s before migrating", copy)
    from alembic import command

    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
    return copy
