"""The dashboard's KPI tiles: which figure, how it is formatted, and the formula in its tooltip
(the same words as docs/kpis.md)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from terminal.app.reports import PeriodFigures

Getter = Callable[[PeriodFigures], int | None]


def tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("Dashboard", text)


# (key, title, getter, kind, formula tooltip); kinds: count money bp x100 points nps
TILES: list[tuple[str, str, Getter, str, str]] = [
    (
        "active_members",
        QT_TRANSLATE_NOOP("Dashboard", "Active members"),
        lambda f: f.active_members,
        "count",
        QT_TRANSLATE_NOOP("Dashboard", "Members who bought at least once in the period."),
    ),
    (
        "new_members",
        QT_TRANSLATE_NOOP("Dashboard", "New members"),
        lambda f: f.new_members,
        "count",
        QT_TRANSLATE_NOOP("Dashboard", "Customers registered in the period."),
    ),
    (
        "participation",
        QT_TRANSLATE_NOOP("Dashboard", "Participation"),
        lambda f: f.participation_bp,
        "bp",
        QT_TRANSLATE_NOOP("Dashboard", "Sales with a card ÷ all sales."),
    ),
    (
        "repeat_rate",
        QT_TRANSLATE_NOOP("Dashboard", "Repeat purchase rate"),
        lambda f: f.repeat_rate_bp,
        "bp",
        QT_TRANSLATE_NOOP("Dashboard", "Active members with 2 or more purchases ÷ active members."),
    ),
    (
        "frequency",
        QT_TRANSLATE_NOOP("Dashboard", "Purchase frequency"),
        lambda f: f.frequency_x100,
        "x100",
        QT_TRANSLATE_NOOP("Dashboard", "Sales with a card ÷ active members."),
    ),
    (
        "avg_check",
        QT_TRANSLATE_NOOP("Dashboard", "Average check"),
        lambda f: f.avg_check,
        "money",
        QT_TRANSLATE_NOOP("Dashboard", "Sum of check amounts ÷ number of sales (all sales)."),
    ),
    (
        "avg_check_members",
        QT_TRANSLATE_NOOP("Dashboard", "Average check, members"),
        lambda f: f.avg_check_members,
        "money",
        QT_TRANSLATE_NOOP("Dashboard", "Sum of members' check amounts ÷ members' sales."),
    ),
    (
        "avg_check_first",
        QT_TRANSLATE_NOOP("Dashboard", "Average first check"),
        lambda f: f.avg_check_first,
        "money",
        QT_TRANSLATE_NOOP(
            "Dashboard", "Average check of members' very first purchases made in the period."
        ),
    ),
    (
        "avg_check_repeat",
        QT_TRANSLATE_NOOP("Dashboard", "Average repeat check"),
        lambda f: f.avg_check_repeat,
        "money",
        QT_TRANSLATE_NOOP(
            "Dashboard", "Average check of members' purchases that were not their first."
        ),
    ),
    (
        "clv",
        QT_TRANSLATE_NOOP("Dashboard", "Customer lifetime value"),
        lambda f: f.clv,
        "money",
        QT_TRANSLATE_NOOP(
            "Dashboard",
            "All members' purchases up to the period's end ÷ members registered by then.",
        ),
    ),
    (
        "retention",
        QT_TRANSLATE_NOOP("Dashboard", "Retention (CRR)"),
        lambda f: f.retention_bp,
        "bp",
        QT_TRANSLATE_NOOP(
            "Dashboard",
            "Members active in the previous period who bought again in this one ÷ members active "
            "in the previous period.",
        ),
    ),
    (
        "churn",
        QT_TRANSLATE_NOOP("Dashboard", "Churn"),
        lambda f: f.churn_bp,
        "bp",
        QT_TRANSLATE_NOOP("Dashboard", "100 % − retention."),
    ),
    (
        "issued",
        QT_TRANSLATE_NOOP("Dashboard", "Points issued"),
        lambda f: f.points_issued,
        "points",
        QT_TRANSLATE_NOOP(
            "Dashboard",
            "Earned + welcome + birthday + referral + milestone + positive adjustments − points "
            "taken back by refunds and negative adjustments.",
        ),
    ),
    (
        "redeemed",
        QT_TRANSLATE_NOOP("Dashboard", "Points redeemed"),
        lambda f: f.points_redeemed,
        "points",
        QT_TRANSLATE_NOOP("Dashboard", "Points spent on purchases − points returned by refunds."),
    ),
    (
        "expired",
        QT_TRANSLATE_NOOP("Dashboard", "Points expired"),
        lambda f: f.points_expired,
        "points",
        QT_TRANSLATE_NOOP("Dashboard", "Points written off because their expiry date came."),
    ),
    (
        "redemption_rate",
        QT_TRANSLATE_NOOP("Dashboard", "Redemption rate"),
        lambda f: f.redemption_rate_bp,
        "bp",
        QT_TRANSLATE_NOOP("Dashboard", "Points redeemed ÷ points issued in the period."),
    ),
    (
        "nps",
        QT_TRANSLATE_NOOP("Dashboard", "NPS"),
        lambda f: f.nps,
        "nps",
        QT_TRANSLATE_NOOP(
            "Dashboard",
            "% promoters (9–10) − % detractors (0–6) among the answers at the counter; "
            "−100 to 100.",
        ),
    ),
    (
        "csat",
        QT_TRANSLATE_NOOP("Dashboard", "CSAT"),
        lambda f: f.csat_bp,
        "bp",
        QT_TRANSLATE_NOOP(
            "Dashboard", "Answers of 8, 9 or 10 ÷ all answers to the counter's 0–10 question."
        ),
    ),
    (
        "sales",
        QT_TRANSLATE_NOOP("Dashboard", "Sales"),
        lambda f: f.sales,
        "count",
        QT_TRANSLATE_NOOP("Dashboard", "Number of sales (checks) in the period."),
    ),
    (
        "revenue",
        QT_TRANSLATE_NOOP("Dashboard", "Revenue"),
        lambda f: f.revenue,
        "money",
        QT_TRANSLATE_NOOP(
            "Dashboard",
            "Sum of check amounts before loyalty discounts and points; refunds not deducted.",
        ),
    ),
]


class KpiTile(QFrame):
    def __init__(self, key: str, title: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"tile_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "KpiTile { background: #FFFFFF; border: 1px solid #D0D5DD; border-radius: 6px; }"
        )
        self.setToolTip(tooltip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        self.title = QLabel(title)
        self.title.setStyleSheet("color: #475467; font-size: 11px;")
        self.value = QLabel("—")
        self.value.setObjectName("value")
        self.value.setStyleSheet("font-size: 18px; font-weight: 600; color: #101828;")
        self.previous = QLabel("")
        self.previous.setObjectName("previous")
        self.previous.setStyleSheet("color: #667085; font-size: 11px;")
        for label in (self.title, self.value, self.previous):
            layout.addWidget(label)
