"""A one-line label that shortens its text in the middle when it does not fit.

A database path can be as long as the owner's folders are deep; in the status bar it must never
push the shop, the last backup or the sync count off a 1366 px screen. The label keeps the whole
text (for the tooltip and for tests), asks for little width, and paints what fits:
"Database: /home/kasa/…/loyalty.db" — the start and the file name stay readable.
A name is shortened at its end instead ("Oleksandra Kostiantynivna Volodymyrs…"): the start
of a name is what people recognise.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

MINIMUM_WIDTH = 120  # px: enough for "Database: …db" — the rest of the bar keeps its room


class ElidedLabel(QLabel):
    """``text()`` is the full text; the painted text is elided to the width (in the middle
    unless another ``mode`` is asked for)."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle,
    ) -> None:
        super().__init__(text, parent)
        self.mode = mode
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), MINIMUM_WIDTH), hint.height())

    def shown_text(self) -> str:
        """What is painted at the current width (the full text when it fits)."""
        room = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), self.mode, room)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(
            self.contentsRect(),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            self.shown_text(),
        )
