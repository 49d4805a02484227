"""What every screen receives: the open till, who is at the till, and one "data changed" signal.

Screens never reach for globals: the main window builds one :class:`AppServices` and hands it to
each screen factory. A use case that changes data is followed by ``services.announce(...)`` so
other screens decide for themselves whether to refresh (the Anki "op changes" idea).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from terminal.app.till import Till


class DataChanged(QObject):
    """Emitted with the kinds of data that changed: "sale", "customer", "card", "program", ..."""

    changed = Signal(set)


class AccessPolicy:
    """Decides whether owner-only screens may open. The default lets everyone in; the owner-PIN
    feature replaces it with one that asks for a PIN (terminal.ui.access)."""

    def current_staff_id(self) -> str | None:
        return None

    def current_role(self) -> str:
        return "owner"

    def require_owner(self, parent: QWidget | None) -> bool:
        return True


@dataclass
class AppServices:
    till: Till
    data: DataChanged = field(default_factory=DataChanged)
    access: AccessPolicy = field(default_factory=AccessPolicy)
    # set by the main window: switch to a screen by key (e.g. "counter", "customers")
    show_screen: Callable[[str], None] = lambda key: None

    def announce(self, *kinds: str) -> None:
        self.data.changed.emit(set(kinds))

    @property
    def cashier_id(self) -> str | None:
        return self.access.current_staff_id()
