"""Register a customer in under a minute: name, phone, optional birthday and e-mail, consent
(unchecked, its text shown), an optional referrer by scanning their card, and a card — a
pre-printed one scanned, or a new number issued and shown big.

A scan while this dialog is open fills the card field, or the referrer field when that has focus.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from terminal.app.enrollment import Enrollment
from terminal.app.results import EnrollResult
from terminal.core.cards import display_card_number
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import DuplicateCustomer, LoyaltyError
from terminal.ui import counter_theme
from terminal.ui.counter_theme import restyle
from terminal.ui.customer_panel import label
from terminal.ui.fit import fit_height
from terminal.ui.messages import message_for
from terminal.ui.money_format import format_points
from terminal.ui.services import AppServices


class RegistrationDialog(QDialog):
    def __init__(
        self,
        services: AppServices,
        card_number: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.customer_id: str | None = None
        self.enrolled: EnrollResult | None = None
        self.duplicate_id: str | None = None
        self.setWindowTitle(self.tr("New customer"))
        counter_theme.apply(self)
        self.setMinimumWidth(620)
        self.pages = QStackedLayout(self)
        self.pages.addWidget(self._form_page(card_number or ""))
        self.pages.addWidget(self._done_page())

    def _form_page(self, card_number: str) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(24, 20, 24, 20)
        box.setSpacing(12)
        box.addWidget(label(self.tr("New customer"), "name"))
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(16)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("First and last name"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("e.g. 067 123 45 67"))
        self.birthday = QLineEdit()
        self.birthday.setPlaceholderText(self.tr("optional, e.g. 31.12.1990"))
        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("optional"))
        self.consent = QCheckBox(self.tr("Agrees to receive messages"))
        self.consent.setChecked(False)
        consent_text = label(
            self.tr(
                "Read to the customer: “We will send you messages about your points and our "
                "offers by SMS or e-mail. You can say no now, or stop them at any time.”"
            ),
            "muted",
        )
        consent_text.setWordWrap(True)
        self.referrer = QLineEdit()
        self.referrer.setPlaceholderText(
            self.tr("optional: click here, then scan the friend's card")
        )
        self.card = QLineEdit(card_number)
        self.card.setPlaceholderText(
            self.tr("scan a pre-printed card, or leave empty for a new number")
        )
        form.addRow(self.tr("&Name"), self.name)
        form.addRow(self.tr("&Phone"), self.phone)
        form.addRow(self.tr("&Birthday"), self.birthday)
        form.addRow(self.tr("&E-mail"), self.email)
        form.addRow("", self.consent)
        form.addRow("", consent_text)
        form.addRow(self.tr("&Referred by"), self.referrer)
        form.addRow(self.tr("&Card"), self.card)
        box.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()
        box.addWidget(self.message)
        self.open_existing = QPushButton(self.tr("&Open this customer instead"))
        self.open_existing.hide()
        self.open_existing.clicked.connect(self._open_duplicate)
        box.addWidget(self.open_existing)
        for field in (self.name, self.phone):
            field.textEdited.connect(self._withdraw_offer)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton(self.tr("Cancel  [Esc]"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.register_button = QPushButton(self.tr("Register  [Enter]"))
        self.register_button.setProperty("role", "primary")
        self.register_button.setDefault(True)
        self.register_button.clicked.connect(self.submit)
        buttons.addWidget(cancel)
        buttons.addWidget(self.register_button)
        box.addLayout(buttons)
        order = [
            self.name,
            self.phone,
            self.birthday,
            self.email,
            self.consent,
            self.referrer,
            self.card,
            self.register_button,
        ]
        for first, second in pairwise(order):
            self.setTabOrder(first, second)
        self.name.setFocus()
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(24, 24, 24, 24)
        box.setSpacing(12)
        self.done_title = label("", "name")
        self.done_title.setWordWrap(True)  # "Ласкаво просимо, Олександра Костянтинівна …"
        box.addWidget(self.done_title)
        box.addWidget(label(self.tr("Their card number"), "caption"))
        self.done_card = label("", "big")
        self.done_card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.done_card)
        self.done_note = label("", "muted")
        self.done_note.setWordWrap(True)
        box.addWidget(self.done_note)
        box.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        # A new number has no card in the customer's hand yet: printing it is one key away.
        self.print_button = QPushButton(self.tr("&Print their card  Ctrl+P"))
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_card)
        row.addWidget(self.print_button)
        print_key = QShortcut(QKeySequence("Ctrl+P"), page)
        print_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_key.activated.connect(self.print_card)
        self.done_button = QPushButton(self.tr("Start their sale  [Enter]"))
        self.done_button.setProperty("role", "primary")
        self.done_button.clicked.connect(self.accept)
        row.addWidget(self.done_button)
        box.addLayout(row)
        return page

    # -- scans ---------------------------------------------------------------------------

    def handle_scan(self, code: str) -> bool:
        """A card scanned anywhere in the form: the referrer's (when that field has focus) or
        the card to give. Anything that is not digits was typed, not scanned: let it through."""
        if not code.strip().isdigit():
            return False
        target = self.referrer if self.referrer.hasFocus() else self.card
        target.setText(code)
        self.say("")
        return True

    # -- registering ---------------------------------------------------------------------

    def say(self, text: str, tone: str = "error") -> None:
        """The message under the form; the dialog grows for it (and shrinks after it), so the
        consent text the cashier reads aloud is never squeezed to make room."""
        self.message.setText(text)
        self.message.setProperty("tone", tone)
        restyle(self.message)
        self.message.setVisible(bool(text))
        fit_height(self)

    def _withdraw_offer(self) -> None:
        """The offer to open the other customer was for the name and phone as they were: once
        the cashier corrects them it goes, and Enter registers again instead of opening
        someone else."""
        if self.open_existing.isVisible():
            self.open_existing.hide()
            self.say("")
            self.register_button.setDefault(True)

    def submit(self) -> None:
        if self.pages.currentIndex() == 1:
            self.accept()
            return
        if self.open_existing.isVisible():
            self.open_existing.hide()
            fit_height(self)
        form = CustomerForm(
            name=self.name.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            birthday=self.birthday.text() or None,
            consent=self.consent.isChecked(),
        )
        try:
            result = Enrollment(self.services.till).register(
                form,
                card_number=self.card.text().strip() or None,
                referrer_card=self.referrer.text().strip() or None,
                cashier=self.services.cashier_id,
            )
        except DuplicateCustomer as exc:
            self.duplicate_id = str(exc.params.get("customer_id"))
            self.say(message_for(exc) + " " + self.tr("Open them instead of registering twice?"))
            self.open_existing.setText(
                self.tr("&Open {name} instead").format(name=exc.params.get("name", ""))
            )
            self.open_existing.show()
            fit_height(self)
            self.open_existing.setFocus()
            return
        except LoyaltyError as exc:
            self.say(message_for(exc))
            field = {
                "name": self.name,
                "phone": self.phone,
                "email": self.email,
                "birthday": self.birthday,
                "referrer": self.referrer,
            }.get(str(exc.params.get("field", "")))
            if exc.code in ("invalid_phone",):
                field = self.phone
            elif exc.code in ("card_unavailable", "invalid_card_number") and field is None:
                field = self.card
            if field is not None:
                field.setFocus()
                field.selectAll()
            return
        self.enrolled = result
        self.customer_id = result.customer_id
        self.services.announce("customer", "card")
        self.done_title.setText(self.tr("Welcome, {name}!").format(name=result.name))
        self.done_card.setText(display_card_number(result.card))
        printed = self.card.text().strip()
        note = (
            self.tr("The pre-printed card they hold is now theirs.")
            if printed
            else self.tr(
                "A new number was issued: print their card now (Ctrl+P), or write the "
                "number on a blank card."
            )
        )
        self.done_note.setText(
            note
            + " "
            + self.tr("Welcome bonus: {points} points.").format(
                points=format_points(result.welcome_points)
            )
        )
        self.print_button.setVisible(not printed)
        self.pages.setCurrentIndex(1)
        self.done_button.setDefault(True)
        self.done_button.setFocus()

    def print_card(self) -> None:
        """The print dialog for the card just issued; it belongs to the till window, so it stays
        open after this dialog closes and the sale starts."""
        if self.enrolled is None or self.print_button.isHidden():
            return
        from terminal.ui import card_print_dialog

        card_print_dialog.print_card(self.services, self.parentWidget(), self.enrolled.card)

    def _open_duplicate(self) -> None:
        self.customer_id = self.duplicate_id
        self.accept()
