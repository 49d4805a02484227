"""The dashboard's KPI tiles: which figure, how it is formatted, and the formula in its tooltip
(the same words as docs/kpis.md)."""

from __future__ import annotations

from collections.abc import Callable

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
        "Active members",
        lambda f: f.active_members,
        "count",
        "Members who bought at least once in the period.",
    ),
    (
        "new_members",
        "New members",
        lambda f: f.new_members,
        "count",
        "Customers registered in the period.",
    ),
    (
        "participation",
        "Participation",
        lambda f: f.participation_bp,
        "bp",
        "Sales with a card ÷ all sales.",
    ),
    (
        "repeat_rate",
        "Repeat purchase rate",
        lambda f: f.repeat_rate_bp,
        "bp",
        "Active members with 2 or more purchases ÷ active members.",
    ),
    (
        "frequency",
        "Purchase frequency",
        lambda f: f.frequency_x100,
        "x100",
        "Sales with a card ÷ active members.",
    ),
    (
        "avg_check",
        "Average check",
        lambda f: f.avg_check,
        "money",
        "Sum of check amounts ÷ number of sales (all sales).",
    ),
    (
        "avg_check_members",
        "Average check, members",
        lambda f: f.avg_check_members,
        "money",
        "Sum of members' check amounts ÷ members' sales.",
    ),
    (
        "avg_check_first",
        "Average first check",
        lambda f: f.avg_check_first,
        "money",
        "Average check of members' very first purchases made in the period.",
    ),
    (
        "avg_check_repeat",
        "Average repeat check",
        lambda f: f.avg_check_repeat,
        "money",
        "Average check of members' purchases that were not their first.",
    ),
    (
        "clv",
        "Customer lifetime value",
        lambda f: f.clv,
        "money",
        "All members' purchases up to the period's end ÷ members registered by then.",
    ),
    (
        "retention",
        "Retention (CRR)",
        lambda f: f.retention_bp,
        "bp",
        "Members active in the previous period who bought again in this one ÷ members active "
        "in the previous period.",
    ),
    ("churn", "Churn", lambda f: f.churn_bp, "bp", "100 % − retention."),
    (
        "issued",
        "Points issued",
        lambda f: f.points_issued,
        "points",
        "Earned + welcome + birthday + referral + milestone + positive adjustments − points "
        "taken back by refunds and negative adjustments.",
    ),
    (
        "redeemed",
        "Points redeemed",
        lambda f: f.points_redeemed,
        "points",
        "Points spent on purchases − points returned by refunds.",
    ),
    (
        "expired",
        "Points expired",
        lambda f: f.points_expired,
        "points",
        "Points written off because their expiry date came.",
    ),
    (
        "redemption_rate",
        "Redemption rate",
        lambda f: f.redemption_rate_bp,
        "bp",
        "Points redeemed ÷ points issued in the period.",
    ),
    (
        "nps",
        "NPS",
        lambda f: f.nps,
        "nps",
        "% promoters (9–10) − % detractors (0–6) among the answers at the counter; −100 to 100.",
    ),
    (
        "csat",
        "CSAT",
        lambda f: f.csat_bp,
        "bp",
        "Answers of 8, 9 or 10 ÷ all answers to the counter's 0–10 question.",
    ),
    ("sales", "Sales", lambda f: f.sales, "count", "Number of sales (checks) in the period."),
    (
        "revenue",
        "Revenue",
        lambda f: f.revenue,
        "money",
        "Sum of check amounts before loyalty discounts and points; refunds not deducted.",
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
