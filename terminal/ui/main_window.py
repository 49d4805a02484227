"""The till's window: a header with one key per screen (from the screen registry), the screens,
and a status bar saying which shop, till and database this is, the last backup and what waits
for sync. It also owns the scanner detector and hands each scan to whoever should get it.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from terminal.app.shop_setup import ShopSetup
from terminal.ui.customer_display import display_link
from terminal.ui.elided_label import ElidedLabel
from terminal.ui.money_format import format_time
from terminal.ui.scan_detector import ScanDetector
from terminal.ui.screens import SCREENS, ScreenSpec, screens
from terminal.ui.services import AppServices

log = logging.getLogger("ui")

HEADER_STYLE = """
QWidget#header { background: #17324D; }
QLabel#shop { color: white; font-size: 17px; font-weight: 700; padding: 0 14px 0 4px; }
QPushButton[nav="true"] { color: #D6E2EE; background: transparent; border: none;
    border-bottom: 3px solid transparent; padding: 10px 11px; font-size: 15px; font-weight: 600; }
QPushButton[nav="true"]:checked { color: white; border-bottom: 3px solid #5EC4B6; }
QPushButton[nav="true"]:hover { color: white; }
QToolButton#owner { color: #D6E2EE; background: transparent; border: none;
    border-bottom: 3px solid transparent; padding: 10px 12px; font-size: 15px; font-weight: 600; }
