"""Ask for a PIN: the owner's to open owner screens, or to set the very first owner PIN.

Digits only, masked; a wrong PIN shows how many tries are left and the lock time after five.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from terminal.app.staff import PIN_MAX, PinRefused, StaffLocked, StaffRoster, StaffView
from terminal.core.errors import LoyaltyError
from terminal.i18n_text import error_text
from terminal.ui.fit import fit_height
from terminal.ui.money_format import format_clock


class PinDialog(QDialog):
    """Checks the PIN with :class:`StaffRoster`; ``person`` is who signed in on accept."""

    def __init__(self, roster: StaffRoster, parent: QWidget | None = None, *, role: str = "owner"):
        super().__init__(parent)
        self.roster = roster
        self.role = role
        self.person: StaffView | None = None
        self.first_use = role == "owner" and not roster.owner_exists()
        self.setWindowTitle(self.tr("Owner PIN"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        self.prompt = QLabel(
            self.tr("No owner PIN is set yet. Choose one (4 to 8 digits) and type it twice.")
            if self.first_use
            else self.tr("Owner screens are locked. Type the owner PIN.")
        )
        self.prompt.setWordWrap(True)
        layout.addWidget(self.prompt)
        self.pin = self._pin_field(self.tr("PIN"))
        layout.addWidget(self.pin)
        self.repeat = self._pin_field(self.tr("The same PIN again"))
        self.repeat.setVisible(self.first_use)
        layout.addWidget(self.repeat)
        self.message = QLabel("")
        self.message.setObjectName("pinMessage")
        self.message.setStyleSheet("color: #B42318;")
        self.message.setWordWrap(True)
        self.message.hide()  # no empty line under the field until there is something to say
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_pin)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)

    def showEvent(self, event: QShowEvent) -> None:
        """Sized for the prompt at the dialog's real width: in Russian and Ukrainian it wraps,
        and the first size Qt picks is for a narrower, shorter dialog."""
        super().showEvent(event)
        fit_height(self)

    def say(self, text: str) -> None:
        """The message under the field; the dialog grows for its lines (a wrong PIN, a lock)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        fit_height(self)

    def _pin_field(self, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMaxLength(PIN_MAX)
        field.setPlaceholderText(placeholder)
        field.setValidator(QRegularExpressionValidator(r"\d{0,8}"))
        field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return field

    def try_pin(self) -> None:
        pin = self.pin.text()
        try:
            if self.first_use:
                if pin != self.repeat.text():
                    self.say(self.tr("The two PINs differ. Type them again."))
                    self.repeat.clear()
                    return
                self.person = self.roster.set_first_owner(self.tr("Owner"), pin)
            else:
                self.person = self.roster.sign_in(pin, role=self.role)
        except PinRefused as exc:
            self.say(
                self.tr("Wrong PIN. Tries left before a 5-minute lock: %1.").replace(
                    "%1", str(exc.params.get("attempts_left", ""))
                )
            )
            self.pin.clear()
            return
        except StaffLocked as exc:
            until = exc.params.get("until")
            self.say(
                self.tr("Too many wrong PINs. Try again at %1.").replace(
                    "%1", format_clock(until) if until else ""
                )
            )
            self.pin.clear()
            return
        except LoyaltyError as exc:
            self.say(error_text(exc))
            return
        self.accept()
