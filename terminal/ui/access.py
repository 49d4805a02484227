"""The real owner gate: owner screens ask for the owner PIN and stay unlocked until the till
has been idle for a while (default 5 minutes), then lock again.

It also knows who is at the till: when the shop has cashiers, the counter asks for a PIN at start
and after "Switch cashier", and that person's id goes on every sale, refund and registration.
Unlocking the owner screens does not sign the cashier out; owner-screen actions are the owner's.
When the owner chose so on the Staff screen, a cashier is signed out after that many minutes
without a key press or click (:meth:`OwnerAccess.sign_out_if_idle`, asked by the counter).

The main window calls :func:`install_access` once after building its :class:`AppServices`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from terminal.app.staff import StaffRoster, StaffView
from terminal.ui.pin_dialog import PinDialog
from terminal.ui.services import AccessPolicy, AppServices

IDLE_LOCK = timedelta(minutes=5)


class OwnerAccess(QObject, AccessPolicy):
    """Cashier by default; the owner PIN unlocks owner screens until ``idle_lock`` of no input."""

    def __init__(self, services: AppServices, idle_lock: timedelta = IDLE_LOCK) -> None:
        QObject.__init__(self)
        self.services = services
        self.roster = StaffRoster(services.till)
        self.idle_lock = idle_lock
        self.owner: StaffView | None = None
        self.at_till: StaffView | None = None
        self.last_activity: datetime = services.till.now()  # while the owner screens are open
        self.till_activity: datetime = services.till.now()  # any key or click, for the cashier
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # any key or click counts as activity (for the owner's unlock while it lasts)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            now = self.services.till.now()
            self.till_activity = now
            if self.owner is not None:
                self.last_activity = now
        return False

    def _expire_if_idle(self) -> None:
        if (
            self.owner is not None
            and self.services.till.now() - self.last_activity >= self.idle_lock
        ):
            self.lock()

    def lock(self) -> None:
        self.owner = None

    def is_unlocked(self) -> bool:
        self._expire_if_idle()
        return self.owner is not None

    def current_staff_id(self) -> str | None:
        self._expire_if_idle()
        if self.owner is not None:
            return self.owner.id
        return self.at_till.id if self.at_till is not None else None

    def current_role(self) -> str:
        return "owner" if self.is_unlocked() else "cashier"

    def require_owner(self, parent: QWidget | None) -> bool:
        if self.is_unlocked():
            self.last_activity = self.services.till.now()
            return True
        dialog = PinDialog(self.roster, parent, role="owner")
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.person is not None:
            self.owner = dialog.person
            self.last_activity = self.services.till.now()
            return True
        return False

    # -- who is at the till ----------------------------------------------------------------
    def till_person(self) -> StaffView | None:
        return self.at_till

    def till_sign_in_needed(self) -> bool:
        """Someone must sign in when the shop has cashiers and nobody (still active) is in."""
        if self.at_till is not None:
            person = self.roster.get(self.at_till.id)
            if person is not None and person.active and person.has_pin:
                return False
            self.at_till = None  # switched off on the Staff screen meanwhile
        return self.roster.till_sign_in_needed()

    def sign_in_at_till(self, pin: str) -> StaffView:
        """Raises PinRefused / StaffLocked (the same lockout as the owner PIN) when wrong."""
        self.at_till = self.roster.sign_in_at_till(pin)
        self.till_activity = self.services.till.now()
        return self.at_till

    def sign_out_if_idle(self) -> int:
        """Sign the person at the till out when nobody touched a key or the mouse for the
        owner's chosen minutes; returns those minutes when it did, else 0."""
        if self.at_till is None:
            return 0
        minutes = self.roster.sign_out_after()
        if minutes and self.services.till.now() - self.till_activity >= timedelta(minutes=minutes):
            self.at_till = None
            return minutes
        return 0

    def sign_out_at_till(self) -> None:
        self.at_till = None


def install_access(services: AppServices) -> OwnerAccess:
    """Replace the let-everyone-in default with the owner-PIN gate."""
    access = OwnerAccess(services)
    services.access = access
    return access
