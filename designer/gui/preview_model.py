"""Table models of the Customer preview: the records as customers, and the problems found.

Both are lazy adapters over the live preview's lists: rows are added as chunks are mapped
(``beginInsertRows``), and cell data is computed only for the cells a view asks for, so 10 000
or 200 000 records cost a table view nothing more than 30.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from designer.core.customer import CUSTOMER_FIELDS
from designer.core.model_types import Diagnostic, RecordResult
from designer.core.record_numbers import record_label, record_number
from designer.gui.mapper_state import display_value
from designer.gui.status_style import background, foreground, status_icon

__all__ = ["PreviewModel", "Problem", "ProblemsModel", "customer_values", "describe_problem"]

Index = QModelIndex | QPersistentModelIndex
_SIMPLE_FIELDS = tuple(f for f in CUSTOMER_FIELDS if "." not in f)


def customer_values(result: RecordResult) -> dict[str, str]:
    """The values shown for a record: the Customer's (what the POS gets) or, if it is skipped,
    what its fields were mapped to."""
    customer = result.customer
    if customer is None:
        return {name: display_value(value) for name, value in result.values.items() if value is not None}
    values = {name: getattr(customer, name) for name in _SIMPLE_FIELDS}
    shown = {name: value for name, value in values.items() if value is not None}
    if customer.balance is not None:
        shown["balance.identifier"] = customer.balance.identifier
        shown["balance.balance"] = display_value(customer.balance.balance)
    return shown


@dataclass(frozen=True)
class _Row:
    values: dict[str, str]
    #: field -> (severity, message) of the problems of that field in this record.
    cells: dict[str, tuple[str, str]]
    #: Why the POS will not get this record, when it is skipped.
    skipped: str | None


def _row(result: RecordResult) -> _Row:
    cells: dict[str, tuple[str, str]] = {}
    for diagnostic in result.diagnostics:
        if diagnostic.field is None:
            continue
        severity, message = cells.get(diagnostic.field, ("warning", ""))
        if diagnostic.severity == "error":
            severity = "error"
        cells[diagnostic.field] = (
            severity,
            f"{message}\n{diagnostic.message}" if message else diagnostic.message,
        )
    skipped = None
    if result.customer is None:
        reasons = [d.message for d in result.diagnostics if d.severity == "error"]
        skipped = "Not sent to the POS: " + ("; ".join(reasons) or "the record is invalid")
    return _Row(customer_values(result), cells, skipped)


class PreviewModel(QAbstractTableModel):
    """One row per record, one column per Customer field (balance as two columns)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._results: list[RecordResult] = []
        self._count = 0
        self._rows: dict[int, _Row] = {}

    def set_results(self, results: list[RecordResult]) -> None:
        """Show ``results`` (a list the live preview keeps extending; see :meth:`sync`)."""
        self.beginResetModel()
        self._results = results
        self._count = len(results)
        self._rows = {}
        self.endResetModel()

    def sync(self) -> None:
        """Show the records appended to the list since the last call."""
        total = len(self._results)
        if total > self._count:
            self.beginInsertRows(QModelIndex(), self._count, total - 1)
            self._count = total
            self.endInsertRows()

    def result(self, row: int) -> RecordResult | None:
        return self._results[row] if 0 <= row < self._count else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CUSTOMER_FIELDS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(CUSTOMER_FIELDS) and role == Qt.ItemDataRole.DisplayRole:
                return CUSTOMER_FIELDS[section]
            return None
        row = self._row_info(section)
        if row is None:
            return None
        index = self._results[section].index
        if role == Qt.ItemDataRole.DisplayRole:
            return record_number(index)
        if role == Qt.ItemDataRole.DecorationRole and row.skipped:
            return status_icon("error")
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{record_label(index)}: {row.skipped or 'sent to the POS'}"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._row_info(index.row())
        if row is None or not 0 <= index.column() < len(CUSTOMER_FIELDS):
            return None
        field = CUSTOMER_FIELDS[index.column()]
        cell = row.cells.get(field)
        if role == Qt.ItemDataRole.DisplayRole:
            return row.values.get(field, "")
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [text for text in (cell[1] if cell else None, row.skipped) if text]
            if not lines and field in row.values:
                return row.values[field]
            return "\n".join(lines) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            if cell is not None:
                return background(cell[0])
            return background("invalid") if row.skipped else None
        if role == Qt.ItemDataRole.ForegroundRole and (cell is not None or row.skipped):
            return foreground()
        return None

    def _row_info(self, row: int) -> _Row | None:
        if not 0 <= row < self._count:
            return None
        info = self._rows.get(row)
        if info is None:
            info = self._rows[row] = _row(self._results[row])
        return info


@dataclass(frozen=True)
class Problem:
    """One line of the problems list; ``record`` None is about the whole response."""

    severity: str  # "error", "warning" or "note"
    record: int | None
    field: str | None
    message: str


def describe_problem(problem: Problem) -> str:
    """The whole problem in one sentence: where (record and field), how bad, and what."""
    where = "The whole response" if problem.record is None else record_label(problem.record)
    field = f" · {problem.field}" if problem.field else ""
    return f"{where}{field} — {problem.severity}: {problem.message}"


class ProblemsModel(QAbstractTableModel):
    """Record, field and message of every problem, growing as records are mapped."""

    COLUMNS = ("Record", "Field", "Problem")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Problem] = []

    def clear(self) -> None:
        self.beginResetModel()
        self._items = []
        self.endResetModel()

    def append(self, problems: list[Problem]) -> None:
        if problems:
            start = len(self._items)
            self.beginInsertRows(QModelIndex(), start, start + len(problems) - 1)
            self._items.extend(problems)
            self.endInsertRows()

    def append_diagnostics(self, diagnostics: list[Diagnostic]) -> None:
        self.append([Problem(d.severity, d.record, d.field, d.message) for d in diagnostics])

    def problem(self, row: int) -> Problem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[Problem]:
        """Every problem listed, in order (read only)."""
        return self._items

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "note": 0}
        for item in self._items:
            counts[item.severity] = counts.get(item.severity, 0) + 1
        return counts

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.problem(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return "response" if item.record is None else record_number(item.record)
            if column == 1:
                return item.field or ""
            return item.message
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return status_icon(item.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe_problem(item)
        return None
