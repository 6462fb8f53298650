"""A lazy item model over a parsed JSON document: nodes exist only once a view asks for them.

An eagerly filled QStandardItemModel takes 90 s and 5.7 GB for 200 000 records (issue 6); here
``rowCount`` is ``len()`` of the container and a node is created the first time ``index()`` is
asked for it, so a model over any document costs nothing until rows are shown.

Nodes live in a table and indexes carry their table position as ``internalId`` (PySide6's
``internalPointer`` would need every Python object kept alive by hand). Containers with more
than ``group_size`` children are shown in groups (``[0 … 999]``, groups of groups above a
million), so no expand ever creates more than ``group_size`` rows.

Values are shown exactly: integers and Decimals with every digit (ids > 2^53, H019), strings
quoted, NaN/Infinity as the literal that arrived. Each node knows its location (names and
indexes from the root), which is what the panels pass around.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from designer.core.jsonio import JsonValue, NonStandardNumber, number_to_text
from designer.gui.location_mime import LOCATION_MIME, Location, location_mime_data

__all__ = [
    "COLUMNS",
    "DEFAULT_GROUP_SIZE",
    "JsonTreeModel",
    "KindRole",
    "LocationRole",
    "format_count",
    "json_type",
    "value_text",
]

DEFAULT_GROUP_SIZE = 1000
COLUMNS = ("Key", "Value", "Type")
LocationRole = Qt.ItemDataRole.UserRole + 1  # the node's location tuple (None for a group)
KindRole = Qt.ItemDataRole.UserRole + 2  # "object", "array", "string", ... or "group"
_SHOWN_STRING_CHARS = 300
_TOOLTIP_CHARS = 2000

ModelIndex = QModelIndex | QPersistentModelIndex
# Combined once: or-ing Qt flags in Python costs more than the rest of flags() (views ask per row).
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NODE_FLAGS = _GROUP_FLAGS | Qt.ItemFlag.ItemIsDragEnabled


def format_count(count: int) -> str:
    """``20 000``: digits grouped by spaces, as users read large sizes."""
    return f"{count:,}".replace(",", " ")


def _plural(count: int, word: str) -> str:
    return f"{format_count(count)} {word}{'' if count == 1 else 's'}"


def json_type(value: JsonValue) -> str:
    """The JSON type name shown in the Type column."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, NonStandardNumber):
        return "not standard JSON"
    return "number"


def value_text(value: JsonValue, limit: int = _SHOWN_STRING_CHARS) -> str:
    """The Value column: exact numbers, quoted strings (cut after ``limit`` characters), sizes."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if len(value) <= limit:
            return json.dumps(value, ensure_ascii=False)
        shown = json.dumps(value[:limit], ensure_ascii=False)[:-1]
        return f'{shown}…" ({format_count(len(value))} characters)'
    if isinstance(value, dict):
        return "{" + _plural(len(value), "key") + "}"
    if isinstance(value, list):
        return "[" + _plural(len(value), "item") + "]"
    if isinstance(value, NonStandardNumber):
        return value.literal
    if isinstance(value, int | Decimal):
        return number_to_text(value)
    return str(value)


def _key_text(key: str | int | None) -> str:
    if key is None:
        return "$"
    if isinstance(key, int):
        return f"[{key}]"
    if key == "" or any(ch < " " for ch in key):
        return json.dumps(key, ensure_ascii=False)  # an empty or multi-line name stays visible
    return key


class _Node:
    """One row: a JSON value (``key`` in its parent) or a group of a container's children."""

    __slots__ = ("children", "end", "group", "key", "location", "parent", "row", "start", "value")

    def __init__(
        self,
        parent: int,
        row: int,
        key: str | int | None,
        value: JsonValue,
        location: Location,
        *,
        group: bool = False,
        start: int = 0,
        end: int = 0,
    ) -> None:
        self.parent = parent
        self.row = row
        self.key = key
        self.value = value  # for a group: the container it is a slice of
        self.location = location  # for a group: the container's location
        self.group = group
        self.start = start
        self.end = end
        self.children: dict[int, int] | None = None


