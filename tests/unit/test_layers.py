"""The layers are checked, not hoped for: imports point down only.

* ``terminal/core`` is pure: no Qt, no SQL, no database modules;
* ``terminal/ui`` never reaches the database directly (it calls ``terminal.app``);
* ``terminal/cli`` never imports the GUI at module level (the GUI starts lazily, only when no
  sub-command is given), so scripts run without a display.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "terminal"

FORBIDDEN = {
    "core": ("PySide6", "shiboken6", "sqlalchemy", "sqlmodel", "sqlite3", "alembic",
             "terminal.db", "terminal.app", "terminal.ui", "terminal.cli", "terminal.sync"),
    "ui": ("terminal.db", "sqlite3", "sqlalchemy", "sqlmodel"),
    "cli": ("terminal.ui", "PySide6"),
}  # fmt: skip


def imports(
    tree: ast.AST, *, module_level_only: bool, package: str = "terminal"
) -> list[tuple[int, str]]:
    """(line, module) for every import, relative ones resolved against ``package``; with
    ``module_level_only``, imports inside functions (lazy imports) are skipped."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            counted = not (module_level_only and nested)
            if isinstance(child, ast.Import) and counted:
                found.extend((child.lineno, alias.name) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and counted:
                base = package.split(".")[: len(package.split(".")) - child.level + 1]
                if child.level == 0:
                    base = []
                module = ".".join([*base, *([child.module] if child.module else [])])
                found.append((child.lineno, module))
            visit(child, inner)

    visit(tree, False)
    return found


def violations(layer: str, *, module_level_only: bool) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
        for line, module in imports(tree, module_level_only=module_level_only, package=package):
            if any(module == f or module.startswith(f + ".") for f in FORBIDDEN[layer]):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    return bad


@pytest.mark.parametrize(
    ("layer", "module_level_only"), [("core", False), ("ui", False), ("cli", True)]
)
def test_layer_imports_point_down(layer: str, module_level_only: bool) -> None:
    assert violations(layer, module_level_only=module_level_only) == []


def test_the_checker_sees_violations() -> None:
    source = (
        "import sqlite3\n"
        "from PySide6.QtWidgets import QWidget\n"
        "from terminal.db.models import Card\n"
        "def later():\n"
        "    from terminal.ui.app import run_gui\n"
    )
    tree = ast.parse(source)
    assert [m for _, m in imports(tree, module_level_only=False)] == [
        "sqlite3",
        "PySide6.QtWidgets",
        "terminal.db.models",
        "terminal.ui.app",
    ]
    assert "terminal.ui.app" not in [m for _, m in imports(tree, module_level_only=True)]
    relative = ast.parse("from ..db import models\nfrom . import screens\n")
    assert [m for _, m in imports(relative, module_level_only=False, package="terminal.ui")] == [
        "terminal.db",
        "terminal.ui",
    ]
