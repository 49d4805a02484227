"""The sale being rung up: amount, how many points to spend, and the live quote read aloud.

Keys (layout-independent, so they work on any keyboard language): ``+`` spend the most points
allowed, ``-`` spend none, ``*`` type a number of points, ``/`` step through the shop's purchase
categories (shown only when the program has some); Enter confirms (handled by the counter).
The figures shown are the app's ``Quote``; nothing is computed here.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from terminal.core.checkout import Quote, Redeem, RedeemMode
from terminal.core.money import Currency
from terminal.i18n_text import sentence_text
from terminal.ui.customer_panel import key_hint, label
from terminal.ui.money_format import amount_example, format_money, format_points

_MODE_KEYS = {
    Qt.Key.Key_Minus: RedeemMode.NONE,
    Qt.Key.Key_Plus: RedeemMode.MAX,
    Qt.Key.Key_Asterisk: RedeemMode.POINTS,
}


class SalePanel(QFrame):
    changed = Signal()  # amount or redemption changed: re-quote
    confirm = Signal()  # Enter in the amount or points field

    def __init__(self, currency: Currency, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.setProperty("role", "card")
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 20)
        box.setSpacing(10)

        self.mode_caption = label(self.tr("Amount"), "caption")
        box.addWidget(self.mode_caption)
        row = QHBoxLayout()
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setPlaceholderText(amount_example(currency))
        self.amount.setMaxLength(14)
        row.addWidget(self.amount, 1)
        row.addWidget(label(currency.symbol, "big"))
        box.addLayout(row)

        redeem_row = QHBoxLayout()
        self.redeem_caption = label(self.tr("Pay with points:"), "muted")
        redeem_row.addWidget(self.redeem_caption)
        self.group = QButtonGroup(self)
        self.radio_none = QRadioButton(self.tr("No  [−]"))
        self.radio_max = QRadioButton(self.tr("Maximum  [+]"))
        self.radio_custom = QRadioButton(self.tr("Points  [*]"))
        for mode, radio in (
            (RedeemMode.NONE, self.radio_none),
            (RedeemMode.MAX, self.radio_max),
            (RedeemMode.POINTS, self.radio_custom),
        ):
            self.group.addButton(radio)
            radio.setProperty("mode", mode.value)
            redeem_row.addWidget(radio)
        self.points = QLineEdit()
        self.points.setPlaceholderText(self.tr("points"))
        self.points.setMaxLength(9)
        self.points.setFixedWidth(110)
        redeem_row.addWidget(self.points)
        redeem_row.addStretch(1)
        box.addLayout(redeem_row)
        self.radio_none.setChecked(True)
        self.points.setEnabled(False)

        self.categories: tuple[str, ...] = ()
        self.category_index = -1  # -1: no category
        self.category_line = QLabel()
        self.category_line.setTextFormat(Qt.TextFormat.RichText)
        self.category_line.hide()
        box.addWidget(self.category_line)

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(2)
        self.discount = label("—", "figure")
        self.used = label("—", "figure")
        self.earn = label("—", "figure")
        self.after = label("—", "figure")
        for col, (caption, value) in enumerate(
            (
                (self.tr("Discount"), self.discount),
                (self.tr("Points used"), self.used),
                (self.tr("Points to earn"), self.earn),
                (self.tr("New balance"), self.after),
            )
        ):
            grid.addWidget(label(caption, "caption"), 0, col)
            grid.addWidget(value, 1, col)
        box.addLayout(grid)
        pay = QHBoxLayout()
        pay.addWidget(label(self.tr("To pay"), "caption"), 0, Qt.AlignmentFlag.AlignVCenter)
        pay.addStretch(1)
        self.to_pay = label("—", "topay")
        pay.addWidget(self.to_pay)
        box.addLayout(pay)
        self.explanation = label("", "muted")
        self.explanation.setWordWrap(True)
        box.addWidget(self.explanation)

        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.result.hide()
        box.addWidget(self.result)
        self.extra = QVBoxLayout()  # the NPS question goes here
        box.addLayout(self.extra)
        box.addStretch(1)
        hints = QHBoxLayout()
        hints.addWidget(key_hint("Enter", self.tr("Confirm sale")))
        hints.addWidget(key_hint("Esc", self.tr("Next customer")))
        hints.addWidget(key_hint("F5", self.tr("No card")))
        box.addLayout(hints)

        self.amount.textEdited.connect(lambda _t: self.changed.emit())
        self.points.textEdited.connect(lambda _t: self.changed.emit())
        self.amount.returnPressed.connect(self.confirm.emit)
        self.points.returnPressed.connect(self.confirm.emit)
        self.group.buttonToggled.connect(self._on_radio)
        self.amount.installEventFilter(self)
        self.points.installEventFilter(self)
        self.setTabOrder(self.amount, self.radio_none)
        self.setTabOrder(self.radio_none, self.radio_max)
        self.setTabOrder(self.radio_max, self.radio_custom)
        self.setTabOrder(self.radio_custom, self.points)

    # -- input ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            mode = _MODE_KEYS.get(Qt.Key(event.key()))
            if mode is not None:
                self.set_mode(mode)
                return True
            if event.key() == Qt.Key.Key_Slash and self.categories:
                self.next_category()
                return True
        return False

    # -- purchase categories -------------------------------------------------------------

    def set_categories(self, names: tuple[str, ...]) -> None:
        """The program's categories; none (the default) hides the line and the key."""
        if names != self.categories:
            self.categories = names
            self.category_index = -1
        self.category_line.setVisible(bool(names))
        self._show_category()

    def next_category(self) -> None:
        """One key steps through: no category → each category → no category."""
        self.category_index += 1
        if self.category_index >= len(self.categories):
            self.category_index = -1
        self._show_category()
        self.changed.emit()

    def category(self) -> str | None:
        return self.categories[self.category_index] if self.category_index >= 0 else None

    def _show_category(self) -> None:
        choices = [self.tr("none"), *self.categories]
        chosen = self.category_index + 1
        shown = [
            f"<b style='color:#0F6E66'>[{html.escape(name)}]</b>"
            if i == chosen
            else html.escape(name)
            for i, name in enumerate(choices)
        ]
        self.category_line.setText(
            self.tr("Category  [/]:") + "&nbsp;&nbsp;" + "&nbsp;·&nbsp;".join(shown)
        )

    def set_mode(self, mode: RedeemMode) -> None:
        radio = {
            RedeemMode.NONE: self.radio_none,
            RedeemMode.MAX: self.radio_max,
            RedeemMode.POINTS: self.radio_custom,
        }[mode]
        radio.setChecked(True)
        if mode == RedeemMode.POINTS:
            self.points.setFocus()
            self.points.selectAll()
        elif self.points.hasFocus():
            self.amount.setFocus()

    def _on_radio(self, _button: object, checked: bool) -> None:
        if checked:
            self.points.setEnabled(self.radio_custom.isChecked())
            self.changed.emit()

    def redeem(self) -> Redeem:
        """What the cashier chose; a custom number is parsed by the core's own rule."""
        if self.radio_max.isChecked():
            return Redeem(RedeemMode.MAX)
        if self.radio_custom.isChecked():
            return Redeem.parse(self.points.text() or "0")
        return Redeem()

    def set_editable(self, editable: bool) -> None:
        self.amount.setReadOnly(not editable)
        for widget in (self.radio_none, self.radio_max, self.radio_custom):
            widget.setEnabled(editable)
        self.points.setEnabled(editable and self.radio_custom.isChecked())

    # -- showing -------------------------------------------------------------------------

    def set_cardless(self, cardless: bool, has_customer: bool) -> None:
        if cardless:
            self.mode_caption.setText(self.tr("Amount — sale without a card"))
        elif has_customer:
            self.mode_caption.setText(self.tr("Amount"))
        else:
            self.mode_caption.setText(self.tr("Amount — scan a card first, or F5 for no card"))
        # the caption goes with its choices: alone it would ask a question with no answers
        for widget in (
            self.redeem_caption,
            self.radio_none,
            self.radio_max,
            self.radio_custom,
            self.points,
        ):
            widget.setVisible(not cardless)

    def show_quote(self, quote: Quote | None) -> None:
        money = self.currency
        if quote is None:
            for widget in (self.discount, self.used, self.earn, self.after, self.to_pay):
                widget.setText("—")
            self.explanation.setText("")
            return
        self.discount.setText(format_money(quote.discount, money))
        self.used.setText(
            self.tr("{points} = {money}").format(
                points=format_points(quote.points_redeemed),
                money=format_money(quote.redeemed_value, money),
            )
            if quote.points_redeemed
            else "0"
        )
        bonus = sum(b.points for b in quote.bonuses)
        earn = format_points(quote.points_earned)
        self.earn.setText(f"+{earn}" + (self.tr(" +{n} bonus").format(n=bonus) if bonus else ""))
        self.after.setText(format_points(quote.balance_after))
        self.to_pay.setText(format_money(quote.to_pay, money))
        self.explanation.setText(sentence_text(quote.explanation))

    def show_cardless_total(self, amount: int | None) -> None:
        self.show_quote(None)
        if amount is not None:
            self.to_pay.setText(format_money(amount, self.currency))
            self.explanation.setText(self.tr("No points are earned without a card."))

    def show_result(self, text: str) -> None:
        self.result.setText(text)
        self.result.setVisible(bool(text))

    def reset(self) -> None:
        self.category_index = -1
        self._show_category()
        self.amount.clear()
        self.points.clear()
        self.radio_none.setChecked(True)
        self.set_editable(True)
        self.show_quote(None)
        self.show_result("")
