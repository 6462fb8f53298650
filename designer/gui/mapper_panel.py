"""The field mapper: one row per Customer field; map by pointing, dropping or typing.

Pointing: the window forwards the response tree's selection (:meth:`MapperPanel.select_location`)
and map requests (:meth:`MapperPanel.map_location`); a node dragged from the tree can be
dropped on a row. The core writes the paths (records path detected from the clicked node, field
path relative to the record); every edit is one undo step on the Document. When the node lies
in a nested list (addresses), a bar offers *which element*: by position or by a condition on a
sibling key (``default == true``). Run alone on a sample: ``python -m designer.gui.mapper_panel
samples/x.json response.json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QFontDatabase, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.core.config import FieldMapping
from designer.core.customer import CUSTOMER_FIELDS
from designer.core.jsonpath import Location, RecordsCandidate, normalized_path, record_path_candidates
from designer.core.mapping import map_record
from designer.core.record_numbers import record_label, record_number
from designer.gui.column_fit import Column, FittedTableView
from designer.gui.document import Document
from designer.gui.element_choices import ElementChoice, element_choices
from designer.gui.field_editor import FieldEditor
from designer.gui.mapper_delegate import ExpressionDelegate, is_revert
from designer.gui.mapper_model import EXPRESSION, FIELD, STATUS, VALUE, MapperModel
from designer.gui.mapper_state import RecordsCache, display_value, snapshot
from designer.gui.point_mapping import PointRefused, plan_point, record_of
from designer.gui.records_path_bar import RecordsPathBar

__all__ = ["MapperPanel"]

_MAX_CHOICES = 8
#: Below these the Expression and Value columns stop shrinking (the table scrolls sideways).
EXPRESSION_MIN_CHARS, VALUE_MIN_CHARS = 18, 11


class _MapperTable(FittedTableView):
    """F2 edits the current row's path whatever cell is current; several paths open the editor."""

    def __init__(self, panel: MapperPanel) -> None:
        super().__init__()
        self._panel = panel

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if event.key() == Qt.Key.Key_F2 and index.isValid() and self.state() != self.State.EditingState:
            self._panel.edit_row(index.row())
            return
        super().keyPressEvent(event)


