"""Import (F11, owner): bring the shop's spreadsheet of regulars in, in three steps.

1. choose the .csv/.xlsx file; 2. say which column is which (guessed from the headers, with the
first rows shown); 3. check — every row that would be refused, with the reasons — and import,
all rows or the good ones only. Checking and importing run off the counter's thread with a
progress bar; the import is one transaction, so closing the till half-way loses nothing and
half-imports nothing. The same screen exports the customer list (with consent) for the owner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.app.customer_export import CustomerExport
from terminal.app.importer import DryRun, Importer, ImportResult, SheetFile, read_sheet
from terminal.core.errors import LoyaltyError
from terminal.core.import_rows import FIELDS, guess_mapping
from terminal.i18n_text import error_text, plural_text, sentence_text
from terminal.ui.counter_theme import TONES
from terminal.ui.money_format import format_points
from terminal.ui.screens import ScreenSpec, register_screen, tr_title
from terminal.ui.services import AppServices

log = logging.getLogger("import")

Index = QModelIndex | QPersistentModelIndex


class TextTable(QAbstractTableModel):
    """Rows of text with headers: the file's first rows, or the refused rows and reasons."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[Sequence[str]] = []

    def set_rows(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        self.headers = list(headers)
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self.rows[index.row()]
            return row[index.column()] if index.column() < len(row) else ""
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if section < len(self.headers) else ""
        return None


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class Job(QRunnable):
    """Work off the UI thread; ``fn`` gets a progress callback and never touches a widget."""

    def __init__(self, fn: Callable[[Callable[[int, int], None]], object]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit)
        except Exception as exc:  # delivered to the UI thread, shown there in plain words
            if not isinstance(exc, LoyaltyError):
                log.exception("import job failed")
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def _table() -> QTableView:
    view = QTableView()
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ImportWizard(QWidget):
    imported = Signal(object)  # ImportResult

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.importer = Importer(services.till)
        self.sheet: SheetFile | None = None
        self.dry: DryRun | None = None
        self.pool = QThreadPool.globalInstance()
        self._jobs: list[Job] = []
        self._build()
        self.setObjectName("importScreen")

    # -- building ------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 18)
        outer.setSpacing(12)
        title = QLabel(self.tr("Import customers from a spreadsheet"))
        title.setStyleSheet("font-size: 24px; font-weight: 700;")
        outer.addWidget(title)
        self.steps = QLabel()
        self.steps.setStyleSheet("color: #5B6675; font-size: 15px;")
        outer.addWidget(self.steps)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("importMessage")
        outer.addWidget(self.message)
        self.file_page = self._file_page()
        self.map_page = self._map_page()
        self.check_page = self._check_page()
        for page in (self.file_page, self.map_page, self.check_page):
            self.pages.addWidget(page)
        self._go(0)

    def _file_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setSpacing(14)
        about = QLabel(
            self.tr(
                "Bring in the customers you already have: names, phones, card numbers, "
                "points balances, birthdays and e-mails. The file is a CSV (any separator; "
                "UTF-8 or Windows-1251) or an Excel .xlsx sheet whose first row holds the "
                "column names. Nothing is written until you have seen every row that would "
                "be refused."
            )
        )
        about.setWordWrap(True)
        about.setStyleSheet("font-size: 16px;")
        box.addWidget(about)
        row = QHBoxLayout()
        self.choose = QPushButton(self.tr("Choose a file…"))
        self.choose.setMinimumHeight(44)
        self.choose.clicked.connect(self._choose_file)
        row.addWidget(self.choose)
        row.addStretch(1)
        box.addLayout(row)
        export = QGroupBox(self.tr("Export"))
        ebox = QHBoxLayout(export)
        ebox.addWidget(
            QLabel(self.tr("Save every customer, with consent status, for your own records."))
        )
        ebox.addStretch(1)
        self.export_button = QPushButton(self.tr("Export customers…"))
        self.export_button.clicked.connect(self._choose_export)
        ebox.addWidget(self.export_button)
        box.addWidget(export)
        box.addStretch(1)
        return page

    def _map_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.file_label = QLabel()
        self.file_label.setStyleSheet("font-weight: 600;")
        box.addWidget(self.file_label)
        columns = QGroupBox(self.tr("Which column holds what"))
        grid = QGridLayout(columns)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.combos: dict[str, QComboBox] = {}
        names = self._field_titles()
        for i, name in enumerate(FIELDS):
            combo = QComboBox()
            combo.setMinimumWidth(240)
            self.combos[name] = combo
            row, column = i % 4, (i // 4) * 3
            grid.addWidget(QLabel(names[name]), row, column)
            grid.addWidget(combo, row, column + 1)
        grid.setColumnMinimumWidth(2, 40)
        grid.setColumnStretch(5, 1)
        box.addWidget(columns)
        box.addWidget(QLabel(self.tr("The first rows of the file:")))
        self.preview_model = TextTable(self)
        self.preview = _table()
        self.preview.setModel(self.preview_model)
        box.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        back = QPushButton(self.tr("Another file"))
        back.clicked.connect(lambda: self._go(0))
        buttons.addWidget(back)
        buttons.addStretch(1)
        self.check_button = QPushButton(self.tr("Check every row"))
        self.check_button.setDefault(True)
        self.check_button.setMinimumHeight(40)
        self.check_button.clicked.connect(self.run_dry_run)
        buttons.addWidget(self.check_button)
        box.addLayout(buttons)
        return page

    def _check_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 17px; font-weight: 600;")
        box.addWidget(self.summary)
        self.refused_caption = QLabel(self.tr("Rows that would be refused, and why:"))
        box.addWidget(self.refused_caption)
        self.refused_model = TextTable(self)
        self.refused = _table()
        self.refused.setModel(self.refused_model)
        box.addWidget(self.refused, 1)
        self.skip = QCheckBox(self.tr("Skip refused rows and import the good ones"))
        self.skip.toggled.connect(self._update_apply)
        box.addWidget(self.skip)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        box.addWidget(self.progress)
        buttons = QHBoxLayout()
        back = QPushButton(self.tr("Back to the columns"))
        back.clicked.connect(lambda: self._go(1))
        buttons.addWidget(back)
        buttons.addStretch(1)
        self.apply_button = QPushButton()
        self.apply_button.setMinimumHeight(40)
        self.apply_button.clicked.connect(self.run_apply)
        buttons.addWidget(self.apply_button)
        box.addLayout(buttons)
        return page

    def _field_titles(self) -> dict[str, str]:
        return {
            "name": self.tr("Name (required)"),
            "phone": self.tr("Phone"),
            "card": self.tr("Card number"),
            "balance": self.tr("Points balance"),
            "birthday": self.tr("Birthday"),
            "email": self.tr("E-mail"),
            "consent": self.tr("Agrees to messages"),
        }

    # -- steps ---------------------------------------------------------------------------

    def _go(self, step: int) -> None:
        self.pages.setCurrentIndex(step)
        names = [self.tr("1. File"), self.tr("2. Columns"), self.tr("3. Check and import")]
        self.steps.setText(
            "   ›   ".join(f"<b>{n}</b>" if i == step else n for i, n in enumerate(names))
        )

    def say(self, text: str, tone: str = "info") -> None:
        self.message.setStyleSheet(f"color: {TONES[tone]}; font-size: 16px; font-weight: 600;")
        self.message.setText(text)

    def _choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the spreadsheet"),
            str(Path.home()),
            self.tr("Spreadsheets (*.csv *.txt *.xlsx)"),
        )
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> bool:
        """Read the file and show the column step with a guessed mapping and a preview."""
        try:
            sheet = read_sheet(path)
        except LoyaltyError as exc:
            self.say(error_text(exc), "error")
            return False
        self.sheet = sheet
        self.dry = None
        guessed = guess_mapping(sheet.headers)
        for name, combo in self.combos.items():
            combo.clear()
            combo.addItem(self.tr("— not in the file —"), -1)
            for index, header in enumerate(sheet.headers):
                combo.addItem(header, index)
            combo.setCurrentIndex(guessed.get(name, -1) + 1)
        # one plural per sentence (Qt's %n): the columns are a phrase of their own
        self.file_label.setText(
            plural_text("ImportWizard", "{file}: %n row(s), {columns}", len(sheet.rows)).format(
                file=sheet.name,
                columns=plural_text("ImportWizard", "%n column(s)", len(sheet.headers)),
            )
        )
        self.preview_model.set_rows(sheet.headers, sheet.preview())
        self.preview.resizeColumnsToContents()
        self.say(self.tr("Check the columns, then press “Check every row”."))
        self._go(1)
        return True

    def mapping(self) -> dict[str, int]:
        return {
            name: combo.currentData()
            for name, combo in self.combos.items()
            if combo.currentData() is not None and combo.currentData() >= 0
        }

    def _start(self, fn: Callable[[Callable[[int, int], None]], object], done, failed) -> None:  # type: ignore[no-untyped-def]
        job = Job(fn)
        job.setAutoDelete(False)
        self._jobs.append(job)
        job.signals.done.connect(done)
        job.signals.failed.connect(failed)
        job.signals.progress.connect(self._progress)
        job.signals.done.connect(lambda _r: self._jobs.remove(job))
        job.signals.failed.connect(lambda _e: self._jobs.remove(job))
        self._busy(True)
        self.pool.start(job)

    def _busy(self, busy: bool) -> None:
        for button in (self.check_button, self.apply_button, self.choose):
            button.setEnabled(not busy)
        if not busy:
            self._update_apply()

    def _progress(self, done: int, total: int) -> None:
        self.progress.show()
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(
            plural_text("ImportWizard", "{done} of %n row(s)", total).format(done=done)
        )

    def run_dry_run(self) -> None:
        if self.sheet is None:
            return
        mapping = self.mapping()
        if "name" not in mapping:
            self.say(self.tr("Choose the column that holds the customers' names."), "error")
            return
        sheet = self.sheet
        self.say(self.tr("Checking every row…"))
        self._start(lambda _p: self.importer.dry_run(sheet, mapping), self._dry_done, self._failed)

    def _dry_done(self, dry: DryRun) -> None:
        self.dry = dry
        self._busy(False)
        self.progress.hide()
        self.summary.setText(
            self.tr(
                "Rows that can be imported: {good} of {rows}. Rows that would be refused: "
                "{refused}. Opening balances in points: {points}. New card numbers: {cards}."
            ).format(
                good=format_points(dry.good),
                rows=format_points(dry.rows),
                refused=format_points(len(dry.refused)),
                points=format_points(dry.opening_points),
                cards=format_points(dry.new_cards),
            )
        )
        headers = [self.tr("Line"), self.tr("Why"), self.tr("The row")]
        self.refused_model.set_rows(
            headers,
            [
                (
                    str(r.line),
                    "; ".join(sentence_text(reason) for reason in r.reasons),
                    " | ".join(c for c in r.cells if c),
                )
                for r in dry.refused
            ],
        )
        self.refused.setColumnWidth(0, 70)
        self.refused.setColumnWidth(1, 560)
        has_refused = bool(dry.refused)
        self.refused.setVisible(has_refused)
        self.refused_caption.setVisible(has_refused)
        self.skip.setVisible(has_refused)
        self.skip.setChecked(False)
        self.say(
            self.tr("Fix the refused rows in the file and check again, or skip them.")
            if has_refused
            else self.tr("Every row is fine.")
        )
        self._update_apply()
        self._go(2)

    def _update_apply(self) -> None:
        if self.dry is None:
            return
        count = self.dry.good if (self.dry.refused and self.skip.isChecked()) else self.dry.rows
        self.apply_button.setText(plural_text("ImportWizard", "Import %n customer(s)", count))
        self.apply_button.setEnabled(
            self.dry.good > 0 and (not self.dry.refused or self.skip.isChecked())
        )

    def run_apply(self) -> None:
        if self.sheet is None or self.dry is None:
            return
        sheet, mapping, skip = self.sheet, self.mapping(), self.skip.isChecked()
        cashier = self.services.actor_id  # an owner screen: the owner imports
        self.say(self.tr("Importing… (one transaction: all of it or nothing)"))

        def work(progress: Callable[[int, int], None]) -> ImportResult:
            return self.importer.apply(
                sheet, mapping, skip_refused=skip, cashier=cashier, progress=progress
            )

        self._start(work, self._applied, self._failed)

    def _applied(self, result: ImportResult) -> None:
        self._busy(False)
        self.apply_button.setEnabled(False)
        self.say(
            plural_text(
                "ImportWizard",
                "Imported %n customer(s) from {file} (refused rows skipped: {skipped}; "
                "opening points: {points}).",
                result.imported,
            ).format(
                file=result.file_name,
                skipped=format_points(result.skipped),
                points=format_points(result.opening_points),
            ),
            "ok",
        )
        self.services.announce("customer", "card")
        self.imported.emit(result)

    def _failed(self, exc: Exception) -> None:
        self._busy(False)
        self.progress.hide()
        if isinstance(exc, LoyaltyError):
            self.say(error_text(exc), "error")
        else:
            self.say(
                self.tr(
                    "The import stopped on an unexpected error; nothing was written. ({e})"
                ).format(e=exc),
                "error",
            )

    def _choose_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export customers"),
            str(Path.home() / "customers.xlsx"),
            self.tr("Excel (*.xlsx);;CSV (*.csv)"),
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        try:
            result = CustomerExport(self.services.till).write(path)
        except LoyaltyError as exc:
            self.say(error_text(exc), "error")
            return
        except OSError as exc:
            self.say(self.tr("Could not write {path}: {e}").format(path=path, e=exc), "error")
            return
        self.say(
            plural_text(
                "ImportWizard",
                "Exported %n customer(s) ({consent} agreed to messages) to {path}.",
                result.customers,
            ).format(
                consent=format_points(result.with_consent),
                path=result.path,
            ),
            "ok",
        )


def _make(services: AppServices, parent: QWidget | None) -> QWidget:
    return ImportWizard(services, parent)


register_screen(
    ScreenSpec(
        key="import",
        title=tr_title("Import"),
        shortcut="F11",
        factory=_make,
        owner_only=True,
    )
)
