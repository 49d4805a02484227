"""Screenshots of the Reports dashboard and the Feedback list on demo data at 1366×768
(docs/screenshots/dashboard.png, feedback.png), the dashboard printed to PDF, and the Staff
screen with its owner's log (staff.png)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLocale

from terminal.app.demo import Demo, DemoPlan
from terminal.app.staff import StaffRoster
from terminal.ui.dashboard_screen import DashboardScreen
from terminal.ui.feedback_screen import FeedbackScreen
from terminal.ui.services import AppServices
from terminal.ui.staff_screen import StaffScreen

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
