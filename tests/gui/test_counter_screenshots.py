"""The counter, registration and desk render at 1366×768 without anything cut off.

With ``LOYALTY_SCREENSHOTS=1`` the renders are also written to docs/screenshots/ (the pictures
the README shows); the checks run either way.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.refunds import Refunds
from terminal.app.shop_setup import ShopSetup
from terminal.core.checkout import MAX
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.customer_desk import CustomerDesk
from terminal.ui.registration import RegistrationDialog
from terminal.ui.services import AppServices
from tests.gui.driving import show_main_window

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def over_window(window: QWidget, dialog: QWidget) -> QPixmap:
    """The dialog as the cashier sees it: centred over the dimmed till window."""
    picture = window.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(15, 30, 45, 110))
    shot = dialog.grab()
    painter.drawPixmap(
        (picture.width() - shot.width()) // 2, (picture.height() - shot.height()) // 2, shot
    )
    painter.end()
    return picture


def save(widget: QWidget, name: str, picture: QPixmap | None = None) -> None:
    for _ in range(3):  # let pending layout passes (posted by the last keystroke) run
        QApplication.processEvents()
    picture = picture if picture is not None else widget.grab()
    image = picture.toImage()
    assert not image.isNull() and image.width() >= widget.width()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    }
    assert len(colours) > 5, f"{name} rendered blank"
    if os.environ.get("LOYALTY_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        picture.save(str(SHOTS / name))


@pytest.fixture
def shop(till, clock):
    """A shop with a few months of history: a regular customer near her birthday."""
    ShopSetup(till).save("Kava & Co — Main Street", "UAH", 1)
    clock.set(datetime(2025, 3, 10, 9, 30))
    friend = Enrollment(till).register(CustomerForm("Andrii Kovalenko", "0509876543"))
    olena = Enrollment(till).register(
        CustomerForm("Olena Shevchenko", "0671234567", "olena@example.com", "14.03.1988", True),
        referrer_card=friend.card,
    )
    amounts = [84050, 123000, 45600, 99900, 152500, 67800, 38900, 215000, 74300]
    sales = []
    for i, amount in enumerate(amounts):
        clock.advance(days=36, hours=i % 3)
        redeem = MAX if i == 6 else None
        request = (
            SaleRequest(olena.card, amount, redeem) if redeem else SaleRequest(olena.card, amount)
        )
        sales.append(Counter(till).checkout(request, new_id()))
    clock.advance(days=1)
    Refunds(till).refund(sales[-2].sale_id, 10000)
    clock.set(datetime(2026, 3, 12, 11, 42))
    return olena


@pytest.fixture
def english_locale():
    """The app sets the shop's locale at start (terminal.ui.i18n); pictures use en_GB."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def window(qtbot, till, tmp_path, shop, english_locale):
    w = show_main_window(qtbot, AppServices(till=till), tmp_path, activate=False)
    qtbot.waitUntil(lambda: w.all_loaded and bool(w.status_place.text()))
    return w


def test_counter_renders_at_1366x768(qtbot, window, shop) -> None:
    assert window.minimumSizeHint().width() <= 1366 and window.minimumSizeHint().height() <= 768
    counter = window.current_screen()
    assert isinstance(counter, CounterScreen)
    save(window, "counter-empty.png")
    counter.handle_scan(shop.card)
    qtbot.keyClicks(counter.sale.amount, "640,50")
    window.detector.flush()
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Plus)
    assert counter.sale.to_pay.text() != "—"
    save(window, "counter-customer.png")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None
    save(window, "counter-after-sale.png")
    qtbot.keyClick(counter.nps.score, Qt.Key.Key_Escape)
    counter.handle_scan("2010000000015")
    assert "check digit" in counter.message.text()
    save(window, "counter-error.png")


def test_registration_and_history_render(qtbot, window, shop) -> None:
    dialog = RegistrationDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Maria Lysenko")
    qtbot.keyClicks(dialog.phone, "063 555 12 34")
    qtbot.keyClicks(dialog.birthday, "02.11.1994")
    dialog.referrer.setText(shop.card)
    window.detector.flush()
    assert dialog.name.text() == "Maria Lysenko" and dialog.birthday.text() == "02.11.1994"
    assert not dialog.consent.isChecked()
    save(dialog, "registration.png", over_window(window, dialog))
    dialog.close()
    window.show_screen("customers")
    desk = window.current_screen()
    assert isinstance(desk, CustomerDesk)
    qtbot.keyClicks(desk.search, "Olena")
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    assert desk.history is not None
    desk.tabs.setCurrentIndex(1)
    save(window, "customer-history.png")


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_owner_screens_fit_in_one_menu_at_both_sizes(qtbot, window, shop, size) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    window.show_screen("program")
    assert window.owner_button.isChecked() and "Program" in window.owner_button.text()
    header = window.owner_button.parentWidget()
    assert header is not None
    # every header item is inside the window: nothing clipped, nothing scrolled away
    qtbot.waitUntil(lambda: window.owner_button.geometry().right() < header.width())
    assert window.owner_button.width() >= window.owner_button.sizeHint().width()  # not elided
    assert window.nav_buttons["customers"].geometry().right() < window.owner_button.x()
    name = "owner-menu.png" if size[0] == 1366 else "owner-menu-1920.png"
    window.owner_menu.popup(
        window.owner_button.mapToGlobal(window.owner_button.rect().bottomLeft())
    )
    qtbot.waitExposed(window.owner_menu)
    picture = window.grab()
    painter = QPainter(picture)
    spot = window.owner_button.mapTo(window, window.owner_button.rect().bottomRight())
    menu = window.owner_menu.grab()
    painter.drawPixmap(spot.x() - menu.width(), spot.y(), menu)
    painter.end()
    save(window, name, picture)
    window.owner_menu.hide()
