"""The owner's import screen: file → columns → check → import, driven like the owner would.

With ``LOYALTY_SCREENSHOTS=1`` the renders are also written to docs/screenshots/.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.core.customer_form import CustomerForm
from terminal.ui.import_wizard import ImportWizard
from terminal.ui.screens import screens
from terminal.ui.services import AppServices
from tests.unit.fit.regulars import DB_CARD, DB_PHONE, regulars, write_csv, write_xlsx

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    image = widget.grab().toImage()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    }
    assert len(colours) > 5, f"{name} rendered blank"
    if os.environ.get("LOYALTY_SCREENSHOTS"):
        image.save(str(SHOTS / name))


def _wizard(qtbot, till) -> ImportWizard:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(AppServices(till))
    qtbot.addWidget(wizard)
    wizard.resize(1366, 768)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def test_import_screen_is_an_owner_screen_on_f11() -> None:
    spec = next(s for s in screens() if s.key == "import")
    assert (spec.shortcut, spec.owner_only) == ("F11", True)


def test_dry_run_lists_the_bad_rows_then_imports_the_good_ones(
    qtbot, till, db_path, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    Enrollment(till).register(CustomerForm("Already Here", DB_PHONE), card_number=DB_CARD)
    rows, bad = regulars(1_000)
    path = write_xlsx(tmp_path / "regulars.xlsx", rows)
    wizard = _wizard(qtbot, till)
    changed: list[set[str]] = []
    wizard.services.data.changed.connect(changed.append)

    assert wizard.open_file(path)
    assert wizard.pages.currentWidget() is wizard.map_page
    assert wizard.combos["phone"].currentText() == "Phone"  # guessed from the header
    assert wizard.preview_model.rowCount() == 10
    assert wizard.preview_model.data(wizard.preview_model.index(0, 0)) == "Customer 0"
    _shot(wizard, "import-preview.png")

    qtbot.mouseClick(wizard.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.check_page, timeout=10_000)
    lines = {int(wizard.refused_model.rows[i][0]) for i in range(wizard.refused_model.rowCount())}
    assert lines == set(bad)
    assert "980 of 1" in wizard.summary.text()
    assert not wizard.apply_button.isEnabled()  # refused rows: the owner must choose to skip
    _shot(wizard, "import-dry-run.png")

    wizard.skip.click()
    assert wizard.apply_button.isEnabled()
    assert wizard.apply_button.text() == "Import 980 customers"
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Imported 980 customers" in wizard.message.text(), timeout=20_000)

    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM customer").fetchone() == (981,)
    assert {"customer", "card"} <= changed[-1]
    assert Integrity(till).check().ok


def test_an_unreadable_file_is_explained(qtbot, till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, till)
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0")
    assert not wizard.open_file(bad)
    assert "save the sheet as .xlsx or CSV" in wizard.message.text()
    assert wizard.pages.currentWidget() is wizard.file_page


def test_without_a_name_column_nothing_is_checked(qtbot, till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, till)
    wizard.open_file(write_csv(tmp_path / "r.csv", [["Ann", "0671112233", "", "1", "", ""]]))
    wizard.combos["name"].setCurrentIndex(0)  # "— not in the file —"
    qtbot.mouseClick(wizard.check_button, Qt.MouseButton.LeftButton)
    assert "names" in wizard.message.text()
    assert wizard.pages.currentWidget() is wizard.map_page


def test_export_from_the_import_screen(qtbot, till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    Enrollment(till).register(CustomerForm("Ann", "0671112233", consent=True))
    wizard = _wizard(qtbot, till)
    wizard.export_to(tmp_path / "out.csv")
    assert "Exported 1 customer (1 agreed" in wizard.message.text()
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").count("\n") == 2


def test_one_customer_reads_in_the_singular(qtbot, till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A file of one row: "1 row", "Import 1 customer", "1 of 1 row" — never "1 rows"."""
    wizard = _wizard(qtbot, till)
    assert wizard.open_file(write_csv(tmp_path / "r.csv", [["Ann", "0671112233", "", "", "", ""]]))
    assert wizard.file_label.text() == "r.csv: 1 row, 6 columns"
    qtbot.mouseClick(wizard.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.check_page, timeout=10_000)
    assert wizard.apply_button.text() == "Import 1 customer"
    assert wizard.summary.text().startswith("Rows that can be imported: 1 of 1. ")
    assert " 1 rows" not in wizard.summary.text()
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Imported 1 customer from r.csv" in wizard.message.text())
    assert wizard.progress.format() == "1 of 1 row"  # the bar as the import ended
    wizard.export_to(tmp_path / "out.csv")
    assert "Exported 1 customer (0 agreed" in wizard.message.text()
