"""Starting the till window: Qt application, translations, the database, first-start questions,
and a calm answer to any bug (logged with its traceback, shown with details to copy).
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from terminal import APP_AUTHOR, APP_NAME
from terminal.app.settings import get_setting
from terminal.app.shop_setup import ShopSetup
from terminal.app.till import (
    DamagedDatabase,
    Till,
    default_db_path,
    open_till,
)
from terminal.core.errors import LoyaltyError
from terminal.i18n_text import error_text
from terminal.log_file import configure_logging
from terminal.ui.housekeeping import Housekeeping
from terminal.ui.i18n import install_translations
from terminal.ui.services import AppServices
from terminal.ui.single_instance import AlreadyOpen, hold_database, refuse_second_window

log = logging.getLogger("ui")
# after the first paint: the first customer of the day comes before backups and folder sync
UPKEEP_DELAY_MS = 1500


def _tr(text: str) -> str:
    return QCoreApplication.translate("App", text)


def show_unexpected(details: str, parent: QWidget | None = None) -> None:
    """The "something went wrong" dialog: calm words, the details one click away to copy."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("Something went wrong"))
    box.setText(
        _tr("Something went wrong, but your data is safe: every sale is saved whole or not at all.")
    )
    box.setInformativeText(
        _tr("You can keep working. If it happens again, send the details below to your support.")
    )
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    details = "".join(traceback.format_exception(kind, value, tb))
    log.error("unexpected error\n%s", details)
    if QApplication.instance() is not None:
        try:
            show_unexpected(details, QApplication.activeWindow())
        except Exception:  # pragma: no cover - never let the hook itself crash the till
            log.exception("could not show the error dialog")


def _start_background_upkeep(window: QWidget) -> None:
    """Daily backups and the folder sync: their modules load after the first paint."""
    from terminal.ui.backup_screen import start_daily_backups
    from terminal.ui.sync_screen import start_folder_sync

    start_daily_backups(window.services, window)  # type: ignore[attr-defined]
    start_folder_sync(window.services, window)  # type: ignore[attr-defined]


def build_window(till: Till) -> QWidget:
    """The main window on an open till (also used by the start-up benchmark and tests)."""
    from terminal.ui.access import install_access
    from terminal.ui.main_window import MainWindow

    services = AppServices(till=till)
    install_access(services)  # owner screens ask for the owner PIN, lock again when idle
    return MainWindow(services)


def run_gui(db_path: str | Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    configure_logging()
    sys.excepthook = excepthook
    install_translations(app)  # the system's language until the shop's setting is read
    app.setApplicationDisplayName(_tr("Loyalty terminal"))
    try:  # one window per database: a second one is refused before it touches the data
        window_lock = hold_database(Path(db_path) if db_path is not None else default_db_path())
    except AlreadyOpen as exc:
        return refuse_second_window(exc)
    try:
        till = open_till(db_path)
    except DamagedDatabase as exc:
        from terminal.ui.damaged_database import offer_restore

        restored = offer_restore(exc)
        if restored is None:
            window_lock.unlock()
            return 1
        till = restored
    except LoyaltyError as exc:
        window_lock.unlock()
        QMessageBox.critical(None, _tr("Cannot open the database"), error_text(exc))
        return 1
    with till.read() as s:
        language = get_setting(s, "language")
    install_translations(app, language or None)
    if not ShopSetup(till).current().configured:
        from terminal.ui.first_start import FirstStartDialog

        FirstStartDialog(till).exec()  # closing it keeps the defaults; it is asked again next time
    window = build_window(till)
    window.show()
    upkeep = Housekeeping(window.services, window)  # type: ignore[attr-defined]
    upkeep.start()
    # the daily backup check (and its module) waits until the counter is painted and scanning
    QTimer.singleShot(UPKEEP_DELAY_MS, lambda: _start_background_upkeep(window))
    log.info("till window open on %s", till.db_path.name)
    try:
        return int(app.exec())
    finally:
        till.close()
        window_lock.unlock()
