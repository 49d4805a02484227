"""Who is at the counter: name, tier and the way to the next one, balance, what expires soon,
the birthday and recognition banners, and the last five visits.

Shows a ``CustomerView`` exactly as the app computed it; no figure is worked out here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.app.results import CustomerView, VisitLine
from terminal.core.cards import display_card_number
from terminal.core.money import Currency
from terminal.i18n_text import plural_text
from terminal.ui.counter_theme import restyle
from terminal.ui.customer_list_model import RowsModel, visit_columns
from terminal.ui.elided_label import ElidedLabel
from terminal.ui.money_format import format_day_month, format_money, format_points
from terminal.ui.screens import CUSTOMERS_TITLE

NBSP = "\u00a0"  # keeps the words of one part of a line together


def label(text: str = "", role: str | None = None, parent: QWidget | None = None) -> QLabel:
    widget = QLabel(text, parent)
    if role:
        widget.setProperty("role", role)
    return widget


def key_hint(key: str, text: str) -> QWidget:
    """A key cap and what it does, e.g. [F4] New customer."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    cap = label(key, "key")
    cap.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    row.addWidget(cap, 0, Qt.AlignmentFlag.AlignVCenter)
    row.addWidget(label(text, "muted"), 0, Qt.AlignmentFlag.AlignVCenter)
    row.addStretch(1)
    return box


