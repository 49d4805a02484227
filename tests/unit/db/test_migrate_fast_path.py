"""Start-up reads the schema revision without Alembic; it must agree with Alembic exactly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from terminal.db.migrate import alembic_config, head_revisions


def test_heads_read_from_the_files_equal_alembics() -> None:
    assert head_revisions() == set(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    script = (
        "import sys\n"
        "from terminal.app.till import open_till\n"
        f"open_till({str(db)!r}).close()\n"  # creates and migrates: Alembic is needed here
        "for name in [m for m in sys.modules if m.startswith('alembic')]:\n"
        "    del sys.modules[name]\n"
        f"open_till({str(db)!r}).close()\n"  # already current: Alembic stays unloaded
        "print(any(m.startswith('alembic') for m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
