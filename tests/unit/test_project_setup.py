"""The promises the README makes about setting up: two commands, and CI runs the second."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", setup, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2, commands
    assert commands[0].endswith("loyalty-terminal"), "the first command must start the app"
    assert "pytest" in commands[1], "the second command must run the test suite"


def test_ci_runs_the_readme_test_command_as_written() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci.splitlines()


def test_every_package_is_installed() -> None:
    """A new package folder that pyproject does not list would be missing from a pip install."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "terminal").rglob("__init__.py")
    }
    assert found - listed == set(), "add these packages to pyproject.toml"
    assert "terminal.resources" in listed


def test_a_wheel_ships_the_resources(tmp_path: Path) -> None:
    """``pip install .`` must bring translations and icons, not only the Python files."""
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "terminal/resources/icons/app.png",
        "terminal/resources/translations/loyalty_ru.ts",
        "terminal/resources/translations/loyalty_uk.ts",
        "terminal/db/migrations/versions/0001_initial_schema.py",
        "terminal/db/migrations/script.py.mako",
    ):
        assert needed in names, needed
