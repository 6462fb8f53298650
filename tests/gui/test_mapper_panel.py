"""The field mapper panel, driven as a user would: point, drop, type, edit rows, undo/redo."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QApplication, QDialogButtonBox, QPushButton, QToolButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from designer.core.config import FieldMapping, LookupConfig, ResponseSpec
from designer.core.customer import CUSTOMER_FIELDS
from designer.gui.document import Document
from designer.gui.field_editor import FieldEditor
from designer.gui.location_mime import location_mime_data
from designer.gui.mapper_model import EXPRESSION, STATUS, STATUS_ROLE, VALUE
from designer.gui.mapper_panel import MapperPanel
from designer.gui.path_edit import PathEdit
from tests.gui.mapping_samples import CUSTOMERS, document_with
from tests.gui.qt_helpers import choose_from_popup, find


@pytest.fixture
def doc() -> Document:
    return document_with()


@pytest.fixture
def panel(qtbot: QtBot, doc: Document) -> Iterator[MapperPanel]:
    widget = MapperPanel(doc)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    if widget._editor is not None:
        widget._editor.reject()


def _cell(panel: MapperPanel, field: str, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return panel.model.index(CUSTOMER_FIELDS.index(field), column).data(role)


def _fields(doc: Document) -> dict[str, FieldMapping]:
    return doc.config.response.fields


# -- the model --------------------------------------------------------------------------------


def test_model_contract_with_and_without_a_response(qtmodeltester: ModelTester, qtbot: QtBot) -> None:
    for document in (Document(), document_with()):
        widget = MapperPanel(document)
        qtbot.addWidget(widget)
        widget.map_location(("customers", 0, "email"), "email")
        qtmodeltester.check(widget.model)


def test_one_row_per_customer_field_identifier_marked_required(panel: MapperPanel) -> None:
    shown = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert shown[0] == "identifier (required)"
    assert shown[1:] == list(CUSTOMER_FIELDS[1:])
    assert "balance.identifier" in shown and "balance.balance" in shown
    assert _cell(panel, "identifier", STATUS, STATUS_ROLE) == "error"  # required and not mapped
    assert "required" in _cell(panel, "identifier", STATUS, Qt.ItemDataRole.ToolTipRole)
    assert _cell(panel, "name", STATUS, STATUS_ROLE) == "not mapped"


# -- pointing -----------------------------------------------------------------------------------


def test_map_location_detects_the_records_in_one_undo_step(panel: MapperPanel, doc: Document) -> None:
    assert panel.map_location(("customers", 2, "email"), "email")
    assert doc.config.response.records_path == "$['customers'][*]"
    assert _fields(doc)["email"].paths == ["$['email']"]
    assert doc.undo_stack.count() == 1
    assert doc.selected_record == 2  # the clicked node's record is the one shown
    assert _cell(panel, "email", VALUE) == "soren@example.dk"
    assert _cell(panel, "email", STATUS, STATUS_ROLE) == "ok"
    assert panel.model.headerData(VALUE, Qt.Orientation.Horizontal) == "Record 3 of 3"
    doc.undo_stack.undo()
    assert doc.config.response.records_path == "$" and "email" not in _fields(doc)
    assert _cell(panel, "email", EXPRESSION) == ""
    doc.undo_stack.redo()
    assert doc.config.response.records_path == "$['customers'][*]" and "email" in _fields(doc)
    assert find(panel, QToolButton, "editFieldButton").isEnabled()


def test_select_location_selects_the_record_and_the_map_button_maps(
    panel: MapperPanel, doc: Document
) -> None:
    assert not panel.map_button.isEnabled()
    panel.select_location(("customers", 1, "last_name"))
    assert doc.selected_record == 0  # records path "$" is the default: the document is the one record
    panel.map_location(("customers", 0, "id"), "identifier")
    panel.select_location(("customers", 1, "last_name"))
    assert doc.selected_record == 1
    assert panel.map_button.isEnabled()
    assert "$['customers'][1]['last_name']" in panel.selected_label.text()
    choose_from_popup("name")
    panel.map_button.click()
    assert _fields(doc)["name"].paths == ["$['last_name']"]
    assert _cell(panel, "name", VALUE) == "Holm"


def test_records_candidates_of_the_clicked_node_with_counts(panel: MapperPanel, doc: Document) -> None:
    panel.select_location(("customers", 0, "addresses", 1, "city"))
    texts = [a.text() for a in panel.records_bar.candidates_menu.actions()]
    assert texts[0].startswith("$['customers'][*]") and "3 records (list)" in texts[0]
    assert texts[1].startswith("$['customers'][*]['addresses'][*]") and "5 records" in texts[1]
    assert texts[2].startswith("$ ") and "1 record (single object)" in texts[2]
    panel.records_bar.candidates_menu.actions()[1].trigger()
    assert doc.config.response.records_path == "$['customers'][*]['addresses'][*]"
    assert panel.records_bar.count_label.text() == "5 records"


def test_a_node_outside_the_records_is_refused_with_a_message(qtbot: QtBot) -> None:
    doc = document_with({**CUSTOMERS, "meta": {"note": "page 1"}})
    panel = MapperPanel(doc)
    qtbot.addWidget(panel)
    panel.map_location(("customers", 0, "id"), "identifier")
    before = doc.config
    assert not panel.map_location(("meta", "note"), "additional_info")
    assert doc.config == before
    assert "outside the records" in panel.message_label.text()


def test_without_a_response_pointing_says_what_to_do(qtbot: QtBot) -> None:
    panel = MapperPanel(Document())
    qtbot.addWidget(panel)
    assert "No response yet" in panel.message_label.text()
    assert not panel.map_location(("customers", 0, "id"), "identifier")
    assert "press Send" in panel.message_label.text()


# -- drag and drop ---------------------------------------------------------------------------------


def _drop(panel: MapperPanel, field: str, mime: QMimeData) -> QDropEvent:
    """Deliver a drag over the row's expression cell and drop it, as a drag from the tree does."""
    view = panel.table
    row = CUSTOMER_FIELDS.index(field)
    view.scrollTo(panel.model.index(row, EXPRESSION))
    pos = view.visualRect(panel.model.index(row, EXPRESSION)).center()
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    action = Qt.DropAction.CopyAction
    QApplication.sendEvent(view.viewport(), QDragEnterEvent(pos, action, mime, buttons, modifiers))
    QApplication.sendEvent(view.viewport(), QDragMoveEvent(pos, action, mime, buttons, modifiers))
    drop = QDropEvent(QPointF(pos), action, mime, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), drop)
    return drop


