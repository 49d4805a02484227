"""The Reports dashboard on demo data shows the numbers ``loyalty-terminal report --json``
prints; feedback is recorded, listed and resolved; tables export to CSV; the dashboard to PDF."""

from __future__ import annotations

import csv
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QGraphicsTextItem

from terminal.app.demo import Demo, DemoPlan
from terminal.app.enrollment import Enrollment
from terminal.app.feedback import FeedbackBook
from terminal.cli import main
from terminal.core.customer_form import CustomerForm
from terminal.ui.dashboard_screen import TILES, DashboardScreen
from terminal.ui.feedback_screen import FeedbackDialog, FeedbackScreen
from terminal.ui.screens import screens
from terminal.ui.services import AppServices
from tests.gui.fitting import language


@pytest.fixture
def demo_till(till):  # type: ignore[no-untyped-def]
    Demo(till).fill(DemoPlan(customers=120, sales=1500, seed=3))
    return till


def test_dashboard_shows_what_report_json_prints(qtbot, demo_till, db_path, capsys):  # type: ignore[no-untyped-def]
    end = demo_till.now().date() - timedelta(days=1)
    start = end - timedelta(days=89)
    assert (
        main(["report", "--db", str(db_path), "--from", str(start), "--to", str(end), "--json"])
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    screen = DashboardScreen(AppServices(till=demo_till))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: not screen.is_loading(), timeout=10_000)  # the first load
    screen.set_period(start, end)
    assert screen.is_loading()  # counted off the UI thread: the till stays live meanwhile
    assert screen.status.text() == "Counting… (large shops take a while)"
    assert not screen.body.isEnabled()  # the previous figures are greyed meanwhile
    assert screen.tiles["sales"].value.styleSheet().endswith("color: #98a2b3;")
    qtbot.waitUntil(lambda: not screen.is_loading(), timeout=10_000)
    assert screen.status.isHidden()
    assert screen.body.isEnabled()
    assert "#98a2b3" not in screen.tiles["sales"].value.styleSheet()
    assert printed["current"]["sales"] > 100  # the demo really sold something in the period
    decimals = demo_till.currency().decimals

    def minor(value):  # type: ignore[no-untyped-def]
        """The JSON writes money as text with the currency's decimals ("1234.50")."""
        return int(Decimal(value).scaleb(decimals)) if isinstance(value, str) else value

    for key, _title, _getter, kind, _tip in TILES:
        field = _field_of(key)
        tile = screen.tiles[key]
        now, before = printed["current"][field], printed["previous"][field]
        if kind == "money":
            assert now is None or isinstance(now, str), key
            now, before = minor(now), minor(before)
        assert tile.value.text() == screen.format_value(now, kind), key
        assert tile.previous.text() == "before: " + screen.format_value(before, kind), key
        assert tile.toolTip()  # every tile explains its formula


def _field_of(key: str) -> str:
    return {
        "participation": "participation_bp",
        "repeat_rate": "repeat_rate_bp",
        "frequency": "frequency_x100",
        "retention": "retention_bp",
        "churn": "churn_bp",
        "issued": "points_issued",
        "redeemed": "points_redeemed",
        "expired": "points_expired",
        "redemption_rate": "redemption_rate_bp",
        "csat": "csat_bp",
    }.get(key, key)


def test_tables_export_to_csv_and_the_dashboard_to_pdf(qtbot, demo_till, tmp_path):  # type: ignore[no-untyped-def]
    screen = DashboardScreen(AppServices(till=demo_till))
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitUntil(lambda: not screen.is_loading(), timeout=10_000)
    assert screen.top_model.rowCount() == 10
    screen.top_model.write_csv(tmp_path / "top.csv")
    with (tmp_path / "top.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Customer", "Sales", "Spent", "Points"]
    assert rows[1][0] == screen.top_model.rows[0][0]
    screen.write_pdf(tmp_path / "dash.pdf")
    assert (tmp_path / "dash.pdf").read_bytes().startswith(b"%PDF")


def test_feedback_is_recorded_listed_and_resolved(qtbot, till, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    services = AppServices(till=till)
    screen = FeedbackScreen(services)
    qtbot.addWidget(screen)
    book = FeedbackBook(till)
    book.record("complaint", "The card reader was slow")
    services.announce("feedback")
    assert screen.model.rowCount() == 1
    assert screen.model.rows[0][2:5] == ["Complaint", "Open", "The card reader was slow"]
    screen.table.selectRow(0)
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("Replaced the reader", True)
    )
    qtbot.mouseClick(screen.resolve_button, Qt.MouseButton.LeftButton)
    assert screen.model.rowCount() == 0  # the open list is empty now
    resolved = book.list(status="resolved")
    assert [(i.text, i.resolution) for i in resolved] == [
        ("The card reader was slow", "Replaced the reader")
    ]


