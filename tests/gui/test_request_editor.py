"""The request editor, driven with mouse and keyboard like a consultant would."""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QToolButton,
)
from pytestqt.qtbot import QtBot
from qt_helpers import choose_from_popup, find

from designer.core.config import BearerAuth, JsonBody, Param
from designer.core.model_types import MASK
from designer.gui.main_window import MainWindow
from designer.gui.placeholders import HIGHLIGHT_BACKGROUND, PlaceholderLineEdit

MakeWindow = Callable[..., MainWindow]


def _undo(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_typing_the_url_is_one_undo_step_and_ctrl_z_undoes_it(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    url = find(window, PlaceholderLineEdit, "urlEdit")
    qtbot.mouseClick(url.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(url, "https://shop.example.com/customers")
    assert window.document.config.request.url == "https://shop.example.com/customers"
    assert window.windowTitle().startswith("*")
    assert window.document.undo_stack.count() == 1
    _undo(qtbot, window)  # Ctrl+Z in the field goes to the project's history
    assert window.document.config.request.url == ""
    assert url.text() == ""
    assert not window.windowTitle().startswith("*")


def test_placeholder_inserted_from_the_menu_is_highlighted(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    url = find(window, PlaceholderLineEdit, "urlEdit")
    qtbot.mouseClick(url.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(url, "https://shop.example.com/customers/")
    choose_from_popup("{search_term}")
    qtbot.mouseClick(find(window, QToolButton, "urlPlaceholderButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: url.text().endswith("{search_term}"))
    assert window.document.config.request.url == "https://shop.example.com/customers/{search_term}"
    formats = url.document().firstBlock().layout().formats()
    start = url.text().index("{search_term}")
    highlighted = [
        f for f in formats if f.start == start and f.length == len("{search_term}") and _bg(f.format)
    ]
    assert highlighted, "the placeholder is not visibly highlighted"


def _bg(fmt: QTextCharFormat) -> bool:
    return bool(fmt.background().color() == HIGHLIGHT_BACKGROUND)


def test_method_is_chosen_with_the_keyboard(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    combo = find(window, QComboBox, "methodCombo")
    combo.setFocus()
    qtbot.keyClicks(combo, "PO")
    assert combo.currentText() == "POST"
    assert window.document.config.request.method == "POST"


def _open_editor(qtbot: QtBot, view: QTableView) -> PlaceholderLineEdit:
    """The cell editor the user is typing in (closed editors linger until deleted)."""

    def visible() -> list[PlaceholderLineEdit]:
        return [e for e in view.findChildren(PlaceholderLineEdit, "cellEditor") if e.isVisible()]

    qtbot.waitUntil(lambda: len(visible()) == 1)
    return visible()[0]


def _edit_cell(qtbot: QtBot, view: QTableView, row: int, column: int, text: str) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = _open_editor(qtbot, view)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_query_table_add_edit_disable_reorder_remove_each_undoable(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    view = find(window, QTableView, "queryTable")
    add = find(window, QToolButton, "queryTable_add")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)  # opens the name editor at once
    editor = _open_editor(qtbot, view)
    qtbot.keyClicks(editor, "q")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    _edit_cell(qtbot, view, 0, 2, "{search_term}")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    editor = _open_editor(qtbot, view)
    qtbot.keyClicks(editor, "limit")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    _edit_cell(qtbot, view, 1, 2, "5")
    query = window.document.config.request.query
    assert [(p.name, p.value) for p in query] == [("q", "{search_term}"), ("limit", "5")]

    # Disable the first row with the keyboard (space on its check box).
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert window.document.config.request.query[0].enabled is False

    # Move "limit" up, then remove it.
    view.selectRow(1)
    qtbot.mouseClick(find(window, QToolButton, "queryTable_up"), Qt.MouseButton.LeftButton)
    assert [p.name for p in window.document.config.request.query] == ["limit", "q"]
    view.selectRow(0)
    qtbot.mouseClick(find(window, QToolButton, "queryTable_remove"), Qt.MouseButton.LeftButton)
    assert [p.name for p in window.document.config.request.query] == ["q"]

    stack = window.document.undo_stack
    texts = [stack.text(i) for i in range(stack.count())]
    assert texts.count("Add query parameter") == 2
    assert {"Disable query parameter", "Move query parameter", "Remove query parameter"} <= set(texts)
    for _ in range(3):  # remove, move, disable
        stack.undo()
    assert window.document.config.request.query == [
        Param(name="q", value="{search_term}"),
        Param(name="limit", value="5"),
    ]
    assert view.model().rowCount() == 2
    assert view.model().index(1, 1).data() == "limit"


def test_headers_table_has_the_encoding_choice(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    view = find(window, QTableView, "headersTable")
    window.request_editor.tabs.setCurrentIndex(1)
    qtbot.mouseClick(find(window, QToolButton, "headersTable_add"), Qt.MouseButton.LeftButton)
    editor = _open_editor(qtbot, view)
    qtbot.keyClicks(editor, "X-Search")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    view.setCurrentIndex(view.model().index(0, 3))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert window.document.config.request.headers[0].encoding == "percent"
    assert window.request_editor.tabs.tabText(1) == "Headers (1)"


def test_json_body_is_validated_while_typing(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    window.request_editor.tabs.setCurrentIndex(2)
    combo = find(window, QComboBox, "bodyTypeCombo")
    combo.setFocus()
    qtbot.keyClicks(combo, "JSON")
    assert isinstance(window.document.config.request.body, JsonBody)
    body = find(window, QPlainTextEdit, "bodyEdit")
    problem = find(window, QLabel, "bodyProblemLabel")
    body.setFocus()
    body.selectAll()
    qtbot.keyClicks(body, '{"filter": {"name": "{search_term}"')
    assert "line 1, column" in problem.text()
    assert window.document.config.request.body == JsonBody(template={})  # nothing invalid applied
    qtbot.keyClicks(body, "}")
    assert "line 1, column" in problem.text()
    qtbot.keyClicks(body, "}")
    assert problem.text() == ""
    assert window.document.config.request.body == JsonBody(template={"filter": {"name": "{search_term}"}})
    # The user's half-typed text survives unrelated edits (e.g. the search term).
    qtbot.keyClicks(body, ",")
    qtbot.keyClicks(find(window, QLineEdit, "searchTermEdit"), "ada")
    assert body.toPlainText().endswith("}},")


def test_secret_is_hidden_kept_out_of_the_config_and_in_memory_without_keyring(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    window.request_editor.tabs.setCurrentIndex(3)
    combo = find(window, QComboBox, "authTypeCombo")
    combo.setFocus()
    qtbot.keyClicks(combo, "Bearer")
    auth = window.document.config.request.auth
    assert isinstance(auth, BearerAuth)
    secret = find(window, QLineEdit, "authSecretEdit")
    assert secret.echoMode() == QLineEdit.EchoMode.Password
    secret.setFocus()
    qtbot.keyClicks(secret, "tok-SECRET-123")
    assert secret.displayText() != "tok-SECRET-123"  # dots on screen
    qtbot.mouseClick(find(window, QToolButton, "authRevealButton"), Qt.MouseButton.LeftButton)
    assert secret.displayText() == "tok-SECRET-123"
    qtbot.keyClick(secret, Qt.Key.Key_Tab)  # leaving the field stores it
    status = find(window, QLabel, "authSecretStatus")
    qtbot.waitUntil(lambda: "memory" in status.text())  # the tests' keyring backend stores nothing
    dumped = window.document.config.model_dump_json()
    assert "tok-SECRET-123" not in dumped
    assert window.secrets.value(auth.token.secret) == "tok-SECRET-123"
    preview = window.request_editor.preview
    preview.refresh()
    assert "tok-SECRET-123" not in preview.text.toPlainText()
    if preview.text.toPlainText():  # the core renderer is present
        assert f"Authorization: Bearer {MASK}" in preview.text.toPlainText()


def test_timeout_is_edited_with_the_keyboard(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    window.request_editor.tabs.setCurrentIndex(4)
    spin = find(window, QDoubleSpinBox, "timeoutSpin")
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "4")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    timeouts = window.document.config.request.timeouts
    assert timeouts.total == 4.0
    assert timeouts.read <= 4.0 and timeouts.connect <= 4.0


def test_undo_restores_every_widget(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    url = find(window, PlaceholderLineEdit, "urlEdit")
    url.setFocus()
    qtbot.keyClicks(url, "http://x")
    window.document.end_merge()
    combo = find(window, QComboBox, "methodCombo")
    combo.setFocus()
    qtbot.keyClicks(combo, "PUT")
    window.undo_action.trigger()
    assert combo.currentText() == "GET"
    window.undo_action.trigger()
    assert url.text() == ""
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert (url.text(), combo.currentText()) == ("http://x", "PUT")
    assert json.loads(window.document.config.model_dump_json())["request"]["method"] == "PUT"


def test_preview_shows_the_request_as_sent_for_the_test_inputs(qtbot: QtBot, make_window: MakeWindow) -> None:
    from designer.core.config import ApiKeyAuth, Header, LookupConfig, Request, SecretRef

    config = LookupConfig(
        request=Request(
            url="https://api.example.com/v1/customers",
            query=[Param(name="phone", value="{search_term}")],
            headers=[Header(name="X-Currency", value="{currency_code}")],
            auth=ApiKeyAuth(name="X-Api-Key", value=SecretRef(secret="SHOP_KEY")),
        )
    )
    window = make_window(config)
    preview = find(window, QPlainTextEdit, "requestPreview")
    qtbot.keyClicks(find(window, QLineEdit, "searchTermEdit"), "+4520304050")  # pitfall H011
    qtbot.waitUntil(lambda: "%2B4520304050" in preview.toPlainText())
    lines = preview.toPlainText().splitlines()
    assert lines[0] == "GET https://api.example.com/v1/customers?phone=%2B4520304050"
    assert "X-Currency: DKK" in lines
    assert f"X-Api-Key: {MASK}" in lines
    assert "+4520304050" in find(window, QLabel, "requestPreviewCaption").text()


def test_preview_explains_a_request_that_cannot_be_built(qtbot: QtBot, make_window: MakeWindow) -> None:
    from designer.core.config import Header, LookupConfig, Request

    config = LookupConfig(
        request=Request(
            url="https://api.example.com/", headers=[Header(name="X-Search", value="{search_term}")]
        )
    )
    window = make_window(config)
    problem = find(window, QLabel, "requestPreviewProblem")
    qtbot.keyClicks(find(window, QLineEdit, "searchTermEdit"), "Søren Ærø")  # pitfall H014
    qtbot.waitUntil(problem.isVisible)
    assert "X-Search" in problem.text()
    assert problem.text().startswith("Cannot build the request for these test inputs")


def test_the_url_hint_stays_on_one_line_in_a_narrow_field(qtbot: QtBot) -> None:
    """QPlainTextEdit wraps a placeholder whatever its wrap mode: a second half-line showed."""
    from designer.gui.placeholders import PlaceholderLineEdit

    edit = PlaceholderLineEdit()
    qtbot.addWidget(edit)
    edit.setPlaceholderText("Merchant API URL: https://…/customers")
    edit.resize(140, edit.height())
    edit.show()
    qtbot.waitExposed(edit)
    shown = edit.placeholderText()
    assert shown.endswith("…") and shown != "Merchant API URL: https://…/customers"
    assert edit.fontMetrics().horizontalAdvance(shown) <= edit.viewport().width()
    edit.resize(600, edit.height())
    qtbot.waitUntil(lambda: edit.placeholderText() == "Merchant API URL: https://…/customers")
