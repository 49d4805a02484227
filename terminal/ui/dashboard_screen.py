"""Owner screen "Reports" (F7): is the loyalty program paying off?

A period picker, KPI tiles (each with the previous period and a tooltip with its formula), charts
(sales and members by week, tiers, NPS by month), the cohort table, top customers, the call-back
list and open feedback. Every table exports to CSV; the whole dashboard prints to PDF.
The figures come from :mod:`terminal.app.reports` — the same as ``loyalty-terminal report``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCharts import (
    QChart,
    QChartView,
)
from PySide6.QtCore import QDate, QLocale, QMargins, QMarginsF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from terminal.app.feedback import FeedbackBook, FeedbackItem
from terminal.app.report_series import ReportSeries, ReportSeriesQuery
from terminal.app.reports import KpiReport, Reports
from terminal.core.errors import LoyaltyError
from terminal.core.kpis import Period
from terminal.i18n_text import erased_marker_text, short_date_format
from terminal.ui.background import run_in_background
from terminal.ui.dashboard_charts import DashboardCharts
from terminal.ui.dashboard_tiles import TILES, KpiTile, tr
from terminal.ui.messages import message_for
from terminal.ui.money_format import format_money, format_points
from terminal.ui.report_tables import RowsModel, export_csv
from terminal.ui.screens import ScreenSpec, register_screen, tr_title
from terminal.ui.services import AppServices

log = logging.getLogger("reports")


@dataclass(frozen=True)
class DashboardData:
    """Everything one dashboard load reads, gathered off the UI thread."""

    period: Period
    report: KpiReport
    series: ReportSeries
    open_feedback: list[FeedbackItem]


class DashboardScreen(DashboardCharts, QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.report: KpiReport | None = None
        self.series: ReportSeries | None = None
        # loads run one at a time off the UI thread; a request made meanwhile bumps
        # ``_wanted`` and is started when the running one reports (its result then dropped)
        self._wanted = 0
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addLayout(self._build_bar())
        self.status = QLabel("")
        self.status.setObjectName("dashboardStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        outer.addWidget(self.status)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        self.tiles: dict[str, KpiTile] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        for i, (key, title, _g, _k, tip) in enumerate(TILES):
            tile = KpiTile(key, tr(title), tr(tip))
            self.tiles[key] = tile
            grid.addWidget(tile, i // 7, i % 7)
        self.liability = KpiTile(
            "liability",
            tr("Points liability"),
            tr(
                "Live points (not yet spent or expired) × the value of one point; below: what "
                "expires in the next 30 days."
            ),
        )
        self.tiles["liability"] = self.liability
        grid.addWidget(self.liability, len(TILES) // 7, len(TILES) % 7)
        body.addLayout(grid)
        charts = QHBoxLayout()
        self.sales_chart = self._chart_view(tr("Sales by week"))
        self.members_chart = self._chart_view(tr("Members by week"))
        self.tier_chart = self._chart_view(tr("Members by tier"))
        self.nps_chart = self._chart_view(tr("NPS by month"))
        for view in (self.sales_chart, self.members_chart, self.tier_chart, self.nps_chart):
            charts.addWidget(view)
        body.addLayout(charts)
        self.tabs = QTabWidget()
        self.tabs.setMinimumHeight(320)
        self.cohort_model = RowsModel([tr("Cohort"), tr("Members")] + [f"+{k}" for k in range(12)])
        self.top_model = RowsModel([tr("Customer"), tr("Sales"), tr("Spent"), tr("Points")])
        self.top_model.right_aligned = {1, 2, 3}
        self.callback_model = RowsModel(
            [
                tr("Customer"),
                tr("Phone"),
                tr("Last visit"),
                tr("Days away"),
                tr("Visits"),
                tr("Spent in all"),
            ]
        )
        self.callback_model.right_aligned = {3, 4, 5}
        self.feedback_model = RowsModel(
            [tr("Date"), tr("Customer"), tr("Kind"), tr("What was said")]
        )
        for model, title, name in (
            (self.cohort_model, tr("Cohort retention"), "cohorts"),
            (self.top_model, tr("Top customers"), "top-customers"),
            (self.callback_model, tr("Call-back list"), "call-back"),
            (self.feedback_model, tr("Open feedback"), "open-feedback"),
        ):
            self.tabs.addTab(self._table_page(model, name), title)
        body.addWidget(self.tabs)
        scroll.setWidget(self.body)
        outer.addWidget(scroll, 1)
        self.services.data.changed.connect(self._data_changed)
        self.refresh()

    # -- building --------------------------------------------------------------------------
    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        title = QLabel(tr("Reports"))
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        bar.addWidget(title)
        bar.addSpacing(16)
        self.preset = QComboBox()
        self.preset.setObjectName("periodPreset")
        for key, text in (
            ("30d", tr("Last 30 days")),
            ("month", tr("This month")),
            ("last_month", tr("Last month")),
            ("quarter", tr("Last 90 days")),
            ("year", tr("Last 12 months")),
            ("custom", tr("Chosen dates")),
        ):
            self.preset.addItem(text, key)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        bar.addWidget(self.preset)
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(short_date_format())
            edit.dateChanged.connect(self._dates_edited)
        bar.addWidget(QLabel(tr("from")))
        bar.addWidget(self.start)
        bar.addWidget(QLabel(tr("to")))
        bar.addWidget(self.end)
        self.compared = QLabel("")
        self.compared.setObjectName("comparedWith")
        self.compared.setStyleSheet("color: #667085;")
        bar.addWidget(self.compared)
        bar.addStretch(1)
        self.pdf_button = QPushButton(tr("Save as PDF…"))
        self.pdf_button.clicked.connect(self._save_pdf)
        bar.addWidget(self.pdf_button)
        self._apply_preset("30d")
        return bar

    def _chart_view(self, title: str) -> QChartView:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setVisible(False)
        chart.setMargins(QMarginsF(2, 2, 2, 2).toMargins())
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(250)
        view.setMinimumWidth(200)
        return view

    def _table_page(self, model: RowsModel, name: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        table = QTableView()
        table.setModel(model)
        table.setObjectName(f"table_{name}")
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(model is not self.cohort_model)
        table.setAlternatingRowColors(True)
        layout.addWidget(table)
        button = QPushButton(tr("Save as CSV…"))
        button.clicked.connect(lambda: export_csv(model, self, f"{name}.csv"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        layout.addLayout(row)
        return page

    # -- period ----------------------------------------------------------------------------
    def _today(self) -> date:
        return self.services.till.now().date()

    def _preset_changed(self) -> None:
        key = self.preset.currentData()
        if key != "custom":
            self._apply_preset(key)

    def _apply_preset(self, key: str) -> None:
        today = self._today()
        if key == "month":
            start, end = today.replace(day=1), today
        elif key == "last_month":
            end = today.replace(day=1) - timedelta(days=1)
            start = end.replace(day=1)
        elif key == "quarter":
            start, end = today - timedelta(days=89), today
        elif key == "year":
            start, end = today - timedelta(days=364), today
        else:
            start, end = today - timedelta(days=29), today
        self._setting_dates = True
        self.start.setDate(QDate(start.year, start.month, start.day))
        self.end.setDate(QDate(end.year, end.month, end.day))
        self._setting_dates = False
        if hasattr(self, "tiles"):
            self.refresh()

    def _dates_edited(self) -> None:
        if getattr(self, "_setting_dates", False):
            return
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self.preset.blockSignals(False)
        self.refresh()

    def set_period(self, start: date, end: date) -> None:
        self._setting_dates = True
        self.start.setDate(QDate(start.year, start.month, start.day))
        self.end.setDate(QDate(end.year, end.month, end.day))
        self._setting_dates = False
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self.preset.blockSignals(False)
        self.refresh()

    def period(self) -> Period:
        start, end = self.start.date().toPython(), self.end.date().toPython()
        return Period(min(start, end), max(start, end))

    # -- data ------------------------------------------------------------------------------
    def _data_changed(self, kinds: set[str]) -> None:
        if kinds & {"sale", "customer", "feedback", "program", "nps"} and self.isVisible():
            self.refresh()

    def screen_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Count the figures for the chosen period in the background; the till stays live.

        Until they arrive the previous figures stay on screen, greyed, under a calm note.
        """
        self._wanted += 1
        if not self._loading:
            self._start_load()

    def is_loading(self) -> bool:
        return self._loading

    def _start_load(self) -> None:
        self._loading = True
        wanted, period, till = self._wanted, self.period(), self.services.till

        def load() -> DashboardData:  # runs on a pool thread: no widgets here
            return DashboardData(
                period,
                Reports(till).kpis(period),
                ReportSeriesQuery(till).series(period),
                FeedbackBook(till).list(status="open", limit=200),
            )

        self._show_status(tr("Counting… (large shops take a while)"), busy=True)
        run_in_background(load, lambda outcome: self._loaded(wanted, outcome))

    def _loaded(self, wanted: int, outcome: DashboardData | BaseException) -> None:
        if not isValid(self):  # the screen was closed while counting
            return
        self._loading = False
        if wanted != self._wanted:  # the period changed meanwhile: count the new one
            self._start_load()
            return
        if isinstance(outcome, BaseException):
            log.warning("dashboard load failed: %s", outcome, exc_info=outcome)
            if isinstance(outcome, LoyaltyError):
                text = message_for(outcome)
            else:
                text = tr(
                    "The figures could not be counted right now. The figures shown are "
                    "from before; try again in a moment, or make a backup and tell support."
                )
            self._show_status(text, busy=False, error=True)
            return
        self._show(outcome)  # first: the PDF button needs the report in place
        self._show_status("", busy=False)

    def _show_status(self, text: str, *, busy: bool, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.status.setStyleSheet(
            "color: #b42318; font-weight: 600;" if error else "color: #475467; font-style: italic;"
        )
        # the previous figures stay readable but greyed; no PDF of figures being replaced
        self.body.setEnabled(not busy)
        for tile in self.tiles.values():
            style = tile.value.property("ownStyle")
            if style is None:
                style = tile.value.styleSheet()
                tile.value.setProperty("ownStyle", style)
            tile.value.setStyleSheet(style + (" color: #98a2b3;" if busy else ""))
        self.pdf_button.setEnabled(not busy and self.report is not None)

    def _show(self, data: DashboardData) -> None:
        self.report, self.series = data.report, data.series
        self._show_tiles(self.report)
        self._show_charts(self.series)
        self._show_tables(self.series, data.open_feedback)
        prev = self.report.previous
        locale = QLocale()
        self.compared.setText(
            tr("compared with %1 – %2")
            .replace("%1", locale.toString(prev.start, short_date_format()))
            .replace("%2", locale.toString(prev.end, short_date_format()))
        )

    def format_value(self, value: int | None, kind: str) -> str:
        if value is None:
            return "—"
        locale = QLocale()
        if kind == "money":
            return format_money(value, self.services.till.currency())
        if kind == "bp":
            return locale.toString(value / 100, "f", 1) + " %"
        if kind == "x100":
            return locale.toString(value / 100, "f", 2)
        if kind == "points":
            return format_points(value)
        return locale.toString(value)

    def _show_tiles(self, report: KpiReport) -> None:
        for key, _title, getter, kind, _tip in TILES:
            tile = self.tiles[key]
            tile.value.setText(self.format_value(getter(report.current), kind))
            tile.previous.setText(
                tr("before: %1").replace("%1", self.format_value(getter(report.previous), kind))
            )
        liab = report.liability
        self.liability.value.setText(format_money(liab.value, self.services.till.currency()))
        self.liability.previous.setText(
            tr("%1 expire in 30 days").replace(
                "%1", format_money(liab.expiring_value_30d, self.services.till.currency())
            )
        )

    def _show_tables(self, series: ReportSeries, open_feedback: list[FeedbackItem]) -> None:
        locale = QLocale()
        currency = self.services.till.currency()
        self.cohort_model.set_rows(
            [
                [c.month, locale.toString(c.members)]
                + [
                    ("—" if s is None else locale.toString(s / 100, "f", 0) + " %")
                    for s in c.retained_bp
                ]
                + [""] * (12 - len(c.retained_bp))
                for c in series.cohorts
            ]
        )
        self.top_model.set_rows(
            [
                [
                    erased_marker_text(t.name),
                    locale.toString(t.sales),
                    format_money(t.revenue, currency),
                    format_points(t.balance),
                ]
                for t in series.top_customers
            ],
            [t.customer_id for t in series.top_customers],
        )
        self.callback_model.set_rows(
            [
                [
                    c.name,
                    c.phone,
                    locale.toString(c.last_visit_at.date(), short_date_format()),
                    locale.toString(c.days_away),
                    locale.toString(c.visits),
                    format_money(c.lifetime_paid, currency),
                ]
                for c in series.call_back
            ],
            [c.customer_id for c in series.call_back],
        )
        items = open_feedback
        kinds = {
            "complaint": tr("Complaint"),
            "suggestion": tr("Suggestion"),
            "praise": tr("Praise"),
        }
        self.feedback_model.set_rows(
            [
                [
                    locale.toString(i.created_at.date(), short_date_format()),
                    erased_marker_text(i.customer_name) or tr("(no customer)"),
                    kinds.get(i.kind, i.kind),
                    erased_marker_text(i.text),
                ]
                for i in items
            ],
            [i.id for i in items],
        )

    # -- PDF -------------------------------------------------------------------------------
    def _save_pdf(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Save the dashboard as PDF"), "dashboard.pdf", tr("PDF files (*.pdf)")
        )
        if name:
            self.write_pdf(Path(name))

    def write_pdf(self, path: Path) -> None:
        """The tiles and charts as shown, scaled onto one landscape A4 page."""
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
        writer.setResolution(150)
        writer.setTitle(tr("Loyalty dashboard"))
        painter = QPainter(writer)
        try:
            page = writer.pageLayout().paintRectPixels(writer.resolution())
            period = self.period()
            locale = QLocale()
            heading = (
                tr("Loyalty dashboard, %1 – %2 (%3)")
                .replace("%1", locale.toString(period.start, short_date_format()))
                .replace("%2", locale.toString(period.end, short_date_format()))
                .replace("%3", self.compared.text())
            )
            font = painter.font()
            font.setPointSize(12)
            painter.setFont(font)
            line = painter.fontMetrics().height()
            painter.drawText(0, line, heading)
            painter.translate(0, line * 1.6)
            shot = self.body.grab()
            scaled = shot.scaled(
                page.size().shrunkBy(QMargins(0, int(line * 1.6), 0, 0)),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            painter.drawPixmap(0, 0, scaled)
        finally:
            painter.end()


def _make(services: AppServices, parent: QWidget | None) -> QWidget:
    return DashboardScreen(services, parent)


register_screen(
    ScreenSpec(
        key="reports",
        title=tr_title("Reports"),
        shortcut="F7",
        factory=_make,
        owner_only=True,
    )
)
