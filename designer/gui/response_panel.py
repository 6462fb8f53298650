"""The Response panel: what the merchant answered, as raw text beside a lazy JSON tree.

It observes ``Document.responseChanged`` and shows, for a test request, a file or pasted text:
a status summary; the error in words (an HTML sign-in page, invalid JSON, an anti-XSSI prefix
with a button that stores the strip rule); notes (wrong content type, duplicate keys, NaN);
headers and redirects in a second tab. Selecting a node shows its JSONPath (RFC 9535 normalized
form) with a Copy button. The panel never edits the mapping itself: it emits ``mapRequested``,
``recordsPathRequested`` and ``nodeSelected`` (and the tree is a drag source), and the window
connects those to the mapper.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from designer.gui.document import Document, ResponseState
from designer.gui.json_tree_model import JsonTreeModel, format_count
from designer.gui.location_mime import Location
from designer.gui.raw_view import RawView
from designer.gui.response_sources import ResponseSources
from designer.gui.response_text import describe_summary, error_messages, headers_text

__all__ = ["ResponsePanel"]

EMPTY_HINT = (
    "Press <b>Send</b> to see the merchant's answer here,<br>or open a saved response "
    "(<b>File ▸ Open Response…</b>) or paste one."
)
BUSY_HINT = "Waiting for the merchant's answer…"
ERROR_STYLE = (
    "QFrame#responseErrorBanner { background: #fdecea; border: 1px solid #f5c2c0; border-radius: 3px; }"
    " QLabel { color: #8b1a1a; }"
)
NOTES_STYLE = (
    "background: #fff4e5; color: #6b4500; border: 1px solid #f3d9a4; border-radius: 3px; padding: 3px;"
)
COPY_VALUE_LIMIT = 20_000  # children; copying a bigger container would stall the window


class ResponsePanel(QWidget):
    nodeSelected = Signal(object)  # Location: the tree node the user selected
    mapRequested = Signal(object, str)  # Location, Customer field ("name", "balance.balance", ...)
    recordsPathRequested = Signal(object)  # Location of the array/object to use as the record list

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("responsePanel")
        self._document = document
        self.sources = ResponseSources(document, self)
        self.model = JsonTreeModel(self)
        self._build()
        self.sources.largeLoaded.connect(self._on_sources_large_loaded)
        document.responseChanged.connect(self._on_document_response_changed)
        document.busyChanged.connect(self._on_document_busy_changed)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu_requested)
        self.copy_path_button.clicked.connect(self._on_copy_path_button_clicked)
        self.strip_button.clicked.connect(self._on_strip_button_clicked)
        self.addAction(self.raw_view.find_action)  # Ctrl+F from anywhere in the panel
        self._on_document_response_changed()

    # -- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        self._build_banners()
        self.raw_view = RawView()
        self._build_tree_side()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("responseSplitter")
        self.splitter.addWidget(self.raw_view)
        self.splitter.addWidget(self.tree_stack)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.headers_view = QPlainTextEdit()
        self.headers_view.setObjectName("responseHeaders")
        self.headers_view.setReadOnly(True)
        self.headers_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("responseTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, "Body")
        self.tabs.addTab(self.headers_view, "Headers")

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(4)
        content_layout.addWidget(self.summary_label)
        content_layout.addWidget(self.error_banner)
        content_layout.addWidget(self.notes_label)
        content_layout.addWidget(self.tabs, 1)
        self.stack = QStackedWidget()
        self.stack.setObjectName("responseStack")
        self.stack.addWidget(self._build_empty_state())
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        title = QLabel("<b>Response</b>")
        title.setObjectName("responseTitle")
        layout.addWidget(title)
        layout.addWidget(self.stack, 1)

    def _build_banners(self) -> None:
        self.summary_label = QLabel()
        self.summary_label.setObjectName("responseSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_banner = QFrame()
        self.error_banner.setObjectName("responseErrorBanner")
        self.error_banner.setStyleSheet(ERROR_STYLE)
        self.error_label = QLabel()
        self.error_label.setObjectName("responseErrorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.strip_button = QPushButton()
        self.strip_button.setObjectName("stripPrefixButton")
        self.strip_button.setToolTip("Store the rule in the config, so the runtime strips the prefix too")
        banner = QHBoxLayout(self.error_banner)
        banner.setContentsMargins(6, 4, 6, 4)
        banner.addWidget(self.error_label, 1)
        banner.addWidget(self.strip_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.notes_label = QLabel()
        self.notes_label.setObjectName("responseNotes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(NOTES_STYLE)

    def _build_tree_side(self) -> None:
        self.tree = QTreeView()
        self.tree.setObjectName("responseTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)  # the view then never measures every row
        self.tree.setAlternatingRowColors(True)
        self.tree.setIndentation(14)  # deep records keep room for their key names
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setToolTip("Right-click a node to map it to a Customer field, or drag it onto the mapper")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 170)
        header.resizeSection(2, 64)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("nodePathEdit")
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Select a node to see its JSONPath")
        self.path_edit.setToolTip("The JSONPath of the selected node (RFC 9535 normalized form)")
        self.copy_path_button = QToolButton()
        self.copy_path_button.setObjectName("copyPathButton")
        self.copy_path_button.setText("Copy")
        self.copy_path_button.setToolTip("Copy the JSONPath to the clipboard")
        self.copy_path_button.setEnabled(False)
        path_row = QHBoxLayout()
        path_row.setContentsMargins(0, 0, 0, 0)
        path_caption = QLabel("Path:")
        path_row.addWidget(path_caption)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.copy_path_button)
        tree_page = QWidget()
        tree_layout = QVBoxLayout(tree_page)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.setSpacing(2)
        tree_layout.addWidget(self.tree, 1)
        tree_layout.addLayout(path_row)
        self.tree_hint = QLabel()
        self.tree_hint.setObjectName("responseTreeHint")
        self.tree_hint.setWordWrap(True)
        self.tree_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tree_hint.setStyleSheet("color: palette(placeholder-text); padding: 12px;")
        self.tree_stack = QStackedWidget()
        self.tree_stack.setObjectName("responseTreeStack")
        self.tree_stack.addWidget(tree_page)
        self.tree_stack.addWidget(self.tree_hint)

    def _build_empty_state(self) -> QWidget:
        page = QWidget()
        page.setObjectName("responseEmptyState")
        self.empty_hint = QLabel(EMPTY_HINT)
        self.empty_hint.setObjectName("responseEmptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text); font-size: 11pt;")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for action, name in (
            (self.sources.open_action, "emptyOpenButton"),
            (self.sources.paste_action, "emptyPasteButton"),
        ):
            button = QToolButton()
            button.setObjectName(name)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.empty_hint)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return page

    # -- public ---------------------------------------------------------------------------------
    def select_location(self, location: Location) -> bool:
        """Select and show the tree node at ``location`` (expanding its ancestors)."""
        index = self.model.index_for_location(tuple(location))
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.tree.scrollTo(index)
        return True

    def node_menu(self, index: QModelIndex) -> QMenu | None:
        """The context menu for a tree node (None where there is no node)."""
        if not index.isValid():
            return None
        from designer.core.customer import CUSTOMER_FIELDS, REQUIRED_FIELDS  # noqa: PLC0415

        location = self.model.location(index)
        container = self.model.container_location(index)
        value = self.model.value(index)
        menu = QMenu(self)
        menu.setObjectName("responseNodeMenu")
        if location is not None:
            map_menu = menu.addMenu("Map to")
            map_menu.setObjectName("mapToMenu")
            for field in CUSTOMER_FIELDS:
                label = f"{field} (required)" if field in REQUIRED_FIELDS else field
                action = map_menu.addAction(label)
                action.setData(field)
                action.triggered.connect(
                    lambda _checked=False, f=field, loc=location: self.mapRequested.emit(loc, f)
                )
            menu.addSeparator()
            copy_path = menu.addAction("Copy path")
            copy_path.triggered.connect(lambda _checked=False, loc=location: self._copy_path(loc))
            copy_value = menu.addAction("Copy value")
            too_big = isinstance(value, dict | list) and len(value) > COPY_VALUE_LIMIT
            copy_value.setEnabled(not too_big)
            if too_big:
                copy_value.setText(f"Copy value (more than {format_count(COPY_VALUE_LIMIT)} items)")
            copy_value.triggered.connect(lambda _checked=False, v=value: _copy_text(_value_for_clipboard(v)))
        if container is not None and isinstance(value, dict | list):
            menu.addSeparator()
            records = menu.addAction("Use as records list")
            records.setToolTip("Each element (or member) of this node is one customer record")
            records.triggered.connect(
                lambda _checked=False, loc=container: self.recordsPathRequested.emit(loc)
            )
        return menu

    # -- slots ----------------------------------------------------------------------------------
    def _on_document_response_changed(self) -> None:
        state = self._document.response
        if state is None:
            self.stack.setCurrentIndex(0)
            self.model.clear()
            self.raw_view.show_body(None)
            self._set_path(None)
            return
        self.stack.setCurrentIndex(1)
        decoded = state.decoded
        self.summary_label.setText(describe_summary(state))
        self._show_problems(state)
        self.raw_view.show_body(decoded)
        headers, count = headers_text(state)
        self.headers_view.setPlainText(headers)
        self.tabs.setTabText(1, f"Headers ({count})" if count else "Headers")
        self._set_path(None)
        if decoded is not None and decoded.ok:
            self.model.set_document(decoded.document)
            self.tree_stack.setCurrentIndex(0)
            self._expand_start()
        else:
            self.model.clear()
            self.tree_hint.setText(_tree_hint(state))
            self.tree_stack.setCurrentIndex(1)

    def _on_document_busy_changed(self, busy: bool) -> None:
        self.empty_hint.setText(BUSY_HINT if busy else EMPTY_HINT)

    def _show_problems(self, state: ResponseState) -> None:
        messages = error_messages(state)
        decoded = state.decoded
        prefix = decoded.detected_prefix if decoded is not None else None
        self.error_label.setText("\n".join(messages))
        self.error_banner.setVisible(bool(messages))
        self.strip_button.setVisible(prefix is not None)
        if prefix is not None:
            self.strip_button.setText(f"Strip prefix {prefix}")
        notes = list(decoded.notes) if decoded is not None else []
        if state.exchange is not None:
            notes.extend(n for n in state.exchange.notes if n not in notes)
        self.notes_label.setText("\n".join(f"• {note}" for note in notes))
        self.notes_label.setVisible(bool(notes))

    def _expand_start(self) -> None:
        """Open the way to the first record: the document, a one-member wrapper such as
        {"customers": [...]}, and the first element of the list, so fields show at once."""
        target = self.model.index(0, 0)
        self.tree.expand(target)
        if self.model.rowCount(target) == 1:
            target = self.model.index(0, 0, target)
            self.tree.expand(target)
        if isinstance(self.model.value(target), list) and self.model.rowCount(target) > 0:
            first = self.model.index(0, 0, target)
            if not self.model.is_group(first):
                self.tree.expand(first)

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        location = self.model.location(current)
        if location is not None:
            self._set_path(location)
            self.nodeSelected.emit(location)
            return
        container = self.model.container_location(current)
        self._set_path(container, group=current if container is not None else None)

    def _on_tree_context_menu_requested(self, position: QPoint) -> None:
        index = self.tree.indexAt(position)
        menu = self.node_menu(index)
        if menu is None:
            return
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        menu.exec(self.tree.viewport().mapToGlobal(position))
        menu.deleteLater()

    def _on_copy_path_button_clicked(self) -> None:
        if self.path_edit.text():
            _copy_text(self._path_text)

    def _on_strip_button_clicked(self) -> None:
        state = self._document.response
        prefix = state.decoded.detected_prefix if state is not None and state.decoded is not None else None
        if prefix:
            self._document.set_strip_prefix(prefix)

    def _on_sources_large_loaded(self, text: str) -> None:
        if self._document.response is not None:
            self.summary_label.setText(f"{describe_summary(self._document.response)}\n{text}")

    # -- internals ------------------------------------------------------------------------------
    _path_text = ""

    def _set_path(self, location: Location | None, *, group: QModelIndex | None = None) -> None:
        if location is None:
            self._path_text = ""
            self.path_edit.clear()
            self.copy_path_button.setEnabled(False)
            return
        from designer.core.jsonpath import normalized_path  # noqa: PLC0415  (jsonpath-ng is heavy)

        self._path_text = normalized_path(location)
        shown = self._path_text
        if group is not None:
            shown += f"  (items {self.model.data(group)})"
        self.path_edit.setText(shown)
        self.path_edit.setCursorPosition(0)
        self.copy_path_button.setEnabled(True)

    def _copy_path(self, location: Location) -> None:
        from designer.core.jsonpath import normalized_path  # noqa: PLC0415

        _copy_text(normalized_path(location))


def _tree_hint(state: ResponseState) -> str:
    decoded = state.decoded
    if decoded is None or not (decoded.text or "").strip():
        return "The response has no body, so there is no JSON tree."
    return "No JSON tree: the body is not JSON (see the message above). The text as received is on the left."


def _value_for_clipboard(value: Any) -> str:
    """A string as its text, anything else as exact JSON (NaN stays its literal)."""
    from designer.core.jsonio import dumps_exact  # noqa: PLC0415
    from designer.gui.json_tree_model import value_text  # noqa: PLC0415

    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        try:
            return dumps_exact(value, indent=2)
        except (ValueError, TypeError, RecursionError):
            return json.dumps(value, default=str, ensure_ascii=False)
    return value_text(value)


def _copy_text(text: str) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)
