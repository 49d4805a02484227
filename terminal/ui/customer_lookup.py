"""Finding a customer by hand at the counter: a card number, a phone (or its last digits) or part
of a name; several matches become a list to pick from with the arrow keys and Enter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView

from terminal.app.customers import Customers
from terminal.app.results import CustomerView
from terminal.core.cards import looks_like_card_number
from terminal.core.errors import LoyaltyError
from terminal.core.money import Currency
from terminal.ui.customer_list_model import NAME_COLUMN, RowsModel, customer_columns
from terminal.ui.messages import message_for


class CustomerLookup(QObject):
    card = Signal(str)  # a card number typed in full: handled like a scan
    picked = Signal(str)  # the customer id chosen
    listed = Signal()  # several matches: show the list
    message = Signal(str, str)  # text, tone

    def __init__(self, customers: Customers, currency: Currency, parent: QObject | None = None):
        super().__init__(parent)
        self.customers = customers
        self.field = QLineEdit()
        self.field.setObjectName("lookup")
        self.field.setPlaceholderText(self.tr("Find a customer: card, phone or name, then Enter"))
        self.field.setClearButtonEnabled(True)
        self.model: RowsModel[CustomerView] = RowsModel(customer_columns(currency), self)
        self.results = QTableView()
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The name takes the room: phone, card, tier and points are as wide as their contents
        # (a phone or a card number cut short is useless), the name gets all the rest. At
        # 1366 px that rest is ~250 px (the sale panel beside the list cannot shrink), so a
        # "Surname Name Patronymic" that does not fit goes on to a second line of its row
        # rather than losing the part that tells two Kovalenkos apart.
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        rows = self.results.verticalHeader()
        rows.hide()
        rows.setMinimumSectionSize(34)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.results.setWordWrap(True)
        self.results.setStyleSheet("QTableView::item { padding: 3px 0; }")  # two lines breathe
        self.results.activated.connect(lambda _index: self.pick())
        self.field.returnPressed.connect(self.submit)
        self.field.installEventFilter(self)

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↓ from the field moves into the list of matches."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rows
        ):
            self.results.setFocus()
            return True
        return False

    def submit(self) -> None:
        text = self.field.text().strip()
        if not text:
            return
        if looks_like_card_number(text) or (text.isdigit() and len(text) == 13):
            self.field.clear()
            self.card.emit(text)
            return
        try:
            found = self.customers.search(text)
        except LoyaltyError as exc:
            self.message.emit(message_for(exc), "error")
            return
        if not found:
            self.message.emit(
                self.tr(
                    "Nobody matches “{text}”. Try the phone's last digits or part of "
                    "the name; F4 registers a new customer."
                ).format(text=text),
                "error",
            )
            return
        if len(found) == 1:
            self.field.clear()
            self.picked.emit(found[0].customer_id)
            return
        self.model.set_rows(found)
        self.listed.emit()
        self.results.selectRow(0)
        self.results.setFocus()
        self.message.emit(
            self.tr(
                "{n} customers match. Pick one with the arrow keys and Enter; Esc goes back."
            ).format(n=len(found)),
            "info",
        )

    def pick(self) -> None:
        row = self.model.row_at(self.results.currentIndex())
        if row is not None:
            self.field.clear()
            self.picked.emit(row.customer_id)
