"""The dashboard's Qt Charts: sales by week, members by week, members by tier, NPS by month.

A mixin of :class:`terminal.ui.dashboard_screen.DashboardScreen`, which owns the chart views
(``sales_chart``, ``members_chart``, ``tier_chart``, ``nps_chart``) and the services.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, Qt

from terminal.app.report_series import ReportSeries
from terminal.ui.dashboard_tiles import tr
from terminal.ui.services import AppServices

# A chart is a quarter of a 1366 px window (~250 px of plot): five dates like "30.11" fit whole
# under the bars; a label per bar was cut to "16...." by Qt Charts from six weeks on.
MAX_WEEK_LABELS = 5


class DashboardCharts:
    services: AppServices
    sales_chart: QChartView
    members_chart: QChartView
    tier_chart: QChartView
    nps_chart: QChartView

    def _show_charts(self, series: ReportSeries) -> None:
        locale = QLocale()
        labels = [locale.toString(w.week_start, "d.M") for w in series.weeks]
        currency = self.services.till.currency()
        self._bar_chart(
            self.sales_chart,
            labels,
            [w.revenue / currency.minor_per_major for w in series.weeks],
            tr("Revenue, %1").replace("%1", currency.symbol),
        )
        chart = self._reset(self.members_chart)
        active, joined = QLineSeries(), QLineSeries()
        active.setName(tr("Active"))
        joined.setName(tr("New"))
        for i, w in enumerate(series.weeks):
            active.append(i, w.active_members)
            joined.append(i, w.new_members)
        chart.addSeries(active)
        chart.addSeries(joined)
        chart.legend().setVisible(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._axes(
            chart,
            [active, joined],
            labels,
            max(
                [w.active_members for w in series.weeks]
                + [w.new_members for w in series.weeks]
                + [1]
            ),
        )
        chart = self._reset(self.tier_chart)
        pie = QPieSeries()
        total = sum(t.customers for t in series.tiers) or 1
        for t in series.tiers:
            part = pie.append(f"{t.tier} {locale.toString(t.customers)}", t.customers)
            part.setProperty("share", f"{locale.toString(100 * t.customers / total, 'f', 0)} %")
            part.setLabelVisible(False)
        pie.setPieSize(0.8)
        chart.addSeries(pie)
        chart.legend().setVisible(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        months = [p.month for p in series.nps_by_month]
        chart = self._reset(self.nps_chart)
        line = QLineSeries()
        line.setPointsVisible(True)
        for i, p in enumerate(series.nps_by_month):
            if p.nps is not None:
                line.append(i, p.nps)
        chart.addSeries(line)
        self._axes(chart, [line], [m[2:].replace("-", "/") for m in months], 100, low=-100)

    def _reset(self, view: QChartView) -> QChart:
        chart = view.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.legend().setVisible(False)
        return chart

    def _axes(
        self,
        chart: QChart,
        series: list[QLineSeries],
        labels: list[str],
        high: float,
        low: float = 0,
    ) -> None:
        x = QValueAxis()
        x.setRange(0, max(len(labels) - 1, 1))
        x.setLabelFormat("%d")
        x.setVisible(False)
        y = QValueAxis()
        y.setRange(low, high * (1.1 if low == 0 else 1))
        y.setLabelFormat("%d")
        if low == 0:
            y.applyNiceNumbers()
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for s in series:
            s.attachAxis(x)
            s.attachAxis(y)
        if labels:
            chart.setToolTip(f"{labels[0]} – {labels[-1]}")

    def _bar_chart(
        self, view: QChartView, labels: list[str], values: list[float], name: str
    ) -> None:
        chart = self._reset(view)
        bars = QBarSet(name)
        bars.setColor("#2E90FA")
        for v in values:
            bars.append(v)
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        chart.addAxis(self._week_axis(labels), Qt.AlignmentFlag.AlignBottom)
        y = QValueAxis()
        y.setRange(0, max([*values, 1]) * 1.1)
        y.setLabelFormat("%.0f")
        y.applyNiceNumbers()
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for axis in chart.axes():
            series.attachAxis(axis)

    def _week_axis(self, labels: list[str]) -> QCategoryAxis:
        """Bars stand at 0, 1, 2…; every few weeks one date is written under its bar, evenly
        spaced, as sales dashboards do. A bar-category axis gives every bar a label of its own
        and cuts each one to the bar's width, so from six weeks on no date could be read."""
        axis = QCategoryAxis()
        axis.setRange(-0.5, max(len(labels), 1) - 0.5)
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis.setGridLineVisible(False)
        step = max(1, -(-len(labels) // MAX_WEEK_LABELS))
        for i in range(0, len(labels), step):
            axis.append(labels[i], i)
        return axis
