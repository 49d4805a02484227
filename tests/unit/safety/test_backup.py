"""Backups: verified when made, thinned 7/4/12, restored only when sound and ours."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from terminal.app.backup import BackupRefused, Backups, keep_set
from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.integrity import Integrity
from terminal.app.settings import put_setting
from terminal.core.ids import new_id
from tests.unit.safety.conftest import dump_tables


def _some_card(till) -> str:  # type: ignore[no-untyped-def]
    with till.read_driver() as db:
        (number,) = db.execute(
            "SELECT number FROM card WHERE status = 'active' AND customer_id IS NOT NULL LIMIT 1"
        ).fetchone()
    return number


def test_round_trip_restores_every_table_exactly(filled, tmp_path: Path) -> None:
    backups = Backups(filled)
    made = backups.make()
    assert made.sales == 250 and made.customers == 40
    before = dump_tables(made.path)
    # the shop goes on selling after the backup...
    card = _some_card(filled)
    Counter(filled).checkout(SaleRequest(card, 12_345), new_id())
    assert dump_tables(filled.db_path) != before
    # ...then restores it: every table answers as it did when the backup was made
    result = backups.restore(made.path)
    assert dump_tables(filled.db_path) == before
    assert result.sales == 250
    assert Integrity(filled).check().ok
    # the database as it was just before the restore is kept, with the newer sale in it
    assert len(dump_tables(result.kept_aside)["purchase"]) == 251
    # and the till keeps working on the restored data
    Counter(filled).checkout(SaleRequest(card, 500), new_id())
    assert Customers(filled).by_card(card).balance >= 0


def _damaged_copies(good: Path, folder: Path) -> dict[str, Path]:
    data = good.read_bytes()
    middle = len(data) // 2
    flipped = bytearray(data)
    for i in range(middle, middle + 200):
        flipped[i] ^= 0xFF
    copies = {
        "flipped": flipped,
        "truncated": data[: len(data) // 3],
        "header only": data[:100],
        "text": b"name;phone\nAnna;+380501234567\n",
        "empty": b"",
    }
    out = {}
    for name, content in copies.items():
        path = folder / f"{name.replace(' ', '_')}.db"
        path.write_bytes(bytes(content))
        out[name] = path
    return out


def test_damaged_or_foreign_files_are_refused_and_the_database_untouched(
    filled, tmp_path: Path
) -> None:
    backups = Backups(filled)
    good = backups.make().path
    before = dump_tables(filled.db_path)
    reasons = {}
    for name, path in _damaged_copies(good, tmp_path).items():
        with pytest.raises(BackupRefused) as refused:
            backups.restore(path)
        reasons[name] = refused.value.message
        assert dump_tables(filled.db_path) == before, name
    assert "damaged" in reasons["flipped"]
    assert "damaged" in reasons["truncated"]
    assert "not a database" in reasons["text"]
    assert "not a database" in reasons["empty"]
    with pytest.raises(BackupRefused, match="There is no file"):
        backups.restore(tmp_path / "missing.db")
    assert Integrity(filled).check().ok


def test_another_shops_database_is_refused_once_this_till_has_sales(
    filled, tmp_path: Path, clock
) -> None:
    from terminal.app.till import open_till

    other = open_till(tmp_path / "other" / "loyalty.db", clock=clock)
    foreign = Backups(other).make(tmp_path / "foreign.db").path
    other.close()
    before = dump_tables(filled.db_path)
    with pytest.raises(BackupRefused, match="another shop"):
        Backups(filled).restore(foreign)
    assert dump_tables(filled.db_path) == before


def test_a_new_till_without_sales_may_take_another_shops_backup(
    filled, tmp_path: Path, clock
) -> None:
    """Setting up a replacement laptop: the old till's backup goes onto a fresh install."""
    from terminal.app.till import open_till

    backup = Backups(filled).make().path
    fresh = open_till(tmp_path / "new" / "loyalty.db", clock=clock)
    result = Backups(fresh).restore(backup)
    assert result.sales == 250
    assert dump_tables(fresh.db_path)["purchase"] == dump_tables(backup)["purchase"]
    fresh.close()


