""" "Would you recommend us?" — asked at the counter after a sale, answered 0–10, never in the way.

An inline strip (not a dialog): the cashier types the customer's number and Enter, or Esc to skip;
the next scan skips it too. The owner switches it off with the ``nps_enabled`` setting.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QWidget

from terminal.ui.customer_panel import key_hint, label


class NpsPrompt(QFrame):
    answered = Signal(int)
    skipped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        row.addWidget(label(self.tr("Ask: how likely are you to recommend us, 0 to 10?")), 1)
        self.score = QLineEdit()
        self.score.setObjectName("nps")
        self.score.setValidator(QIntValidator(0, 10, self))
        self.score.setMaxLength(2)
        self.score.setFixedWidth(70)
        self.score.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.score)
        row.addWidget(key_hint("Esc", self.tr("skip")))
        self.score.returnPressed.connect(self._submit)
        self.hide()

    def ask(self) -> None:
        self.score.clear()
        self.show()
        self.score.setFocus()

    def _submit(self) -> None:
        text = self.score.text()
        if text.isdigit() and 0 <= int(text) <= 10:
            self.hide()
            self.answered.emit(int(text))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            self.skipped.emit()
            return
        super().keyPressEvent(event)