class JsonTreeModel(QAbstractItemModel):
    """Columns Key, Value, Type over one document; the document is one top-level row ``$``."""

    def __init__(self, parent: Any = None, *, group_size: int = DEFAULT_GROUP_SIZE) -> None:
        super().__init__(parent)
        if group_size < 2:
            raise ValueError("groups need at least 2 children")
        self._group_size = group_size
        self._nodes: list[_Node] = []
        self._keys: dict[int, list[str]] = {}  # id(dict) -> its keys, for objects shown in groups
        self._positions: dict[int, dict[str, int]] = {}  # id(dict) -> key -> position
        self._document: JsonValue = None

    # -- public ---------------------------------------------------------------------------------
    def set_document(self, document: JsonValue) -> None:
        """Show ``document`` (any parsed JSON value, ``None`` being JSON null)."""
        self.beginResetModel()
        self._clear_nodes()
        self._document = document
        self._nodes.append(_Node(-1, 0, None, document, ()))
        self.endResetModel()

    def clear(self) -> None:
        """No document (the body did not parse, or there is no response)."""
        self.beginResetModel()
        self._clear_nodes()
        self._document = None
        self.endResetModel()

    @property
    def has_document(self) -> bool:
        return bool(self._nodes)

    @property
    def document(self) -> JsonValue:
        return self._document

    @property
    def node_count(self) -> int:
        """How many nodes exist so far (the model's laziness, visible to tests)."""
        return len(self._nodes)

    @property
    def group_size(self) -> int:
        return self._group_size

    def location(self, index: ModelIndex) -> Location | None:
        """The node's location from the root, or None for a group row or an invalid index."""
        node = self._node(index)
        return None if node is None or node.group else node.location

    def container_location(self, index: ModelIndex) -> Location | None:
        """For a group row, the location of the array/object it belongs to; else the node's own."""
        node = self._node(index)
        return None if node is None else node.location

    def value(self, index: ModelIndex) -> JsonValue:
        """The JSON value of a node (the whole container for a group row)."""
        node = self._node(index)
        return None if node is None else node.value

    def is_group(self, index: ModelIndex) -> bool:
        node = self._node(index)
        return node is not None and node.group

    def index_for_location(self, location: Location) -> QModelIndex:
        """The index of the node at ``location`` (through groups); invalid if there is none."""
        if not self._nodes:
            return QModelIndex()
        index = self.index(0, 0)
        for key in location:
            node = self._nodes[index.internalId()]
            value = node.value
            if isinstance(value, list) and isinstance(key, int) and not isinstance(key, bool):
                position = key if 0 <= key < len(value) else -1
            elif isinstance(value, dict) and isinstance(key, str) and key in value:
                position = self._position(value, key)
            else:
                return QModelIndex()
            if position < 0:
                return QModelIndex()
            index = self._descend(index, position)
        return index

    # -- Qt overrides ---------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Bounds checked here rather than with hasIndex(): views call this for every row laid out.
        if row < 0 or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row == 0 and self._nodes else QModelIndex()
        parent_id = parent.internalId()
        if parent.column() != 0 or row >= self._row_count(self._nodes[parent_id]):
            return QModelIndex()
        return self.createIndex(row, column, self._child_id(parent_id, row))

    def parent(self, index: ModelIndex) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self._nodes[index.internalId()]
        if node.parent < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[node.parent].row, 0, node.parent)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return 1 if self._nodes else 0
        if parent.column() > 0:
            return 0
        return self._row_count(self._nodes[parent.internalId()])

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self._node(index)
        if node is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1 and isinstance(node.value, str):
            return None if node.group else value_text(node.value, _TOOLTIP_CHARS)
        if role == LocationRole:
            return None if node.group else node.location
        if role == KindRole:
            return "group" if node.group else json_type(node.value)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        node = self._node(index)
        if node is None:
            return _NO_FLAGS
        return _GROUP_FLAGS if node.group else _NODE_FLAGS

    def mimeTypes(self) -> list[str]:
        return [LOCATION_MIME, "text/plain"]

    def mimeData(self, indexes: Any) -> QMimeData:
        for index in indexes:
            location = self.location(index)
            if location is not None:
                return location_mime_data(location)
        return QMimeData()

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    # -- internals ------------------------------------------------------------------------------
    def _clear_nodes(self) -> None:
        self._nodes = []
        self._keys = {}
        self._positions = {}

    def _node(self, index: ModelIndex) -> _Node | None:
        if not index.isValid() or index.model() is not self:
            return None
        node_id = index.internalId()
        return self._nodes[node_id] if 0 <= node_id < len(self._nodes) else None

    def _range(self, node: _Node) -> tuple[int, int]:
        """The slice of the container this node shows: all of it, or a group's part."""
        if node.group:
            return node.start, node.end
        value = node.value
        return (0, len(value)) if isinstance(value, dict | list) else (0, 0)

    def _span(self, size: int) -> int:
        """Children per group for ``size`` children (0 = no groups, the children themselves)."""
        if size <= self._group_size:
            return 0
        span = self._group_size
        while -(-size // span) > self._group_size:
            span *= self._group_size
        return span

    def _row_count(self, node: _Node) -> int:
        start, end = self._range(node)
        span = self._span(end - start)
        return end - start if span == 0 else -(-(end - start) // span)

    def _keys_of(self, value: dict[str, Any]) -> list[str]:
        keys = self._keys.get(id(value))
        if keys is None:
            keys = self._keys[id(value)] = list(value)
        return keys

    def _position(self, value: dict[str, Any], key: str) -> int:
        if len(value) <= self._group_size:
            return self._keys_of(value).index(key)
        positions = self._positions.get(id(value))
        if positions is None:
            positions = self._positions[id(value)] = {k: i for i, k in enumerate(self._keys_of(value))}
        return positions[key]

    def _child_id(self, parent_id: int, row: int) -> int:
        parent = self._nodes[parent_id]
        if parent.children is None:
            parent.children = {}
        child_id = parent.children.get(row)
        if child_id is None:
            child_id = len(self._nodes)
            self._nodes.append(self._make_child(parent_id, parent, row))
            parent.children[row] = child_id
        return child_id

    def _make_child(self, parent_id: int, parent: _Node, row: int) -> _Node:
        start, end = self._range(parent)
        container = parent.value
        span = self._span(end - start)
        if span:
            first = start + row * span
            last = min(end, first + span)
            return _Node(parent_id, row, None, container, parent.location, group=True, start=first, end=last)
        position = start + row
        if isinstance(container, list):
            return _Node(parent_id, row, position, container[position], (*parent.location, position))
        key = self._keys_of(container)[position]
        return _Node(parent_id, row, key, container[key], (*parent.location, key))

    def _descend(self, index: QModelIndex, position: int) -> QModelIndex:
        """From a container's index to its child at ``position``, through any groups."""
        node = self._nodes[index.internalId()]
        while True:
            start, end = self._range(node)
            span = self._span(end - start)
            if span == 0:
                return self.index(position - start, 0, index)
            index = self.index((position - start) // span, 0, index)
            node = self._nodes[index.internalId()]

    def _display(self, node: _Node, column: int) -> str:
        if node.group:
            container = node.value
            is_list = isinstance(container, list)
            if column == 0:
                opening, closing = ("[", "]") if is_list else ("{", "}")
                return f"{opening}{node.start} … {node.end - 1}{closing}"
            if column == 1:
                count = node.end - node.start
                if is_list:
                    return _plural(count, "item")
                keys = self._keys_of(container)
                return f"{_plural(count, 'key')}: {keys[node.start]} … {keys[node.end - 1]}"
            return "group"
        if column == 0:
            return _key_text(node.key)
        if column == 1:
            return value_text(node.value)
        return json_type(node.value)