class MapperPanel(QWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapperPanel")
        self._document = document
        self._cache = RecordsCache()
        self._selected: Location | None = None
        self._notice = ""
        #: (field, index of the path in its mapping, choices) for the "which element" bar.
        self._element: tuple[str, int, list[ElementChoice]] | None = None
        self._editor: FieldEditor | None = None
        self.model = MapperModel(document, self)
        self.records_bar = RecordsPathBar(document)
        self._build()
        self.model.locationDropped.connect(self._on_model_location_dropped)
        document.configChanged.connect(self.refresh)
        document.responseChanged.connect(self._on_document_response_changed)
        document.selectedRecordChanged.connect(self.refresh)
        self.refresh()

    # -- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.problem_label = QLabel()
        self.problem_label.setObjectName("expressionProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b3261e;")
        self.problem_label.hide()
        self.message_label = QLabel()
        self.message_label.setObjectName("mapperMessage")
        self.message_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(self._build_header())
        layout.addWidget(self.records_bar)
        layout.addWidget(self._build_table(), 1)
        layout.addWidget(self._build_element_bar())
        layout.addLayout(self._build_pointing_row())
        layout.addWidget(self.problem_label)
        layout.addWidget(self.message_label)

    def _build_header(self) -> QHBoxLayout:
        title = QLabel("<b>Field mapper</b>")
        self.map_button = QToolButton()
        self.map_button.setObjectName("mapSelectedButton")
        self.map_button.setText("Map selected node to ▸")
        self.map_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.map_menu = QMenu(self.map_button)
        self.map_menu.setObjectName("mapSelectedMenu")
        append_menu = QMenu("Add as another path of ▸", self.map_menu)
        for field in CUSTOMER_FIELDS:
            action = self.map_menu.addAction(field)
            action.triggered.connect(lambda _c=False, f=field: self._map_selected(f, append=False))
            extra = append_menu.addAction(field)
            extra.triggered.connect(lambda _c=False, f=field: self._map_selected(f, append=True))
        self.map_menu.addSeparator()
        self.map_menu.addMenu(append_menu)
        self.map_button.setMenu(self.map_menu)
        self.edit_button = QToolButton()
        self.edit_button.setText("Edit…")
        self.edit_button.setObjectName("editFieldButton")
        self.edit_button.setToolTip("Paths, join, default value and transforms of the selected field")
        self.edit_button.clicked.connect(lambda: self.edit_row(self._current_row(), dialog=True))
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Remove the selected field's mapping")
        self.clear_button.setObjectName("clearFieldButton")
        self.clear_button.clicked.connect(lambda: self.clear_field(CUSTOMER_FIELDS[self._current_row()]))
        self.selected_label = QLabel()
        self.selected_label.setObjectName("selectedNodeLabel")
        self.selected_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long path must not widen the panel (the window has to fit small screens).
        self.selected_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.edit_button)
        header.addWidget(self.clear_button)
        return header

    def _build_pointing_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.map_button)
        row.addWidget(self.selected_label, 1)
        return row

    def _build_table(self) -> QTableView:
        self.table = _MapperTable(self)
        self.table.setObjectName("mapperTable")
        self.table.setModel(self.model)
        self.delegate = ExpressionDelegate(self.table)
        self.table.setItemDelegateForColumn(EXPRESSION, self.delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setAcceptDrops(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.table.setDragDropOverwriteMode(True)
        self.table.setDropIndicatorShown(True)
        self.table.setWordWrap(False)
        # Paths differ at both ends ($['addresses'][…]['city']): keep both visible when narrow.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header_view = self.table.horizontalHeader()
        header_view.setMinimumSectionSize(24)
        for section in (FIELD, EXPRESSION, VALUE):
            header_view.setSectionResizeMode(section, QHeaderView.ResizeMode.Interactive)
        header_view.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Fixed)
        self.table.columns = _columns(self.table)
        self.table.fit_columns()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectRow(0)
        self.delegate.problemChanged.connect(self._on_delegate_problem_changed)
        self.delegate.closeEditor.connect(self._on_delegate_close_editor)
        return self.table

    def _build_element_bar(self) -> QWidget:
        self.element_bar = QWidget()
        self.element_bar.setObjectName("elementChoiceBar")
        self.element_label = QLabel()
        self.element_label.setObjectName("elementChoiceLabel")
        self.element_label.setWordWrap(True)
        self.element_combo = QComboBox()
        self.element_combo.setObjectName("elementChoiceCombo")
        self.element_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.element_combo.setMinimumContentsLength(12)
        self.element_combo.activated.connect(self._on_element_combo_activated)
        bar = QHBoxLayout(self.element_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.element_label)
        bar.addWidget(self.element_combo, 1)
        self.element_bar.hide()
        return self.element_bar

    def readable_width(self) -> int:
        """The narrowest width at which every column keeps its minimum (narrower: it scrolls)."""
        layout = self.layout()
        margins = layout.contentsMargins().left() + layout.contentsMargins().right() if layout else 0
        return self.table.minimum_fit_width() + margins

    # -- the response ---------------------------------------------------------------------------
    def _document_value(self) -> tuple[bool, Any]:
        """(whether a parsed response is there, its document)."""
        response = self._document.response
        decoded = response.decoded if response is not None else None
        if decoded is None or decoded.error is not None:
            return False, None
        return True, decoded.document

    def _records(self) -> list[Any]:
        has, document = self._document_value()
        return self._cache.records(self._document.config.response, document)[0] if has else []

    # -- public: pointing -----------------------------------------------------------------------
    def select_location(self, location: Sequence[str | int]) -> None:
        """A node was selected in the response tree: remember it, select its record."""
        self._selected = tuple(location)
        self._notice = ""
        has, document = self._document_value()
        candidates = []
        if has:
            spec = self._document.config.response
            held = record_of(
                spec.records_path,
                document,
                self._selected,
                single_object_is_record=spec.single_object_is_record,
            )
            if held is not None:
                self._document.set_selected_record(held[0])
            candidates = _candidates(document, self._selected)
        self.records_bar.set_candidates(candidates)
        self.refresh()

    def map_location(self, location: Sequence[str | int], field: str, *, append: bool = False) -> bool:
        """Map the node at ``location`` to ``field`` as one undo step; False (with a message) if not."""
        has, document = self._document_value()
        self._selected = tuple(location)
        if not has:
            self._notice = "There is no parsed response to map from: press Send or open a response first."
            self.refresh()
            return False
        spec = self._document.config.response
        try:
            plan = plan_point(spec, document, location, field, append=append)
        except PointRefused as refusal:
            self._notice = str(refusal)
            self.refresh()
            return False
        except (KeyError, IndexError, TypeError):
            self._notice = f"{normalized_path(tuple(location))} is not in the current response."
            self.refresh()
            return False
        self._notice = ""
        self.records_bar.set_candidates(_candidates(document, plan.record_location + plan.relative))
        records_path = plan.records_path if plan.records_path != spec.records_path else None
        self._document.end_merge()
        self._document.set_mapping(field, plan.mapping, records_path=records_path, text=f"Map {field}")
        self._document.end_merge()
        if plan.record_index is not None:
            self._document.set_selected_record(plan.record_index)
        self._offer_elements(field, plan.mapping.paths.index(plan.field_path), plan.relative)
        self.table.selectRow(CUSTOMER_FIELDS.index(field))
        self.refresh()
        return True

    def use_records_at(self, location: Sequence[str | int]) -> None:
        """Use the list (or object of records) at ``location`` as the records, one undo step."""
        self._document.end_merge()
        self._document.set_records_path(normalized_path(tuple(location)) + "[*]")
        self._document.end_merge()

    def clear_field(self, field: str) -> None:
        self._document.set_mapping(field, None, text=f"Clear mapping of {field}")

    def edit_row(self, row: int, *, dialog: bool = False) -> None:
        """Edit a row's path in place, or in the row editor when it has several paths."""
        if not dialog and self.model.inline_editable(row):
            index = self.model.index(row, EXPRESSION)
            self.table.setCurrentIndex(index)
            self.table.edit(index)
        else:
            self.open_field_editor(CUSTOMER_FIELDS[row])

    def open_field_editor(self, field: str) -> FieldEditor:
        """Open the row editor for ``field`` (window-modal, not blocking); OK applies one undo step."""
        if self._editor is not None:
            self._editor.close()
        editor = FieldEditor(
            field,
            self._document.config.response.fields.get(field),
            preview=lambda mapping: self._preview_text(field, mapping),
            selected_path=lambda: self._selected_field_path(field),
            parent=self,
        )
        editor.accepted.connect(lambda: self._on_editor_accepted(editor))
        editor.finished.connect(lambda _result: self._forget_editor(editor))
        self._editor = editor
        editor.open()
        return editor

    # -- refresh --------------------------------------------------------------------------------
    def refresh(self, *_args: object) -> None:
        has, document = self._document_value()
        snap = snapshot(
            self._document.config.response,
            document,
            has_document=has,
            selected=self._document.selected_record,
            cache=self._cache,
        )
        self.model.set_snapshot(snap)
        self.records_bar.refresh(snap.record_count)
        self.map_button.setEnabled(self._selected is not None and has)
        self.map_button.setToolTip(
            "Assign the node selected in the response tree to a Customer field"
            if self._selected is not None
            else "Select a node in the response tree first"
        )
        path = normalized_path(self._selected) if self._selected else ""
        self.selected_label.setText(f"Selected: {path}" if path else "Select a node in the response tree")
        self.selected_label.setToolTip(path)
        self._refresh_element_bar()
        self._show_message(snap.record_count, snap.record_index, snap.records_problem)

    def _show_message(self, count: int | None, index: int | None, problem: str | None) -> None:
        response = self._document.response
        decoded = response.decoded if response is not None else None
        if self._notice:
            text, warn = self._notice, True
        elif response is None:
            text, warn = "No response yet — press Send (or open a saved response), then click a node.", False
        elif decoded is None or decoded.error is not None:
            reason = decoded.error.message if decoded is not None and decoded.error else "no body"
            text, warn = f"Nothing to map: {reason}", True
        elif problem:
            text, warn = f"No records found: {problem}", True
        else:
            shown = ""
            if index is not None:
                shown = f"Showing record {record_number(index)} of {count} ([{index}] in the tree). "
            text = shown + "Click a node in the tree, then Map selected node to ▸ — or drag it onto a row."
            warn = False
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #8a4b00;" if warn else "")

    # -- which element --------------------------------------------------------------------------
    def _offer_elements(self, field: str, path_index: int, relative: Location) -> None:
        self._element = None
        if not any(isinstance(key, int) for key in relative):
            return
        records = self._records()
        index = self._document.selected_record
        if not 0 <= index < len(records):
            return
        choices = element_choices(records[index], relative, records)[:_MAX_CHOICES]
        if len(choices) > 1:
            self._element = (field, path_index, choices)

    def _refresh_element_bar(self) -> None:
        context = self._element
        mapping = self._document.config.response.fields.get(context[0]) if context else None
        if context is None or mapping is None or len(mapping.paths) <= context[1]:
            self._element = None
            self.element_bar.hide()
            return
        field, path_index, choices = context
        current = mapping.paths[path_index]
        paths = [c.path for c in choices]
        if current not in paths:
            self._element = None
            self.element_bar.hide()
            return
        self.element_combo.blockSignals(True)
        self.element_combo.clear()
        for choice in choices:
            self.element_combo.addItem(f"{choice.label} — fits {choice.matches} of {choice.sampled} records")
        self.element_combo.setCurrentIndex(paths.index(current))
        self.element_combo.blockSignals(False)
        self.element_label.setText(f"{field} takes:")
        self.element_label.setToolTip(f"Which element of the nested list {field} takes")
        self.element_bar.show()

    def _on_element_combo_activated(self, position: int) -> None:
        if self._element is None:
            return
        field, path_index, choices = self._element
        mapping = self._document.config.response.fields.get(field)
        if mapping is None or not 0 <= position < len(choices):
            return
        paths = list(mapping.paths)
        paths[path_index] = choices[position].path
        self._document.set_mapping(
            field, mapping.model_copy(update={"paths": paths}), text=f"Pick the element for {field}"
        )

    # -- helpers for the row editor -------------------------------------------------------------
    def _preview_text(self, field: str, mapping: FieldMapping) -> str:
        records = self._records()
        if not records:
            return "No record to preview yet (send a test search or open a response)."
        index = min(self._document.selected_record, len(records) - 1)
        spec = self._document.config.response
        fields = {**spec.fields, field: mapping}
        if mapping.is_empty():
            fields.pop(field)
        trial = spec.model_copy(update={"fields": fields})
        result = map_record(trial, records[index], index)
        problems = [d.message for d in result.diagnostics if d.field == field]
        value = result.values.get(field)
        where = record_label(index)
        if problems:
            return f"{where}: {'; '.join(problems)}"
        if value is None:
            return f"{where}: nothing found (the field is left out)"
        return f"{where}: {display_value(value)}"

    def _selected_field_path(self, field: str) -> str | None:
        has, document = self._document_value()
        if not has or self._selected is None:
            return None
        spec = self._document.config.response
        try:
            plan = plan_point(spec, document, self._selected, field, append=True)
        except (PointRefused, KeyError, IndexError, TypeError):
            return None
        return plan.field_path if plan.records_path == spec.records_path else None

    def _on_editor_accepted(self, editor: FieldEditor) -> None:
        self._document.end_merge()
        self._document.set_mapping(editor.field, editor.mapping(), text=f"Edit {editor.field}")

    def _forget_editor(self, editor: FieldEditor) -> None:
        if self._editor is editor:
            self._editor = None
        editor.deleteLater()

    # -- slots ----------------------------------------------------------------------------------
    def _current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else 0

    def _map_selected(self, field: str, *, append: bool) -> None:
        if self._selected is not None:
            self.map_location(self._selected, field, append=append)

    def _on_model_location_dropped(self, location: Location, field: str) -> None:
        self.select_location(location)
        self.map_location(location, field)

    def _on_document_response_changed(self) -> None:
        self._selected = None
        self._element = None
        self._notice = ""
        self.records_bar.set_candidates([])
        self.refresh()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.column() != EXPRESSION or not self.model.inline_editable(index.row()):
            self.open_field_editor(CUSTOMER_FIELDS[index.row()])

    def _on_table_context_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        field = CUSTOMER_FIELDS[index.row()]
        menu = QMenu(self)
        menu.setObjectName("mapperContextMenu")
        menu.addAction("Edit…", lambda: self.open_field_editor(field))
        mapped = field in self._document.config.response.fields
        menu.addAction("Clear mapping", lambda: self.clear_field(field)).setEnabled(mapped)
        if self._selected is not None:
            menu.addSeparator()
            menu.addAction(f"Map selected node to {field}", lambda: self._map_selected(field, append=False))
            menu.addAction(
                f"Add selected node as another path of {field}",
                lambda: self._map_selected(field, append=True),
            )
        menu.popup(self.table.viewport().mapToGlobal(point))

    def _on_delegate_problem_changed(self, problem: str) -> None:
        self.problem_label.setText(f"Not a valid path (press Escape to cancel): {problem}" if problem else "")
        self.problem_label.setVisible(bool(problem))

    def _on_delegate_close_editor(self, _editor: QWidget, hint: Any) -> None:
        if is_revert(hint):
            self.model.clear_draft(CUSTOMER_FIELDS[self._current_row()])


def _columns(table: QTableView) -> list[Column]:
    """Field as wide as its longest name; Expression and Value share the rest, never collapsing."""
    bold = table.font()
    bold.setBold(True)
    plain = table.fontMetrics()
    mono = QFontMetrics(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    field = QFontMetrics(bold).horizontalAdvance("identifier (required)") + 16
    expression = mono.averageCharWidth() * EXPRESSION_MIN_CHARS + 12
    # At least as wide as its header, "Record 1 of 10", which says whose values these are.
    header = table.horizontalHeader().fontMetrics().horizontalAdvance("Record 1 of 10") + 16
    value = max(plain.averageCharWidth() * VALUE_MIN_CHARS + 12, header)
    return [
        Column(field, field),  # "identifier (required)" whole: elided, it reads like a different field
        Column(expression, expression, weight=3),
        Column(28, 28),
        Column(value, max(value, 130), weight=2),
    ]


def _candidates(document: Any, location: Location) -> list[RecordsCandidate]:
    try:
        return record_path_candidates(document, location)
    except (KeyError, IndexError, TypeError):
        return []  # a location from another response


def _main() -> int:  # pragma: no cover - a manual tool
    import sys  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from designer.core.decode import decode_body  # noqa: PLC0415
    from designer.core.project_io import load_config  # noqa: PLC0415
    from designer.gui.document import ResponseState  # noqa: PLC0415

    app = QApplication(sys.argv)
    document = Document(load_config(Path(sys.argv[1])) if len(sys.argv) > 1 else None)
    if len(sys.argv) > 2:
        body = Path(sys.argv[2]).read_bytes()
        decoded = decode_body(body, "application/json", document.config.response.strip_prefix)
        document.set_response(ResponseState(None, decoded, f"file:{sys.argv[2]}"))
    panel = MapperPanel(document)
    panel.resize(900, 520)
    panel.show()
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