QToolButton#owner:checked { color: white; border-bottom: 3px solid #5EC4B6; }
QToolButton#owner:hover { color: white; background: #21415F; }
QToolButton#owner::menu-indicator { image: none; width: 0; }
QMenu#ownerMenu { background: white; border: 1px solid #C9D3DD; padding: 6px 0; font-size: 15px; }
QMenu#ownerMenu::item { padding: 8px 28px 8px 18px; color: #1D2733; }
QMenu#ownerMenu::item:selected { background: #E3EEF8; }
QMenu#ownerMenu::item:checked { font-weight: 700; }
QMenu#ownerMenu::indicator { width: 0; }
QMenu#ownerMenu::separator { height: 1px; background: #E1E6EC; margin: 6px 10px; }
QStatusBar { background: #EEF1F5; color: #3B4754; }
QStatusBar QLabel { color: #3B4754; padding: 0 10px; font-size: 13px; }
"""
STATUS_REFRESH_MS = 30_000
FIRST_SCREEN_MODULE = "terminal.ui.counter_screen"
LOAD_OTHERS_AFTER_MS = 150  # after the first paint: the counter is usable at once


class MainWindow(QMainWindow):
    def __init__(self, services: AppServices, settings: QSettings | None = None) -> None:
        super().__init__()
        self.services = services
        self.settings = settings or QSettings()
        self.setWindowTitle(self.tr("Loyalty terminal"))
        self.setMinimumSize(1024, 640)
        # Only the first screen's module is imported before the window shows; the others load
        # right after the first paint, so the counter is ready to scan within a second.
        importlib.import_module(FIRST_SCREEN_MODULE)
        self.specs: list[ScreenSpec] = list(SCREENS)
        self.all_loaded = False
        self.pages: dict[str, QWidget] = {}
        self.current_key: str | None = None
        self.setStyleSheet(HEADER_STYLE)
        self._build()
        services.show_screen = self.show_screen
        services.data.changed.connect(lambda _kinds: self.refresh_status())
        self.detector = ScanDetector(self.route_scan, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.detector)
        self._status_timer = QTimer(self)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start(STATUS_REFRESH_MS)
        self._restore_geometry()
        if self.specs:
            self.show_screen(self.specs[0].key)
        QTimer.singleShot(LOAD_OTHERS_AFTER_MS, self.load_all_screens)
        QTimer.singleShot(LOAD_OTHERS_AFTER_MS, self.refresh_status)
        # The customer display opens if the owner switched it on (Devices) and its monitor is there.
        problem = display_link(services).apply_preference()
        if problem:
            log.info("customer display not opened: %s", problem)

    def _build(self) -> None:
        root = QWidget()
        column = QVBoxLayout(root)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        header = QWidget()
        header.setObjectName("header")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(header)
        row.setContentsMargins(10, 0, 10, 0)
        row.setSpacing(2)
        self.shop_label = QLabel()
        self.shop_label.setObjectName("shop")
        row.addWidget(self.shop_label)
        # Cashier screens (Counter, Customers) are tabs; the owner's screens live in one compact
        # "Owner" menu that names each F-key, so the header fits 1366 px however many are
        # installed. Every screen stays one F-key away whether its entry is a tab or in the menu.
        self.nav_buttons: dict[str, QPushButton | QAction] = {}
        self.nav_row = QHBoxLayout()
        self.nav_row.setContentsMargins(0, 0, 0, 0)
        self.nav_row.setSpacing(0)
        row.addLayout(self.nav_row)
        row.addStretch(1)
        self.owner_menu = QMenu(self)
        self.owner_menu.setObjectName("ownerMenu")
        self.owner_button = QToolButton()
        self.owner_button.setObjectName("owner")
        self.owner_button.setCheckable(True)
        self.owner_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.owner_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.owner_button.setMenu(self.owner_menu)
        self.owner_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        row.addWidget(self.owner_button)
        self.owner_menu.addSeparator()
        self.shop_action = self.owner_menu.addAction(self.tr("Shop details") + "\tCtrl+,")
        self.shop_action.triggered.connect(self.edit_shop)
        self._add_nav(self.specs)
        self._show_owner_title(None)
        shop_shortcut = QShortcut(QKeySequence("Ctrl+,"), self)
        shop_shortcut.activated.connect(self.edit_shop)
        column.addWidget(header)
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)
        self.setCentralWidget(root)
        self.status_place = QLabel()
        self.status_db = ElidedLabel()  # a long path is shortened in the middle, never wraps
        self.status_clock = ElidedLabel()  # in the path's place while the clock is set back
        self.status_clock.setStyleSheet("color: #B42318; font-weight: 600;")  # as overdue
        self.status_clock.hide()
        self.status_backup = QLabel()
        self.status_sync = QLabel()
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        bar.addWidget(self.status_place)
        bar.addWidget(self.status_db, 1)
        bar.addWidget(self.status_clock, 1)
        bar.addPermanentWidget(self.status_backup)
        bar.addPermanentWidget(self.status_sync)

    # -- screens -------------------------------------------------------------------------

    def _add_nav(self, specs: list[ScreenSpec]) -> None:
        for spec in specs:
            if spec.key in self.nav_buttons:
                continue
            if spec.owner_only:
                action = QAction(f"{spec.title()}\t{spec.shortcut}", self.owner_menu)
                action.setCheckable(True)
                action.triggered.connect(lambda _c=False, key=spec.key: self.show_screen(key))
                owners = [s for s in self.specs if s.owner_only]
                later = [
                    self.nav_buttons[s.key]
                    for s in owners[owners.index(spec) + 1 :]
                    if s.key in self.nav_buttons
                ]
                before = later[0] if later else self.owner_menu.actions()[-2]  # the separator
                self.owner_menu.insertAction(before, action)  # type: ignore[arg-type]
                self.nav_buttons[spec.key] = action
            else:
                button = QPushButton(f"{spec.title()}  {spec.shortcut}")
                button.setProperty("nav", True)
                button.setCheckable(True)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.clicked.connect(lambda _c=False, key=spec.key: self.show_screen(key))
                cashier = [s for s in self.specs if not s.owner_only]
                self.nav_row.insertWidget(cashier.index(spec), button)
                self.nav_buttons[spec.key] = button
            shortcut = QShortcut(QKeySequence(spec.shortcut), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda key=spec.key: self.show_screen(key))

    def _mark_current(self) -> None:
        """The current screen's tab or menu entry is the checked one; the Owner button names it."""
        for key, item in self.nav_buttons.items():
            item.setChecked(key == self.current_key)
        spec = next((s for s in self.specs if s.key == self.current_key), None)
        self._show_owner_title(spec if spec is not None and spec.owner_only else None)

    def _show_owner_title(self, spec: ScreenSpec | None) -> None:
        if spec is None:
            self.owner_button.setText(self.tr("Owner") + "  ▾")
            self.owner_button.setChecked(False)
        else:
            self.owner_button.setText(
                self.tr("Owner: {screen}").format(screen=spec.title()) + f"  {spec.shortcut}  ▾"
            )
            self.owner_button.setChecked(True)
        # the style sheet's larger font is not in the hint until polished: size it for the text
        self.owner_button.ensurePolished()
        width = self.owner_button.fontMetrics().horizontalAdvance(self.owner_button.text())
        self.owner_button.setMinimumWidth(width + 32)

    def load_all_screens(self) -> None:
        """Import every registered screen and add its key to the header."""
        if self.all_loaded:
            return
        self.all_loaded = True
        self.specs = screens()
        self._add_nav(self.specs)

    def show_screen(self, key: str) -> None:
        spec = next((s for s in self.specs if s.key == key), None)
        if spec is None and not self.all_loaded:
            self.load_all_screens()
            spec = next((s for s in self.specs if s.key == key), None)
        if spec is None:
            return
        if spec.owner_only and not self.services.access.require_owner(self):
            self._mark_current()
            return
        page = self.pages.get(key)
        if page is None:
            page = spec.factory(self.services, self.stack)
            self.pages[key] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.current_key = key
        self._mark_current()
        shown = getattr(page, "screen_shown", None)
        if callable(shown):
            shown()
        self.settings.setValue("main/last_screen", key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Screen keys that reached the window unhandled (e.g. before the window is active)."""
        pressed = QKeySequence(event.keyCombination())
        self.load_all_screens()
        for spec in self.specs:
            if (
                QKeySequence(spec.shortcut).matches(pressed)
                == QKeySequence.SequenceMatch.ExactMatch
            ):
                self.show_screen(spec.key)
                return
        super().keyPressEvent(event)

    def current_screen(self) -> QWidget | None:
        return self.pages.get(self.current_key or "")

    def route_scan(self, code: str) -> bool:
        """A scanner burst: to the open dialog that takes scans, else to the current screen."""
        modal = QApplication.activeModalWidget()
        if modal is not None:
            handler = getattr(modal, "handle_scan", None)
            return bool(handler(code)) if callable(handler) else False
        if not self.isActiveWindow() and QApplication.activeWindow() is not None:
            return False
        handler = getattr(self.current_screen(), "handle_scan", None)
        return bool(handler(code)) if callable(handler) else False

    # -- status --------------------------------------------------------------------------

    def refresh_status(self) -> None:
        try:
            facts = ShopSetup(self.services.till).status()
        except Exception:  # the status bar must never stop the counter
            log.exception("status bar refresh failed")
            return
        self.shop_label.setText(facts.shop_name)
        # the stored name is the English "Till N"; shown in the window's language
        till = self.tr("Till %1").replace("%1", str(facts.till_number))
        self.setWindowTitle(
            self.tr("{shop} — {till} — Loyalty terminal").format(shop=facts.shop_name, till=till)
        )
        place = self.tr("{shop} · {till}").format(shop=facts.shop_name, till=till)
        self.status_place.setText(place)
        self.status_db.setText(self.tr("Database: {path}").format(path=str(facts.db_path)))
        self.status_db.setToolTip(str(facts.db_path))
        if facts.clock_behind is not None:
            self.status_clock.setText(
                self.tr("Clock set back to {now}: set the date and time").format(
                    now=format_time(self.services.till.now())
                )
            )
            self.status_clock.setToolTip(
                self.tr(
                    "This till's last entry was made at {last}. Sales, refunds and points take "
                    "their dates from this computer's clock: points earned while it is wrong can "
                    "expire at once when it is put right, and the day's figures miss the sales."
                ).format(last=format_time(facts.clock_behind))
            )
        self.status_clock.setVisible(facts.clock_behind is not None)
        self.status_db.setVisible(facts.clock_behind is None)
        self.status_backup.setText(
            self.tr("Last backup: {when}").format(
                when=format_time(facts.last_backup) if facts.last_backup else "—"
            )
            + (self.tr(" (overdue: make one now)") if facts.backup_overdue else "")
        )
        self.status_backup.setStyleSheet("color: #B42318;" if facts.backup_overdue else "")
        self.status_sync.setText(self.tr("Waiting for sync: {n}").format(n=facts.pending_events))

    def edit_shop(self) -> None:
        from terminal.ui.first_start import FirstStartDialog

        if not self.services.access.require_owner(self):
            return
        if FirstStartDialog(self.services.till, self, first=False).exec():
            self.services.announce("settings")
            self.refresh_status()
            self._rebuild_screens()

    def _rebuild_screens(self) -> None:
        """Screens read the currency when built: build them again after the shop changed."""
        current = self.current_key
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        if current:
            self.show_screen(current)

    # -- geometry ------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        saved = self.settings.value("main/geometry")
        if isinstance(saved, QByteArray | bytes) and self.restoreGeometry(QByteArray(saved)):
            return
        screen = QApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.resize(min(1366, area.width()), min(768, area.height()))
        else:
            self.resize(1366, 768)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        display_link(self.services).close()  # else its full-screen window keeps the app alive
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.detector)
        super().closeEvent(event)
