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

from terminal.app.staff import StaffView
from terminal.app.till import Till


class DataChanged(QObject):
    """Emitted with the kinds of data that changed: "sale", "customer", "card", "program", ..."""

    changed = Signal(set)


class AccessPolicy:
    """Decides whether owner-only screens may open, and who is at the till. The default lets
    everyone in and asks nobody to sign in; the owner-PIN feature replaces it with one that asks
    for PINs (terminal.ui.access)."""

    def current_staff_id(self) -> str | None:
        """Who acts on an owner screen: the unlocked owner, else whoever is at the till."""
        return None

    def current_role(self) -> str:
        return "owner"

    def require_owner(self, parent: QWidget | None) -> bool:
        return True

    # -- who is at the till ----------------------------------------------------------------
    def till_person(self) -> StaffView | None:
        """The cashier (or owner) signed in at the counter; None when nobody is."""
        return None

    def till_sign_in_needed(self) -> bool:
        """True when the counter must ask "Who is at the till?" before the next sale."""
        return False

    def sign_in_at_till(self, pin: str) -> StaffView:
        raise NotImplementedError("this till has no cashier sign-in")

    def sign_out_at_till(self) -> None:
        """ "Switch cashier": whoever was at the till leaves; the next sale needs a PIN."""

    def sign_out_if_idle(self) -> int:
        """Sign an idle cashier out (the owner's minutes); returns the minutes when it did."""
        return 0

    def till_staff_id(self) -> str | None:
        """The staff id recorded on sales, refunds and registrations."""
        person = self.till_person()
        return person.id if person is not None else self.current_staff_id()


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
        """Recorded on what is done at the counter and the desk: the person signed in at the
        till (a shop with no cashiers: the unlocked owner, as before)."""
        return self.access.till_staff_id()

    @property
    def actor_id(self) -> str | None:
        """Recorded on what is done on an owner screen: the unlocked owner."""
        return self.access.current_staff_id()
