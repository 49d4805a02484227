"""Purchase categories at the counter: absent by default, one key (/) when the shop uses them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from terminal.app.enrollment import Enrollment
from terminal.app.program import ProgramBook
from terminal.core.customer_form import CustomerForm
from terminal.core.program import DEFAULT_PROGRAM
from terminal.core.promotions import Promotion
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.services import AppServices
from tests.gui.driving import scan, show_main_window


def _category_of_last_sale(till) -> str | None:
    with till.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT category FROM purchase ORDER BY created_at DESC LIMIT 1"
        ).scalar_one()


def test_no_categories_no_line_and_no_key(qtbot, till, tmp_path) -> None:
    counter = show_main_window(qtbot, AppServices(till=till), tmp_path).current_screen()
    assert isinstance(counter, CounterScreen)
    assert not counter.sale.category_line.isVisible()
    assert counter.sale.category() is None


def test_slash_picks_the_category_and_its_promotion_applies(qtbot, till, clock, tmp_path) -> None:
    clock.set(datetime(2026, 3, 2, 10, 0))
    ProgramBook(till).save(
        replace(
            DEFAULT_PROGRAM,
            categories=("Coffee", "Pastry"),
            promotions=(Promotion("Coffee", extra_bp=200, categories=("Coffee",)),),
        )
    )
    card = Enrollment(till).register(CustomerForm("Olena", "0671234567")).card
    counter = show_main_window(qtbot, AppServices(till=till), tmp_path).current_screen()
    assert isinstance(counter, CounterScreen)
    qtbot.waitUntil(counter.sale.category_line.isVisible)
    scan(qtbot, card)
    qtbot.waitUntil(lambda: counter.view is not None)
    amount = counter.sale.amount
    qtbot.keyClicks(amount, "1000")
    qtbot.keyClick(amount, Qt.Key.Key_Slash)  # none → Coffee
    # keys pass the scanner-burst detector first, which holds them for a few milliseconds
    qtbot.waitUntil(lambda: counter.sale.category() == "Coffee")
    assert "[Coffee]" in counter.sale.category_line.text()
    qtbot.waitUntil(lambda: "Coffee +2 %" in counter.sale.explanation.text())
    assert counter.sale.earn.text().startswith("+70")  # 5 % + 2 % of 1 000.00
    assert amount.text() == "1000"  # the key never lands in the amount
    qtbot.keyClick(amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _category_of_last_sale(till) == "Coffee")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # skip the score question
    qtbot.waitUntil(lambda: counter.sale.category() is None)  # next customer starts with none


def test_slash_cycles_back_to_none(qtbot, till, tmp_path) -> None:
    ProgramBook(till).save(replace(DEFAULT_PROGRAM, categories=("Coffee", "Pastry")))
    counter = show_main_window(qtbot, AppServices(till=till), tmp_path).current_screen()
    assert isinstance(counter, CounterScreen)
    amount = counter.sale.amount
    for expected in ("Coffee", "Pastry", None):
        qtbot.keyClick(amount, Qt.Key.Key_Slash)
        qtbot.waitUntil(lambda expected=expected: counter.sale.category() == expected)
        qtbot.wait(60)  # a person's pace: the next key is not part of a scanner burst
