"""Translation build steps: extract strings into the .ts sources and compile .ts into .qm.

The .ts files in resources/translations are the sources translators edit (with Qt Linguist or
by hand); .qm files are build products made by ``packaging/build.py`` or, when running from
source, compiled on demand into the user cache by :func:`ensure_compiled`.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import platformdirs

from terminal.assets import resource_path

LANGUAGES = ("ru", "uk")
SOURCE_ROOT = Path(__file__).resolve().parent


def _tool(name: str) -> str:
    """PySide6 ships lupdate/lrelease inside its package; the pyside6-* wrappers call them."""
    import PySide6

    bundled = Path(PySide6.__file__).resolve().parent / name
    if bundled.exists():
        return str(bundled)
    wrapper = shutil.which(f"pyside6-{name}")
    if wrapper:
        return wrapper
    raise FileNotFoundError(f"Qt's {name} tool is not installed (it comes with PySide6)")


def ts_path(language: str) -> Path:
    return resource_path("translations", f"loyalty_{language}.ts")


def python_sources() -> list[Path]:
    return sorted(p for p in SOURCE_ROOT.rglob("*.py") if "migrations" not in p.parts)


_TRANSLATE_FUNCTIONS = {"translate"}  # QCoreApplication.translate / QGuiApplication.translate


def _fixed_context_helper(fn: ast.FunctionDef) -> str | None:
    """The context of a helper ``def _t(text): return X.translate("Ctx", text)`` (or one
    returning ``lambda: X.translate("Ctx", text)``; local imports allowed), else None."""
    body = [n for n in fn.body if not isinstance(n, ast.Import | ast.ImportFrom | ast.Expr)]
    if not fn.args.args or len(body) != 1 or not isinstance(body[0], ast.Return):
        return None
    value = body[0].value
    if isinstance(value, ast.Lambda):
        value = value.body
    param = fn.args.args[0].arg
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in _TRANSLATE_FUNCTIONS
        and len(value.args) >= 2
        and isinstance(value.args[0], ast.Constant)
        and isinstance(value.args[0].value, str)
        and isinstance(value.args[1], ast.Name)
        and value.args[1].id == param
    ):
        return value.args[0].value
    return None


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(SOURCE_ROOT.parent).with_suffix("").parts)


def _module_helpers(tree: ast.Module) -> dict[str, str]:
    """Helper name → context, including module-level aliases (``tr_title = _tr``)."""
    helpers = {
        node.name: context
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and (context := _fixed_context_helper(node))
    }
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name)
            and node.value.id in helpers
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    helpers[target.id] = helpers[node.value.id]
    return helpers


def helper_strings(paths: list[Path]) -> list[tuple[str, str, bool]]:
    """(context, text, plural) that lupdate cannot see, or sees wrongly: calls of fixed-context
    helpers, local or imported (``_tr("Save")`` where ``_tr`` wraps
    ``QCoreApplication.translate("Desk", text)``), plural ``translate`` calls, and plural marks
    ``QT_TRANSLATE_N_NOOP("Ctx", "%n sale(s)")`` (lupdate reads that name only in C++) and the
    calls in ``_PLURAL_MARKS`` that take such a pair."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in paths}
    exported = {_module_name(path): _module_helpers(tree) for path, tree in trees.items()}
    for (module, name), context in _LITERAL_ARGUMENT_CONTEXTS.items():
        exported.setdefault(module, {})[name] = context
    found: list[tuple[str, str, bool]] = []
    for path, tree in trees.items():
        helpers = dict(exported[_module_name(path)])
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in exported:
                for alias in node.names:
                    if alias.name in exported[node.module]:
                        helpers[alias.asname or alias.name] = exported[node.module][alias.name]
        tables = _string_tables(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                if _numerus_translate(node):
                    assert isinstance(node, ast.Call)
                    context, text = (arg.value for arg in node.args[:2])  # type: ignore[attr-defined]
                    found.append((context, text, True))
                continue
            first = node.args[0]
            name = node.func.id
            if name in _PLURAL_MARKS and _literal_strings(node.args[:2]):
                context, text = (arg.value for arg in node.args[:2])  # type: ignore[attr-defined]
                found.append((context, text, True))
                continue
            context = helpers.get(name)
            if context is None:
                continue
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((context, first.value, False))
            elif (table := _looked_up_table(first)) in tables:
                found.extend((context, text, False) for text in tables[table])
    return found


# Calls whose first argument is an English text translated later in a fixed context:
# ``Column("Paid", ...)`` headers are shown through QCoreApplication.translate("Lists", header).
_LITERAL_ARGUMENT_CONTEXTS = {("terminal.ui.customer_list_model", "Column"): "Lists"}


def _string_tables(tree: ast.Module) -> dict[str, list[str]]:
    """Module-level dicts of English labels (``KIND_NAMES = {"earn": "Earned", ...}``)."""
    tables: dict[str, list[str]] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and isinstance(node.value, ast.Dict)
            and node.value.values
            and all(
                isinstance(v, ast.Constant) and isinstance(v.value, str) for v in node.value.values
            )
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    tables[target.id] = [v.value for v in node.value.values]  # type: ignore[union-attr]
    return tables


def _looked_up_table(node: ast.expr) -> str | None:
    """``TABLE.get(key, ...)`` or ``TABLE[key]`` → "TABLE"."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and isinstance(node.func.value, ast.Name)
    ):
        return node.func.value.id
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return node.value.id
    return None


# Calls whose first two literal arguments are a context and a %n plural text: the no-op mark,
# and ``terminal.i18n_text.plural_text("Ctx", "%n day(s)", n)`` / ``Count("Ctx", "…", n)``.
_PLURAL_MARKS = {"QT_TRANSLATE_N_NOOP", "plural_text", "Count"}


def _literal_strings(args: list[ast.expr]) -> bool:
    """Two literal strings (a context and a text), as a translation mark needs."""
    return len(args) == 2 and all(
        isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args
    )


def _numerus_translate(node: ast.AST) -> bool:
    """``X.translate("Ctx", "%n …", None, count)``: lupdate marks it plural only when the count
    is a literal number, so the stub repeats it with one (first occurrence wins)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _TRANSLATE_FUNCTIONS
        and len(node.args) == 4
        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])
        and not isinstance(node.args[3], ast.Constant)
    )


