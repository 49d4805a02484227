"""What the packaged app relies on, checked without building it (the CI job builds the bundle and
runs its --self-test): no undeclared heavy imports, no network at start, translations shipped."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_MODULES = sorted(p for p in (ROOT / "terminal").rglob("*.py") if "migrations" not in p.parts)


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_app_does_not_import_numpy() -> None:
    """numpy is not a dependency; importing it would also add ~40 MB to the bundle."""
    offenders = [str(p.relative_to(ROOT)) for p in APP_MODULES if "numpy" in _imported(p)]
    assert offenders == []


def test_starting_the_window_reaches_for_no_network(tmp_path: Path) -> None:
    """Import everything the window needs with sockets forbidden: nothing may try to connect."""
    probe = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise SystemExit('network used: ' + repr(a[:2]))\n"
        "socket.socket.connect = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "socket.create_connection = refuse\n"
        "import terminal.cli, terminal.ui.app, terminal.ui.main_window\n"
        "terminal.cli.build_parser()\n"
        "print('ok')\n"
    )
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_the_spec_ships_migrations_and_translations_and_leaves_numpy_out() -> None:
    spec = (ROOT / "packaging" / "loyalty-terminal.spec").read_text(encoding="utf-8")
    assert '"terminal/db/migrations"' in spec
    assert '"terminal/resources"' in spec
    assert '"numpy"' in spec


def test_a_frozen_app_uses_its_shipped_translations(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A bundle has no lrelease and installers do not keep file times: use the shipped .qm."""
    from terminal import i18n_build

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # from source it compiles into the cache

    for language in i18n_build.LANGUAGES:
        shipped = i18n_build.ts_path(language).with_suffix(".qm")
        if not shipped.exists():
            i18n_build.compile_ts(i18n_build.ts_path(language), shipped)
        os.utime(shipped, (1, 1))  # older than the .ts, as an installer may leave it
        monkeypatch.setattr(sys, "frozen", True, raising=False)
        assert i18n_build.ensure_compiled(language) == shipped
        monkeypatch.delattr(sys, "frozen")
        assert i18n_build.ensure_compiled(language) != shipped  # from source: compiled afresh
