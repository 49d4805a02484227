"""Devices (F12): the customer display option with one monitor, and the slip printer settings."""

from __future__ import annotations

import socket

from escpos.printer import Dummy
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from terminal.app.slip import SlipPrinter
from terminal.ui.customer_display import display_link
from terminal.ui.screens import screens
from terminal.ui.services import AppServices
from terminal.ui.shop_devices_screen import ShopDevicesScreen


def _screen(qtbot, till, tmp_path) -> ShopDevicesScreen:  # type: ignore[no-untyped-def]
    services = AppServices(till)
    display_link(services).settings = QSettings(
        str(tmp_path / "ui.ini"), QSettings.Format.IniFormat
    )
    screen = ShopDevicesScreen(services)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_devices_is_an_owner_screen_on_f12() -> None:
    spec = next(s for s in screens() if s.key == "devices")
    assert (spec.shortcut, spec.owner_only) == ("F12", True)


def test_with_one_monitor_the_display_option_explains_itself(qtbot, till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert len(QApplication.screens()) == 1
    screen = _screen(qtbot, till, tmp_path)
    assert not screen.display_on.isEnabled()
    assert "Only one screen is connected" in screen.display_status.text()
    assert "Connect a second monitor" in screen.display_status.text()
    assert screen.link.apply_preference() == ""  # off: nothing to open, nothing fails
    screen.link.show_idle()  # the counter's calls are safe without a display
    screen.link.ask_nps()
    assert screen.link.display is None


def test_slip_printer_settings_are_checked_and_saved(qtbot, till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    screen = _screen(qtbot, till, tmp_path)
    screen.slip_on.setChecked(True)
    qtbot.keyClicks(screen.slip_address, "lpt1")
    qtbot.mouseClick(screen.slip_save, Qt.MouseButton.LeftButton)
    assert "not a printer address" in screen.slip_status.text()
    assert SlipPrinter(till).settings().enabled is False  # nothing saved

    screen.slip_address.clear()
    qtbot.keyClicks(screen.slip_address, "network:192.168.1.50")
    screen.width_58.click()
    qtbot.mouseClick(screen.slip_save, Qt.MouseButton.LeftButton)
    assert screen.slip_status.text() == "Printer settings saved."
    saved = SlipPrinter(till).settings()
    assert (saved.enabled, saved.printer, saved.width_mm) == (True, "network:192.168.1.50", 58)


def test_print_test_slip_reports_success_and_an_offline_printer(qtbot, till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    screen = _screen(qtbot, till, tmp_path)
    device = Dummy()
    screen.slips.connect = lambda _address: device
    qtbot.keyClicks(screen.slip_address, "usb:0416:5011")
    qtbot.mouseClick(screen.slip_test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.slip_test.isEnabled())
    assert screen.slip_status.text() == "Test slip printed. Check the paper."
    assert b"TEST SLIP" in device.output

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    screen.slips.connect = SlipPrinter(till).connect
    screen.slip_address.clear()
    qtbot.keyClicks(screen.slip_address, f"network:127.0.0.1:{port}")
    qtbot.mouseClick(screen.slip_test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "is not connected" in screen.slip_status.text(), timeout=5000)
    assert "Check its cable and power" in screen.slip_status.text()


def test_a_sale_slip_prints_off_the_ui_thread(qtbot, till) -> None:  # type: ignore[no-untyped-def]
    from terminal.app.counter import Counter, SaleRequest
    from terminal.app.enrollment import Enrollment
    from terminal.core.customer_form import CustomerForm
    from terminal.ui.slip_printing import print_in_background

    card = Enrollment(till).register(CustomerForm("Olha", "0671112233")).card
    result = Counter(till).checkout(SaleRequest(card, 30_000), "sale-bg")
    device = Dummy()
    slips = SlipPrinter(till, lambda _address: device)
    slips.save_settings(True, "usb:0416:5011", 80)
    outcomes: list = []
    print_in_background(lambda: slips.print_sale(result), outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes))
    assert outcomes[0].printed
    assert f"+{result.points_earned}".encode() in device.output


def test_a_test_slip_without_an_address_points_to_the_field_above(qtbot, till, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The owner is on the Devices screen already: the message shows where the address goes
    here rather than sending them to "the Devices screen", and the cursor is put in that field."""
    screen = _screen(qtbot, till, tmp_path)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    screen.slip_address.clear()
    qtbot.mouseClick(screen.slip_test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.slip_test.isEnabled())
    qtbot.waitUntil(lambda: "address" in screen.slip_status.text(), timeout=5000)
    assert "Devices" not in screen.slip_status.text()
    assert "above" in screen.slip_status.text()
    assert screen.slip_address.hasFocus()
