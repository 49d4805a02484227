"""Files the owner asks for, on a full, missing or read-only disk: one plain sentence, no
"unexpected error", nothing half-written left behind and nothing changed in the database.

The full disk is the real thing (a small tmpfs filled up, as in ``test_disk_full_writes``); the
read-only folder is a tmpfs mounted read-only (root ignores a folder's permission bits) or, for
an ordinary user, a folder without write permission.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.cli_helpers import run_cli, run_json
from tests.e2e.test_disk_full_writes import _fill_disk

STORAGE = 8


def _sha(db: Path) -> str:
    """The database's bytes with everything in the WAL copied in: equal means unchanged."""
    conn = sqlite3.connect(str(db))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return hashlib.sha256(db.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("shop") / "loyalty.db"
    olena = run_json(db, "customer", "add", "--name", "Олена Коваленко", "--phone", "0671234567")
    run_json(db, "sale", "--card", olena["card"], "--amount", "300")
    return db


@pytest.fixture
def full(tiny_tmpfs: Path) -> Path:
    _fill_disk(tiny_tmpfs)
    return tiny_tmpfs


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mount = ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)]
    if subprocess.run(mount).returncode:
        pytest.skip("cannot mount a read-only tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _refused(db: Path, *args: str) -> str:
    """Run a command that must be refused; returns its one line on stderr."""
    before = _sha(db)
    done = run_cli(db, *args)
    assert done.returncode == STORAGE, done.stderr
    assert "unexpected error" not in done.stderr and "Errno" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert _sha(db) == before
    return lines[0].removeprefix("loyalty-terminal: ")


@pytest.mark.parametrize(
    "command",
    [
        ("export", "customers", "--out", "{dir}/c.csv"),
        ("export", "customers", "--out", "{dir}/c.xlsx"),
        ("program", "export", "{dir}/p.json"),
        ("customer-data", "export", "0671234567", "--out", "{dir}/x.json"),
        ("backup", "--out", "{dir}/b.db"),
    ],
)
def test_a_full_disk_is_said_in_plain_words_and_leaves_no_file(
    shop: Path, full: Path, command: tuple[str, ...]
) -> None:
    args = [part.format(dir=full) for part in command]
    target = Path(args[-1])
    said = _refused(shop, *args)
    assert said == f"Cannot write {target}: there is no room left on the disk."
    assert sorted(p.name for p in full.iterdir()) == ["ballast.bin"]


def test_a_backup_that_runs_out_of_room_half_way_leaves_no_journal(shop: Path, full: Path) -> None:
    ballast = full / "ballast.bin"
    os.truncate(ballast, ballast.stat().st_size - 64 * 1024)  # room to start, not to finish
    said = _refused(shop, "backup", "--out", str(full / "b.db"))
    assert said == f"Cannot write {full / 'b.db'}: there is no room left on the disk."
    assert sorted(p.name for p in full.iterdir()) == ["ballast.bin"]


@pytest.mark.parametrize(
    "command",
    [
        ("export", "customers", "--out", "{dir}/c.csv"),
        ("program", "export", "{dir}/p.json"),
        ("backup", "--out", "{dir}/b.db"),
    ],
)
def test_a_read_only_folder_is_said_in_plain_words(
    shop: Path, read_only: Path, command: tuple[str, ...]
) -> None:
    args = [part.format(dir=read_only) for part in command]
    said = _refused(shop, *args)
    reason = "the disk is read-only" if os.geteuid() == 0 else "access is denied"
    assert said == f"Cannot write {args[-1]}: {reason}."
    assert list(read_only.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [("export", "customers", "--out", "{dir}/c.csv"), ("program", "export", "{dir}/p.json")],
)
def test_a_missing_folder_is_said_in_plain_words(
    shop: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    args = [part.format(dir=tmp_path / "no-such-folder") for part in command]
    said = _refused(shop, *args)
    assert said == f"Cannot write {args[-1]}: the file or its folder does not exist."
    assert not (tmp_path / "no-such-folder").exists()


def _stock_numbers(db: Path) -> int:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute("SELECT COUNT(*) FROM card").fetchone()[0]
    finally:
        conn.close()


def test_a_card_batch_for_a_read_only_folder_reserves_no_numbers(
    shop: Path, read_only: Path, tmp_path: Path
) -> None:
    cards = _stock_numbers(shop)
    said = _refused(shop, "cards", "batch", "--count", "10", "--out", str(read_only / "b.pdf"))
    reason = "the disk is read-only" if os.geteuid() == 0 else "access is denied"
    assert said == f"Cannot write {read_only / 'b.pdf'}: {reason}."
    pdf, csv = str(tmp_path / "b.pdf"), str(read_only / "b.csv")
    said = _refused(shop, "cards", "batch", "--count", "10", "--out", pdf, "--csv", csv)
    assert said == f"Cannot write {csv}: {reason}."
    assert _stock_numbers(shop) == cards
    assert list(read_only.iterdir()) == [] and not (tmp_path / "b.pdf").exists()


def test_an_unreadable_import_file_is_said_in_plain_words(shop: Path, tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text("name,phone\nTaras,0671111111\n", encoding="utf-8")
    source.chmod(0o000)
    args = [sys.executable, "-m", "terminal", "--db", str(shop), "import", "customers", str(source)]
    if os.geteuid() == 0:  # root reads any file: drop the capabilities that let it
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: every file is readable")
        args = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *args]
    before = _sha(shop)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == STORAGE, done.stderr
    assert done.stderr.strip() == f"loyalty-terminal: Cannot read {source}: access is denied."
    assert _sha(shop) == before


def test_a_csv_with_an_unclosed_quote_is_refused_with_its_line(shop: Path, tmp_path: Path) -> None:
    """Before: the quote swallowed every following line into one name, imported as one
    customer called "unterminated,0671111111 ok,0672222222"."""
    source = tmp_path / "broken.csv"
    source.write_bytes(b'name,phone\n"unterminated,0671111111\nok,0672222222\n')
    before = _sha(shop)
    done = run_cli(shop, "import", "customers", str(source))
    assert done.returncode == 3, done.stderr
    assert done.stderr.strip() == (
        "loyalty-terminal: broken.csv cannot be read: the quotation marks on line 2 do not pair "
        "up; correct that line and import again."
    )
    assert _sha(shop) == before


def test_an_excel_unicode_text_file_is_read_as_utf16(shop: Path, tmp_path: Path) -> None:
    """Excel's "Unicode text": UTF-16 with a BOM, tab-separated (before: read as cp1251)."""
    source = tmp_path / "unicode.txt"
    text = "Имя\tТелефон\r\nОлена Коваленко\t0679990001\r\nТарас Шевченко\t0679990002\r\n"
    source.write_bytes(text.encode("utf-16"))
    dry = run_json(shop, "import", "customers", str(source), "--dry-run")
    assert dry["rows"] == 2 and dry["good"] == 2, dry
    imported = run_json(shop, "import", "customers", str(source))
    assert imported["imported"] == 2
    shown = run_json(shop, "customer", "show", "0679990002")
    assert shown["name"] == "Тарас Шевченко", shown
