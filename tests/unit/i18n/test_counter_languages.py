"""The Counter in Russian and Ukrainian at 1366×768: every text is translated, and nothing is
cut off (a one-line label or a button narrower than its text would hide words from the cashier).

With ``LOYALTY_SCREENSHOTS=1`` the renders are written to docs/screenshots/counter-{ru,uk}*.png.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QHeaderView, QLabel, QWidget

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.shop_setup import ShopSetup
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.i18n_text import install_translations, remove_translations
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.services import AppServices
from tests.gui.driving import show_main_window

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def shop(till, clock):
    ShopSetup(till).save("Кава і Ко — вул. Хрещатик", "UAH", 1)
    clock.set(datetime(2025, 9, 10, 9, 30))
    olena = Enrollment(till).register(
        CustomerForm("Олена Шевченко", "0671234567", "olena@example.com", "14.03.1988", True)
    )
    for i, amount in enumerate([84050, 123000, 45600, 99900, 152500]):
        clock.advance(days=30, hours=i % 3)
        Counter(till).checkout(SaleRequest(olena.card, amount), new_id())
    clock.set(datetime(2026, 3, 12, 11, 42))
    return olena


@pytest.fixture
def speak(qtbot):
    app = QApplication.instance()
    yield lambda code: install_translations(app, code)
    remove_translations(app)


def clipped(window: QWidget, db_path: Path) -> list[str]:
    """Visible one-line labels and buttons whose text is wider than the room they have."""
    found = []
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if not widget.isVisibleTo(window) or not widget.text() or "<" in widget.text():
            continue
        if str(db_path) in widget.text():
            continue  # the status bar's database path: test folders are long, see the report
        if isinstance(widget, QLabel) and widget.wordWrap():
            continue
        if isinstance(widget, QAbstractButton):
            needed, room = widget.sizeHint().width(), widget.width()
        else:
            metrics = widget.fontMetrics()
            needed = max(metrics.horizontalAdvance(line) for line in widget.text().split("\n"))
            room = widget.contentsRect().width()
        # a parent may cut it off; the screen strip scrolls sideways by design
        shown = widget.visibleRegion().boundingRect().width()
        if widget.property("nav"):
            shown = widget.width()
        if needed > room + 1 or 0 < shown < widget.width() - 1:
            found.append(f"{type(widget).__name__} {widget.text()!r}: {needed} > {room}")
    for header in window.findChildren(QHeaderView):
        if not header.isVisibleTo(window) or header.orientation() != Qt.Orientation.Horizontal:
            continue
        for section in range(header.count()):
            needed = header.sectionSizeFromContents(section).width()
            if header.sectionSize(section) + 1 < needed:
                title = header.model().headerData(section, Qt.Orientation.Horizontal)
                found.append(f"column {title!r}: {needed} > {header.sectionSize(section)}")
    return found


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def shoot(window: QWidget, name: str) -> None:
    settle()
    if os.environ.get("LOYALTY_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / name))


@pytest.mark.parametrize(
    ("code", "welcome", "to_pay"),
    [
        ("ru", "Отсканируйте карту клиента", "К оплате"),
        ("uk", "Відскануйте картку клієнта", "До сплати"),
    ],
)
def test_counter_speaks_the_language_and_nothing_is_cut(
    qtbot, till, tmp_path, shop, speak, code, welcome, to_pay
):
    assert speak(code) == code
    window = show_main_window(qtbot, AppServices(till=till), tmp_path, activate=False)
    qtbot.waitUntil(lambda: window.all_loaded and bool(window.status_place.text()))
    counter = window.current_screen()
    assert isinstance(counter, CounterScreen)
    texts = " ".join(label.text() for label in window.findChildren(QLabel))
    assert welcome in texts
    qtbot.waitUntil(lambda: window.status_place.width() > 50)  # the status bar is laid out
    shoot(window, f"counter-{code}.png")
    problems = clipped(window, till.db_path)
    assert problems == [], "\n".join(problems)

    counter.handle_scan(shop.card)
    qtbot.keyClicks(counter.sale.amount, "640,50")
    window.detector.flush()
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Plus)
    assert counter.sale.to_pay.text() != "—"
    assert to_pay in " ".join(label.text() for label in window.findChildren(QLabel))
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counter.done is not None)
    shoot(window, f"counter-{code}-after-sale.png")
    problems = clipped(window, till.db_path)
    assert problems == [], "\n".join(problems)