def test_dropping_a_tree_node_on_a_row_maps_it(panel: MapperPanel, doc: Document) -> None:
    drop = _drop(panel, "name", location_mime_data(("customers", 0, "first_name")))
    assert drop.isAccepted()
    assert doc.config.response.records_path == "$['customers'][*]"
    assert _fields(doc)["name"].paths == ["$['first_name']"]
    _drop(panel, "balance.identifier", location_mime_data(("customers", 2, "account", "id")))
    assert _fields(doc)["balance.identifier"].paths == ["$['account']['id']"]
    assert doc.selected_record == 2 and _cell(panel, "balance.identifier", VALUE) == "GC-3"
    assert doc.undo_stack.count() == 2


def test_a_foreign_drop_changes_nothing(panel: MapperPanel, doc: Document) -> None:
    mime = QMimeData()
    mime.setText("$.customers[0].id")
    drop = _drop(panel, "identifier", mime)
    assert not drop.isAccepted()
    assert doc.undo_stack.count() == 0


# -- typing a path -----------------------------------------------------------------------------


def _open_inline_editor(qtbot: QtBot, panel: MapperPanel, field: str) -> PathEdit:
    index = panel.model.index(CUSTOMER_FIELDS.index(field), 0)
    qtbot.mouseClick(
        panel.table.viewport(), Qt.MouseButton.LeftButton, pos=panel.table.visualRect(index).center()
    )
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    editors = [e for e in panel.table.findChildren(PathEdit, "expressionEditor") if e.isVisible()]
    assert len(editors) == 1
    return editors[0]


def test_typing_a_path_validates_live_and_enter_applies_only_a_valid_one(
    qtbot: QtBot, panel: MapperPanel, doc: Document
) -> None:
    panel.map_location(("customers", 0, "id"), "identifier")
    steps = doc.undo_stack.count()
    editor = _open_inline_editor(qtbot, panel, "email")
    qtbot.keyClicks(editor, "$['email")
    assert editor.problem is not None and "ends too early" in editor.problem
    assert "c62828" in editor.styleSheet()  # framed red
    assert panel.problem_label.isVisible() and "Not a valid path" in panel.problem_label.text()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.isVisible()  # still editing
    assert "email" not in _fields(doc)
    qtbot.keyClicks(editor, "']")
    assert editor.problem is None and editor.styleSheet() == ""
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits an editor on Enter from a queued call
    qtbot.waitUntil(lambda: "email" in _fields(doc))
    assert not panel.problem_label.isVisible()
    assert _fields(doc)["email"].paths == ["$['email']"]
    assert _cell(panel, "email", VALUE) == "ada@example.dk"
    assert doc.undo_stack.count() == steps + 1
    doc.undo_stack.undo()
    assert "email" not in _fields(doc)


