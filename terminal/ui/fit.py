"""Dialogs that grow and shrink with what they say.

A dialog is sized once, when it is first shown. A message that appears later (a wrong phone, a
wrong PIN) needs lines the dialog never made room for, and Qt then squeezes every word-wrapped
label to fewer lines than its text needs: the consent text the cashier reads aloud was cut to
one and a half lines, the PIN prompt lost its first line. Qt's top-level layout keeps only the
layout's minimum size, which does not know how tall wrapped text is at the dialog's width, so the
dialog is fitted here, at its width, each time its content changes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def fit_height(window: QWidget) -> None:
    """Give ``window`` the height its content needs at its current width: taller when a message
    appeared, shorter again when it went away. The width stays as the cashier sees it."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()  # hidden and shown rows counted now, not at the next event loop turn
    width = max(window.width(), window.minimumWidth())
    needed = layout.totalSizeHint().height()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(width)
    needed = max(needed, layout.totalMinimumSize().height(), window.minimumHeight())
    if needed != window.height():
        window.resize(width, needed)
