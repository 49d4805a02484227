"""The owner edits the program on the Program screen (F8): live example, diff, save, refusals."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.program import ProgramBook
from terminal.core.customer_form import CustomerForm
from terminal.ui.program_screen import ProgramScreen
from terminal.ui.services import AppServices
from tests.gui.driving import show_main_window, when_modal

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def make(qtbot, till) -> ProgramScreen:
    screen = ProgramScreen(AppServices(till=till))
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def retype(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def test_live_example_follows_the_fields(qtbot, till) -> None:
    screen = make(qtbot, till)
    qtbot.waitUntil(lambda: "points earned" in screen.example_text.text())
    assert "Silver" in screen.example_text.text() and "<b>70</b>" in screen.example_text.text()
    retype(qtbot, screen.example_amount, "2000")
    qtbot.waitUntil(lambda: "<b>140</b>" in screen.example_text.text())
    screen.tiers.item(1, 2).setText("10")  # Silver earns 10 % now
    qtbot.waitUntil(lambda: "<b>200</b>" in screen.example_text.text())
    assert "Silver points 7 % → 10 %" in screen.diff_text.text()


def test_save_makes_a_new_version_and_the_next_sale_uses_it(qtbot, till) -> None:
    card = Enrollment(till).register(CustomerForm("Olena", "0671234567")).card
    screen = make(qtbot, till)
    assert not screen.save_button.isEnabled()  # nothing changed yet
    retype(qtbot, screen.welcome, "150")
    qtbot.waitUntil(screen.save_button.isEnabled)
    assert "Welcome bonus: 100 → 150" in screen.diff_text.text()
    qtbot.keyClicks(screen.note, "More welcome points")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    info = ProgramBook(till).current()
    assert (info.version, info.program.welcome_points, info.note) == (2, 150, "More welcome points")
    assert "Saved as version 2" in screen.status.text()
    assert not screen.save_button.isEnabled()
    sale = Counter(till).checkout(SaleRequest(card, 10_000))
    assert sale.program_version == 2


def test_a_wrong_value_is_named_inline_and_cannot_be_saved(qtbot, till) -> None:
    screen = make(qtbot, till)
    retype(qtbot, screen.redeem_cap, "fifty")
    qtbot.waitUntil(screen.problem.isVisible)
    assert "not a percentage" in screen.problem.text()
    assert not screen.save_button.isEnabled()
    retype(qtbot, screen.redeem_cap, "40")
    qtbot.waitUntil(lambda: not screen.problem.isVisible())
    assert screen.save_button.isEnabled()
    assert ProgramBook(till).current().version == 1


def test_a_happy_hour_row_shows_in_the_example_inside_its_hours(qtbot, till, clock) -> None:
    from datetime import datetime

    clock.set(datetime(2026, 3, 2, 17, 0))  # a Monday, 17:00
    screen = make(qtbot, till)
    screen._add_row(screen.promotions, ["Happy hour", "2", "", "Mon–Fri", "16:00–18:00", "", ""])
    qtbot.waitUntil(lambda: "Happy hour ×2" in screen.example_text.text())
    assert "<b>140</b>" in screen.example_text.text()  # Silver 7 % × 2 of 1 000.00
    screen.promotions.item(0, 4).setText("9:00–10:00")
    qtbot.waitUntil(lambda: "Happy hour" not in screen.example_text.text())
    screen.promotions.item(0, 3).setText("Funday")
    qtbot.waitUntil(screen.problem.isVisible)
    assert "not a day of the week" in screen.problem.text()


def test_program_screen_in_the_main_window_screenshot(qtbot, till, clock, tmp_path) -> None:
    from datetime import datetime

    clock.set(datetime(2026, 3, 2, 17, 0))
    window = show_main_window(qtbot, AppServices(till=till), tmp_path, activate=False)
    window.show_screen("program")
    screen = window.current_screen()
    assert isinstance(screen, ProgramScreen)
    screen._add_row(screen.promotions, ["Happy hour", "2", "", "Mon–Fri", "16:00–18:00", "", ""])
    retype(qtbot, screen.welcome, "150")
    qtbot.waitUntil(lambda: "Happy hour ×2" in screen.example_text.text())
    if os.environ.get("LOYALTY_SCREENSHOTS"):
        window.grab().save(str(SCREENSHOTS / "program-settings.png"))


def test_an_export_into_a_missing_folder_is_said_in_words(qtbot, till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    screen = make(qtbot, till)
    said: list[str] = []
    when_modal(qtbot, QMessageBox, lambda box: (said.append(box.text()), box.accept()))
    target = tmp_path / "gone" / "program.json"
    screen.export_to(target)
    assert said and said[0].startswith(f"Cannot write {target}: ")
    assert not target.parent.exists()
    screen.export_to(tmp_path / "program.json")  # and where it can, it is written
    assert (tmp_path / "program.json").is_file()
    assert screen.status.text() == f"Program written to {tmp_path / 'program.json'}."
