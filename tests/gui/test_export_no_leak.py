"""No secret value in anything the app wrote or displayed.

One session does what a consultant does with a real credential: types it (masked), sends a test
search that fails (the server echoes the credential back in its body and a header), saves the
project, keeps editing (autosave), exports without including values, and copies the request as
cURL. Then every file under the test's folders is read (the project, the export, the recovery
folder, the window settings INI: all XDG folders are the test's own), every text a widget shows
is collected (labels, buttons, line edits as displayed, text views, tooltips, window titles,
item views, menus, the status bar, the clipboard), and so is everything the process printed.
The value appears in none of them, in no encoding a file or URL would use.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from http_servers import Arrived, Reply, http_server
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
)
from pytestqt.qtbot import QtBot
from qt_helpers import find, press_dialog_button

from designer.core.config import BearerAuth, FieldMapping, LookupConfig, Request, ResponseSpec, SecretRef
from designer.gui import files
from designer.gui.main_window import MainWindow
from designer.gui.placeholders import PlaceholderLineEdit

MakeWindow = Callable[..., MainWindow]
SECRET = "s3cr3t-Tok-8f2c9a1d-ZZ"
FORMS = {SECRET, quote(SECRET, safe=""), base64.b64encode(SECRET.encode()).decode()}


class _EchoingApi:
    """Refuses every request and echoes the Authorization header back, as careless APIs do."""

    def __call__(self, arrived: Arrived) -> Reply:
        sent = arrived.header("Authorization") or ""
        body = json.dumps({"error": f"token rejected: {sent}"}).encode()
        return Reply(status=401, body=body, headers=[("WWW-Authenticate", f'Bearer error="{sent}"')])


@pytest.fixture
def api() -> Iterator[str]:
    with http_server(_EchoingApi()) as served:
        yield served.url


def _item_texts(model: QAbstractItemModel, parent: QModelIndex, depth: int = 0) -> Iterator[str]:
    if depth > 6:
        return
    for row in range(model.rowCount(parent)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if value is not None:
                    yield str(value)
        first = model.index(row, 0, parent)
        if model.rowCount(first) > 0:  # hasChildren is private in table models
            yield from _item_texts(model, first, depth + 1)


def displayed_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every text a widget of the app shows or offers as a tooltip."""
    for widget in QApplication.allWidgets():
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        yield where, widget.toolTip()
        yield where, widget.windowTitle()
        yield where, widget.statusTip()
        if isinstance(widget, QLineEdit):
            yield where, widget.displayText()  # what is on screen: bullets for a masked field
            yield where, widget.placeholderText()
        elif isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            yield where, widget.toPlainText()
        elif isinstance(widget, QComboBox):
            yield from ((where, widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QMenu):
            yield from ((where, action.text()) for action in widget.actions())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from ((where, text) for text in _item_texts(widget.model(), QModelIndex()))
        if isinstance(widget, QMainWindow):
            yield where, widget.statusBar().currentMessage()
    yield "clipboard", QGuiApplication.clipboard().text()


def written_files(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        for root, _dirs, names in os.walk(folder):
            for name in names:
                yield Path(root) / name


def test_no_secret_in_any_file_written_or_text_displayed(
    *,
    qtbot: QtBot,
    make_window: MakeWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    api: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    config = LookupConfig(
        name="Leak check",
        request=Request(url=api + "/customers", auth=BearerAuth(token=SecretRef(secret="SHOP_TOKEN"))),
        response=ResponseSpec(records_path="$[*]", fields={"identifier": FieldMapping(paths=["$.id"])}),
    )
    window = make_window(config)
    window.request_editor.tabs.setCurrentIndex(3)
    secret_edit = find(window, QLineEdit, "authSecretEdit")
    secret_edit.setFocus()
    qtbot.keyClicks(secret_edit, SECRET)
    qtbot.keyClick(secret_edit, Qt.Key.Key_Tab)  # leaves the field: stored (here: memory only)
    qtbot.waitUntil(lambda: "kept in memory" in find(window, QLabel, "authSecretStatus").text())

    # A failed request: the server answers 401 and echoes the token in its body and a header.
    qtbot.mouseClick(find(window, QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.document.response is not None and not window.runner.running, timeout=10_000
    )
    response = window.document.response
    assert response is not None and response.exchange is not None
    assert response.exchange.status == 401 and b"token rejected: Bearer " in response.exchange.body
    status = find(window, QLabel, "statusLabel").text()
    assert status.startswith("HTTP 401") and "token rejected" in status

    # Save, keep editing (autosave), export without the explicit choice.
    project = tmp_path / "project.json"
    export = tmp_path / "export.json"
    monkeypatch.setattr(
        files, "ask_save_path", lambda _p, title, _s: export if "Export" in title else project
    )
    window.save_action.trigger()
    url = find(window, PlaceholderLineEdit, "urlEdit")
    url.setFocus()
    url.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(url, "?unsaved=1")
    window.autosave.save_now()
    press_dialog_button("Export")
    window.export_action.trigger()

    # Copy as cURL (the window's button once it exists; the core's masked export otherwise).
    copy = window.findChild(QPushButton, "copyCurlButton")
    if copy is not None:
        QGuiApplication.clipboard().clear()
        qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: QGuiApplication.clipboard().text().startswith("curl "))
        command = QGuiApplication.clipboard().text()
    else:
        from designer.core.curl_export import to_curl
        from designer.core.model_types import Inputs
        from designer.core.render import render_request
        from designer.gui.session_secrets import FixedResolver

        rendered = render_request(config.request, Inputs(""), FixedResolver({"SHOP_TOKEN": SECRET}, {}))
        command = to_curl(rendered)
    assert "Authorization: Bearer" in command

    # What was written: the project, the export, the recovery entry, the settings INI, anything else.
    xdg = [
        Path(os.environ[name])
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
    ]
    written = [p for p in written_files(tmp_path, *xdg) if p.is_file()]
    names = {p.name for p in written}
    assert {"project.json", "export.json", "window.ini"} <= names
    assert any(p.parent.name == "recovery" and p.suffix == ".json" for p in written)
    leaks = [str(p) for p in written for form in FORMS if form.encode() in p.read_bytes()]
    assert leaks == []
    assert json.loads(export.read_text(encoding="utf-8"))["request"]["auth"]["token"]["value"] is None

    # What was shown.
    shown = [(where, text) for where, text in displayed_texts() if text]
    assert any("Bearer" in text for _where, text in shown)  # the walk reaches the request view
    assert [where for where, text in shown for form in FORMS if form in text] == []
    assert SECRET not in command

    # What was printed (logs, warnings, tracebacks).
    out, err = capfd.readouterr()
    assert all(form not in out + err for form in FORMS)
