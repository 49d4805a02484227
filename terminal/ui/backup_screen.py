"""Backups (F9, owner): when the last verified backup was made, make one now, a second folder
(USB stick, network share) for copies, and restore — always after a plain-words confirmation.

Backups run on Qt's thread pool so the till never freezes while a large database is copied and
checked. Restore runs on the UI thread behind a wait cursor: it replaces the data every screen
shows, so nothing else may happen meanwhile. :func:`start_daily_backups` is the automatic daily
backup the main window starts once (at start and then every hour it checks whether today's is
made); :func:`overdue_warning` is the one line the counter shows when none succeeded for 2 days.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    QObject,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from terminal.app.backup import Backups, BackupStatus
from terminal.core.errors import LoyaltyError
from terminal.i18n_text import error_text, plural_text, sentence_text
from terminal.ui.background import run_in_background
from terminal.ui.counter_theme import TONES
from terminal.ui.money_format import format_moment
from terminal.ui.screens import ScreenSpec, register_screen, tr_title
from terminal.ui.services import AppServices

log = logging.getLogger("backup")

AUTO_CHECK_MS = 60 * 60 * 1000  # the daily backup is looked at every hour


def _t(text: str) -> str:
    return QCoreApplication.translate("Backups", text)


def overdue_warning(status: BackupStatus) -> str | None:
    """The counter's warning line, or None when a backup succeeded within two days."""
    if not status.overdue:
        return None
    if status.last_success is None:
        return _t("No backup of the till's data has been made yet. Owner: open Backups (F9).")
    return _t("No successful backup since %1. Owner: open Backups (F9).").replace(
        "%1", format_moment(status.last_success)
    )


def start_daily_backups(services: AppServices, parent: QObject) -> QTimer:
    """Make today's backup now if it is missing, then check again every hour."""
    backups = Backups(services.till)

    def tick() -> None:
        run_in_background(backups.auto, lambda _outcome: services.announce("backup"))

    timer = QTimer(parent)
    timer.setInterval(AUTO_CHECK_MS)
    timer.timeout.connect(tick)
    timer.start()
    QTimer.singleShot(0, tick)
    return timer


