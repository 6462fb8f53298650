"""The Response panel as a user sees it: tree, raw text, path, menus, errors, files, paste."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from local_servers import Reply, http_server
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QPushButton, QToolButton, QWidget
from pytestqt.qtbot import QtBot
from qt_helpers import answer_dialog, choose_from_popup, find, press_dialog_button
from shared_data import shared_path

from designer.core.config import LookupConfig, Request
from designer.gui import response_sources
from designer.gui.document import Document
from designer.gui.location_mime import location_from_mime
from designer.gui.main_window import MainWindow
from designer.gui.response_panel import ResponsePanel
from designer.gui.response_sources import response_from_bytes

MakeWindow = Callable[..., MainWindow]


def _panel(qtbot: QtBot, document: Document | None = None) -> ResponsePanel:
    panel = ResponsePanel(document if document is not None else Document())
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _show(panel: ResponsePanel, data: bytes, source: str = "pasted") -> None:
    document = panel._document  # the panel's Document, as the window would set it
    document.set_response(response_from_bytes(data, source, document.config.response.strip_prefix))


def _http(body: str, content_type: str = "application/json") -> bytes:
    return f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n{body}".encode()


def _visible_index(panel: ResponsePanel, location: tuple[str | int, ...]) -> QModelIndex:
    index = panel.model.index_for_location(location)
    assert index.isValid()
    parent = index.parent()
    while parent.isValid():
        panel.tree.expand(parent)
        parent = parent.parent()
    panel.tree.scrollTo(index)
    return index


def _click(qtbot: QtBot, panel: ResponsePanel, index: QModelIndex) -> None:
    rect = panel.tree.visualRect(index)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _right_click(panel: ResponsePanel, index: QModelIndex, choose: str) -> None:
    """Open the node's context menu like a right-click and pick ``choose`` (in a submenu too)."""
    position = panel.tree.visualRect(index).center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, position, panel.tree.viewport().mapToGlobal(position)
    )
    choose_from_popup(choose)
    QApplication.sendEvent(panel.tree.viewport(), event)


def _error_text(panel: ResponsePanel) -> str:
    return panel.error_label.text() if panel.error_banner.isVisible() else ""


# ----------------------------------------------------------------------------- empty state


