"""A read-only table model over rows of already-formatted cells, with CSV export.

Used by the dashboard's tables (cohorts, top customers, call-back list, open feedback) and the
Feedback screen; every one of them can be saved as CSV for a spreadsheet.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QFileDialog, QWidget

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """``rows`` of display strings; ``keys`` (optional) carry the id of each row."""

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[list[str]] = []
        self.keys: list[Any] = []
        self.right_aligned: set[int] = set()

    def set_rows(self, rows: list[list[str]], keys: list[Any] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.keys = keys if keys is not None else [None] * len(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def write_csv(self, path: Path) -> None:
        """UTF-8 with BOM so spreadsheet programs read accents and ₴ correctly."""
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(self.headers)
            writer.writerows(self.rows)


def export_csv(model: RowsModel, parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save, then write; returns the path, or None if cancelled."""
    name, _ = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("Reports", "Save as CSV"),
        suggested,
        QCoreApplication.translate("Reports", "CSV files (*.csv)"),
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".csv":
        path = path.with_suffix(".csv")
    model.write_csv(path)
    return path
