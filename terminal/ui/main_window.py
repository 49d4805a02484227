"""The till's window: a header with one key per screen (from the screen registry), the screens,
and a status bar saying which shop, till and database this is, the last backup and what waits
for sync. It also owns the scanner detector and hands each scan to whoever should get it.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.app.shop_setup import ShopSetup
from terminal.ui.customer_display import display_link
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
QScrollArea { background: #17324D; border: none; }
QPushButton[nav="true"]:checked { color: white; border-bottom: 3px solid #5EC4B6; }
QPushButton[nav="true"]:hover { color: white; }
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
        self.nav = QButtonGroup(self)
        self.nav.setExclusive(True)
        self.nav_buttons: dict[str, QPushButton] = {}
        # The screen keys scroll sideways when many owner screens are installed, so the window
        # still fits a 1366-pixel screen; every screen stays one F-key away regardless.
        strip = QWidget()
        strip.setObjectName("header")
        strip.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.nav_row = QHBoxLayout(strip)
        self.nav_row.setContentsMargins(0, 0, 0, 0)
        self.nav_row.setSpacing(0)
        self.nav_row.addWidget(QWidget())  # index 0 placeholder: buttons insert after it
        self.nav_row.addStretch(1)
        scroller = QScrollArea()
        scroller.setWidget(strip)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setFixedHeight(42)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row.addWidget(scroller, 1)
        self._add_nav(self.specs)
        details = QPushButton(self.tr("Shop  Ctrl+,"))
        details.setProperty("nav", True)
        details.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        details.clicked.connect(self.edit_shop)
        row.addWidget(details)
        shop_shortcut = QShortcut(QKeySequence("Ctrl+,"), self)
        shop_shortcut.activated.connect(self.edit_shop)
        column.addWidget(header)
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)
        self.setCentralWidget(root)
        self.status_place = QLabel()
        self.status_db = QLabel()
        self.status_backup = QLabel()
        self.status_sync = QLabel()
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        bar.addWidget(self.status_place)
        bar.addWidget(self.status_db, 1)
        bar.addPermanentWidget(self.status_backup)
        bar.addPermanentWidget(self.status_sync)

    # -- screens -------------------------------------------------------------------------

    def _add_nav(self, specs: list[ScreenSpec]) -> None:
        for spec in specs:
            if spec.key in self.nav_buttons:
                continue
            button = QPushButton(f"{spec.title()}  {spec.shortcut}")
            button.setProperty("nav", True)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, key=spec.key: self.show_screen(key))
            self.nav.addButton(button)
            self.nav_buttons[spec.key] = button
            self.nav_row.insertWidget(1 + self.specs.index(spec), button)
            shortcut = QShortcut(QKeySequence(spec.shortcut), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda key=spec.key: self.show_screen(key))

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
            if self.current_key in self.nav_buttons:
                self.nav_buttons[self.current_key].setChecked(True)
            return
        page = self.pages.get(key)
        if page is None:
            page = spec.factory(self.services, self.stack)
            self.pages[key] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.current_key = key
        self.nav_buttons[key].setChecked(True)
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
        self.setWindowTitle(
            self.tr("{shop} — {till} — Loyalty terminal").format(
                shop=facts.shop_name, till=facts.till_name
            )
        )
        self.status_place.setText(
            self.tr("{shop} · {till}").format(shop=facts.shop_name, till=facts.till_name)
        )
        self.status_db.setText(self.tr("Database: {path}").format(path=str(facts.db_path)))
        self.status_db.setToolTip(str(facts.db_path))
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