def test_a_period_changed_while_counting_wins_over_the_stale_result(qtbot, demo_till):  # type: ignore[no-untyped-def]
    screen = DashboardScreen(AppServices(till=demo_till))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: not screen.is_loading(), timeout=10_000)
    end = demo_till.now().date()
    screen.set_period(end - timedelta(days=364), end)  # a year: its result comes back stale
    screen.set_period(end, end)  # only today, asked for while the year is still counting
    qtbot.waitUntil(lambda: not screen.is_loading(), timeout=10_000)
    assert screen.report is not None
    assert (screen.report.current.start, screen.report.current.end) == (end, end)
    assert screen.period().start == end


def test_a_failed_count_is_said_in_plain_words_and_keeps_the_old_figures(  # type: ignore[no-untyped-def]
    qtbot, demo_till, monkeypatch
):
    from terminal.app import reports

    screen = DashboardScreen(AppServices(till=demo_till))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: not screen.is_loading(), timeout=10_000)
    shown = screen.tiles["avg_check"].value.text()

    def broken(self, period):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(reports.Reports, "kpis", broken)
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.is_loading(), timeout=10_000)
    assert not screen.status.isHidden()
    assert "could not be counted" in screen.status.text()
    assert "disk I/O" not in screen.status.text()  # no raw technical text for the owner
    assert screen.tiles["avg_check"].value.text() == shown
    assert screen.body.isEnabled()


def _written_under_the_bars(screen: DashboardScreen) -> list[str]:
    """The dates under "Sales by week" as Qt Charts drew them, a cut one ("16....") included:
    the only texts in that chart with a dot (its title and amounts have none)."""
    texts = []
    for item in screen.sales_chart.scene().items():
        drawn = item.toGraphicsObject()
        if isinstance(drawn, QGraphicsTextItem) and drawn.isVisible():
            texts.append(drawn.toPlainText())
    return [text for text in texts if "." in text]


@pytest.mark.parametrize("days", [30, 90, 365])
def test_the_weeks_under_the_sales_chart_are_whole_dates(qtbot, demo_till, days) -> None:  # type: ignore[no-untyped-def]
    """At 1366x768 every date under "Sales by week" reads whole ("16.11", never "16...."),
    whether the period holds five weeks or fifty-three."""
    screen = DashboardScreen(AppServices(till=demo_till))
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.waitUntil(lambda: not screen.is_loading(), timeout=10_000)
    end = demo_till.now().date()
    screen.set_period(end - timedelta(days=days - 1), end)
    qtbot.waitUntil(lambda: not screen.is_loading(), timeout=10_000)
    QApplication.processEvents()
    shown = _written_under_the_bars(screen)
    assert len(shown) >= 3, shown  # the owner can place the bars in time
    assert all(re.fullmatch(r"\d{1,2}\.\d{1,2}", text) for text in shown), shown


class _SaysWhichSource(QTranslator):
    """A translator that writes which source, and which sense of it, each text was asked as:
    what a Russian or Ukrainian translator sees as separate entries to word."""

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if context != "FeedbackScreen":
            return None
        return f"{source} ({disambiguation})" if disambiguation else f"{source} (-)"


def test_a_rows_status_and_the_filter_are_separate_texts_to_translate(qtbot, till) -> None:  # type: ignore[no-untyped-def]
    """The filter's "Open" names the open items (plural in Russian and Ukrainian: "Відкриті"),
    a row's "Open" is that one item's status (singular: "Відкритий"): two texts to translate,
    or every row read "Відкриті"."""
    FeedbackBook(till).record("complaint", "The card reader was slow")
    translator = _SaysWhichSource()
    QApplication.instance().installTranslator(translator)
    try:
        screen = FeedbackScreen(AppServices(till=till))
        qtbot.addWidget(screen)
    finally:
        QApplication.instance().removeTranslator(translator)
    filter_open = screen.show_filter.itemText(0)
    row_status = screen.model.rows[0][3]
    assert filter_open.startswith("Open") and row_status.startswith("Open")
    assert filter_open != row_status


@pytest.mark.parametrize("code", ["en", "ru", "uk"])
def test_the_feedback_screen_is_titled_as_the_owner_menu_names_it(qtbot, till, code) -> None:  # type: ignore[no-untyped-def]
    spec = next(s for s in screens() if s.key == "feedback")
    with language(code):
        screen = FeedbackScreen(AppServices(till=till))
        qtbot.addWidget(screen)
        assert screen.title.text() == spec.title()


def test_the_feedback_dialog_names_whose_words_it_records(qtbot, till) -> None:  # type: ignore[no-untyped-def]
    olena = Enrollment(till).register(CustomerForm("Olena Koval", "0671234567"))
    services = AppServices(till=till)
    dialog = FeedbackDialog(services, olena.customer_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.heading.text() == "Feedback from Olena Koval"
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).buttons()[0], Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Write what the customer said."  # nothing saved yet
    qtbot.keyClicks(dialog.text, "Thanks for the birthday bonus")
    dialog.save()
    assert dialog.item is not None and dialog.item.customer_id == olena.customer_id
    anonymous = FeedbackDialog(services, None)
    qtbot.addWidget(anonymous)
    assert anonymous.heading.text() == "Feedback without a customer"
