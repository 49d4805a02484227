""" "Who is at the till?" — the cashier's PIN, typed at the counter, keyboard only.

An inline panel in the counter (where the sale panel is), never a modal window: a scanned card
still shows the customer on the left while it waits, so a queue is never stuck behind a dialog;
only the sale itself waits for the PIN. Digits and Enter sign in; a wrong PIN says how many tries
are left, five lock for five minutes (the same lockout as the owner PIN).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFrame, QLineEdit, QVBoxLayout, QWidget

from terminal.app.staff import PIN_MAX, PIN_MIN, PinRefused, StaffLocked, StaffView
from terminal.core.errors import LoyaltyError
from terminal.ui.counter_theme import restyle
from terminal.ui.customer_panel import label
from terminal.ui.messages import message_for
from terminal.ui.services import AccessPolicy


class TillSignIn(QFrame):
    """Emits ``signedIn`` with the person once their PIN is accepted."""

    signedIn = Signal(object)  # StaffView

    def __init__(self, access: AccessPolicy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access = access
        self.setProperty("role", "card")
        self.setObjectName("tillSignIn")
        column = QVBoxLayout(self)
        column.setContentsMargins(28, 26, 28, 26)
        column.setSpacing(12)
        column.addWidget(label(self.tr("Who is at the till?"), "caption"))
        self.title = label(self.tr("Type your PIN and press Enter"), "hero")
        self.title.setWordWrap(True)
        column.addWidget(self.title)
        self.pin = QLineEdit()
        self.pin.setObjectName("amount")  # the counter's big field: readable from a step away
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(PIN_MAX)
        self.pin.setValidator(QRegularExpressionValidator(rf"\d{{0,{PIN_MAX}}}", self))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.pin.returnPressed.connect(self.try_pin)
        column.addWidget(self.pin)
        self.message = label("")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()
        column.addWidget(self.message)
        self.hint = label(
            self.tr(
                "Scanning still works: a scanned card shows the customer on the left, and the "
                "sale waits for your PIN."
            ),
            "muted",
        )
        self.hint.setWordWrap(True)
        column.addWidget(self.hint)
        column.addStretch(1)

    def ask(self, why: str = "") -> None:
        """Show the panel empty, with the PIN field focused (``why``: an info line on top)."""
        self.pin.clear()
        self._say(why, "info")
        self.show()
        self.pin.setFocus()

    def _say(self, text: str, tone: str = "error") -> None:
        self.message.setText(text)
        self.message.setProperty("tone", tone)
        restyle(self.message)
        self.message.setVisible(bool(text))

    def try_pin(self) -> None:
        pin = self.pin.text()
        if len(pin) < PIN_MIN:
            self._say(
                self.tr("Type your PIN: {min} to {max} digits.").format(min=PIN_MIN, max=PIN_MAX)
            )
            return
        try:
            person: StaffView = self.access.sign_in_at_till(pin)
        except PinRefused as exc:
            self._say(
                self.tr("Wrong PIN. Tries left before a 5-minute lock: {left}.").format(
                    left=exc.params.get("attempts_left", "")
                )
            )
            self.pin.clear()
            return
        except StaffLocked as exc:
            until = exc.params.get("until")
            self._say(
                self.tr(
                    "Too many wrong PINs. Try again at {time}. Scanning and lookups still work."
                ).format(time=until.strftime("%H:%M") if until else "")
            )
            self.pin.clear()
            return
        except LoyaltyError as exc:
            self._say(message_for(exc))
            self.pin.clear()
            return
        self.pin.clear()
        self._say("")
        self.signedIn.emit(person)
