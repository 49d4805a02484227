"""Translation build steps: extract strings into the .ts sources and compile .ts into .qm.

The .ts files in resources/translations are the sources translators edit (with Qt Linguist or
by hand); .qm files are build products made by ``packaging/build.py`` or, when running from
source, compiled on demand into the user cache by :func:`ensure_compiled`.
"""

from __future__ import annotations

import shutil
import subprocess
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


def update_sources() -> None:
    """Refresh the .ts files from every string marked for translation in the code."""
    files = [str(p) for p in python_sources()]
    for language in LANGUAGES:
        subprocess.run(
            [
                _tool("lupdate"),
                "-no-obsolete",
                "-locations",
                "none",
                *files,
                "-ts",
                str(ts_path(language)),
            ],
            check=True,
            capture_output=True,
        )


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
    """The .qm for ``language``: shipped with the build, else compiled from source to the cache."""
    ts = ts_path(language)
    shipped = ts.with_suffix(".qm")
    if shipped.exists() and (not ts.exists() or shipped.stat().st_mtime >= ts.stat().st_mtime):
        return shipped
    if not ts.exists():
        return None
    cached = Path(platformdirs.user_cache_dir("loyalty-terminal")) / f"loyalty_{language}.qm"
    if cached.exists() and cached.stat().st_mtime >= ts.stat().st_mtime:
        return cached
    try:
        return compile_ts(ts, cached)
    except (OSError, subprocess.CalledProcessError):
        return None
