"""Qt models for the lists the counter and the desk show: search results and recent visits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from terminal.app.results import CustomerView, VisitLine
from terminal.core.cards import display_card_number
from terminal.core.money import Currency
from terminal.ui.money_format import format_money, format_points, format_time

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
NEGATIVE = QColor("#B42318")


class Column(Generic[Row]):
    """One column: a header (translated when shown), how to render a row, and its alignment."""

    def __init__(
        self,
        header: str,
        text: Callable[[Row], str],
        align_right: bool = False,
        negative: Callable[[Row], bool] | None = None,
    ) -> None:
        self.header = header
        self.text = text
        self.align_right = align_right
        self.negative = negative


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only table over a list of frozen result rows; ``set_rows`` replaces them all."""

    context = "Lists"

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, index: Index) -> Row | None:
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(self.context, self.columns[section].header)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align(self.columns[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align(column)
        if role == Qt.ItemDataRole.ForegroundRole and column.negative and column.negative(row):
            return NEGATIVE
        return None

    @staticmethod
    def _align(column: Column[Any]) -> int:
        horizontal = (
            Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
        )
        return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Lists", text)


NAME_COLUMN = 0  # where customer_columns puts the name (the lists give it the spare width)


def customer_columns(currency: Currency) -> list[Column[CustomerView]]:
    return [
        Column("Name", lambda c: c.name),
        Column("Phone", lambda c: c.phone or "—"),
        Column("Card", lambda c: display_card_number(c.card) if c.card else _tr("no active card")),
        Column("Tier", lambda c: c.tier),
        Column("Points", lambda c: format_points(c.balance), True, lambda c: c.balance < 0),
    ]


def visit_columns(currency: Currency) -> list[Column[VisitLine]]:
    def points(v: VisitLine) -> str:
        parts = []
        if v.points_earned:
            parts.append(f"+{format_points(v.points_earned)}")
        if v.points_redeemed:
            parts.append(f"−{format_points(v.points_redeemed)}")
        return " ".join(parts) or "0"

    return [
        Column("When", lambda v: format_time(v.at)),
        Column("Amount", lambda v: format_money(v.amount, currency), True),
        Column("Paid", lambda v: format_money(v.paid, currency), True),
        Column("Points", points, True),
        Column(
            "Refunded",
            lambda v: format_money(v.refunded_amount, currency) if v.refunded_amount else "",
            True,
        ),
    ]