class CustomerPanel(QFrame):
    feedbackRequested = Signal()  # "Complaint / suggestion" for the customer shown

    def __init__(self, currency: Currency, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.setProperty("role", "card")
        self.view: CustomerView | None = None
        self._pages = QStackedLayout(self)
        self._pages.addWidget(self._build_empty())
        self._customer_page = self._build_customer()
        self._pages.addWidget(self._customer_page)
        self.clear()

    # -- building ------------------------------------------------------------------------

    def _build_empty(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(32, 32, 32, 32)
        box.addStretch(2)
        self.empty_title = label(self.tr("Scan the customer's card"), "hero")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.empty_title)
        sub = label(self.tr("The till is ready: scan at any time, even while typing."), "muted")
        sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(sub)
        box.addSpacing(28)
        hints = QWidget()
        grid = QVBoxLayout(hints)
        grid.setSpacing(8)
        for key, text in (
            ("F3", self.tr("Find by card number, phone or name")),
            ("F4", self.tr("Register a new customer")),
            ("F5", self.tr("Sale without a card")),
            # named as its tab reads ("Customers  F2"), so the cashier finds the same word there
            (
                "F2",
                self.tr("{screen}: history, refunds, lost cards").format(screen=CUSTOMERS_TITLE()),
            ),
        ):
            grid.addWidget(key_hint(key, text))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(hints)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(3)
        return page

    def _build_customer(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(24, 20, 24, 20)
        box.setSpacing(10)

        head = QHBoxLayout()
        # a long "Surname Name Patronymic" ends in "…" before the tier badge instead of being
        # cut mid-letter; the whole name is in the tooltip
        self.name = ElidedLabel(mode=Qt.TextElideMode.ElideRight)
        self.name.setProperty("role", "name")
        self.tier = label("", "tier")
        head.addWidget(self.name, 1)
        head.addWidget(self.tier, 0, Qt.AlignmentFlag.AlignVCenter)
        box.addLayout(head)
        card_row = QHBoxLayout()
        self.card = label("", "muted")
        self.card.setWordWrap(True)  # card · phone · visits wrap rather than lose the visits
        card_row.addWidget(self.card, 1)
        self.feedback_button = QPushButton(self.tr("Complaint / suggestion  Ctrl+M"))
        self.feedback_button.setObjectName("feedbackButton")
        self.feedback_button.setStyleSheet(
            "QPushButton#feedbackButton { font-size: 13px; font-weight: 600; padding: 3px 10px;"
            " min-height: 0; }"
        )
        self.feedback_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Enter stays the sale's
        self.feedback_button.clicked.connect(self.feedbackRequested)
        card_row.addWidget(self.feedback_button, 0, Qt.AlignmentFlag.AlignVCenter)
        box.addLayout(card_row)

        figures = QHBoxLayout()
        balance_box = QVBoxLayout()
        balance_box.addWidget(label(self.tr("Balance"), "caption"))
        self.balance = label("", "balance")
        balance_box.addWidget(self.balance)
        figures.addLayout(balance_box, 1)
        tier_box = QVBoxLayout()
        tier_box.addWidget(label(self.tr("Next tier"), "caption"))
        self.to_next = label("", "figure")
        tier_box.addWidget(self.to_next)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(10)
        tier_box.addWidget(self.progress)
        tier_box.addStretch(1)
        figures.addLayout(tier_box, 1)
        box.addLayout(figures)

        self.banners = QVBoxLayout()
        self.banners.setSpacing(6)
        box.addLayout(self.banners)

        box.addWidget(label(self.tr("Last visits"), "caption"))
        self.visits_model: RowsModel[VisitLine] = RowsModel(visit_columns(self.currency), self)
        self.visits = QTableView()
        self.visits.setModel(self.visits_model)
        self.visits.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.visits.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.visits.verticalHeader().hide()
        self.visits.setShowGrid(False)
        header = self.visits.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.visits.verticalHeader().setDefaultSectionSize(30)
        box.addWidget(self.visits, 1)
        # In the table's place when there are none: the line sits under its caption and the
        # spare room stays below it, so the balance keeps its caption instead of the labels
        # above sharing out the height the table left.
        self.no_visits_box = QWidget()
        no_visits_column = QVBoxLayout(self.no_visits_box)
        no_visits_column.setContentsMargins(0, 0, 0, 0)
        self.no_visits = label(self.tr("First visit — welcome them!"), "muted")
        no_visits_column.addWidget(self.no_visits)
        no_visits_column.addStretch(1)
        box.addWidget(self.no_visits_box, 1)
        return page

    # -- showing -------------------------------------------------------------------------

    def clear(self) -> None:
        self.view = None
        self._pages.setCurrentIndex(0)

    def show_customer(self, view: CustomerView, tier_up: str | None = None) -> None:
        self.view = view
        self._pages.setCurrentWidget(self._customer_page)
        self.name.setText(view.name)
        self.name.setToolTip(view.name)
        self.tier.setText(view.tier)
        phone = f" · {view.phone}" if view.phone else ""
        line = plural_text("CustomerPanel", "Card {card}{phone} · %n visit(s)", view.visits)
        line = line.format(card=display_card_number(view.card) if view.card else "—", phone=phone)
        # it wraps between its parts only: never "0 / visits" or a card number cut in two
        self.card.setText(" · ".join(part.replace(" ", NBSP) for part in line.split(" · ")))
        self.balance.setText(self.tr("{points} pts").format(points=format_points(view.balance)))
        self.balance.setProperty("negative", "true" if view.balance < 0 else "false")
        restyle(self.balance)
        if view.next_tier and view.to_next_tier is not None:
            self.to_next.setText(
                self.tr("{money} to {tier}").format(
                    # with the currency, as the customer display writes it: next to the
                    # balance's points a bare "400,47" read as points
                    money=format_money(view.to_next_tier, self.currency),
                    tier=view.next_tier,
                )
            )
            whole = view.lifetime_paid + view.to_next_tier
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * view.lifetime_paid // whole) if whole > 0 else 0)
            self.progress.show()
        else:
            self.to_next.setText(self.tr("Top tier reached"))
            self.progress.hide()
        self._show_banners(view, tier_up)
        self.visits_model.set_rows(view.purchases[:5])
        self.no_visits_box.setVisible(not view.purchases)
        self.visits.setVisible(bool(view.purchases))

    def banner_texts(self) -> list[str]:
        texts = []
        for i in range(self.banners.count()):
            widget = self.banners.itemAt(i).widget()
            if isinstance(widget, QLabel):
                texts.append(widget.text())
        return texts

    def _show_banners(self, view: CustomerView, tier_up: str | None) -> None:
        while self.banners.count():
            item = self.banners.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        lines: list[tuple[str, str]] = []
        if view.balance < 0:
            lines.append(
                (
                    "expiry",
                    self.tr(
                        "Negative balance: a refund took back points already spent. "
                        "No points can be spent until it is settled."
                    ),
                )
            )
        if view.birthday_soon:
            lines.append(
                (
                    "birthday",
                    self.tr("Birthday on {day} — wish them a happy birthday!").format(
                        day=format_day_month(view.birthday)
                    ),
                )
            )
        if tier_up:
            lines.append(
                ("praise", self.tr("This purchase takes them to {tier}!").format(tier=tier_up))
            )
        for recognition in view.recognitions:
            kind, _, count = recognition.partition(":")
            if kind == "visit":
                lines.append(
                    (
                        "praise",
                        self.tr(
                            "This is their visit number {n} — thank them for coming back!"
                        ).format(n=count),
                    )
                )
            elif kind == "anniversary":
                years = int(count or 1)
                text = (
                    self.tr("One year with us today — thank them for their loyalty!")
                    if years == 1
                    else self.tr("{n} years with us — thank them for their loyalty!").format(
                        n=years
                    )
                )
                lines.append(("praise", text))
        for lot in view.expiring:
            lines.append(
                (
                    "expiry",
                    self.tr("{points} points expire on {day} — offer to use them.").format(
                        points=format_points(lot.points), day=format_day_month(lot.expires_at)
                    ),
                )
            )
        for tone, text in lines[:4]:
            banner = label(text, "banner")
            banner.setProperty("tone", tone)
            banner.setWordWrap(True)
            self.banners.addWidget(banner)