def test_a_backup_that_fails_the_books_check_is_not_kept(filled) -> None:
    with filled.write_driver() as db:
        db.execute("UPDATE customer SET balance = balance + 1000 WHERE rowid = 1")
    backups = Backups(filled)
    with pytest.raises(BackupRefused, match="books check"):
        backups.make()
    assert backups.list() == []
    status = backups.status()
    assert status.overdue and "books check" in status.last_error


def test_daily_backup_once_a_day_and_the_two_day_warning(till, clock) -> None:
    backups = Backups(till)
    assert backups.status().overdue and backups.status().last_success is None
    assert backups.auto() is not None
    assert backups.auto() is None  # already one today
    assert not backups.status().overdue
    clock.advance(days=1)
    assert backups.auto() is not None
    clock.advance(days=2, minutes=1)
    assert backups.status().overdue  # the counter warns: no backup for two days


def test_mirror_folder_gets_each_backup_and_an_unplugged_one_is_reported(
    till, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    backups = Backups(till)
    backups.set_mirror_dir(str(usb))
    made = backups.make()
    assert made.mirror_path == usb / made.path.name
    assert made.mirror_path.read_bytes() == made.path.read_bytes()
    usb.rename(tmp_path / "unplugged")
    again = backups.make()
    assert again.path.exists() and again.mirror_path is None
    assert "not available" in again.mirror_error
    from terminal.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="does not exist"):
        backups.set_mirror_dir(str(tmp_path / "nowhere"))


def test_rotation_keeps_seven_daily_four_weekly_twelve_monthly() -> None:
    start = datetime(2025, 1, 1, 9, 0)
    stamps = [start + timedelta(days=d, hours=h) for d in range(500) for h in (0, 8)]
    keep = keep_set(stamps)
    newest = max(stamps)
    days = {s.date() for s in keep}
    assert len(keep) <= 7 + 4 + 12
    assert all((newest.date() - timedelta(days=d)) in days for d in range(7))
    assert len({(s.year, s.month) for s in keep}) == 12
    assert newest in keep
    # the newest of each kept day is the one kept
    assert all(s.hour == 17 for s in keep)


def test_rotation_deletes_old_files_in_the_folder(till, clock) -> None:
    backups = Backups(till)
    for _ in range(40):
        backups.make()
        clock.advance(days=1)
    kept = [stamp for stamp, _path in backups.list()]
    assert 7 <= len(kept) <= 23
    assert kept[-1].date() == (clock.now - timedelta(days=1)).date()


def test_backup_refuses_nothing_for_an_empty_till_and_keeps_settings(till) -> None:
    with till.write() as s:
        put_setting(s, "shop_name", "Kvitka", till.now())
    made = Backups(till).make()
    assert dump_tables(made.path)["shop_setting"] == dump_tables(till.db_path)["shop_setting"]


def test_cli_backup_and_restore(filled, tmp_path: Path, capsys) -> None:
    from terminal.cli import main

    db = str(filled.db_path)
    out = tmp_path / "copy.db"
    assert main(["--db", db, "backup", "--out", str(out)]) == 0
    assert "Backup made and verified" in capsys.readouterr().out
    assert dump_tables(out) == dump_tables(filled.db_path)
    bad = tmp_path / "bad.db"
    bad.write_bytes(out.read_bytes()[:5000])
    assert main(["--db", db, "restore", str(bad)]) == 5
    assert "damaged" in capsys.readouterr().err
    assert main(["--db", db, "restore", str(out), "--json"]) == 0
    assert '"sales": 250' in capsys.readouterr().out


def test_only_the_newest_ten_databases_from_before_a_restore_are_kept(till, clock) -> None:
    backups = Backups(till)
    made = backups.make().path
    for _ in range(12):
        clock.advance(minutes=1)
        backups.restore(made)
    kept = sorted(backups.folder.glob("before-restore-*.db"))
    assert len(kept) == 10
    assert kept[-1].name == f"before-restore-{clock.now:%Y%m%d-%H%M%S}.db"
    assert not list(backups.folder.glob("restoring-*"))  # no staging file left behind


def test_backup_out_to_a_folder_uses_the_usual_name(till, tmp_path: Path, clock) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    made = Backups(till).make(usb)
    assert made.path == usb / f"loyalty-{clock.now:%Y%m%d-%H%M%S}.db"
    assert made.path.read_bytes().startswith(b"SQLite format 3")