def test_empty_state_says_how_to_get_a_response(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    assert panel.stack.currentWidget().objectName() == "responseEmptyState"
    hint = find(panel, QLabel, "responseEmptyHint")
    assert hint.isVisible()
    text = hint.text().replace("<b>", "").replace("</b>", "").replace("<br>", " ")
    assert "Press Send to see the merchant's answer here" in text
    assert "File ▸ Open Response…" in text
    assert find(panel, QToolButton, "emptyOpenButton").isVisible()
    assert find(panel, QToolButton, "emptyPasteButton").isVisible()
    assert not panel.tree.isVisible()
    panel._document.set_busy(True)
    assert hint.text() == "Waiting for the merchant's answer…"
    panel._document.set_busy(False)
    assert "Press <b>Send</b>" in hint.text()


# ----------------------------------------------------------------------------- a JSON response


def test_a_response_shows_summary_raw_text_and_tree_with_exact_numbers_h019(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    _show(panel, _http('{"customers":[{"customerNo":12345678901234567891,"name":"Ada Jensen","b":0.10}]}'))
    assert panel.stack.currentIndex() == 1
    summary = panel.summary_label.text()
    assert "Pasted text" in summary and "HTTP 200 OK" in summary and "JSON object, 1 key" in summary
    raw = panel.raw_view.text_edit.toPlainText()
    assert '"customerNo": 12345678901234567891,' in raw and '"b": 0.10' in raw
    assert not panel.error_banner.isVisible() and not panel.notes_label.isVisible()
    customers = panel.model.index_for_location(("customers",))
    assert panel.tree.isExpanded(customers)  # a one-member wrapper opens with the document
    assert panel.tree.isExpanded(panel.model.index_for_location(("customers", 0)))  # and its first record
    index = _visible_index(panel, ("customers", 0, "customerNo"))
    assert panel.model.data(index.siblingAtColumn(1)) == "12345678901234567891"
    assert panel.tree.visualRect(index).isValid()


def test_clicking_a_node_shows_its_path_and_copy_puts_it_on_the_clipboard_h001(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    _show(panel, b'{"data":{"kunde.nr":"K-1001"}}')
    index = _visible_index(panel, ("data", "kunde.nr"))
    with qtbot.waitSignal(panel.nodeSelected) as selected:
        _click(qtbot, panel, index)
    assert selected.args == [("data", "kunde.nr")]
    path_edit = panel.path_edit
    assert path_edit.objectName() == "nodePathEdit" and path_edit.isReadOnly()
    assert path_edit.text() == "$['data']['kunde.nr']"
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(panel.copy_path_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "$['data']['kunde.nr']"


def test_map_to_menu_lists_every_customer_field_and_emits_map_requested_h002(qtbot: QtBot) -> None:
    from designer.core.customer import CUSTOMER_FIELDS

    panel = _panel(qtbot)
    _show(panel, '{"Bopæl":{"Postnr":"8000","By":"Århus"}}'.encode())
    index = _visible_index(panel, ("Bopæl", "By"))
    menu = panel.node_menu(index)
    assert menu is not None
    submenu = next(a.menu() for a in menu.actions() if a.text() == "Map to")
    assert [a.data() for a in submenu.actions()] == list(CUSTOMER_FIELDS)
    assert submenu.actions()[0].text() == "identifier (required)"
    assert "Use as records list" not in [a.text() for a in menu.actions()]  # a string is no list
    with qtbot.waitSignal(panel.mapRequested) as mapped:
        _right_click(panel, index, "city")
    assert mapped.args == [("Bopæl", "By"), "city"]
    assert panel.path_edit.text() == "$['Bopæl']['By']"


def test_use_as_records_list_on_an_object_keyed_by_ids_h003(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    _show(panel, b'{"customers":{"1001":{"name":"Ada Jensen"},"1002":{"name":"Bo Holm"}}}')
    index = _visible_index(panel, ("customers",))
    with qtbot.waitSignal(panel.recordsPathRequested) as requested:
        _right_click(panel, index, "Use as records list")
    assert requested.args == [("customers",)]
    name = _visible_index(panel, ("customers", "1001", "name"))
    _click(qtbot, panel, name)
    assert panel.path_edit.text() == "$['customers']['1001']['name']"


def test_copy_value_copies_exact_text(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    _show(panel, b'{"id":12345678901234567891,"name":"Ada \\"A\\" Jensen","tags":[1.50,"x"]}')
    for location, expected in (
        (("id",), "12345678901234567891"),
        (("name",), 'Ada "A" Jensen'),
        (("tags",), '[\n  1.50,\n  "x"\n]'),
    ):
        _right_click(panel, _visible_index(panel, location), "Copy value")
        qtbot.waitUntil(lambda e=expected: QGuiApplication.clipboard().text() == e)


def test_a_group_of_a_big_array_offers_its_array_as_records_list(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    _show(panel, json.dumps({"customers": [{"id": f"K{i}"} for i in range(2500)]}).encode())
    customers = panel.model.index_for_location(("customers",))
    group = panel.model.index(2, 0, customers)
    assert panel.model.data(group) == "[2000 … 2499]"
    _click(qtbot, panel, group)
    assert panel.path_edit.text().startswith("$['customers']")
    assert "2000 … 2499" in panel.path_edit.text()
    with qtbot.waitSignal(panel.recordsPathRequested) as requested:
        _right_click(panel, group, "Use as records list")
    assert requested.args == [("customers",)]


def test_dragging_a_node_carries_its_location(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    _show(panel, '{"kunder":[{"navn":"Søren"}]}'.encode())
    index = _visible_index(panel, ("kunder", 0, "navn"))
    _click(qtbot, panel, index)
    assert panel.tree.dragEnabled()
    mime = panel.model.mimeData(panel.tree.selectionModel().selectedIndexes())
    assert location_from_mime(mime) == ("kunder", 0, "navn")
    assert mime.text() == "$['kunder'][0]['navn']"


# ----------------------------------------------------------------------------- problems


def test_an_html_sign_in_page_shows_the_reason_and_the_page_h025(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    path = shared_path("pitfalls", "cases", "H025.http")
    assert panel.sources.open_path(path)
    assert "response is HTML, not JSON (title: Sign in)" in _error_text(panel)
    state = panel._document.response
    assert state is not None and state.decoded is not None
    assert panel.raw_view.text_edit.toPlainText() == state.decoded.text
    assert "<title>Sign in</title>" in panel.raw_view.text_edit.toPlainText()
    assert not panel.model.has_document
    assert panel.tree_stack.currentWidget() is panel.tree_hint and "not JSON" in panel.tree_hint.text()
    assert state.source == f"file:{path}"
    assert "From file H025.http" in panel.summary_label.text()


def test_invalid_json_shows_where_it_breaks_and_the_text(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    assert panel.sources.paste_text('{"customers": [{"id": "K1",, }]}')
    assert "response is not valid JSON" in _error_text(panel)
    assert "line 1 column" in _error_text(panel)
    assert panel.raw_view.text_edit.toPlainText() == '{"customers": [{"id": "K1",, }]}'
    assert not panel.model.has_document


def test_json_served_as_html_parses_with_a_note_h024(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    assert panel.sources.open_path(shared_path("pitfalls", "cases", "H024.http"))
    assert not panel.error_banner.isVisible()
    assert "declared it as text/html" in panel.notes_label.text()
    assert panel.model.index_for_location(("customers", 0, "id")).isValid()


def test_strip_prefix_button_stores_the_rule_as_one_undo_step_and_redecodes_h026(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    document = panel._document
    assert panel.sources.open_path(shared_path("pitfalls", "cases", "H026.http"))
    button = find(panel, QPushButton, "stripPrefixButton")
    assert button.isVisible() and button.text() == "Strip prefix )]}'"
    assert "anti-XSSI prefix" in _error_text(panel)
    assert not panel.model.has_document
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert document.config.response.strip_prefix == ")]}'"
    assert document.undo_stack.count() == 1
    assert not panel.error_banner.isVisible() and not button.isVisible()
    assert panel.model.index_for_location(("customers", 0, "id")).isValid()
    assert "removed the anti-XSSI prefix" in panel.notes_label.text()
    document.undo_stack.undo()
    assert document.config.response.strip_prefix is None
    assert button.isVisible() and not panel.model.has_document
    document.undo_stack.redo()
    assert panel.model.has_document


def test_headers_tab_shows_status_and_headers_of_a_saved_response(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    assert panel.sources.open_path(shared_path("pitfalls", "cases", "H026.http"))
    assert panel.tabs.tabText(1) == "Headers (1)"
    text = find(panel, QPlainTextEdit, "responseHeaders").toPlainText()
    assert text.splitlines()[:2] == ["HTTP 200 OK", "Content-Type: application/json"]
    panel.sources.paste_text("[1, 2]")
    assert panel.tabs.tabText(1) == "Headers"
    assert "only a body" in panel.headers_view.toPlainText()


def test_a_test_request_shows_its_redirect_chain_and_headers(qtbot: QtBot, make_window: MakeWindow) -> None:
    routes = {
        "/old": Reply(status=301, body=b"", content_type="text/html", headers=[("Location", "/new")]),
        "/new": Reply(body=b'{"customers":[{"id":"K1"}]}', headers=[("X-Shop", "Demo Shop")]),
    }
    with http_server(routes) as server:
        window = make_window(LookupConfig(request=Request(url=server.url + "/old")))
        qtbot.mouseClick(find(window, QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
        panel = window.response_panel
        assert isinstance(panel, ResponsePanel)
        qtbot.waitUntil(lambda: window.document.response is not None, timeout=10_000)
    assert "Test request" in panel.summary_label.text() and "after 1 redirect" in panel.summary_label.text()
    headers = panel.headers_view.toPlainText()
    assert f"GET {server.url}/old" in headers
    assert "Redirects (1), in order:" in headers and f"301 {server.url}/old → /new" in headers
    assert "x-shop: demo shop" in headers.lower()
    assert panel.model.index_for_location(("customers", 0, "id")).isValid()


# ----------------------------------------------------------------------------- files and paste


def test_open_response_from_the_file_menu(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "merchant-sample.json"
    saved.write_text('{"kunder":[{"navn":"Søren Æbelø"}]}', encoding="utf-8")
    monkeypatch.setattr(response_sources, "ask_response_path", lambda _parent: saved)
    window = make_window()
    file_menu = window.menuBar().actions()[0].menu()
    assert file_menu is not None
    texts = [a.text() for a in file_menu.actions()]
    assert "Open &Response…" in texts and "&Paste Response…" in texts
    next(a for a in file_menu.actions() if a.text() == "Open &Response…").trigger()
    panel = window.response_panel
    assert isinstance(panel, ResponsePanel)
    qtbot.waitUntil(lambda: panel.model.has_document)
    state = window.document.response
    assert state is not None and state.source == f"file:{saved}" and state.exchange is None
    assert panel.model.data(panel.model.index_for_location(("kunder", 0, "navn")).siblingAtColumn(1)) == (
        '"Søren Æbelø"'
    )
    assert "Opened the response in merchant-sample.json" in window.statusBar().currentMessage()


def test_paste_response_dialog(qtbot: QtBot) -> None:
    panel = _panel(qtbot)

    def paste(dialog: QWidget) -> None:
        edit = find(dialog, QPlainTextEdit, "pasteResponseEdit")
        edit.setPlainText(
            'HTTP/1.1 200 OK\nContent-Type: application/json\n\n[{"id":"K1","name":"Ada Jensen"}]'
        )
        find(dialog, QPushButton, "pasteResponseUseButton").click()

    answer_dialog(qtbot, paste)
    assert panel.sources.paste()
    state = panel._document.response
    assert state is not None and state.source == "pasted" and state.saved is not None
    assert state.saved.status == 200
    assert panel.model.index_for_location((0, "name")).isValid()
    assert "Pasted text" in panel.summary_label.text() and "JSON array, 1 item" in panel.summary_label.text()


def test_paste_can_be_cancelled(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    press_dialog_button("Cancel")
    assert not panel.sources.paste()
    assert panel._document.response is None


def test_a_big_file_is_loaded_only_after_asking_and_the_panel_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    panel = _panel(qtbot)
    panel.sources.ask_above = 1024
    big = tmp_path / "export.json"
    big.write_text(json.dumps([{"id": f"K{i}"} for i in range(200)]), encoding="utf-8")
    seen: list[str] = []
    press_dialog_button("No", seen)
    assert not panel.sources.open_path(big)
    assert panel._document.response is None
    assert "more than 1.0 KB" in seen[0] and "Load it?" in seen[0]
    press_dialog_button("Yes", seen)
    assert panel.sources.open_path(big)
    assert "loaded because you chose to" in panel.summary_label.text()
    assert panel.model.has_document


def test_a_missing_file_is_explained_and_changes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    panel = _panel(qtbot)
    seen: list[str] = []
    press_dialog_button("OK", seen)
    assert not panel.sources.open_path(tmp_path / "gone.json")
    assert "No such file" in seen[0] and "gone.json" in seen[0]
    assert panel._document.response is None


def test_20_000_records_open_lazily_in_the_panel_h038(qtbot: QtBot) -> None:
    records = [{f"field{n}": f"value {i}.{n}" for n in range(10)} for i in range(20_000)]
    panel = _panel(qtbot)
    assert panel.sources.paste_text(json.dumps({"customers": records}, separators=(",", ":")))
    assert panel.model.node_count <= 3  # the document, "customers", nothing else yet
    assert not panel.raw_view.fully_loaded and panel.raw_view.more_bar.isVisible()
    customers = panel.model.index_for_location(("customers",))
    assert panel.tree.isExpanded(customers) and panel.model.rowCount(customers) == 20
    group = panel.model.index(19, 0, customers)
    panel.tree.expand(group)
    last = panel.model.index(999, 0, group)
    panel.tree.scrollTo(last)
    qtbot.waitUntil(lambda: panel.tree.visualRect(last).isValid())
    assert panel.model.data(last) == "[19999]"
    assert panel.model.node_count <= 3 + 20 + 1000


def test_a_new_project_empties_the_panel(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    _show(panel, b"[1]")
    assert panel.stack.currentIndex() == 1
    panel._document.reset(LookupConfig(), None)
    assert panel.stack.currentIndex() == 0
    assert not panel.model.has_document and panel.raw_view.text() == ""


def test_ctrl_f_in_the_panel_opens_find_in_the_raw_text(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    _show(panel, b'{"customers":[{"name":"Ada"},{"name":"Bo"}]}')
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(panel.raw_view.find_bar.isVisible)
    qtbot.keyClicks(panel.raw_view.find_bar.edit, "Bo")
    qtbot.waitUntil(lambda: panel.raw_view.find_bar.count_label.text() == "1 of 1")


def test_select_location_opens_the_way_to_a_node(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    _show(panel, json.dumps({"a": {"b": [{"c": i} for i in range(3000)]}}).encode())
    with qtbot.waitSignal(panel.nodeSelected) as selected:
        assert panel.select_location(("a", "b", 2999, "c"))
    assert selected.args == [("a", "b", 2999, "c")]
    assert panel.path_edit.text() == "$['a']['b'][2999]['c']"
    assert not panel.select_location(("a", "x"))


def test_a_file_of_several_responses_asks_which_one_h017(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    path = shared_path("pitfalls", "cases", "H017.http")
    asked: list[str] = []

    def take_default(dialog: QWidget) -> None:
        asked.append(" ".join(label.text() for label in dialog.findChildren(QLabel)))
        press = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "OK")
        press.click()

    answer_dialog(qtbot, take_default)
    assert panel.sources.open_path(path)
    assert "holds 2 responses" in asked[0]
    state = panel._document.response
    assert state is not None and state.saved is not None and state.saved.status == 200
    assert panel.model.index_for_location(("customers", 0, "id")).isValid()
    press_dialog_button("Cancel")
    panel._document.set_response(None)
    assert not panel.sources.open_path(path)
    assert panel._document.response is None


def test_latin_1_body_reads_the_same_in_raw_text_and_tree_h015(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    assert panel.sources.open_path(shared_path("pitfalls", "cases", "H015.http"))
    assert not panel.error_banner.isVisible()
    name = panel.model.index_for_location(("customers", 0, "name"))
    assert panel.model.data(name.siblingAtColumn(1)) == '"Søren Æbelø"'
    assert '"name": "Søren Æbelø"' in panel.raw_view.text()
    panel.raw_view.pretty_check.setChecked(False)
    assert '"city":"Århus"' in panel.raw_view.text()


def test_a_byte_order_mark_is_dropped_everywhere_h016(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    assert panel.sources.open_path(shared_path("pitfalls", "cases", "H016.http"))
    assert panel.model.index_for_location(("customers", 0, "id")).isValid()
    panel.raw_view.pretty_check.setChecked(False)
    assert panel.raw_view.text().startswith('{"customers"')
    assert "\ufeff" not in panel.raw_view.text_edit.toPlainText()


def test_redecoding_keeps_an_error_that_did_not_come_from_the_body(qtbot: QtBot) -> None:
    """Who owns the re-decode: the Document; a status error survives a strip-prefix change."""
    from dataclasses import replace

    from designer.core.errors import HttpStatusError

    panel = _panel(qtbot)
    document = panel._document
    state = response_from_bytes(_http(')]}\'\n{"error":"boom"}'), "pasted", None)
    status_error = HttpStatusError("HTTP 500 from the merchant: boom")
    document.set_response(replace(state, error=status_error))
    assert "HTTP 500 from the merchant" in _error_text(panel) and "anti-XSSI" in _error_text(panel)
    qtbot.mouseClick(panel.strip_button, Qt.MouseButton.LeftButton)
    response = document.response
    assert response is not None and response.error is status_error
    assert response.decoded is not None and response.decoded.ok
    assert _error_text(panel) == "HTTP 500 from the merchant: boom"
    assert panel.model.index_for_location(("error",)).isValid()