class BackupsScreen(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.backups = Backups(services.till)
        self._build()
        services.data.changed.connect(self._on_data_changed)
        self.refresh()

    # ---- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 18)
        outer.setSpacing(14)
        title = QLabel(self.tr("Backups"))
        title.setStyleSheet("font-size: 24px; font-weight: 700;")
        outer.addWidget(title)
        outer.addWidget(self._status_box())
        outer.addWidget(self._mirror_box())
        outer.addWidget(self._restore_box(), 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(24)
        outer.addWidget(self.message)

    def _status_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Automatic daily backup"))
        layout = QVBoxLayout(box)
        self.last_line = QLabel()
        self.last_line.setWordWrap(True)
        layout.addWidget(self.last_line)
        self.detail_line = QLabel()
        self.detail_line.setWordWrap(True)
        self.detail_line.setStyleSheet(f"color: {TONES['muted']};")
        layout.addWidget(self.detail_line)
        row = QHBoxLayout()
        self.make_button = QPushButton(self.tr("Back up now"))
        self.make_button.setMinimumSize(180, 40)
        self.make_button.setStyleSheet("font-weight: 600;")
        self.make_button.clicked.connect(self.make_now)
        row.addWidget(self.make_button)
        self.open_button = QPushButton(self.tr("Open backup folder"))
        self.open_button.setMinimumHeight(40)
        self.open_button.clicked.connect(self._open_folder)
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def _mirror_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Second copy (USB stick or network folder)"))
        layout = QHBoxLayout(box)
        self.mirror_line = QLabel()
        self.mirror_line.setWordWrap(True)
        layout.addWidget(self.mirror_line, 1)
        self.choose_mirror = QPushButton(self.tr("Choose folder…"))
        self.choose_mirror.clicked.connect(self._choose_mirror)
        layout.addWidget(self.choose_mirror)
        self.clear_mirror = QPushButton(self.tr("Stop copying"))
        self.clear_mirror.clicked.connect(lambda: self._set_mirror(""))
        layout.addWidget(self.clear_mirror)
        return box

    def _restore_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Restore"))
        layout = QVBoxLayout(box)
        hint = QLabel(
            self.tr(
                "Restoring replaces all of the till's data with the chosen backup. The data as it "
                "is now is kept in the backup folder first. Damaged files and other shops' "
                "databases are refused."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Made"), self.tr("Size"), self.tr("File")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.restore_selected = QPushButton(self.tr("Restore selected backup…"))
        self.restore_selected.clicked.connect(self._restore_selected)
        row.addWidget(self.restore_selected)
        self.restore_file = QPushButton(self.tr("Restore from a file…"))
        self.restore_file.clicked.connect(self._restore_from_file)
        row.addWidget(self.restore_file)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    # ---- showing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        status = self.backups.status()
        if status.last_success is None:
            self._tone(self.last_line, "error", self.tr("No backup has been made yet."))
        elif status.overdue:
            self._tone(
                self.last_line,
                "error",
                self.tr("No successful backup for more than 2 days (last: %1).").replace(
                    "%1", format_moment(status.last_success)
                ),
            )
        else:
            self._tone(
                self.last_line,
                "ok",
                self.tr("Last verified backup: %1.").replace(
                    "%1", format_moment(status.last_success)
                ),
            )
        detail = plural_text(
            "Backups",
            "%n backup(s) kept in %1 (7 daily, 4 weekly, 12 monthly). Each one is checked when "
            "it is made.",
            status.count,
        ).replace("%1", str(status.folder))
        if status.last_error:
            detail += " " + self.tr("Last attempt failed: %1").replace(
                "%1", sentence_text(status.last_error)
            )
        self.detail_line.setText(detail)
        if status.mirror_dir:
            self.mirror_line.setText(
                self.tr("Every backup is also copied to %1.").replace("%1", status.mirror_dir)
            )
        else:
            self.mirror_line.setText(
                self.tr("Not set. Choose a USB stick or network folder to keep a second copy.")
            )
        self.clear_mirror.setEnabled(bool(status.mirror_dir))
        self._fill_table()

    def _fill_table(self) -> None:
        found = list(reversed(self.backups.list()))
        self.table.setRowCount(len(found))
        locale = QLocale()
        for row, (made, path) in enumerate(found):
            try:
                size = locale.formattedDataSize(
                    path.stat().st_size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat
                )
            except OSError:
                size = "—"
            for column, text in enumerate((format_moment(made), size, path.name)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(path))
                self.table.setItem(row, column, item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_selected.setEnabled(bool(self.table.selectedItems()))

    def _tone(self, label: QLabel, tone: str, text: str) -> None:
        label.setStyleSheet(f"color: {TONES[tone]}; font-size: 16px; font-weight: 600;")
        label.setText(text)

    def _on_data_changed(self, kinds: set[str]) -> None:
        if "backup" in kinds:
            self.refresh()

    # ---- actions ---------------------------------------------------------------------------

    def make_now(self) -> None:
        self.make_button.setEnabled(False)
        self._tone(self.message, "info", self.tr("Making a backup and checking it…"))
        run_in_background(self.backups.make, self._made)

    def _made(self, outcome: Any) -> None:
        self.make_button.setEnabled(True)
        if isinstance(outcome, LoyaltyError):
            self._tone(self.message, "error", error_text(outcome))
        elif isinstance(outcome, Exception):
            log.error("backup failed: %s", outcome)
            self._tone(
                self.message, "error", self.tr("The backup failed: %1").replace("%1", str(outcome))
            )
        else:
            text = sentence_text(outcome.summary)
            if outcome.mirror_error:
                text += " " + sentence_text(outcome.mirror_error)
                self._tone(self.message, "error", text)
            else:
                self._tone(self.message, "ok", text)
        self.refresh()

    def _open_folder(self) -> None:
        self.backups.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.backups.folder)))

    def _choose_mirror(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Folder for a second copy of every backup")
        )
        if folder:
            self._set_mirror(folder)

    def _set_mirror(self, folder: str) -> None:
        try:
            self.backups.set_mirror_dir(folder)
        except LoyaltyError as exc:
            self._tone(self.message, "error", error_text(exc))
            return
        self._tone(
            self.message,
            "ok",
            self.tr("Backups will also be copied to %1.").replace("%1", folder)
            if folder
            else self.tr("Backups are no longer copied to a second folder."),
        )
        self.refresh()

    def _restore_selected(self) -> None:
        items = self.table.selectedItems()
        if items:
            self.restore(Path(items[0].data(Qt.ItemDataRole.UserRole)))

    def _restore_from_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Backup to restore"),
            str(self.backups.folder),
            self.tr("Till databases (*.db);;All files (*)"),
        )
        if name:
            self.restore(Path(name))

    def restore(self, path: Path) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Restore this backup?"),
            self.tr(
                "All of the till's data will be replaced by the backup %1. Sales made after it "
                "will no longer be shown.\n\nThe data as it is now is kept in %2 first."
            )
            .replace("%1", path.name)
            .replace("%2", str(self.backups.folder)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.backups.restore(path)
        except LoyaltyError as exc:
            self._tone(self.message, "error", error_text(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._tone(self.message, "ok", sentence_text(result.summary))
        self.services.announce("sale", "customer", "card", "program", "settings", "backup")
        self.refresh()


def _make(services: AppServices, parent: QWidget | None) -> QWidget:
    return BackupsScreen(services, parent)


register_screen(
    ScreenSpec(
        key="backups",
        title=tr_title("Backups"),
        shortcut="F9",
        factory=_make,
        owner_only=True,
    )
)
