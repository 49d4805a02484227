"""Owner screen "Feedback" (F10): complaints, suggestions and praise, open ones first, with a
resolution note; plus the small dialog the counter or the desk opens to record what a customer
said (:func:`open_feedback_dialog`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.app.customers import Customers
from terminal.app.feedback import FeedbackBook, FeedbackItem
from terminal.core.errors import LoyaltyError
from terminal.i18n_text import erased_marker_text, error_text, short_datetime_format
from terminal.ui import counter_theme
from terminal.ui.customer_panel import label
from terminal.ui.report_tables import RowsModel, export_csv
from terminal.ui.screens import ScreenSpec, register_screen, tr_title
from terminal.ui.services import AppServices


def tr(text: str) -> str:
    return QCoreApplication.translate("Feedback", text)


def kind_titles() -> dict[str, str]:
    return {"complaint": tr("Complaint"), "suggestion": tr("Suggestion"), "praise": tr("Praise")}


class FeedbackDialog(QDialog):
    """Record a complaint, suggestion or praise, optionally for a customer."""

    def __init__(
        self, services: AppServices, customer_id: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.customer_id = customer_id
        self.item: FeedbackItem | None = None
        self.setWindowTitle(self.tr("Customer feedback"))
        counter_theme.apply(self)
        layout = QVBoxLayout(self)
        # whose words these are, so the cashier knows they are filed under the right person
        name = Customers(services.till).get(customer_id, visits=0).name if customer_id else None
        self.heading = label(
            self.tr("Feedback from {name}").format(name=name)
            if name
            else self.tr("Feedback without a customer"),
            "figure",
        )
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.kind = QComboBox()
        for key, title in kind_titles().items():
            self.kind.addItem(title, key)
        layout.addWidget(self.kind)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("What did the customer say?"))
        layout.addWidget(self.text)
        self.message = QLabel("")
        self.message.setStyleSheet("color: #B42318;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 320)

    def save(self) -> None:
        try:
            self.item = FeedbackBook(self.services.till).record(
                self.kind.currentData(),
                self.text.toPlainText(),
                self.customer_id,
                self.services.cashier_id,
            )
        except LoyaltyError as exc:
            self.message.setText(error_text(exc))
            return
        self.services.announce("feedback")
        self.accept()


def open_feedback_dialog(
    services: AppServices, parent: QWidget | None, customer_id: str | None
) -> FeedbackItem | None:
    """What the counter or the desk calls; returns the saved item, or None if cancelled."""
    dialog = FeedbackDialog(services, customer_id, parent)
    dialog.exec()
    return dialog.item


class FeedbackScreen(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.items: list[FeedbackItem] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        # the owner menu's own words for this screen: "Відгуки" there, not a singular "Відгук"
        self.title = QLabel(SPEC.title())
        self.title.setStyleSheet("font-size: 18px; font-weight: 600;")
        bar.addWidget(self.title)
        self.show_filter = QComboBox()
        self.show_filter.setObjectName("statusFilter")
        self.show_filter.addItem(self.tr("Open"), "open")
        self.show_filter.addItem(self.tr("Resolved"), "resolved")
        self.show_filter.addItem(self.tr("All"), None)
        self.show_filter.currentIndexChanged.connect(self.refresh)
        bar.addWidget(self.show_filter)
        bar.addStretch(1)
        self.add_button = QPushButton(self.tr("Record feedback…"))
        self.add_button.clicked.connect(self._add)
        self.resolve_button = QPushButton(self.tr("Resolve…"))
        self.resolve_button.clicked.connect(self._resolve)
        self.csv_button = QPushButton(self.tr("Save as CSV…"))
        self.csv_button.clicked.connect(lambda: export_csv(self.model, self, "feedback.csv"))
        for b in (self.add_button, self.resolve_button, self.csv_button):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.model = RowsModel(
            [
                self.tr("Date"),
                self.tr("Customer"),
                self.tr("Kind"),
                self.tr("Status"),
                self.tr("What was said"),
                self.tr("Resolution"),
            ]
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # the full text is in the tooltip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.message = QLabel("")
        layout.addWidget(self.message)
        services.data.changed.connect(lambda kinds: "feedback" in kinds and self.refresh())
        self.refresh()

    def screen_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.items = FeedbackBook(self.services.till).list(status=self.show_filter.currentData())
        locale = QLocale()
        kinds = kind_titles()
        # One item's status, singular in Russian and Ukrainian ("Відкритий"), unlike the same
        # English word in the filter above, which names the open items ("Відкриті").
        status = {
            "open": self.tr("Open", "status of one feedback item"),
            "resolved": self.tr("Resolved", "status of one feedback item"),
        }
        self.model.set_rows(
            [
                [
                    locale.toString(i.created_at, short_datetime_format()),
                    erased_marker_text(i.customer_name) or self.tr("(no customer)"),
                    kinds.get(i.kind, i.kind),
                    status.get(i.status, i.status),
                    erased_marker_text(i.text),
                    i.resolution,
                ]
                for i in self.items
            ],
            [i.id for i in self.items],
        )

    def _add(self) -> None:
        if open_feedback_dialog(self.services, self, None) is not None:
            self.refresh()

    def _resolve(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText(self.tr("Choose an item in the list first."))
            return
        item = self.items[rows[0].row()]
        note, ok = QInputDialog.getMultiLineText(
            self, self.tr("Resolve"), self.tr("How was it resolved?")
        )
        if not ok:
            return
        try:
            FeedbackBook(self.services.till).resolve(
                item.id, note, self.services.access.current_staff_id()
            )
        except LoyaltyError as exc:
            self.message.setText(error_text(exc))
            return
        self.message.setText(self.tr("Resolved."))
        self.services.announce("feedback")
        self.refresh()


def _make(services: AppServices, parent: QWidget | None) -> QWidget:
    return FeedbackScreen(services, parent)


SPEC = ScreenSpec(
    key="feedback",
    title=tr_title("Feedback"),
    shortcut="F10",
    factory=_make,
    owner_only=True,
)
register_screen(SPEC)
