"""The owner's "Cards" screen: stock at a glance, new pre-numbered sheets, reprints.

Reserving numbers goes through ``terminal.app.card_stock`` (one journaled transaction); the
sheets and single cards open the shared print dialog (terminal.ui.card_print_dialog).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.app.card_stock import MAX_BATCH, BatchSummary, CardStock, StockReport, numbers_csv
from terminal.cardprint import CardJob, Layout, display_number, faces_for_numbers, render_page
from terminal.core.errors import LoyaltyError
from terminal.i18n_text import error_text, plural_text, short_datetime_format
from terminal.ui.card_print_dialog import CardPrintDialog, print_card, print_sheets
from terminal.ui.screens import ScreenSpec, register_screen, tr_title
from terminal.ui.services import AppServices

log = logging.getLogger("cards")

AnyIndex = QModelIndex | QPersistentModelIndex


class BatchModel(QAbstractTableModel):
    """Card batches printed here, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.batches: list[BatchSummary] = []

    def set_batches(self, batches: list[BatchSummary]) -> None:
        self.beginResetModel()
        self.batches = list(batches)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.batches)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Reserved"),
            self.tr("Cards"),
            self.tr("Still in stock"),
            self.tr("First number"),
            self.tr("Last number"),
        )[section]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        batch = self.batches[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            locale = QLocale()
            return (
                locale.toString(batch.reserved_at, short_datetime_format()),
                locale.toString(batch.count),
                locale.toString(batch.in_stock),
                display_number(batch.first),
                display_number(batch.last),
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Batch %1").replace("%1", batch.batch)
        return None


class CardsScreen(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardsScreen")
        self.services = services
        self.stock = CardStock(services.till)
        self.last_dialog: CardPrintDialog | None = None

        title = QLabel(self.tr("Cards"))
        title.setObjectName("screenTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)

        self.count_labels: dict[str, QLabel] = {}
        counts = QHBoxLayout()
        for status, caption in (
            ("stock", self.tr("In stock, not yet given out")),
            ("active", self.tr("With customers")),
            ("blocked", self.tr("Blocked")),
            ("replaced", self.tr("Replaced")),
        ):
            counts.addWidget(self._tile(status, caption))

        # new batch
        self.count_spin = QSpinBox()
        self.count_spin.setObjectName("batchCount")
        self.count_spin.setRange(1, MAX_BATCH)
        self.count_spin.setSingleStep(10)
        self.count_spin.setValue(10)
        self.count_spin.setSuffix(self.tr(" cards"))
        self.reserve_button = QPushButton(self.tr("Reserve numbers and print…"))
        self.reserve_button.setObjectName("reserveButton")
        self.sheets_hint = QLabel()
        self.sheets_hint.setObjectName("sheetsHint")
        new_box = QGroupBox(self.tr("New pre-numbered cards"))
        new_form = QFormLayout(new_box)
        row = QHBoxLayout()
        row.addWidget(self.count_spin)
        row.addWidget(self.reserve_button)
        row.addStretch(1)
        new_form.addRow(self.tr("How many:"), row)
        new_form.addRow("", self.sheets_hint)
        explain = QLabel(
            self.tr(
                "The numbers are saved as unassigned stock. Scanning one of these cards when "
                "registering a customer gives it to them."
            )
        )
        explain.setWordWrap(True)
        new_form.addRow(explain)

        # reprint one card
        self.card_edit = QLineEdit()
        self.card_edit.setObjectName("reprintCard")
        self.card_edit.setPlaceholderText(self.tr("Scan or type a card number"))
        self.card_button = QPushButton(self.tr("Print card…"))
        self.card_button.setObjectName("reprintButton")
        reprint_box = QGroupBox(self.tr("Print a customer's card again"))
        reprint_row = QHBoxLayout(reprint_box)
        reprint_row.addWidget(self.card_edit, 1)
        reprint_row.addWidget(self.card_button)

        # batches
        self.model = BatchModel(self)
        self.table = QTableView()
        self.table.setObjectName("batchTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.empty_label = QLabel(self.tr("No card batches yet."))
        self.empty_label.setObjectName("emptyBatches")
        self.reprint_batch_button = QPushButton(self.tr("Print the unused cards again…"))
        self.reprint_batch_button.setObjectName("reprintBatchButton")
        self.csv_button = QPushButton(self.tr("Save numbers as CSV…"))
        self.csv_button.setObjectName("csvButton")
        batch_box = QGroupBox(self.tr("Batches printed"))
        batch_layout = QVBoxLayout(batch_box)
        batch_layout.addWidget(self.table, 1)
        batch_layout.addWidget(self.empty_label)
        batch_buttons = QHBoxLayout()
        batch_buttons.addStretch(1)
        batch_buttons.addWidget(self.csv_button)
        batch_buttons.addWidget(self.reprint_batch_button)
        batch_layout.addLayout(batch_buttons)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        self.design_view = QLabel()
        self.design_view.setObjectName("designPreview")
        self.design_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        design_note = QLabel(
            self.tr(
                "Shop name, phone and logo come from the shop settings; the back shows the "
                "program in force when the card is printed."
            )
        )
        design_note.setWordWrap(True)
        self.design_box = QGroupBox(self.tr("How the cards look"))
        design_layout = QVBoxLayout(self.design_box)
        design_layout.addWidget(self.design_view)
        design_layout.addWidget(design_note)

        left = QVBoxLayout()
        left.addWidget(new_box)
        left.addWidget(reprint_box)
        left.addWidget(self.design_box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addWidget(batch_box, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(counts)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)

        self.reserve_button.clicked.connect(self.reserve_and_print)
        self.card_button.clicked.connect(self.reprint_card)
        self.card_edit.returnPressed.connect(self.reprint_card)
        self.reprint_batch_button.clicked.connect(self.reprint_batch)
        self.csv_button.clicked.connect(self.save_csv)
        self.count_spin.valueChanged.connect(self._update_hint)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        services.data.changed.connect(self._on_data_changed)
        self._update_hint()
        self.refresh()

    def _tile(self, status: str, caption: str) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        value = QLabel("0")
        value.setObjectName(f"count_{status}")
        font = value.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        value.setFont(font)
        layout = QVBoxLayout(frame)
        layout.addWidget(value)
        layout.addWidget(QLabel(caption))
        self.count_labels[status] = value
        return frame

    # -- data ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        report: StockReport = self.stock.report()
        locale = QLocale()
        for status, label in self.count_labels.items():
            label.setText(locale.toString(report.counts.get(status, 0)))
        self.model.set_batches(report.batches)
        self.table.setVisible(bool(report.batches))
        self.empty_label.setVisible(not report.batches)
        if report.batches and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._update_buttons()
        self._show_design(report)

    def _show_design(self, report: StockReport) -> None:
        """The front of a real unused stock card, so the owner sees the design before printing."""
        number = next(
            (
                numbers[0]
                for b in report.batches
                if b.in_stock
                for numbers in [self.stock.batch_numbers(b.batch, only_stock=True)]
                if numbers
            ),
            None,
        )
        self.design_box.setVisible(number is not None)
        if number is None:
            return
        faces = faces_for_numbers(self.services.till, [number])
        image = render_page(CardJob(tuple(faces), Layout.CARD), 0, 110, preview=True)
        self.design_view.setPixmap(QPixmap.fromImage(image))

    def _on_data_changed(self, kinds: set[str]) -> None:
        if kinds & {"card", "customer"}:
            self.refresh()

    def _update_hint(self) -> None:
        count = self.count_spin.value()
        sheets = -(-count // 10)
        self.sheets_hint.setText(self.tr("%n A4 sheet(s) of 10 cards", "", sheets))

    def _update_buttons(self, *_args: object) -> None:
        batch = self.selected_batch()
        self.csv_button.setEnabled(batch is not None)
        self.reprint_batch_button.setEnabled(batch is not None and batch.in_stock > 0)

    def selected_batch(self) -> BatchSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.batches[rows[0].row()] if rows else None

    # -- actions -------------------------------------------------------------------------------

    def reserve_and_print(self) -> None:
        try:
            reserved = self.stock.reserve(self.count_spin.value(), cashier=self.services.actor_id)
        except LoyaltyError as exc:
            self.message.setText(error_text(exc))
            return
        self.services.announce("card")
        self.refresh()
        self.message.setText(
            self.tr("Reserved %1 numbers: %2 … %3.")
            .replace("%1", QLocale().toString(reserved.count))
            .replace("%2", display_number(reserved.numbers[0]))
            .replace("%3", display_number(reserved.numbers[-1]))
        )
        self.last_dialog = print_sheets(self.services, self, reserved.numbers, reserved.batch)

    def reprint_card(self) -> None:
        text = self.card_edit.text()
        self.message.clear()
        self.last_dialog = print_card(self.services, self, text)

    def reprint_batch(self) -> None:
        batch = self.selected_batch()
        if batch is None:
            return
        numbers = self.stock.batch_numbers(batch.batch, only_stock=True)
        self.last_dialog = print_sheets(self.services, self, numbers, batch.batch)

    def save_csv(self) -> Path | None:
        batch = self.selected_batch()
        if batch is None:
            return None
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save card numbers"),
            str(Path(folder) / f"cards-{batch.batch}.csv"),
            self.tr("CSV files (*.csv)"),
        )
        if not path:
            return None
        numbers = self.stock.batch_numbers(batch.batch)
        try:
            Path(path).write_text(numbers_csv(numbers, display_number), encoding="utf-8")
        except OSError as exc:
            problem = exc.strerror or str(exc)
            self.message.setText(self.tr("Could not save the file: %1").replace("%1", problem))
            return None
        self.message.setText(
            plural_text("CardsScreen", "%n card number(s) saved to %1", len(numbers)).replace(
                "%1", path
            )
        )
        return Path(path)


register_screen(
    ScreenSpec(
        key="cards",
        title=tr_title("Cards"),
        shortcut="F6",
        factory=lambda services, parent: CardsScreen(services, parent),
        owner_only=True,
    )
)