def test_leaving_the_editor_with_a_broken_path_keeps_a_red_draft_out_of_the_config(
    qtbot: QtBot, panel: MapperPanel, doc: Document
) -> None:
    panel.map_location(("customers", 0, "email"), "email")
    before = doc.config
    editor = _open_inline_editor(qtbot, panel, "email")
    editor.selectAll()
    qtbot.keyClicks(editor, "$.e mail")
    # What Qt does when focus leaves the editor: commit, then close.
    panel.table.commitData(editor)
    panel.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    assert doc.config == before  # not applied
    assert _cell(panel, "email", EXPRESSION) == "$.e mail"  # but not lost
    assert _cell(panel, "email", STATUS, STATUS_ROLE) == "error"
    assert "Not applied" in _cell(panel, "email", EXPRESSION, Qt.ItemDataRole.ToolTipRole)
    editor = _open_inline_editor(qtbot, panel, "email")
    assert editor.text() == "$.e mail"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert _cell(panel, "email", EXPRESSION) == "$['email']"
    assert panel.model.draft("email") is None


def test_clearing_a_path_by_typing_removes_the_mapping(
    qtbot: QtBot, panel: MapperPanel, doc: Document
) -> None:
    panel.map_location(("customers", 0, "email"), "email")
    editor = _open_inline_editor(qtbot, panel, "email")
    editor.clear()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "email" not in _fields(doc))
    assert _cell(panel, "email", STATUS, STATUS_ROLE) == "not mapped"


def test_typing_the_records_path_applies_valid_text_as_one_step(
    qtbot: QtBot, panel: MapperPanel, doc: Document
) -> None:
    edit = panel.records_bar.edit
    edit.selectAll()
    qtbot.keyClicks(edit, "$.customers[")
    assert edit.problem is not None
    assert (
        panel.records_bar.problem_label.isVisible()
        and "Not applied" in panel.records_bar.problem_label.text()
    )
    assert doc.config.response.records_path == "$.customers"  # the last text that parsed
    qtbot.keyClicks(edit, "*]")
    assert not panel.records_bar.problem_label.isVisible()
    assert doc.config.response.records_path == "$.customers[*]"
    assert panel.records_bar.count_label.text() == "3 records"
    assert doc.undo_stack.count() == 1  # typing merges
    doc.undo_stack.undo()
    assert doc.config.response.records_path == "$" and edit.text() == "$"


# -- the row editor ------------------------------------------------------------------------------


def _ok(editor: FieldEditor) -> QPushButton:
    button = editor.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


def test_row_editor_joins_first_and_last_name(qtbot: QtBot, panel: MapperPanel, doc: Document) -> None:
    panel.map_location(("customers", 0, "id"), "identifier")
    panel.map_location(("customers", 0, "first_name"), "name")
    panel.select_location(("customers", 0, "last_name"))
    editor = panel.open_field_editor("name")
    qtbot.waitExposed(editor)
    assert editor.preview_label.text() == "Record 1 ([0] in the tree): Ada"
    qtbot.mouseClick(find(editor, QPushButton, "addSelectedNodeButton"), Qt.MouseButton.LeftButton)
    assert [e.text() for e in editor.path_edits] == ["$['first_name']", "$['last_name']"]
    assert editor.combine_combo.currentData() == "join" and editor.separator_edit.text() == " "
    assert editor.preview_label.text() == "Record 1 ([0] in the tree): Ada Jensen"
    qtbot.mouseClick(_ok(editor), Qt.MouseButton.LeftButton)
    assert _fields(doc)["name"].paths == ["$['first_name']", "$['last_name']"]
    assert _cell(panel, "name", EXPRESSION) == "$['first_name'] + \" \" + $['last_name']"
    assert _cell(panel, "name", VALUE) == "Ada Jensen"
    assert not panel.model.inline_editable(CUSTOMER_FIELDS.index("name"))  # several paths: the row editor
    doc.undo_stack.undo()
    assert _fields(doc)["name"].paths == ["$['first_name']"]
    doc.undo_stack.redo()
    assert _cell(panel, "name", VALUE) == "Ada Jensen"


