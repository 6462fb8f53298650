"""Test searches against real servers on 127.0.0.1: slow, silent, HTML pages, bad URLs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from local_servers import Reply, http_server, silent_server
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from qt_helpers import find

from designer.core.config import LookupConfig, Request, ResponseSpec
from designer.gui.main_window import MainWindow
from designer.gui.placeholders import PlaceholderLineEdit

MakeWindow = Callable[..., MainWindow]
SIGN_IN_PAGE = (
    b'<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body><form action="/login">'
    b'<input name="user"></form></body></html>'
)


def _status(window: MainWindow) -> QLabel:
    return find(window, QLabel, "statusLabel")


def _send(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(find(window, QPushButton, "sendButton"), Qt.MouseButton.LeftButton)


def _set_url(qtbot: QtBot, window: MainWindow, url: str) -> None:
    edit = find(window, PlaceholderLineEdit, "urlEdit")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, url)


def _idle(window: MainWindow) -> Callable[[], bool]:
    return lambda: not window.document.busy and not window.runner.running


def test_cancel_a_slow_request(qtbot: QtBot, make_window: MakeWindow) -> None:
    with http_server(Reply(hold=True)) as server:
        window = make_window(LookupConfig(request=Request(url=server.url + "/customers")))
        _send(qtbot, window)
        qtbot.waitUntil(server.arrived.is_set)
        assert find(window, QPushButton, "cancelButton").isEnabled()
        assert "Sending" in _status(window).text()
        qtbot.mouseClick(find(window, QPushButton, "cancelButton"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(_idle(window))
        assert _status(window).text() == "cancelled"
        assert QApplication.activeModalWidget() is None


def test_a_server_that_never_answers_times_out_readably(qtbot: QtBot, make_window: MakeWindow) -> None:
    with silent_server() as server:
        window = make_window(LookupConfig(request=Request(url=server.url + "/customers")))
        window.request_editor.tabs.setCurrentIndex(4)
        spin = find(window, QDoubleSpinBox, "timeoutSpin")
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, "1")
        qtbot.keyClick(spin, Qt.Key.Key_Return)
        assert window.document.config.request.timeouts.total == 1.0
        _send(qtbot, window)
        qtbot.waitUntil(_idle(window), timeout=10_000)
        text = _status(window).text()
        assert _status(window).property("kind") == "error"
        assert "time" in text.lower(), text  # "timed out" in the core's words
        assert "Traceback" not in text


def test_h025_html_sign_in_page_is_explained_and_the_raw_body_kept(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    reply = Reply(status=200, body=SIGN_IN_PAGE, content_type="text/html; charset=UTF-8")
    with http_server(reply) as server:
        config = LookupConfig(
            request=Request(url=server.url + "/c"), response=ResponseSpec(records_path="$[*]")
        )
        window = make_window(config)
        _send(qtbot, window)
        qtbot.waitUntil(_idle(window), timeout=10_000)
    text = _status(window).text()
    assert _status(window).property("kind") == "error"
    assert "HTML" in text and "Sign in" in text, text
    response = window.document.response
    assert response is not None and response.exchange is not None
    assert response.exchange.body == SIGN_IN_PAGE  # the raw body stays available
    assert response.error is not None


def test_http_500_html_error_page(qtbot: QtBot, make_window: MakeWindow) -> None:
    reply = Reply(
        status=500, body=b"<html><title>Oops</title>Internal error</html>", content_type="text/html"
    )
    with http_server(reply) as server:
        window = make_window(LookupConfig(request=Request(url=server.url + "/c")))
        _send(qtbot, window)
        qtbot.waitUntil(_idle(window), timeout=10_000)
    text = _status(window).text()
    assert text.startswith("HTTP 500"), text
    assert "Response panel" in text
    response = window.document.response
    assert (
        response is not None and response.exchange is not None and b"Internal error" in response.exchange.body
    )


def test_h037_a_bad_url_is_shown_and_the_next_request_works(qtbot: QtBot, make_window: MakeWindow) -> None:
    with http_server(Reply(body=b'[{"id": "K1"}]')) as server:
        window = make_window(LookupConfig(response=ResponseSpec(records_path="$[*]")))
        _set_url(qtbot, window, "htp//bad host")
        _send(qtbot, window)
        qtbot.waitUntil(_idle(window), timeout=10_000)
        assert _status(window).property("kind") == "error"
        assert "Unexpected problem" not in _status(window).text()
        assert QApplication.activeModalWidget() is None
        _set_url(qtbot, window, server.url + "/customers")
        qtbot.keyClick(find(window, QLineEdit, "searchTermEdit"), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "1 record found" in _status(window).text(), timeout=10_000)
        assert server.paths == ["/customers"]


def test_a_project_opened_from_a_folder_uses_the_secrets_file_beside_it(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    """The same rule as ``lookup-designer run``: the one ``*.secrets.env`` beside the project."""
    from designer.core.config import BearerAuth, SecretRef
    from designer.core.project_io import save_config

    with http_server(Reply(body=b"[]")) as server:
        project = tmp_path / "shop.json"
        token = BearerAuth(token=SecretRef(secret="GUI_BESIDE_TOKEN"))
        save_config(LookupConfig(request=Request(url=server.url + "/c", auth=token)), project)
        beside = tmp_path / "shop.secrets.env"
        beside.write_text("GUI_BESIDE_TOKEN=tok-123\n", encoding="utf-8")
        window = make_window()
        assert window.secrets.secrets_file is None
        assert window.open_path(project)
        assert window.secrets.secrets_file == beside
        _send(qtbot, window)
        qtbot.waitUntil(server.arrived.is_set)
        qtbot.waitUntil(_idle(window))
        assert server.last.header("Authorization") == "Bearer tok-123"
        assert "tok-123" not in _status(window).text()
        window.document.reset(LookupConfig(), None)  # File > New: no folder, no file
        assert window.secrets.secrets_file is None
