"""The field mapper's table model: one row per Customer field, a thin adapter over the Document.

Rows come from a :class:`designer.gui.mapper_state.MapperSnapshot`; edits go back through the
Document (one undo step each). A hand-typed path that does not parse is *not* applied: it is
kept as a draft shown in red with the parser's message, so nothing typed is lost and the
runtime never receives a path it cannot read.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase

from designer.core.config import FieldMapping
from designer.core.customer import CUSTOMER_FIELDS
from designer.core.jsonpath import path_problem
from designer.core.record_numbers import record_label, record_number
from designer.gui.document import Document
from designer.gui.location_mime import LOCATION_MIME, location_from_mime
from designer.gui.mapper_state import FieldRow, MapperSnapshot
from designer.gui.status_style import STATUS_LABELS, status_icon

__all__ = ["COLUMNS", "STATUS_ROLE", "MapperModel"]

COLUMNS = ("Field", "Expression", "", "Value")
FIELD, EXPRESSION, STATUS, VALUE = range(4)
#: The row's status word ("ok", "warning", "error", "not mapped"); the cell shows it as an icon.
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
_ERROR_TEXT = QBrush(QColor("#b3261e"))


class MapperModel(QAbstractTableModel):
    locationDropped = Signal(object, str)  # (location tuple, field): a tree node dropped on a row

    def __init__(self, document: Document, parent: Any = None) -> None:
        super().__init__(parent)
        self._document = document
        self._snapshot: MapperSnapshot | None = None
        #: field -> (text, problem): typed paths that do not parse, kept out of the config.
        self._drafts: dict[str, tuple[str, str]] = {}
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._bold = QFont()
        self._bold.setBold(True)

    # -- state ----------------------------------------------------------------------------------
    def set_snapshot(self, snapshot: MapperSnapshot) -> None:
        self._snapshot = snapshot
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, VALUE, VALUE)

    def row(self, row: int) -> FieldRow | None:
        if self._snapshot is None or not 0 <= row < len(self._snapshot.rows):
            return None
        return self._snapshot.rows[row]

    def draft(self, field: str) -> tuple[str, str] | None:
        return self._drafts.get(field)

    def clear_draft(self, field: str) -> None:
        if self._drafts.pop(field, None) is not None:
            self._emit_row(CUSTOMER_FIELDS.index(field))

    def inline_editable(self, row: int) -> bool:
        """A single path (or none) is edited in place; several paths need the row editor."""
        info = self.row(row)
        return info is not None and (info.mapping is None or len(info.mapping.paths) <= 1)

    # -- Qt model API ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CUSTOMER_FIELDS)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        if index.column() == EXPRESSION and self.inline_editable(index.row()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            snap = self._snapshot
            if section == VALUE and snap is not None and snap.record_index is not None:
                # Counted from 1 for people; the tree and JSONPath show the 0-based index.
                return f"Record {record_number(snap.record_index)} of {snap.record_count}"
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == VALUE:
            snap = self._snapshot
            which = (
                record_label(snap.record_index, capital=False)
                if snap is not None and snap.record_index is not None
                else "this record"
            )
            return f"Each field's value for {which} (click a node or a preview row to choose another)"
        if role == Qt.ItemDataRole.ToolTipRole and section == STATUS:
            return "Status: ok, warning, error or not mapped (hover a row's icon for the reason)"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        info = self.row(index.row())
        if info is None:
            return None
        column = index.column()
        if column == FIELD:
            return self._field_data(info, role)
        if column == EXPRESSION:
            return self._expression_data(info, role)
        if column == STATUS:
            return self._status_data(info, role)
        return self._value_data(info, role)

    def _field_data(self, info: FieldRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{info.field} (required)" if info.required else info.field
        if role == Qt.ItemDataRole.FontRole and info.required:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Required: records without it are skipped" if info.required else "Optional"
        return None

    def _expression_data(self, info: FieldRow, role: int) -> Any:
        draft = self._drafts.get(info.field)
        if role == Qt.ItemDataRole.DisplayRole:
            return draft[0] if draft else info.expression
        if role == Qt.ItemDataRole.EditRole:
            if draft:
                return draft[0]
            return info.mapping.paths[0] if info.mapping and info.mapping.paths else ""
        if role == Qt.ItemDataRole.FontRole:
            return self._mono
        if role == Qt.ItemDataRole.ForegroundRole and draft:
            return _ERROR_TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            if draft:
                kept = info.expression or "no mapping"
                return f"Not applied: {draft[1]}\nThe config still uses: {kept}"
            if info.expression:
                return f"{info.expression}\nF2 or double-click to edit"
            return "Not mapped: drop a response node here, or use Map selected node to ▸"
        return None

    def _status_data(self, info: FieldRow, role: int) -> Any:
        draft = self._drafts.get(info.field)
        status = "error" if draft else info.status
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(status)
        if role in (STATUS_ROLE, Qt.ItemDataRole.AccessibleTextRole):
            return STATUS_LABELS[status]
        if role == Qt.ItemDataRole.ToolTipRole:
            reason = f"Typed path not applied: {draft[1]}" if draft else info.message
            return f"{STATUS_LABELS[status]}: {reason}"
        return None

    def _value_data(self, info: FieldRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return info.value or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return info.value if info.value else info.message
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != EXPRESSION or not index.isValid():
            return False
        info = self.row(index.row())
        if info is None:
            return False
        text = str(value).strip()
        problem = path_problem(text) if text else None
        if problem is not None:
            self._drafts[info.field] = (text, problem)
            self._emit_row(index.row())
            return True
        self._drafts.pop(info.field, None)
        mapping = (info.mapping or FieldMapping()).model_copy(update={"paths": [text] if text else []})
        current = info.mapping.paths if info.mapping else []
        if mapping.paths != current:
            self._document.set_mapping(info.field, mapping, text=f"Edit path of {info.field}")
        self._emit_row(index.row())
        return True

    # -- drops of response-tree nodes -------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [LOCATION_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction | Qt.DropAction.LinkAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return location_from_mime(data) is not None and self._drop_row(row, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        location = location_from_mime(data)
        target = self._drop_row(row, parent)
        if location is None or target is None:
            return False
        self.locationDropped.emit(location, CUSTOMER_FIELDS[target])
        return True

    def _drop_row(self, row: int, parent: Index) -> int | None:
        target = parent.row() if parent.isValid() else row
        return target if 0 <= target < len(CUSTOMER_FIELDS) else None

    def _emit_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
