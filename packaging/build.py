"""Build the one-folder app for this OS: translations, PyInstaller, then prove the bundle works.

python packaging/build.py            # build into dist/loyalty-terminal
python packaging/build.py --check    # build, then run the bundle's --self-test and report
                                     # its size and cold-start time
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "loyalty-terminal"


def compile_translations() -> None:
    """.ts sources → .qm next to them; the .qm files are build products, never edited."""
    sys.path.insert(0, str(ROOT))
    from terminal.i18n_build import compile_all

    for qm in compile_all():
        print(f"translations: {qm.relative_to(ROOT)}")


def run_pyinstaller() -> None:
    spec = ROOT / "packaging" / "loyalty-terminal.spec"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            str(spec),
        ],
        check=True,
        cwd=ROOT,
    )
    if sys.platform.startswith("linux"):
        shutil.copy(ROOT / "packaging" / "loyalty-terminal.desktop", BUNDLE)
        shutil.copy(ROOT / "packaging" / "icons" / "loyalty-terminal.png", BUNDLE)


def executable() -> Path:
    name = "loyalty-terminal.exe" if sys.platform == "win32" else "loyalty-terminal"
    return BUNDLE / name


def folder_size(path: Path) -> int:
    """Bytes on disk; PyInstaller links some libraries twice, so symlinks are not counted."""
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def check_bundle() -> int:
    """Self-test the built bundle the way a shop would start it: no network, fresh user dirs."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        env.update(
            HOME=home,
            XDG_DATA_HOME=str(Path(home) / "data"),
            XDG_CONFIG_HOME=str(Path(home) / "config"),
            XDG_CACHE_HOME=str(Path(home) / "cache"),
            QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"),
        )
        env.pop("LOYALTY_DB", None)
        before = set(BUNDLE.rglob("*"))
        started, cpu_before = time.perf_counter(), _children_cpu()
        version = subprocess.run(
            [str(executable()), "--version"], env=env, capture_output=True, text=True, check=True
        )
        cold_start = time.perf_counter() - started
        cold_cpu = _children_cpu() - cpu_before
        result = subprocess.run(
            [str(executable()), "--self-test"], env=env, text=True, capture_output=True
        )
        print(result.stdout, end="")
        print(result.stderr, end="", file=sys.stderr)
        printed = _card_from_the_command_line(env, Path(home))
        written = set(BUNDLE.rglob("*")) - before
    print(f"bundle: {BUNDLE} {folder_size(BUNDLE) / 1e6:.1f} MB; {version.stdout.strip()}")
    # CPU time too: on a busy build machine the wall clock mostly measures the other jobs
    print(f"cold start (--version): {cold_start:.2f} s wall, {cold_cpu:.2f} s CPU")
    if written:
        print(f"FAIL: the bundle wrote next to itself: {sorted(map(str, written))[:5]}")
        return 1
    return result.returncode or printed


def _card_from_the_command_line(env: dict[str, str], home: Path) -> int:
    """A card PDF written by the bundle's own command line with no Qt platform named, as an
    owner runs ``loyalty-terminal cards print`` on a till or a server with no display: the
    command makes its own offscreen application, whose plugin must be in the bundle."""
    env = {key: value for key, value in env.items() if key != "QT_QPA_PLATFORM"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    db, pdf = home / "shop.db", home / "card.pdf"
    added = subprocess.run(
        [str(executable()), "--db", str(db), "--json", "customer", "add", "--name", "Olena"],
        env=env,
        capture_output=True,
        text=True,
    )
    if added.returncode != 0:
        print(f"FAIL: customer add from the bundle: {added.stderr.strip()}")
        return 1
    card = json.loads(added.stdout)["card"]
    done = subprocess.run(
        [str(executable()), "--db", str(db), "cards", "print", "--card", card, "--out", str(pdf)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
        print(f"FAIL: cards print from the bundle ({done.returncode}): {done.stderr.strip()}")
        return 1
    print(f"cards print from the bundle's command line: {pdf.stat().st_size} bytes of PDF")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="self-test the bundle after building")
    parser.add_argument("--skip-build", action="store_true", help="only check an existing bundle")
    args = parser.parse_args()
    if not args.skip_build:
        compile_translations()
        run_pyinstaller()
    return check_bundle() if args.check or args.skip_build else 0


if __name__ == "__main__":
    sys.exit(main())
