"""The customer desk (F2): find a customer, see their whole story and put things right — edit
their details, refund a sale, block a card, or give them a new card for a lost one (the balance
and the history stay with the customer). The owner can also adjust points, with a reason.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.app.card_admin import CardAdmin
from terminal.app.customers import Customers
from terminal.app.desk import CustomerHistory, Desk, LedgerLine, RefundLine, SaleLine
from terminal.core.cards import display_card_number
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import LoyaltyError
from terminal.ledger_reasons import kind_text, reason_text
from terminal.ui import counter_theme
from terminal.ui.counter_theme import restyle
from terminal.ui.customer_list_model import Column, RowsModel, customer_columns
from terminal.ui.customer_panel import label
from terminal.ui.messages import message_for
from terminal.ui.money_format import format_date, format_money, format_points, format_time
from terminal.ui.refund_dialog import RefundDialog
from terminal.ui.screens import CUSTOMERS_TITLE, ScreenSpec, register_screen
from terminal.ui.services import AppServices

# What a card's status is called where the desk lists a customer's cards ("2010… (blocked)").
CARD_STATUS_NAMES = {
    "active": "in use",
    "blocked": "blocked",
    "replaced": "replaced",
    "stock": "not given out",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Desk", text)


def _signed(points: int) -> str:
    return f"+{format_points(points)}" if points > 0 else format_points(points)


def _table(model: RowsModel) -> QTableView:  # type: ignore[type-arg]
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(32)
    # Columns as wide as their heading or figures, the last one taking the rest: translated
    # headings ("Начислено баллов") stay whole instead of losing their first letters.
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class CustomerDesk(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.till = services.till
        self.currency = self.till.currency()
        self.history: CustomerHistory | None = None
        counter_theme.apply(self)
        self._build()
        services.data.changed.connect(self._on_data_changed)

    # -- building ------------------------------------------------------------------------

    def _build(self) -> None:
        money = self.currency
        outer = QHBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 12)
        outer.setSpacing(14)
        left_box = QWidget()
        left_box.setMinimumWidth(400)
        left_box.setMaximumWidth(480)
        left = QVBoxLayout(left_box)
        left.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("lookup")
        self.search.setPlaceholderText(self.tr("Name, phone or card, then Enter"))
        self.search.returnPressed.connect(self.run_search)
        left.addWidget(self.search)
        self.results_model: RowsModel = RowsModel(customer_columns(money)[:2], self)
        self.results = _table(self.results_model)
        self.results.activated.connect(lambda _i: self.open_selected())
        left.addWidget(self.results, 1)
        outer.addWidget(left_box, 4)

        right = QVBoxLayout()
        self.name = label(self.tr("Find a customer on the left"), "name")
        right.addWidget(self.name)
        self.summary = label("", "muted")
        self.summary.setWordWrap(True)
        right.addWidget(self.summary)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()
        right.addWidget(self.message)
        # Two rows so every label stays whole at 1366 px: the card and its sales, then serving
        # the customer, printing their card and writing down what they said.
        self.buttons: dict[str, QPushButton] = {}
        for group in (
            (
                ("refund", self.tr("Refund  Ctrl+R"), self.refund_selected),
                ("replace", self.tr("New card  Ctrl+L"), self.replace_card),
                ("block", self.tr("Block  Ctrl+B"), self.block_card),
                ("unblock", self.tr("Unblock  Ctrl+U"), self.unblock_card),
            ),
            (
                ("counter", self.tr("Serve  Ctrl+Enter"), self.serve),
                ("print", self.tr("Print card  Ctrl+P"), self.print_card),
                ("feedback", self.tr("Complaint / suggestion  Ctrl+M"), self.record_feedback),
            ),
        ):
            actions = QHBoxLayout()
            for key, text, slot in group:
                button = QPushButton(text)
                button.clicked.connect(slot)
                button.setEnabled(False)
                actions.addWidget(button)
                self.buttons[key] = button
            actions.addStretch(1)
            right.addLayout(actions)
        self.tabs = QTabWidget()
        self.sales_model: RowsModel[SaleLine] = RowsModel(
            [
                Column("When", lambda s: format_time(s.at)),
                Column("Amount", lambda s: format_money(s.amount, money), True),
                Column("Paid", lambda s: format_money(s.paid, money), True),
                Column("Points used", lambda s: format_points(s.points_redeemed), True),
                Column(
                    "Points earned", lambda s: format_points(s.points_earned + s.bonus_points), True
                ),
                Column(
                    "Refunded",
                    lambda s: format_money(s.refunded_amount, money) if s.refunded_amount else "",
                    True,
                ),
                Column("Cashier", lambda s: s.cashier),
            ],
            self,
        )
        self.ledger_model: RowsModel[LedgerLine] = RowsModel(
            [
                Column("When", lambda e: format_time(e.at)),
                Column("What", lambda e: kind_text(e.kind)),
                Column("Points", lambda e: _signed(e.points), True, lambda e: e.points < 0),
                Column(
                    "Balance",
                    lambda e: format_points(e.balance_after),
                    True,
                    lambda e: e.balance_after < 0,
                ),
                Column("Reason", lambda e: reason_text(e.reason, e.kind)),
                Column("By", lambda e: e.by),
            ],
            self,
        )
        self.refunds_model: RowsModel[RefundLine] = RowsModel(
            [
                Column("When", lambda r: format_time(r.at)),
                Column("Refunded", lambda r: format_money(r.amount, money), True),
                Column("Money back", lambda r: format_money(r.money_returned, money), True),
                Column("Points given back", lambda r: format_points(r.points_returned), True),
                Column("Points taken back", lambda r: format_points(r.points_reversed), True),
            ],
            self,
        )
        self.sales = _table(self.sales_model)
        self.ledger = _table(self.ledger_model)
        self.refunds = _table(self.refunds_model)
        self.tabs.addTab(self.sales, self.tr("Sales"))
        self.tabs.addTab(self.ledger, self.tr("Points history"))
        self.tabs.addTab(self.refunds, self.tr("Refunds"))
        self.tabs.addTab(self._details_tab(), self.tr("Details"))
        # the owner's correction sits by the points history it writes to, not among the
        # cashier's buttons
        adjust = QPushButton(self.tr("Adjust points (owner)  Ctrl+J"))
        adjust.setObjectName("adjustPoints")
        adjust.setStyleSheet("padding: 3px 12px; margin-bottom: 3px;")  # the tab bar's height
        adjust.clicked.connect(self.adjust_points)
        adjust.setEnabled(False)
        self.buttons["adjust"] = adjust
        self.tabs.setCornerWidget(adjust, Qt.Corner.TopRightCorner)
        right.addWidget(self.tabs, 1)
        outer.addLayout(right, 9)
        for key, slot in (
            ("Ctrl+R", self.refund_selected),
            ("Ctrl+L", self.replace_card),
            ("Ctrl+B", self.block_card),
            ("Ctrl+U", self.unblock_card),
            ("Ctrl+S", self.save_details),
            ("Ctrl+Return", self.serve),
            ("Ctrl+P", self.print_card),
            ("Ctrl+M", self.record_feedback),
            ("Ctrl+J", self.adjust_points),
            ("F3", self.focus_search),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _details_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.edit_name = QLineEdit()
        self.edit_phone = QLineEdit()
        self.edit_email = QLineEdit()
        self.edit_birthday = QLineEdit()
        self.edit_birthday.setPlaceholderText(self.tr("e.g. 31.12.1990"))
        self.edit_consent = QCheckBox(self.tr("Agrees to receive messages"))
        form.addRow(self.tr("Name"), self.edit_name)
        form.addRow(self.tr("Phone"), self.edit_phone)
        form.addRow(self.tr("E-mail"), self.edit_email)
        form.addRow(self.tr("Birthday"), self.edit_birthday)
        form.addRow("", self.edit_consent)
        save = QPushButton(self.tr("Save details  Ctrl+S"))
        save.setProperty("role", "primary")
        save.clicked.connect(self.save_details)
        form.addRow("", save)
        return page

    # -- finding and showing -------------------------------------------------------------

    def screen_shown(self) -> None:
        self.focus_search()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def say(self, text: str, tone: str = "error") -> None:
        self.message.setText(text)
        self.message.setProperty("tone", tone if text else "none")
        restyle(self.message)
        self.message.setVisible(bool(text))

    def handle_scan(self, code: str) -> bool:
        """A scanned card at the desk opens its owner, blocked or replaced cards included."""
        self.search.setText(code)
        self.run_search()
        return True

    def run_search(self) -> None:
        try:
            found = Customers(self.till).search(self.search.text())
        except LoyaltyError as exc:
            self.say(message_for(exc))
            return
        self.results_model.set_rows(found)
        if not found:
            self.say(self.tr("Nobody matches “{text}”.").format(text=self.search.text()), "info")
            return
        self.say("")
        self.results.selectRow(0)
        if len(found) == 1:
            self.open_customer(found[0].customer_id)
        else:
            self.results.setFocus()

    def open_selected(self) -> None:
        row = self.results_model.row_at(self.results.currentIndex())
        if row is not None:
            self.open_customer(row.customer_id)

    def open_customer(self, customer_id: str) -> None:
        try:
            self.history = Desk(self.till).history(customer_id)
        except LoyaltyError as exc:
            self.say(message_for(exc))
            return
        view = self.history.customer
        self.name.setText(view.name)
        cards = ", ".join(
            f"{display_card_number(c['number'])} "
            f"({_tr(CARD_STATUS_NAMES.get(c['status'], c['status']))})"
            for c in view.cards
        ) or self.tr("no card")
        self.summary.setText(
            self.tr(
                "{tier} · balance {points} points · paid {paid} in {visits} visits · member since "
                "{since}\nCards: {cards}"
            ).format(
                tier=view.tier,
                points=format_points(view.balance),
                paid=format_money(view.lifetime_paid, self.currency),
                visits=view.visits,
                since=format_date(view.member_since),
                cards=cards,
            )
        )
        self.sales_model.set_rows(self.history.sales)
        self.ledger_model.set_rows(self.history.ledger)
        self.refunds_model.set_rows(self.history.refunds)
        if self.history.sales:
            self.sales.selectRow(0)
        self.edit_name.setText(view.name)
        self.edit_phone.setText(view.phone or "")
        self.edit_email.setText(view.email or "")
        self.edit_birthday.setText(view.birthday.strftime("%d.%m.%Y") if view.birthday else "")
        self.edit_consent.setChecked(view.consent)
        statuses = {c["status"] for c in view.cards}
        self.buttons["refund"].setEnabled(bool(self.history.sales))
        self.buttons["replace"].setEnabled(bool(view.cards))
        self.buttons["block"].setEnabled("active" in statuses)
        self.buttons["unblock"].setEnabled("blocked" in statuses)
        self.buttons["counter"].setEnabled(view.card is not None)
        self.buttons["print"].setEnabled(view.card is not None)
        self.buttons["feedback"].setEnabled(True)
        self.buttons["adjust"].setEnabled(True)

    def _card_with(self, status: str) -> str | None:
        if self.history is None:
            return None
        return next(
            (c["number"] for c in reversed(self.history.customer.cards) if c["status"] == status),
            None,
        )

    # -- actions -------------------------------------------------------------------------

    def _done(self, text: str) -> None:
        assert self.history is not None
        self.services.announce("customer", "card")
        self.open_customer(self.history.customer.customer_id)
        self.say(text, "ok")

    def _someone_at_till(self) -> bool:
        """Refunds and card changes are recorded as the cashier's: in a shop with cashiers,
        someone signs in at the counter first (or the owner has unlocked the owner screens)."""
        access = self.services.access
        if access.till_sign_in_needed() and access.current_role() != "owner":
            self.say(
                self.tr(
                    "Sign in at the counter first (F1): refunds and card changes are recorded "
                    "as the cashier's."
                ),
                "info",
            )
            return False
        return True

    def refund_selected(self) -> None:
        if not self._someone_at_till():
            return
        sale = self.sales_model.row_at(self.sales.currentIndex())
        if sale is None:
            self.say(self.tr("Pick the sale to refund in the Sales list first."), "info")
            return
        if sale.refundable <= 0:
            self.say(self.tr("This sale was already refunded in full."), "info")
            return
        dialog = RefundDialog(self.services, sale, self.currency, self)
        if dialog.exec() and dialog.result is not None:
            r = dialog.result
            self._done(
                self.tr("Refunded {money}: {back} points given back, {taken} taken back.").format(
                    money=format_money(r.money_returned, self.currency),
                    back=format_points(r.points_returned),
                    taken=format_points(r.points_reversed),
                )
            )

    def block_card(self) -> None:
        number = self._card_with("active")
        if number is None or not self._someone_at_till():
            return
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Block card"),
            self.tr("Why is card {card} blocked? (lost, stolen, misused)").format(card=number),
        )
        if not ok:
            return
        try:
            CardAdmin(self.till).block(number, reason, cashier=self.services.cashier_id)
        except LoyaltyError as exc:
            self.say(message_for(exc))
            return
        self._done(
            self.tr(
                "Card {card} is blocked. Replace it with Ctrl+L when the customer gets a new card."
            ).format(card=number)
        )

    def unblock_card(self) -> None:
        number = self._card_with("blocked")
        if number is None or not self._someone_at_till():
            return
        try:
            CardAdmin(self.till).unblock(number, cashier=self.services.cashier_id)
        except LoyaltyError as exc:
            self.say(message_for(exc))
            return
        self._done(self.tr("Card {card} works again.").format(card=number))

    def replace_card(self) -> None:
        old = self._card_with("active") or self._card_with("blocked")
        if old is None or not self._someone_at_till():
            return
        new, ok = QInputDialog.getText(
            self,
            self.tr("Replace lost card"),
            self.tr("Scan the new pre-printed card, or leave empty to issue a new number."),
        )
        if not ok:
            return
        try:
            result = CardAdmin(self.till).replace(
                old, new.strip() or None, cashier=self.services.cashier_id
            )
        except LoyaltyError as exc:
            self.say(message_for(exc))
            return
        self._done(
            self.tr(
                "New card {card}; the old one no longer works. Balance {points} points kept."
            ).format(card=result.new_card, points=format_points(result.balance))
        )

    def save_details(self) -> None:
        if self.history is None or not self._someone_at_till():
            return
        form = CustomerForm(
            self.edit_name.text(),
            self.edit_phone.text(),
            self.edit_email.text(),
            self.edit_birthday.text() or None,
            self.edit_consent.isChecked(),
        )
        try:
            Desk(self.till).edit(
                self.history.customer.customer_id, form, cashier=self.services.cashier_id
            )
        except LoyaltyError as exc:
            self.say(message_for(exc))
            return
        self._done(self.tr("Details saved."))

    def adjust_points(self) -> None:
        """Ctrl+J: the owner adds or takes away points, with a reason (asks the owner PIN)."""
        if self.history is None:
            return
        if not self.services.access.require_owner(self):
            self.say(self.tr("Only the owner can adjust points."), "info")
            return
        from terminal.ui.adjust_dialog import AdjustPointsDialog

        customer = self.history.customer
        dialog = AdjustPointsDialog(self.services, customer.customer_id, customer.name, self)
        if dialog.exec() and dialog.result is not None:
            r = dialog.result
            self._done(
                self.tr("Points adjusted by {points}: balance {balance}. Reason: {reason}").format(
                    points=_signed(r.points), balance=format_points(r.balance), reason=r.reason
                )
            )

    def serve(self) -> None:
        """Open this customer at the counter (e.g. after fixing their card)."""
        if self.history is None or self.history.customer.card is None:
            return
        card = self.history.customer.card
        self.services.show_screen("counter")
        window = self.window()
        screen = getattr(window, "current_screen", lambda: None)()
        handler = getattr(screen, "handle_scan", None)
        if callable(handler):
            handler(card)

    def print_card(self) -> None:
        """Ctrl+P: print this customer's working card (a new one after a replacement, say)."""
        if self.history is None or self.history.customer.card is None:
            return
        from terminal.ui import card_print_dialog

        card_print_dialog.print_card(self.services, self, self.history.customer.card)

    def record_feedback(self) -> None:
        """Ctrl+M: write down what this customer complained about or suggested."""
        if self.history is None:
            return
        from terminal.ui import feedback_screen

        item = feedback_screen.open_feedback_dialog(
            self.services, self, self.history.customer.customer_id
        )
        if item is not None:
            self.say(self.tr("Thank you: the owner will read it in Feedback (F10)."), "ok")

    def _on_data_changed(self, kinds: set[str]) -> None:
        if self.history is not None and kinds & {"sale"} and not self.isVisible():
            self.open_customer(self.history.customer.customer_id)


def _make(services: AppServices, parent: QWidget | None) -> QWidget:
    return CustomerDesk(services, parent)


register_screen(ScreenSpec(key="customers", title=CUSTOMERS_TITLE, shortcut="F2", factory=_make))
