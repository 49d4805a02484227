"""Refund a sale from the desk, full or part, with the money and points it moves shown first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.app.desk import Desk, SaleLine
from terminal.app.refunds import Refunds
from terminal.app.results import RefundResult
from terminal.core.errors import LoyaltyError
from terminal.core.ids import new_id
from terminal.core.money import Currency, parse_amount
from terminal.ui import counter_theme
from terminal.ui.counter_theme import restyle
from terminal.ui.customer_panel import label
from terminal.ui.messages import message_for
from terminal.ui.money_format import format_money, format_points, format_time
from terminal.ui.services import AppServices


class RefundDialog(QDialog):
    def __init__(
        self,
        services: AppServices,
        sale: SaleLine,
        currency: Currency,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.sale = sale
        self.currency = currency
        self.result: RefundResult | None = None
        self.refund_id = new_id()  # one refund per dialog: a double click refunds once
        self.setWindowTitle(self.tr("Refund"))
        counter_theme.apply(self)
        self.setMinimumWidth(520)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 20)
        box.setSpacing(10)
        box.addWidget(label(self.tr("Refund a sale"), "name"))
        box.addWidget(
            label(
                self.tr(
                    "Sale of {when}: {amount}, paid {paid}; {left} can still be refunded."
                ).format(
                    when=format_time(sale.at),
                    amount=format_money(sale.amount, currency),
                    paid=format_money(sale.paid, currency),
                    left=format_money(sale.refundable, currency),
                ),
                "muted",
            )
        )
        row = QHBoxLayout()
        row.addWidget(label(self.tr("Amount to refund"), "caption"))
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("empty = everything left"))
        row.addWidget(self.amount, 1)
        box.addLayout(row)
        grid = QGridLayout()
        self.money_back = label("—", "figure")
        self.points_back = label("—", "figure")
        self.points_taken = label("—", "figure")
        for col, (caption, value) in enumerate(
            (
                (self.tr("Money back"), self.money_back),
                (self.tr("Points given back"), self.points_back),
                (self.tr("Points taken back"), self.points_taken),
            )
        ):
            grid.addWidget(label(caption, "caption"), 0, col)
            grid.addWidget(value, 1, col)
        box.addLayout(grid)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()
        box.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton(self.tr("Cancel  [Esc]"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.confirm_button = QPushButton(self.tr("Refund  [Enter]"))
        self.confirm_button.setProperty("role", "primary")
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.confirm)
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm_button)
        box.addLayout(buttons)
        self.amount.textChanged.connect(lambda _t: self.preview())
        self.preview()
        self.amount.setFocus()

    def _amount(self) -> int | None:
        text = self.amount.text().strip()
        return parse_amount(text, self.currency.decimals) if text else None

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setProperty("tone", "error")
        restyle(self.message)
        self.message.setVisible(bool(text))

    def preview(self) -> bool:
        try:
            shown = Desk(self.services.till).refund_preview(self.sale.sale_id, self._amount())
        except LoyaltyError as exc:
            for widget in (self.money_back, self.points_back, self.points_taken):
                widget.setText("—")
            self.say(message_for(exc))
            return False
        f = shown.figures
        self.money_back.setText(format_money(f.money_returned, self.currency))
        self.points_back.setText(format_points(f.points_returned))
        self.points_taken.setText(format_points(f.points_reversed))
        self.say("")
        return True

    def confirm(self) -> None:
        if not self.preview():
            return
        try:
            self.result = Refunds(self.services.till).refund(
                self.sale.sale_id, self._amount(), self.refund_id, self.services.cashier_id
            )
        except LoyaltyError as exc:
            self.say(message_for(exc))
            return
        self.services.announce("sale", "customer")
        self.accept()
