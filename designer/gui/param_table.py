"""Query parameters, headers and form fields: one table model over a list in the config.

The model holds no data of its own: it reads the list from the Document and turns every edit
(cell, check box, add, remove, move) into a new config snapshot pushed as one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.core.config import Header, LookupConfig, Param
from designer.gui.document import Document
from designer.gui.placeholders import PlaceholderDelegate

Index = QModelIndex | QPersistentModelIndex
ENABLED, NAME, VALUE, ENCODING = range(4)


@dataclass(frozen=True)
class ParamAccess:
    """Where a table's rows live in the config, and how to write them back."""

    noun: str  # "query parameter", "header", "form field": used in undo texts
    get: Callable[[LookupConfig], list[Param]]
    put: Callable[[LookupConfig, list[Param]], LookupConfig]
    item_type: type[Param] = Param


def _request_list(attr: str) -> tuple[Callable[[LookupConfig], list[Param]], Callable[..., LookupConfig]]:
    def get(config: LookupConfig) -> list[Param]:
        return list(getattr(config.request, attr))

    def put(config: LookupConfig, items: list[Param]) -> LookupConfig:
        request = config.request.model_copy(update={attr: items})
        return config.model_copy(update={"request": request})

    return get, put


QUERY = ParamAccess("query parameter", *_request_list("query"))
HEADERS = ParamAccess("header", *_request_list("headers"), item_type=Header)


class ParamTableModel(QAbstractTableModel):
    def __init__(self, document: Document, access: ParamAccess) -> None:
        super().__init__(document)
        self._document = document
        self._access = access
        self._rows = access.get(document.config)
        document.configChanged.connect(self._on_document_config_changed)

    @property
    def rows(self) -> list[Param]:
        return list(self._rows)

    # -- Qt model interface ---------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return 4 if self._access.item_type is Header else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        titles = ["On", "Name", "Value", "Encode non-ASCII"]
        if role == Qt.ItemDataRole.DisplayRole:
            return titles[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return [
                "Send this row (untick to keep it but leave it out)",
                "Name; may contain {search_term} / {currency_code}",
                "Value; right-click while editing to insert a placeholder",
                "Percent-encode non-ASCII placeholder values instead of refusing them",
            ][section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (ENABLED, ENCODING):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole:
            if column == ENABLED:
                return Qt.CheckState.Checked if item.enabled else Qt.CheckState.Unchecked
            if column == ENCODING and isinstance(item, Header):
                return Qt.CheckState.Checked if item.encoding == "percent" else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NAME:
                return item.name
            if column == VALUE:
                return item.value
        if role == Qt.ItemDataRole.ForegroundRole and not item.enabled and column in (NAME, VALUE):
            return Qt.GlobalColor.gray
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.row() >= len(self._rows):
            return False
        item = self._rows[index.row()]
        column = index.column()
        changes: dict[str, object]
        if role == Qt.ItemDataRole.CheckStateRole and column == ENABLED:
            changes = {"enabled": _checked(value)}
            text = f"{'Enable' if changes['enabled'] else 'Disable'} {self._access.noun}"
        elif role == Qt.ItemDataRole.CheckStateRole and column == ENCODING:
            changes = {"encoding": "percent" if _checked(value) else "reject"}
            text = f"Change encoding of {self._access.noun}"
        elif role == Qt.ItemDataRole.EditRole and column in (NAME, VALUE):
            changes = {"name" if column == NAME else "value": str(value)}
            text = f"Edit {self._access.noun}"
        else:
            return False
        rows = list(self._rows)
        rows[index.row()] = item.model_copy(update=changes)
        self._push(text, rows)
        return True

    # -- row operations ---------------------------------------------------------------------------
    def add_row(self, name: str = "", value: str = "") -> int:
        rows = [*self._rows, self._access.item_type(name=name, value=value)]
        self._push(f"Add {self._access.noun}", rows)
        return len(rows) - 1

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            rows = list(self._rows)
            del rows[row]
            self._push(f"Remove {self._access.noun}", rows)

    def move_row(self, row: int, delta: int) -> int:
        """Move a row up (-1) or down (+1); returns its new position."""
        target = row + delta
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return row
        rows = list(self._rows)
        rows.insert(target, rows.pop(row))
        self._push(f"Move {self._access.noun}", rows)
        return target

    # -- internals --------------------------------------------------------------------------------
    def _push(self, text: str, rows: list[Param]) -> None:
        config = self._document.config
        self._document.apply(text, self._access.put(config, rows))

    def _on_document_config_changed(self) -> None:
        rows = self._access.get(self._document.config)
        if rows == self._rows:
            return
        if len(rows) != len(self._rows):
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        changed = [i for i, (old, new) in enumerate(zip(self._rows, rows, strict=True)) if old != new]
        self._rows = rows
        if changed:
            top = self.index(min(changed), 0)
            bottom = self.index(max(changed), self.columnCount() - 1)
            self.dataChanged.emit(top, bottom)


def _checked(value: object) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return value in (2, Qt.CheckState.Checked.value)


class HintTableView(QTableView):
    """A table that says what to do when it is empty, instead of showing a blank area."""

    def __init__(self, hint: str) -> None:
        super().__init__()
        self.hint = hint

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            rect = self.viewport().rect().adjusted(12, 12, -12, -12)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            painter.drawText(rect, int(flags), self.hint)
            painter.end()


class ParamTable(QWidget):
    """The table plus its Add / Remove / Up / Down buttons."""

    def __init__(self, document: Document, access: ParamAccess, object_name: str, hint: str = "") -> None:
        super().__init__()
        self.model = ParamTableModel(document, access)
        self.view = HintTableView(hint or f"No {access.noun}s yet. Press Add to create one.")
        self.view.setObjectName(object_name)
        self.view.setModel(self.model)
        self.view.setItemDelegate(PlaceholderDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ENABLED, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(NAME, 160)
        if self.model.columnCount() > ENCODING:
            header.setSectionResizeMode(ENCODING, QHeaderView.ResizeMode.ResizeToContents)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        noun = access.noun
        for name, label, tip, slot in (
            ("add", "Add", f"Add a {noun}", self._on_add_clicked),
            ("remove", "Remove", f"Remove the selected {noun}", self._on_remove_clicked),
            ("up", "▲", f"Move the selected {noun} up", lambda: self._move(-1)),
            ("down", "▼", f"Move the selected {noun} down", lambda: self._move(1)),
        ):
            button = QToolButton()
            button.setText(label)
            button.setToolTip(tip)
            button.setObjectName(f"{object_name}_{name}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def _on_add_clicked(self) -> None:
        row = self.model.add_row()
        index = self.model.index(row, NAME)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def _on_remove_clicked(self) -> None:
        row = self.current_row()
        self.model.remove_row(row)
        if self.model.rowCount():
            self.view.selectRow(min(row, self.model.rowCount() - 1))

    def _move(self, delta: int) -> None:
        row = self.current_row()
        if row >= 0:
            self.view.selectRow(self.model.move_row(row, delta))
