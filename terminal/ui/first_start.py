"""The one small dialog of the first start: the shop's name, its currency and this till's number.

Shown again later as "Shop details" (Ctrl+,). The till number is printed inside every card
number, so it is locked once a card was issued here.

A till added to a shop that already has one does not answer these questions: they are the
shop's, answered on its first till. It joins from a pairing file right here instead, because
answering them journals the till's own settings, after which it can no longer join a shop.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from terminal.app.shop_setup import ShopSetup
from terminal.app.till import Till
from terminal.core.cards import MAX_TILL
from terminal.core.errors import LoyaltyError
from terminal.core.money import CURRENCIES
from terminal.core.program import DEFAULT_TIER_NAMES
from terminal.sync.pairing import PairingResult, join_pairing
from terminal.ui import counter_theme
from terminal.ui.counter_theme import restyle
from terminal.ui.customer_panel import label
from terminal.ui.fit import fit_height
from terminal.ui.i18n import install_translations, texts_in
from terminal.ui.messages import message_for


class FirstStartDialog(QDialog):
    def __init__(self, till: Till, parent: QWidget | None = None, *, first: bool = True) -> None:
        super().__init__(parent)
        self.setup = ShopSetup(till)
        current = self.setup.current()
        self.setWindowTitle(self.tr("Welcome") if first else self.tr("Shop details"))
        counter_theme.apply(self)
        self.setMinimumWidth(480)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 20)
        box.setSpacing(12)
        box.addWidget(
            label(self.tr("Set up this till") if first else self.tr("Shop details"), "name")
        )
        if first:
            intro = label(
                self.tr("A few questions, once. You can change the shop name later."), "muted"
            )
            intro.setWordWrap(True)
            box.addWidget(intro)
        form = QFormLayout()
        self.shop_name = QLineEdit(
            "" if first and current.shop_name == "My shop" else current.shop_name
        )
        self.shop_name.setPlaceholderText(self.tr("e.g. Kava & Co, Main Street"))
        self.currency = QComboBox()
        for code, money in CURRENCIES.items():
            self.currency.addItem(f"{code}  {money.symbol}", code)
        self.currency.setCurrentIndex(max(0, self.currency.findData(current.currency)))
        self.till_number = QSpinBox()
        self.till_number.setRange(1, MAX_TILL)
        self.till_number.setValue(current.till_number)
        self.till_number.setEnabled(not current.till_number_locked)
        self.language = QComboBox()
        self.language.addItem(self.tr("As the computer is set"), "")
        for code, name in (("en", "English"), ("ru", "Русский"), ("uk", "Українська")):
            self.language.addItem(name, code)  # each language in its own words
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self._language_before = current.language
        form.addRow(self.tr("Shop &name"), self.shop_name)
        form.addRow(self.tr("&Currency"), self.currency)
        form.addRow(self.tr("&Till number"), self.till_number)
        form.addRow(self.tr("&Language"), self.language)
        box.addLayout(form)
        note = label(
            self.tr(
                "The till number is part of every card number issued here: give each till "
                "of the shop its own number."
            )
            if not current.till_number_locked
            else self.tr("The till number is fixed: cards were already issued with it."),
            "muted",
        )
        note.setWordWrap(True)
        box.addWidget(note)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()
        box.addWidget(self.message)
        row = QHBoxLayout()
        self.joined: PairingResult | None = None
        if first:
            join = QPushButton(self.tr("Join a shop…"))
            join.setAutoDefault(False)
            join.setToolTip(
                self.tr(
                    "A till for a shop that already has one: open the pairing file made on "
                    "that shop's till (Owner → Sync). The shop's name, currency and this "
                    "till's number come from the file."
                )
            )
            join.clicked.connect(self._choose_pairing_file)
            row.addWidget(join)
        row.addStretch(1)
        if not first:
            cancel = QPushButton(self.tr("Cancel  [Esc]"))
            cancel.setAutoDefault(False)
            cancel.clicked.connect(self.reject)
            row.addWidget(cancel)
        save = QPushButton(self.tr("Start  [Enter]") if first else self.tr("Save  [Enter]"))
        save.setProperty("role", "primary")
        save.setDefault(True)
        save.clicked.connect(self.save)
        row.addWidget(save)
        box.addLayout(row)
        self.shop_name.setFocus()

    def _choose_pairing_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Pairing file"),
            "",
            self.tr("Pairing files (%1);;All files (*)").replace("%1", "*.pair"),
        )
        if name:
            self.join_from(Path(name))

    def join_from(self, path: Path) -> None:
        """Join the shop of the pairing file at ``path``; a refusal stays in the dialog."""
        try:
            self.joined = join_pairing(self.setup.till, path)
        except LoyaltyError as exc:
            self._refused(exc)
            return
        QMessageBox.information(
            self,
            self.tr("Joined the shop"),
            self.tr(
                "This is now till %1 of %2. Import the other tills' bundles or sync with the "
                "folder or server (Owner → Sync) to get the customers."
            )
            .replace("%1", str(self.joined.till_number))
            .replace("%2", self.joined.shop_name),
        )
        self.accept()

    def _refused(self, exc: LoyaltyError) -> None:
        """Why the answers or the pairing file were not taken, under the form; the dialog grows
        for it so nothing above is squeezed."""
        self.message.setText(message_for(exc))
        self.message.setProperty("tone", "error")
        restyle(self.message)
        self.message.show()
        fit_height(self)

    def save(self) -> None:
        try:
            self.setup.save(
                self.shop_name.text(),
                str(self.currency.currentData()),
                self.till_number.value(),
                str(self.language.currentData()),
                tier_names=texts_in(
                    str(self.language.currentData()) or None, "Tiers", DEFAULT_TIER_NAMES
                ),
            )
        except LoyaltyError as exc:
            self._refused(exc)
            return
        if self.language.currentData() != self._language_before:
            app = QCoreApplication.instance()
            if app is not None:  # screens built from now on speak it; the rest after a restart
                install_translations(app, str(self.language.currentData()) or None)
        self.accept()
