"""The Backups screen, driven like an owner would: back up now, choose a second folder, restore
after confirming — and a refusal shown in plain words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from terminal.app.backup import Backups
from terminal.app.counter import Counter, SaleRequest
from terminal.core.ids import new_id
from terminal.ui.backup_screen import BackupsScreen, overdue_warning
from terminal.ui.services import AppServices
from tests.unit.safety.conftest import dump_tables

SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "backups.png"


@pytest.fixture
def screen(filled, qtbot):  # type: ignore[no-untyped-def]
    widget = BackupsScreen(AppServices(till=filled))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def test_back_up_now_then_restore_after_confirming(screen, filled, qtbot, monkeypatch) -> None:
    assert "No backup has been made yet" in screen.last_line.text()
    qtbot.mouseClick(screen.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    assert "Backup made and verified: 40 customers, 250 sales." in screen.message.text()
    assert "Last verified backup" in screen.last_line.text()
    snapshot = dump_tables(Backups(filled).list()[0][1])

    card = dump_tables(filled.db_path)["card"][0][0]
    Counter(filled).checkout(SaleRequest(card, 9_900), new_id())
    screen.table.selectRow(0)
    asked: list[str] = []

    def cancel(*args):  # type: ignore[no-untyped-def]
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    qtbot.mouseClick(screen.restore_selected, Qt.MouseButton.LeftButton)
    assert asked and "kept in" in asked[0]
    assert dump_tables(filled.db_path) != snapshot  # cancelled: nothing replaced
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(screen.restore_selected, Qt.MouseButton.LeftButton)
    assert "Restored 40 customers and 250 sales" in screen.message.text()
    assert dump_tables(filled.db_path) == snapshot


def test_damaged_file_is_refused_on_screen(screen, filled, qtbot, monkeypatch, tmp_path) -> None:
    bad = tmp_path / "from-usb.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 300)
    before = dump_tables(filled.db_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(bad), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(screen.restore_file, Qt.MouseButton.LeftButton)
    assert "damaged" in screen.message.text()
    assert dump_tables(filled.db_path) == before


def test_mirror_folder_and_screenshot(screen, filled, qtbot, monkeypatch, tmp_path, clock) -> None:
    usb = tmp_path / "USB-STICK"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: str(usb))
    qtbot.mouseClick(screen.choose_mirror, Qt.MouseButton.LeftButton)
    assert str(usb) in screen.mirror_line.text()
    backups = Backups(filled)
    for _ in range(3):
        backups.make()
        clock.advance(days=1, hours=2)
    qtbot.mouseClick(screen.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 4, timeout=10_000)
    assert len(list(usb.glob("loyalty-*.db"))) == 4
    assert "Backup made and verified" in screen.message.text()
    if os.environ.get("LOYALTY_SCREENSHOTS"):  # refreshed on demand, not by every test run
        screen.grab().save(str(SCREENSHOT))


def test_counter_warning_after_two_days_without_backup(filled, clock) -> None:
    backups = Backups(filled)
    assert "No backup" in (overdue_warning(backups.status()) or "")
    backups.make()
    assert overdue_warning(backups.status()) is None
    clock.advance(days=2, hours=1)
    assert "No successful backup since" in (overdue_warning(backups.status()) or "")
