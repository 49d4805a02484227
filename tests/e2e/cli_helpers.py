"""Running the real command and looking at the whole database before and after."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def run_cli(db: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    """``python -m terminal --db DB ...`` in a child process, as a script or a shop would."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "LOYALTY_DB": str(db.parent / "unused.db")}
    result = subprocess.run(
        [sys.executable, "-m", "terminal", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed ({result.returncode}): {result.stderr}")
    return result


def run_json(db: Path, *args: str) -> dict[str, Any]:
    result = run_cli(db, *args, "--json", check=True)
    return json.loads(result.stdout)


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: equal dumps mean nothing was written."""
    conn = sqlite3.connect(str(db))
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()
