"""What a reader would notice in a window too small for its text: a word-wrapped label given
fewer lines than its text needs (cut at the top and bottom), or two rows drawn over each other.

Kept apart from :mod:`tests.gui.driving` (how keys are pressed): these are the checks, in one
place, so every dialog is held to the same rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import combinations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)

from terminal.i18n_text import install_translations, remove_translations


def _shown(window: QWidget, kind: type[QWidget]) -> list[QWidget]:
    return [w for w in window.findChildren(kind) if w.isVisible()]  # type: ignore[arg-type]


def cut_texts(window: QWidget) -> list[str]:
    """The texts in ``window`` drawn in less height than they need, each with what it got and
    what it needs; empty when everything reads whole."""
    QApplication.processEvents()
    cut = []
    for label in _shown(window, QLabel):
        assert isinstance(label, QLabel)
        if not label.text():
            continue
        needed = (
            label.heightForWidth(label.width())
            if label.wordWrap()
            else label.minimumSizeHint().height()
        )
        if label.height() < needed:
            cut.append(f"{label.text()!r}: {label.height()} px of {needed}")
    for field in _shown(window, QLineEdit) + _shown(window, QAbstractButton):
        # its text's height, not its size hint: a focused field's border is thicker, not cut
        if field.height() < field.fontMetrics().height() + 4:
            cut.append(f"{type(field).__name__}: {field.height()} px for its text")
    return cut


def overlapping(window: QWidget) -> list[str]:
    """Pairs of fields, buttons and texts in ``window`` drawn over each other."""

    def place(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())

    shown = [w for kind in (QLabel, QLineEdit, QAbstractButton) for w in _shown(window, kind)]
    return [
        f"{type(a).__name__} {getattr(a, 'text', str)()!r} / {type(b).__name__} "
        f"{getattr(b, 'text', str)()!r}"
        for a, b in combinations(shown, 2)
        if not (a.isAncestorOf(b) or b.isAncestorOf(a)) and place(a).intersects(place(b))
    ]


@contextmanager
def language(code: str) -> Iterator[None]:
    """The interface in ``code`` while the block runs, then back to the bare English sources."""
    app = QApplication.instance()
    install_translations(app, code)
    try:
        yield
    finally:
        remove_translations(app)
