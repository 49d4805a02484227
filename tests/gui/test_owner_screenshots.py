"""Screenshots of the Reports dashboard and the Feedback list on demo data at 1366×768
(docs/screenshots/dashboard.png, feedback.png), the dashboard printed to PDF, the Staff
screen with its owner's log (staff.png), Settings → Sync with conflicts (sync-settings.png)
and the status bar of a till whose clock was set back (clock-set-back.png)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from terminal.app.counter import Counter, SaleRequest
from terminal.app.demo import Demo, DemoPlan
from terminal.app.enrollment import Enrollment
from terminal.app.refunds import Refunds
from terminal.app.staff import StaffRoster
from terminal.app.till import open_till
from terminal.core.checkout import MAX
from terminal.core.customer_form import CustomerForm
from terminal.i18n_text import install_translations, remove_translations
from terminal.sync.exchange import SyncExchange
from terminal.sync.pairing import create_pairing, join_pairing
from terminal.ui.dashboard_screen import DashboardScreen
from terminal.ui.feedback_screen import FeedbackScreen
from terminal.ui.services import AppServices
from terminal.ui.staff_screen import StaffScreen
from terminal.ui.sync_screen import SyncScreen
from tests.gui.driving import show_main_window
from tests.unit.sync.helpers import twins_of_one_pairing_file

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_dashboard_and_feedback_screenshots(qtbot, till, clock, tmp_path):  # type: ignore[no-untyped-def]
    Demo(till).fill(DemoPlan(customers=600, sales=6000, seed=1))
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    try:
        services = AppServices(till=till)
        dash = DashboardScreen(services)
        qtbot.addWidget(dash)
        dash.resize(1366, 768)
        dash.show()
        qtbot.waitExposed(dash)
        qtbot.waitUntil(lambda: not dash.is_loading(), timeout=20_000)  # counted off the UI thread
        qtbot.wait(300)  # the new figures' layout (chart axes, the comparison line) settles
        assert dash.tiles["sales"].value.text() != "—"
        assert dash.pdf_button.isEnabled()  # the first count already offers its PDF
        shots = bool(os.environ.get("LOYALTY_SCREENSHOTS"))  # refreshed on request only
        assert not dash.grab().isNull()
        if shots:
            assert dash.grab().save(str(SHOTS / "dashboard.png"))
        dash.write_pdf(tmp_path / "dashboard.pdf")
        feedback = FeedbackScreen(services)
        qtbot.addWidget(feedback)
        feedback.show_filter.setCurrentIndex(feedback.show_filter.findText("All"))
        feedback.resize(1366, 768)
        feedback.show()
        qtbot.waitExposed(feedback)
        assert feedback.model.rowCount() > 0
        assert not feedback.grab().isNull()
        if shots:
            assert feedback.grab().save(str(SHOTS / "feedback.png"))
    finally:
        QLocale.setDefault(before)


def test_staff_screenshot(qtbot, till):  # type: ignore[no-untyped-def]
    roster = StaffRoster(till)
    owner = roster.set_first_owner("Olena Koval", "2468")
    ivan = roster.add(owner.id, "Ivan Petrenko", "1234")
    roster.add(owner.id, "Mariia Shevchenko", "5678")
    roster.set_active(owner.id, ivan.id, False)
    roster.set_sign_out_after(owner.id, 15)
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    try:
        screen = StaffScreen(AppServices(till=till))
        qtbot.addWidget(screen)
        screen.resize(1366, 768)
        screen.show()
        qtbot.waitExposed(screen)
        assert [row[1:] for row in screen.audit_model.rows[:2]] == [
            ["Olena Koval", "Idle cashiers are signed out after 15 minutes"],
            ["Olena Koval", "Switched off: Ivan Petrenko"],
        ]
        assert not screen.grab().isNull()
        if os.environ.get("LOYALTY_SCREENSHOTS"):  # refreshed on request only
            assert screen.grab().save(str(SHOTS / "staff.png"))
    finally:
        QLocale.setDefault(before)


def test_sync_and_clock_screenshots(qtbot, till, clock, tmp_path):  # type: ignore[no-untyped-def]
    """Settings → Sync with the conflicts an owner meets (points used twice, a refund's debt
    another till gave points past, one pairing file used on two tills), and the window's status
    bar with the clock set back (sync-settings.png, clock-set-back.png)."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    install_translations(QApplication.instance(), "en")  # English plurals: "1 event", "8 points"
    second = None
    try:
        create_pairing(till, 2, tmp_path / "till2.pair")
        second = open_till(tmp_path / "two" / "loyalty.db", clock=clock)
        join_pairing(second, tmp_path / "till2.pair")
        olena = Enrollment(till).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
        ivan = Enrollment(till).register(CustomerForm(name="Ivan Petrenko", phone="+380671112233"))
        first = Counter(till).checkout(SaleRequest(card=olena.card, amount=900_00))
        Counter(till).checkout(SaleRequest(card=olena.card, amount=900_00, redeem=MAX))
        Counter(till).checkout(SaleRequest(card=ivan.card, amount=500_00))
        SyncExchange(second).import_file(SyncExchange(till).export(tmp_path / "1").path)
        clock.advance(minutes=5)
        Refunds(till).refund(first.sale_id)
        Counter(second).checkout(SaleRequest(card=olena.card, amount=300_00))
        Counter(till).checkout(SaleRequest(card=ivan.card, amount=300_00, redeem=MAX))
        Counter(second).checkout(SaleRequest(card=ivan.card, amount=300_00, redeem=MAX))
        SyncExchange(till).import_file(SyncExchange(second).export(tmp_path / "2").path)
        with twins_of_one_pairing_file(till, 3, tmp_path, clock) as twins:
            for twin in twins:
                SyncExchange(till).import_file(SyncExchange(twin).export(tmp_path / "t").path)
        screen = SyncScreen(AppServices(till=till))
        qtbot.addWidget(screen)
        screen.resize(1366, 768)
        screen.show()
        qtbot.waitExposed(screen)
        assert screen.conflicts.rowCount() == 3
        shots = bool(os.environ.get("LOYALTY_SCREENSHOTS"))  # refreshed on request only
        assert not screen.grab().isNull()
        if shots:
            assert screen.grab().save(str(SHOTS / "sync-settings.png"))
        window = show_main_window(qtbot, AppServices(till=till), tmp_path, activate=False)
        qtbot.waitUntil(lambda: window.all_loaded)  # other screens load after the first paint
        clock.set(datetime(2025, 1, 1, 9, 30))  # a flat clock battery
        window.refresh_status()
        qtbot.waitUntil(lambda: window.status_clock.shown_text() == window.status_clock.text())
        qtbot.wait(300)  # the status bar's layout settles around the warning
        if shots:
            assert window.grab().save(str(SHOTS / "clock-set-back.png"))
    finally:
        remove_translations(QApplication.instance())
        QLocale.setDefault(before)
        if second is not None:
            second.close()
