"""Where the app's resources (icons, translations, card assets) are, however it was started.

Installed with pip they are the ``terminal.resources`` package; in a source checkout they are the
top-level ``resources/`` folder; in the PyInstaller bundle they sit at ``terminal/resources``
inside the bundle. Everything that loads a resource asks here.
"""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "resources", package_dir.parent / "resources"):
        if (candidate / "__init__.py").is_file():
            return candidate
    raise FileNotFoundError("the app's resources folder is missing from this installation")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
