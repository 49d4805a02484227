"""The owner's "Adjust points…" form at the customer desk: points (+ or −), a required reason, and
the new balance previewed on every keystroke, before anything is written.

The arithmetic and every rule live in :class:`PointAdjustments` (the preview asks it too), so the
form can only show what the app would do. The desk asks for the owner PIN before opening it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from terminal.app.adjustments import AdjustmentResult, PointAdjustments
from terminal.core.adjustments import REASON_MAX
from terminal.core.errors import LoyaltyError
from terminal.ui import counter_theme
from terminal.ui.counter_theme import restyle
from terminal.ui.customer_panel import label
from terminal.ui.messages import message_for
from terminal.ui.money_format import format_points
from terminal.ui.services import AppServices


class AdjustPointsDialog(QDialog):
    """``result`` holds the adjustment once saved."""

    def __init__(
        self,
        services: AppServices,
        customer_id: str,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.customer_id = customer_id
        self.adjustments = PointAdjustments(services.till)
        self.result: AdjustmentResult | None = None
        counter_theme.apply(self)
        self.setWindowTitle(self.tr("Adjust points"))
        self.setModal(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 18, 20, 16)
        column.setSpacing(10)
        title = label(name, "figure")
        title.setWordWrap(True)
        column.addWidget(title)
        self.balance = label("", "muted")
        column.addWidget(self.balance)
        form = QFormLayout()
        form.setSpacing(10)
        self.points = QLineEdit()
        self.points.setPlaceholderText(self.tr("e.g. +50 or -20"))
        self.points.setMaxLength(12)
        self.points.textChanged.connect(self.update_preview)
        self.reason = QLineEdit()
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText(self.tr("Required, e.g. lost receipt of 12 May"))
        self.reason.textChanged.connect(lambda _t: self._say(""))
        form.addRow(self.tr("Points (+ adds, − takes away)"), self.points)
        form.addRow(self.tr("Reason"), self.reason)
        column.addLayout(form)
        self.preview = label("", "figure")
        self.preview.setObjectName("adjustPreview")
        column.addWidget(self.preview)
        # the message keeps its room even when empty, so the form never jumps or squeezes
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(64)
        column.addWidget(self.message)
        note = label(
            self.tr(
                "Written to the points history with your name and the reason, and kept in the "
                "owner's audit log."
            ),
            "muted",
        )
        note.setWordWrap(True)
        column.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(self.tr("Save adjustment"))
        save.setProperty("role", "primary")
        save.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.setMinimumWidth(560)
        self.update_preview()
        self.points.setFocus()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setProperty("tone", "error" if text else "none")
        restyle(self.message)

    def update_preview(self) -> None:
        """The balance now and after the change, as the app computes it; or why not."""
        self._say("")
        text = self.points.text()
        try:
            current = self.adjustments.spendable(self.customer_id)
        except LoyaltyError as exc:
            self.balance.setText("")
            self.preview.setText("")
            self._say(message_for(exc))
            return
        self.balance.setText(
            self.tr("Balance now: {points} points").format(points=format_points(current))
        )
        if text.strip() in ("", "+", "-", "−"):  # still typing
            self.preview.setText("")
            return
        try:
            after = self.adjustments.preview(self.customer_id, text)
        except LoyaltyError as exc:
            self.preview.setText("")
            self._say(message_for(exc))
            return
        self.preview.setText(
            self.tr("New balance: {points} points").format(points=format_points(after.new_balance))
        )

    def save(self) -> None:
        actor = self.services.access.current_staff_id() or ""
        try:
            self.result = self.adjustments.adjust(
                actor, self.customer_id, self.points.text(), self.reason.text()
            )
        except LoyaltyError as exc:
            self._say(message_for(exc))
            field = exc.params.get("field")
            (self.reason if field == "reason" else self.points).setFocus()
            return
        self.services.announce("customer")
        self.accept()

    def handle_scan(self, code: str) -> bool:
        """A card scanned while the form is open is not typed into the points field."""
        return True