def test_row_editor_typed_second_path_and_first_non_empty(
    qtbot: QtBot, panel: MapperPanel, doc: Document
) -> None:
    panel.map_location(("customers", 1, "first_name"), "email")  # record 1 has no e-mail
    editor = panel.open_field_editor("email")
    qtbot.waitExposed(editor)
    editor.path_edits[0].selectAll()
    qtbot.keyClicks(editor.path_edits[0], "$.email")
    assert editor.preview_label.text() == "Record 2 ([1] in the tree): nothing found (the field is left out)"
    qtbot.mouseClick(find(editor, QPushButton, "addPathButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.path_edits[1], "$.first_name")
    editor.combine_combo.setCurrentIndex(editor.combine_combo.findData("first"))
    assert editor.preview_label.text() == "Record 2 ([1] in the tree): Bo"
    qtbot.mouseClick(_ok(editor), Qt.MouseButton.LeftButton)
    mapping = _fields(doc)["email"]
    assert (mapping.paths, mapping.combine) == (["$.email", "$.first_name"], "first")


def test_row_editor_blocks_a_broken_path(qtbot: QtBot, panel: MapperPanel, doc: Document) -> None:
    editor = panel.open_field_editor("phone")
    qtbot.waitExposed(editor)
    qtbot.keyClicks(editor.path_edits[0], "$.phone numbers")
    assert not _ok(editor).isEnabled()
    assert "path 1:" in editor.problem_label.text() and "quoted" in editor.problem_label.text()
    editor.path_edits[0].setText("$['phone numbers']")
    assert _ok(editor).isEnabled()
    editor.reject()
    assert doc.undo_stack.count() == 0


def test_row_editor_default_value_and_transforms(qtbot: QtBot, panel: MapperPanel, doc: Document) -> None:
    panel.map_location(("customers", 0, "addresses", 0, "cc"), "country_code")  # "dk"
    assert _cell(panel, "country_code", STATUS, STATUS_ROLE) == "warning"
    assert "add the upper transform" in _cell(panel, "country_code", STATUS, Qt.ItemDataRole.ToolTipRole)
    editor = panel.open_field_editor("country_code")
    qtbot.waitExposed(editor)
    choose_from_popup("upper —")
    editor.add_transform_button.click()
    assert [t.name for t in editor.transforms()] == ["upper"]
    assert editor.preview_label.text() == "Record 1 ([0] in the tree): DK"
    choose_from_popup("trim —")
    editor.add_transform_button.click()
    qtbot.mouseClick(find(editor, QPushButton, "transformUpButton"), Qt.MouseButton.LeftButton)
    assert [t.name for t in editor.transforms()] == ["trim", "upper"]
    editor.default_check.setChecked(True)
    qtbot.keyClicks(editor.default_edit, "DK")
    qtbot.mouseClick(_ok(editor), Qt.MouseButton.LeftButton)
    mapping = _fields(doc)["country_code"]
    assert [t.name for t in mapping.transforms] == ["trim", "upper"] and mapping.default == "DK"
    assert (
        _cell(panel, "country_code", VALUE) == "DK"
        and _cell(panel, "country_code", STATUS, STATUS_ROLE) == "ok"
    )
    assert "▸ trim ▸ upper" in _cell(panel, "country_code", EXPRESSION)
    steps = doc.undo_stack.count()
    editor = panel.open_field_editor("country_code")
    editor.transforms_list.setCurrentRow(0)
    qtbot.mouseClick(find(editor, QPushButton, "removeTransformButton"), Qt.MouseButton.LeftButton)
    editor.default_check.setChecked(False)
    qtbot.mouseClick(_ok(editor), Qt.MouseButton.LeftButton)
    assert [t.name for t in _fields(doc)["country_code"].transforms] == ["upper"]
    assert _fields(doc)["country_code"].default is None
    doc.undo_stack.undo()
    assert doc.undo_stack.index() == steps
    assert [t.name for t in _fields(doc)["country_code"].transforms] == ["trim", "upper"]
    assert _fields(doc)["country_code"].default == "DK"


def test_parse_number_with_a_decimal_comma_from_the_row_editor(
    qtbot: QtBot, panel: MapperPanel, doc: Document
) -> None:
    panel.map_location(("customers", 0, "account", "balance"), "balance.balance")
    assert _cell(panel, "balance.balance", STATUS, STATUS_ROLE) == "error"
    editor = panel.open_field_editor("balance.balance")
    qtbot.waitExposed(editor)
    assert "parse_number" in editor.preview_label.text()
    choose_from_popup("parse_number —")
    editor.add_transform_button.click()
    assert editor.separator_combo.isEnabled()
    editor.separator_combo.setCurrentIndex(editor.separator_combo.findData("comma"))
    assert editor.transforms_list.item(0).text() == "parse_number (decimal comma)"
    assert editor.preview_label.text() == "Record 1 ([0] in the tree): 1234.50"
    qtbot.mouseClick(_ok(editor), Qt.MouseButton.LeftButton)
    (transform,) = _fields(doc)["balance.balance"].transforms
    assert (transform.name, transform.decimal_separator) == ("parse_number", "comma")
    assert _cell(panel, "balance.balance", VALUE) == "1234.50"


def test_double_click_on_a_joined_row_opens_the_row_editor(qtbot: QtBot, doc: Document) -> None:
    config = LookupConfig(
        response=ResponseSpec(
            records_path="$.customers[*]",
            fields={"name": FieldMapping(paths=["$.first_name", "$.last_name"])},
        )
    )
    doc.reset(config, None)
    doc.set_response(document_with().response)
    panel = MapperPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    index = panel.model.index(CUSTOMER_FIELDS.index("name"), EXPRESSION)
    center = panel.table.visualRect(index).center()
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    editor = panel._editor
    assert isinstance(editor, FieldEditor) and editor.field == "name"
    assert [e.text() for e in editor.path_edits] == ["$.first_name", "$.last_name"]
    editor.reject()


# -- which element of a nested list ---------------------------------------------------------------


def test_which_element_offers_the_default_address_without_typing(panel: MapperPanel, doc: Document) -> None:
    panel.map_location(("customers", 0, "id"), "identifier")
    panel.map_location(("customers", 0, "addresses", 1, "city"), "city")
    assert panel.element_bar.isVisible()
    items = [panel.element_combo.itemText(i) for i in range(panel.element_combo.count())]
    assert items[0].startswith("addresses[1] (by position)") and "fits 2 of 3 records" in items[0]
    assert items[1].startswith("addresses where default == true") and "fits 3 of 3" in items[1]
    steps = doc.undo_stack.count()
    panel.element_combo.activated.emit(1)
    assert _fields(doc)["city"].paths == ["$['addresses'][?(@['default'] == true)]['city']"]
    assert doc.undo_stack.count() == steps + 1
    assert panel.element_combo.currentIndex() == 1
    doc.set_selected_record(1)
    assert _cell(panel, "city", VALUE) == "Odense"  # Bo's only (default) address
    doc.undo_stack.undo()
    assert _fields(doc)["city"].paths == ["$['addresses'][1]['city']"]
    assert panel.element_combo.currentIndex() == 0
    doc.set_selected_record(1)
    assert _cell(panel, "city", STATUS, STATUS_ROLE) == "warning"  # position [1] finds nothing for Bo


def test_use_records_at_sets_the_records_path(panel: MapperPanel, doc: Document) -> None:
    panel.use_records_at(("customers",))
    assert doc.config.response.records_path == "$['customers'][*]"
    assert panel.records_bar.edit.text() == "$['customers'][*]"
    assert panel.records_bar.count_label.text() == "3 records"


# -- inside the window -----------------------------------------------------------------------------


def test_the_window_uses_the_mapper_and_forwards_tree_selection(make_window: Any) -> None:
    window = make_window()
    assert isinstance(window.mapper_panel, MapperPanel)
    window.document.set_response(document_with().response)
    window.map_location(("customers", 0, "id"), "identifier")
    assert window.document.config.response.fields["identifier"].paths == ["$['id']"]
    panel = window.response_panel
    panel.tree.setCurrentIndex(panel.model.index_for_location(("customers", 2, "first_name")))  # a click
    assert window.document.selected_record == 2
    assert window.mapper_panel.map_button.isEnabled()


def test_a_drag_from_the_response_tree_drops_onto_a_mapper_row(make_window: Any) -> None:
    window = make_window()
    window.document.set_response(document_with().response)
    tree_model = window.response_panel.model
    index = tree_model.index_for_location(("customers", 1, "last_name"))
    mime = tree_model.mimeData([index])  # exactly what the tree's drag carries
    drop = _drop(window.mapper_panel, "name", mime)
    assert drop.isAccepted()
    assert window.document.config.response.fields["name"].paths == ["$['last_name']"]
    assert window.document.selected_record == 1
    assert _cell(window.mapper_panel, "name", VALUE) == "Holm"
