"""The Connection tab and the markers: TLS off is explicit and stays visible; production hosts
show a red banner and a marked status; CA bundle and proxy are set from the window.

Sends go to real servers on 127.0.0.1: an HTTPS server with a certificate made in the test, and
a tiny forward proxy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from http_servers import Arrived, Reply, http_server
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QListWidget, QPushButton
from pytestqt.qtbot import QtBot
from qt_helpers import find, press_dialog_button
from tls_certificates import https_server, make_certificate

from designer.core.config import FieldMapping, LookupConfig, Request, ResponseSpec
from designer.gui import transport_editor
from designer.gui.main_window import MainWindow
from designer.gui.placeholders import PlaceholderLineEdit

MakeWindow = Callable[..., MainWindow]
CUSTOMERS = b'[{"id": "K1", "name": "Ada Jensen"}]'


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def _config(url: str) -> LookupConfig:
    return LookupConfig(
        request=Request(url=url),
        response=ResponseSpec(records_path="$[*]", fields={"identifier": FieldMapping(paths=["$.id"])}),
    )


def _connection_tab(window: MainWindow) -> None:
    tabs = window.request_editor.tabs
    tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index("Connection"))


def _click(qtbot: QtBot, widget: QPushButton | QCheckBox) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def _send_and_wait(qtbot: QtBot, window: MainWindow) -> QLabel:
    _click(qtbot, find(window, QPushButton, "sendButton"))
    qtbot.waitUntil(
        lambda: window.document.response is not None and not window.runner.running, timeout=10_000
    )
    return find(window, QLabel, "statusLabel")


def _turn_tls_off(qtbot: QtBot, window: MainWindow, answer: str, seen: list[str] | None = None) -> None:
    press_dialog_button(answer, seen)
    _click(qtbot, find(window, QCheckBox, "verifyTlsCheck"))


def test_turning_tls_verification_off_asks_first_and_stays_visible(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window(_config("https://shop.example/customers"))
    _connection_tab(window)
    check = find(window, QCheckBox, "verifyTlsCheck")
    banner = find(window, QLabel, "tlsOffBanner")
    assert check.isChecked() and not banner.isVisible()

    seen: list[str] = []
    _turn_tls_off(qtbot, window, "Cancel", seen)
    assert "Turn off TLS certificate verification" in seen[0]
    assert check.isChecked() and window.document.config.request.transport.verify_tls
    assert not window.document.dirty

    _turn_tls_off(qtbot, window, "Turn Off")
    assert window.document.config.request.transport.verify_tls is False
    assert not check.isChecked()
    assert find(window, QLabel, "tlsOffWarning").isVisible()
    assert banner.isVisible() and "TLS certificate verification is OFF" in banner.text()

    window.undo_action.trigger()
    assert window.document.config.request.transport.verify_tls is True
    assert check.isChecked() and not banner.isVisible()


def test_self_signed_server_verify_on_fails_off_works_ca_bundle_works(
    qtbot: QtBot,
    make_window: MakeWindow,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with https_server(certificate, Reply(body=CUSTOMERS)) as server:
        window = make_window(_config(server.url + "/customers"))
        _connection_tab(window)
        status = _send_and_wait(qtbot, window)
        assert status.property("kind") == "error"
        assert "certificate" in status.text() and "CA bundle" in status.text(), status.text()

        _turn_tls_off(qtbot, window, "Turn Off")
        window.document.set_response(None)
        status = _send_and_wait(qtbot, window)
        assert "1 record found" in status.text(), status.text()
        assert "⚠ TLS certificate verification is OFF" in status.text()
        assert status.property("kind") == "warning"

        _click(qtbot, find(window, QCheckBox, "verifyTlsCheck"))  # back on: no question asked
        assert window.document.config.request.transport.verify_tls is True
        monkeypatch.setattr(transport_editor, "ask_ca_bundle_path", lambda _parent, _start: certificate[0])
        _click(qtbot, find(window, QPushButton, "caBundleBrowseButton"))
        assert window.document.config.request.transport.ca_bundle == str(certificate[0])
        assert find(window, QLineEdit, "caBundleEdit").text() == str(certificate[0])
        assert not find(window, QLabel, "caBundleProblem").isVisible()
        window.document.set_response(None)
        status = _send_and_wait(qtbot, window)
        assert status.text().startswith("HTTP 200") and "1 record found" in status.text(), status.text()
        assert "⚠" not in status.text() and status.property("kind") == "ok"


def test_a_ca_bundle_path_that_is_no_file_is_flagged(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = make_window(_config("https://shop.example/customers"))
    _connection_tab(window)
    edit = find(window, QLineEdit, "caBundleEdit")
    edit.setFocus()
    qtbot.keyClicks(edit, str(tmp_path / "corp-ca.pem"))
    problem = find(window, QLabel, "caBundleProblem")
    assert problem.isVisible() and "There is no file" in problem.text()
    _click(qtbot, find(window, QPushButton, "caBundleClearButton"))
    assert window.document.config.request.transport.ca_bundle is None
    assert edit.text() == "" and not problem.isVisible()


def test_a_production_host_shows_a_red_banner_and_marks_the_status(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    with http_server(Reply(body=CUSTOMERS)) as server:
        window = make_window(_config(server.url + "/customers"))
        _connection_tab(window)
        banner = find(window, QLabel, "productionBanner")
        mark = find(window, QPushButton, "markProductionButton")
        assert not banner.isVisible()
        assert mark.text() == "Mark 127.0.0.1 as production" and mark.isEnabled()
        _click(qtbot, mark)
        assert window.document.config.production_hosts == ["127.0.0.1"]
        assert banner.isVisible() and banner.text().startswith("PRODUCTION — 127.0.0.1")
        assert not mark.isEnabled()
        hosts = find(window, QListWidget, "productionHostsList")
        assert [hosts.item(i).text() for i in range(hosts.count())] == ["127.0.0.1"]

        status = _send_and_wait(qtbot, window)
        assert "1 record found" in status.text()
        assert "⚠ PRODUCTION: 127.0.0.1 is marked as a production host" in status.text()
        assert status.property("kind") == "warning"

        url = find(window, PlaceholderLineEdit, "urlEdit")
        url.setFocus()
        url.selectAll()
        qtbot.keyClicks(url, "http://localhost:1/customers")
        assert not banner.isVisible()  # the URL no longer points at it


def test_production_hosts_can_be_typed_pasted_and_removed(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window(_config("https://test.shop.example/customers"))
    _connection_tab(window)
    edit = find(window, QLineEdit, "productionHostEdit")
    edit.setFocus()
    qtbot.keyClicks(edit, "https://API.Shop.example/v1/customers")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.document.config.production_hosts == ["api.shop.example"]
    assert edit.text() == ""
    assert not find(window, QLabel, "productionBanner").isVisible()  # the URL is the test host
    hosts = find(window, QListWidget, "productionHostsList")
    hosts.setCurrentRow(0)
    _click(qtbot, find(window, QPushButton, "productionHostRemoveButton"))
    assert window.document.config.production_hosts == []
    window.undo_action.trigger()
    assert window.document.config.production_hosts == ["api.shop.example"]


class _ForwardProxy:
    def __call__(self, arrived: Arrived) -> Reply:
        if not arrived.target.startswith("http://"):
            return Reply(status=400, body=b'{"error": "not a proxy request"}')
        return Reply(body=b'[{"id": "VIA-PROXY"}]')


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    with http_server(_ForwardProxy()) as served:
        yield served.url


def test_proxy_modes_from_the_window(qtbot: QtBot, make_window: MakeWindow, proxy: str) -> None:
    window = make_window(_config("http://merchant.invalid/customers"))
    _connection_tab(window)
    combo = find(window, QComboBox, "proxyModeCombo")
    edit = find(window, QLineEdit, "proxyUrlEdit")
    assert combo.currentData() == "system" and not edit.isEnabled()

    combo.setCurrentIndex(combo.findData("custom"))
    combo.activated.emit(combo.currentIndex())
    assert edit.isEnabled() and combo.currentData() == "custom"
    assert window.document.config.request.transport.proxy is None  # nothing typed yet
    edit.setFocus()
    qtbot.keyClicks(edit, proxy)
    assert window.document.config.request.transport.proxy == proxy
    status = _send_and_wait(qtbot, window)
    assert "1 record found" in status.text(), status.text()
    preview = window.document.response
    assert preview is not None and preview.exchange is not None and b"VIA-PROXY" in preview.exchange.body

    combo.setCurrentIndex(combo.findData("none"))
    combo.activated.emit(combo.currentIndex())
    transport = window.document.config.request.transport
    assert (transport.proxy, transport.use_system_proxy) == (None, False)
    assert not edit.isEnabled()
    combo.setCurrentIndex(combo.findData("system"))
    combo.activated.emit(combo.currentIndex())
    transport = window.document.config.request.transport
    assert (transport.proxy, transport.use_system_proxy) == (None, True)
