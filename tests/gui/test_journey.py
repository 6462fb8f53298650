"""The consultant's whole journey through the window, with the mouse and keyboard (issue 3).

Against the real demo merchant server on 127.0.0.1: edit the request, Send, click tree nodes and
map every field of the WooCommerce sample with the mapper's button, read the preview, undo and
redo across panels, save, reopen, export, and check that ``lookup-designer run`` on the exported
file prints exactly the preview's JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QToolButton
from pytestqt.qtbot import QtBot
from qt_helpers import choose_from_popup, find, press_dialog_button

from designer.core.config import ResponseSpec
from designer.core.project_io import load_config
from designer.demo import DemoServer, rebase_sample_url
from designer.demo.samples import demo_secrets_file, samples_dir
from designer.gui import files
from designer.gui.main_window import MainWindow
from designer.gui.placeholders import PlaceholderLineEdit

MakeWindow = Callable[..., MainWindow]

#: Where each Customer field of the sample is in record [0] of the demo's answer for "jensen".
CLICKS: list[tuple[str, tuple[str | int, ...]]] = [
    ("identifier", (0, "id")),
    ("name", (0, "first_name")),
    ("street", (0, "billing", "address_1")),
    ("city", (0, "billing", "city")),
    ("postal_code", (0, "billing", "postcode")),
    ("country_code", (0, "billing", "country")),
    ("phone", (0, "billing", "phone")),
    ("email", (0, "email")),
]


@pytest.fixture
def demo() -> Iterator[str]:
    server = DemoServer(port=0)
    base = server.start()
    try:
        yield base
    finally:
        server.stop()


def _append_from_popup(text: str) -> None:
    """In the next popup, pick ``text`` in its "Add as another path of ▸" submenu."""

    def poll(tries: int = 300) -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu) and popup.isVisible():
            for action in popup.actions():
                submenu = action.menu()
                if isinstance(submenu, QMenu) and "another path" in action.text():
                    match = next(a for a in submenu.actions() if a.text() == text)
                    match.trigger()
                    popup.close()
                    return
        if tries > 0:
            QTimer.singleShot(10, lambda: poll(tries - 1))

    QTimer.singleShot(0, poll)


def _click_node(qtbot: QtBot, window: MainWindow, location: tuple[str | int, ...]) -> None:
    panel = window.response_panel
    index = panel.model.index_for_location(location)
    assert index.isValid(), location
    panel.tree.scrollTo(index)
    rect = panel.tree.visualRect(index)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.tree.currentIndex() == index


def _map_with_button(qtbot: QtBot, window: MainWindow, field: str, *, append: bool = False) -> None:
    button = find(window, QToolButton, "mapSelectedButton")
    assert button.isEnabled()
    if append:
        _append_from_popup(field)
    else:
        choose_from_popup(field)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the menu opens; the helper picks


def _ctrl(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    """A shortcut as the user presses it: to the focused widget, travelling up to the window.

    A closed popup menu leaves no window active on the offscreen platform, and Qt delivers
    shortcuts only to the active window: the user's window is the one in front.
    """
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.focusWidget() or window, key, Qt.KeyboardModifier.ControlModifier)


def _preview_settled(window: MainWindow) -> Callable[[], bool]:
    return lambda: not window.preview_panel.live.busy and window.preview_panel.json_text() is not None


def test_the_whole_journey_from_request_to_an_export_that_runs_the_same(
    qtbot: QtBot,
    make_window: MakeWindow,
    demo: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample = load_config(samples_dir() / "woocommerce.json")
    expected_fields = sample.response.fields
    # The sample's request, with nothing mapped yet: the mapping is what the user builds here.
    start = sample.model_copy(update={"response": ResponseSpec(no_match_statuses=[])})
    window = make_window(start)
    window.secrets.secrets_file = demo_secrets_file()

    # 1. Edit the request: the URL typed in, the search term typed in the search bar.
    url = find(window, PlaceholderLineEdit, "urlEdit")
    url.setFocus()
    url.selectAll()
    qtbot.keyClicks(url, rebase_sample_url(sample.request.url, demo))
    term = find(window, QLineEdit, "searchTermEdit")
    term.setFocus()
    term.selectAll()
    qtbot.keyClicks(term, "jensen")
    assert window.document.config.request.url.startswith(demo)

    # 2. Send (Ctrl+Enter) against the demo server.
    qtbot.keyClick(term, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.document.response is not None and not window.document.busy, timeout=10000)
    assert "HTTP 200" in window.search_bar.status_label.text()

    # 3. Map every field by clicking its tree node and choosing the field from the button's menu.
    for field, location in CLICKS:
        _click_node(qtbot, window, location)
        _map_with_button(qtbot, window, field)
        qtbot.waitUntil(lambda f=field: f in window.document.config.response.fields)  # type: ignore[misc]
    _click_node(qtbot, window, (0, "last_name"))
    _map_with_button(qtbot, window, "name", append=True)
    qtbot.waitUntil(lambda: len(window.document.config.response.fields["name"].paths) == 2)

    mapped = window.document.config.response
    assert mapped.records_path == "$[*]"  # detected from the clicked nodes
    for field, mapping in expected_fields.items():
        written = [p.replace("['", ".").replace("']", "") for p in mapped.fields[field].paths]
        assert written == mapping.paths, field

    # 4. The preview: the sample's expected Customer list, exactly.
    qtbot.waitUntil(_preview_settled(window), timeout=10000)
    expected = json.loads((samples_dir() / "expected" / "woocommerce" / "jensen.json").read_text("utf-8"))
    preview_json = window.preview_panel.json_text()
    assert preview_json is not None and json.loads(preview_json) == expected
    assert window.preview_panel.model.rowCount() == len(expected)

    # 5. Undo and redo across panels: the mapper's last step, seen in the preview.
    _ctrl(qtbot, window, Qt.Key.Key_Z)
    assert window.document.config.response.fields["name"].paths == ["$['first_name']"]
    qtbot.waitUntil(_preview_settled(window))
    assert json.loads(window.preview_panel.json_text() or "[]")[0]["name"] == "Ada"
    _ctrl(qtbot, window, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: len(window.document.config.response.fields["name"].paths) == 2)
    qtbot.waitUntil(_preview_settled(window))
    assert json.loads(window.preview_panel.json_text() or "[]") == expected

    # 6. Save (Ctrl+S asks where), reopen in a second window.
    project = tmp_path / "woo.json"
    monkeypatch.setattr(files, "ask_save_path", lambda _parent, _title, _suggested: project)
    _ctrl(qtbot, window, Qt.Key.Key_S)
    qtbot.waitUntil(project.exists)
    assert not window.windowTitle().startswith("*")
    second = make_window()
    assert second.open_path(project)
    assert second.document.config == window.document.config

    # 7. Export (Ctrl+E, reviewed, references only) and run the exported file headless.
    exported = tmp_path / "woo.export.json"
    monkeypatch.setattr(files, "ask_save_path", lambda _parent, _title, _suggested: exported)
    press_dialog_button("Export")
    _ctrl(qtbot, second, Qt.Key.Key_E)
    qtbot.waitUntil(exported.exists)
    secret = demo_secrets_file().read_text("utf-8").split("DEMO_WOO_CONSUMER_SECRET=")[1].split()[0]
    assert secret not in exported.read_text("utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "designer", "run", str(exported), "-s", "jensen"],
        check=False,
        capture_output=True,
        env={**os.environ, "DEMO_WOO_CONSUMER_SECRET": secret, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == preview_json + "\n"  # byte for byte what the preview showed
