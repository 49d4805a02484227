"""The customer display: what the customer reads during and after a sale, and that it forgets.

With ``LOYALTY_SCREENSHOTS=1`` the renders are also written to docs/screenshots/.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.shop_setup import ShopSetup
from terminal.core.checkout import Redeem, RedeemMode
from terminal.core.customer_form import CustomerForm
from terminal.ui.customer_display import (
    CustomerDisplay,
    DisplayPreference,
    display_preference,
    save_display_preference,
    second_screen_status,
)
from terminal.ui.services import AppServices
from tests.gui.fitting import cut_texts, language

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    image = widget.grab().toImage()
    # A dense sample: a calm page is mostly background, so a coarse grid may miss the text.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    }
    assert len(colours) > 5, f"{name} rendered blank"
    if os.environ.get("LOYALTY_SCREENSHOTS"):
        image.save(str(SHOTS / name))


def _display(qtbot, till) -> CustomerDisplay:  # type: ignore[no-untyped-def]
    display = CustomerDisplay(AppServices(till))
    qtbot.addWidget(display)
    display.resize(1366, 768)
    display.show()
    qtbot.waitExposed(display)
    return display


def test_after_a_sale_the_customer_sees_points_earned_and_new_balance(qtbot, till) -> None:  # type: ignore[no-untyped-def]
    ShopSetup(till).save("Kava & Khlib", "UAH", 1)
    olha = Enrollment(till).register(CustomerForm("Olha Petrenko", "0671112233"))
    display = _display(qtbot, till)
    assert "Ask for a loyalty card" in display.visible_text()

    display.show_customer(Customers(till).by_card(olha.card))
    assert "Hello, Olha!" in display.visible_text()
    assert "Petrenko" not in display.visible_text()  # first name only
    assert "100" in display.balance.text()  # the welcome points
    _shot(display, "customer-display-customer.png")

    result = Counter(till).checkout(
        SaleRequest(olha.card, 84_000, Redeem(RedeemMode.POINTS, 50)), "sale-display"
    )
    display.show_sale(result, Customers(till).get(olha.customer_id))

    text = display.visible_text()
    assert display.earned.text() == f"+{result.points_earned}"
    assert result.points_earned > 0
    assert display.new_balance.text() == str(result.balance)
    assert "You paid with 50 points" in text
    assert "Thank you, Olha!" in text
    assert "more to Silver" in display.sale_tier.text()
    _shot(display, "customer-display-sale.png")


def test_next_customer_never_sees_the_previous_one(qtbot, till) -> None:  # type: ignore[no-untyped-def]
    olha = Enrollment(till).register(CustomerForm("Olha", "0671112233"))
    ivan = Enrollment(till).register(CustomerForm("Ivan", "0671112234", birthday=date(1990, 3, 4)))
    display = _display(qtbot, till)
    result = Counter(till).checkout(SaleRequest(olha.card, 10_000), "s1")
    display.show_sale(result, Customers(till).get(olha.customer_id))
    display.show_customer(Customers(till).by_card(ivan.card))
    everything = "\n".join(label.text() for label in display.findChildren(type(display.hello)))
    assert "Olha" not in everything
    assert "Hello, Ivan!" in display.visible_text()
    assert "Happy birthday" in display.visible_text()  # birthday on 4 March, today is 2 March


def test_nps_question_and_the_cashiers_answer(qtbot, till) -> None:  # type: ignore[no-untyped-def]
    display = _display(qtbot, till)
    display.ask_nps()
    assert "recommend us" in display.visible_text()
    display.nps_answered(9)
    assert display.scores[9].property("chosen") is True
    assert display.scores[8].property("chosen") is False
    assert "Thank you" in display.visible_text()
    _shot(display, "customer-display-nps.png")


def test_idle_timeout_clears_the_customer(qtbot, till) -> None:  # type: ignore[no-untyped-def]
    ShopSetup(till).save("Kava & Khlib", "UAH", 1)
    olha = Enrollment(till).register(CustomerForm("Olha", "0671112233"))
    display = _display(qtbot, till)
    display.show_customer(Customers(till).by_card(olha.card))
    display.idle_timer.start(10)
    qtbot.waitUntil(lambda: display.customer_id is None, timeout=2000)
    assert "Olha" not in display.visible_text()
    assert "Ask for a loyalty card" in display.visible_text()
    assert "5% of every purchase back in points, up to 10% at Gold" in display.visible_text()
    _shot(display, "customer-display-idle.png")


def test_with_one_screen_the_option_explains_itself(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert len(QApplication.screens()) == 1  # offscreen: the till's own screen only
    assert "Only one screen is connected" in second_screen_status()
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    save_display_preference(DisplayPreference(True, "HDMI-1"), settings)
    assert display_preference(settings) == DisplayPreference(True, "HDMI-1")


@pytest.mark.parametrize("code", ["en", "ru", "uk"])
@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (1920, 1080)])
def test_the_birthday_and_new_tier_banners_read_whole(qtbot, till, code, size) -> None:  # type: ignore[no-untyped-def]
    """The banners "З днем народження!" and "Ласкаво просимо на рівень Silver!" are drawn with
    every line they need (one line where the screen has room), never two lines sliced in half."""
    ivan = Enrollment(till).register(CustomerForm("Ivan", "0671112234", birthday=date(1990, 3, 4)))
    with language(code):
        display = _display(qtbot, till)
        display.resize(*size)
        display.show_customer(Customers(till).by_card(ivan.card))
        assert display.birthday.isVisible()
        assert cut_texts(display) == []
        result = Counter(till).checkout(SaleRequest(ivan.card, 1_200_000), "sale-tier-up")
        display.show_sale(result, Customers(till).get(ivan.customer_id))
        assert display.tier_up.isVisible() and "Silver" in display.tier_up.text()
        assert cut_texts(display) == []


@pytest.mark.parametrize("code", ["en", "ru", "uk"])
def test_every_page_fits_a_1024_by_768_customer_screen(qtbot, till, code) -> None:  # type: ignore[no-untyped-def]
    """Customer displays are often small 1024×768 monitors: the window must not ask for more
    than the screen has (it would run off its right edge), on any page, in any language."""
    ivan = Enrollment(till).register(CustomerForm("Ivan", "0671112234", birthday=date(1990, 3, 4)))
    with language(code):
        display = _display(qtbot, till)
        display.resize(1024, 768)
        pages = {
            "idle": display.show_idle,
            "customer": lambda: display.show_customer(Customers(till).by_card(ivan.card)),
            "sale": lambda: display.show_sale(
                Counter(till).checkout(SaleRequest(ivan.card, 1_200_000), "sale-1024"),
                Customers(till).get(ivan.customer_id),
            ),
            "nps": display.ask_nps,
        }
        for name, show in pages.items():
            show()
            QApplication.processEvents()
            assert display.minimumSizeHint().width() <= 1024, name
            assert display.width() == 1024, name
            assert cut_texts(display) == [], name
        display.nps_answered(10)
        assert cut_texts(display) == []
