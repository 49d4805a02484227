"""Bring a database file to the current schema, keeping a copy of it first.

Runs at every start. A database made by any earlier release upgrades in place through the
Alembic chain; before the first change to an existing file, a consistent copy is taken with
SQLite's online backup API so a failed upgrade can never cost the shop its records.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

log = logging.getLogger("db")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


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
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
    return copy
