"""The screens of the main window, declared in one list.

Each feature adds one :class:`ScreenSpec`; the main window builds its navigation (buttons with
F-key shortcuts), its stack of screens, and the owner gate from this list. Factories are called
lazily the first time a screen is shown, so start-up stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from terminal.ui.services import AppServices


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: Callable[[], str]  # translated when called, not at import
    shortcut: str  # e.g. "F1"
    factory: Callable[[AppServices, QWidget | None], QWidget]
    owner_only: bool = False

    @property
    def order(self) -> int:
        """Where its tab or Owner-menu entry stands, read from its key so the two never
        disagree: ten times its F-key (F7 → 70), plus 100 with Ctrl (Ctrl+F9 → 190); a key that
        is no F-key goes last (1000)."""
        modifiers, _plus, key = self.shortcut.rpartition("+")
        number = int(key[1:]) if key.startswith("F") and key[1:].isdigit() else 100
        return number * 10 + (100 if "Ctrl" in modifiers else 0)


def _tr(text: str) -> Callable[[], str]:
    return lambda: QCoreApplication.translate("Screens", text)


SCREENS: list[ScreenSpec] = []


def register_screen(spec: ScreenSpec) -> None:
    """Add a screen; a second registration of the same key replaces the first."""
    SCREENS[:] = [s for s in SCREENS if s.key != spec.key]
    SCREENS.append(spec)
    SCREENS.sort(key=lambda s: s.order)


def screens() -> list[ScreenSpec]:
    """All screens, importing the modules that register them."""
    import importlib

    for module in SCREEN_MODULES:
        importlib.import_module(module)
    return list(SCREENS)


# Modules that call register_screen() at import. Each feature adds its line here.
SCREEN_MODULES: list[str] = [
    "terminal.ui.counter_screen",
    "terminal.ui.customer_desk",
    "terminal.ui.cards_screen",
    "terminal.ui.import_wizard",
    "terminal.ui.shop_devices_screen",
    "terminal.ui.backup_screen",
    "terminal.ui.program_screen",
    "terminal.ui.dashboard_screen",
    "terminal.ui.feedback_screen",
    "terminal.ui.staff_screen",
    "terminal.ui.sync_screen",
]

tr_title = _tr

# The customer desk's tab title, also named by the counter's F2 hint: one text, so the hint
# always reads as the tab does.
CUSTOMERS_TITLE = tr_title("Customers")