def _helper_stub(folder: Path) -> Path:
    """A Python file of QT_TRANSLATE_NOOP marks for the helper strings, for lupdate to read."""
    lines = [
        f"QCoreApplication.translate({context!r}, {text!r}, None, 1)"
        if plural
        else f"QT_TRANSLATE_NOOP({context!r}, {text!r})"
        for context, text, plural in helper_strings(python_sources())
    ]
    stub = folder / "helper_strings.py"
    stub.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return stub


def update_sources(ts_files: dict[str, Path] | None = None) -> None:
    """Refresh the .ts files from every string marked for translation in the code.

    ``ts_files`` (language → path) lets the completeness test update copies instead.
    """
    targets = ts_files or {language: ts_path(language) for language in LANGUAGES}
    with tempfile.TemporaryDirectory() as tmp:
        # the stub goes first: where it repeats a call, lupdate keeps the first reading
        files = [str(_helper_stub(Path(tmp)))] + [str(p) for p in python_sources()]
        for target in targets.values():
            subprocess.run(
                [
                    _tool("lupdate"),
                    "-no-obsolete",
                    "-locations",
                    "none",
                    *files,
                    "-ts",
                    str(target),
                ],
                check=True,
                capture_output=True,
            )
            _drop_contextless(target)


def _drop_contextless(ts: Path) -> None:
    """lupdate files a call of a module-level ``tr`` helper under an empty context; the helper
    itself supplies the real context (found by :func:`helper_strings`), so drop the empty one."""
    text = ts.read_text(encoding="utf-8")
    cleaned = re.sub(r"<context>\s*<name></name>.*?</context>\s*", "", text, flags=re.S)
    if cleaned != text:
        ts.write_text(cleaned, encoding="utf-8")


def compile_ts(ts: Path, qm: Path) -> Path:
    qm.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([_tool("lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return qm


def compile_all() -> list[Path]:
    return [
        compile_ts(ts_path(lang), ts_path(lang).with_suffix(".qm"))
        for lang in LANGUAGES
        if ts_path(lang).exists()
    ]


def ensure_compiled(language: str) -> Path | None:
    """The .qm for ``language``: shipped with the build, else compiled from source to the cache.

    A packaged app always uses its shipped .qm (file times are not kept reliably by installers,
    and the bundle has no lrelease); from source, a .ts newer than the .qm is compiled again,
    into a cache file named by the .ts content.
    """
    ts = ts_path(language)
    shipped = ts.with_suffix(".qm")
    if shipped.exists() and (
        getattr(sys, "frozen", False)
        or not ts.exists()
        or shipped.stat().st_mtime >= ts.stat().st_mtime
    ):
        return shipped
    if not ts.exists():
        return None
    # Named by the .ts content, not by time: two source trees (a checkout and a copy, or two
    # versions under test) share the user cache, and a newer .qm of the other tree's .ts must
    # never stand in for this one.
    digest = hashlib.sha1(ts.read_bytes()).hexdigest()[:12]
    cached = (
        Path(platformdirs.user_cache_dir("loyalty-terminal")) / f"loyalty_{language}-{digest}.qm"
    )
    if cached.exists():
        return cached
    _forget_old_builds(cached.parent, language)
    try:
        partial = compile_ts(ts, cached.with_name(f"{cached.stem}.{os.getpid()}.partial"))
        os.replace(partial, cached)  # another process never loads a half-written file
        return cached
    except (OSError, subprocess.CalledProcessError):
        return shipped if shipped.exists() else None


STALE_AFTER_S = 24 * 3600


def _forget_old_builds(folder: Path, language: str) -> None:
    """Remove cached .qm files of earlier .ts versions, once nobody is likely to load them."""
    for old in folder.glob(f"loyalty_{language}*.qm"):
        try:
            if time.time() - old.stat().st_mtime > STALE_AFTER_S:
                old.unlink()
        except OSError:  # in use (Windows) or gone already: a cache, nothing to insist on
            continue
