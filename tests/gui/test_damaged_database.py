"""A till whose database file is damaged offers to put the newest backup back when the window
starts, instead of sending the owner to the command line; the damaged file is always kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from terminal.app.backup import Backups
from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.till import DamagedDatabase, open_till
from terminal.core.customer_form import CustomerForm
from terminal.ui.damaged_database import offer_restore

DAMAGE = b"this is not a database any more" * 100


def _damaged_shop(tmp_path: Path, clock, *, backup: bool) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop" / "loyalty.db"
    till = open_till(db, clock=clock)
    card = Enrollment(till).register(CustomerForm("Olena Koval", "0671234567")).card
    Counter(till).checkout(SaleRequest(card, 300_00))
    if backup:
        Backups(till).make()
    till.close()
    for end in ("-wal", "-shm"):
        Path(f"{db}{end}").unlink(missing_ok=True)
    db.write_bytes(DAMAGE)
    return db, card


def _refused(db: Path) -> DamagedDatabase:
    with pytest.raises(DamagedDatabase) as refused:
        open_till(db)
    return refused.value


def _next_box(act: Callable[[QMessageBox], None]) -> None:
    """Run ``act`` on the next message box as soon as it is up. Only buttons are pressed and
    texts read, so unlike ``driving.when_modal`` it does not wait for the box to be the active
    window (offscreen, a box without a parent window is not always made active)."""

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            act(box)
        else:
            QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)


def _press(label_start: str, then: list[str]) -> None:
    """Press the button starting with ``label_start`` in the next message box, then note the
    text of the box that follows it (and close that one)."""

    def answer(box: QMessageBox) -> None:
        _next_box(lambda after: (then.append(after.text()), after.accept()))
        next(b for b in box.buttons() if b.text().startswith(label_start)).click()

    _next_box(answer)


def test_the_newest_backup_is_put_back_and_the_damaged_file_kept(qtbot, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    db, card = _damaged_shop(tmp_path, clock, backup=True)
    said: list[str] = []
    _press("Restore the backup of", said)
    till = offer_restore(_refused(db))
    assert till is not None
    try:
        assert Customers(till).by_card(card).name == "Olena Koval"
        kept = list((db.parent / "backups").glob("damaged-*.db"))
        assert [p.read_bytes() for p in kept] == [DAMAGE]
        assert said and said[0].startswith("Restored 1 customer and 1 sale from ")
        assert said[0].endswith(f"The data as it was is kept in {kept[0]}.")
    finally:
        till.close()


def test_closing_instead_leaves_the_damaged_file_where_it_is(qtbot, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    db, _card = _damaged_shop(tmp_path, clock, backup=True)
    _press("Close", [])
    assert offer_restore(_refused(db)) is None
    assert db.read_bytes() == DAMAGE
    assert not list((db.parent / "backups").glob("damaged-*.db"))


def test_without_a_backup_it_says_what_happened(qtbot, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    db, _card = _damaged_shop(tmp_path, clock, backup=False)
    said: list[str] = []
    _next_box(lambda box: (said.append(box.text()), box.accept()))
    assert offer_restore(_refused(db)) is None
    assert said and "is damaged or is not a loyalty terminal database" in said[0]
    assert db.read_bytes() == DAMAGE
