"""Export to production: references by default, explicit inclusion naming each secret, a scan
that warns with the location before writing, and a diff against the last export.

Each test goes through File ▸ Export (Ctrl+E) as a user would: the file picker is stood in for
(``files.ask_save_path``), then the export review is answered while it is open.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from memory_keyring import MemoryKeyring, memory_keyring
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from qt_helpers import answer_dialog, find, press_dialog_button

from designer.core.config import BearerAuth, Header, LookupConfig, Param, Request, SecretRef
from designer.core.model_types import MASK
from designer.core.project_io import load_config
from designer.core.secrets import KEYRING_SERVICE
from designer.gui import files
from designer.gui.export_dialog import ExportDialog
from designer.gui.main_window import MainWindow

MakeWindow = Callable[..., MainWindow]
TOKEN = "tok-8f2c9a1d-VALUE"


@pytest.fixture
def keyring_backend() -> Iterator[MemoryKeyring]:
    with memory_keyring() as backend:
        backend.items[(KEYRING_SERVICE, "SHOP_TOKEN")] = TOKEN
        yield backend


def _pick(monkeypatch: pytest.MonkeyPatch, target: Path, asked: list[tuple[str, str]] | None = None) -> None:
    def ask(_parent: QWidget, title: str, suggested: str) -> Path:
        if asked is not None:
            asked.append((title, suggested))
        return target

    monkeypatch.setattr(files, "ask_save_path", ask)


def _config(**request: object) -> LookupConfig:
    fields: dict[str, object] = {"url": "https://api.shop.example/customers", **request}
    return LookupConfig(request=Request(auth=BearerAuth(token=SecretRef(secret="SHOP_TOKEN")), **fields))  # type: ignore[arg-type]


def _review(qtbot: QtBot, act: Callable[[ExportDialog], None]) -> list[str]:
    """Act on the export review when it opens (once the secret values are known)."""
    seen: list[str] = []

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog), dialog
        try:
            qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
            seen.append(dialog.objectName())
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    answer_dialog(qtbot, choose)
    return seen


def _export(qtbot: QtBot, window: MainWindow, act: Callable[[ExportDialog], None]) -> None:
    window.activateWindow()  # the shortcut goes to the active window
    qtbot.waitUntil(window.isActiveWindow)
    seen = _review(qtbot, act)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["exportDialog"]


def _click(qtbot: QtBot, widget: QWidget) -> None:
    # A check box reacts on its indicator and label, not on the stretched rest of its row.
    pos = QPoint(8, widget.height() // 2) if isinstance(widget, QCheckBox) else widget.rect().center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def _press_export(qtbot: QtBot) -> Callable[[ExportDialog], None]:
    return lambda dialog: _click(qtbot, find(dialog, QPushButton, "exportWriteButton"))


def test_export_writes_references_by_default_and_shows_the_whole_first_file(
    qtbot: QtBot,
    make_window: MakeWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    keyring_backend: MemoryKeyring,
) -> None:
    window = make_window(_config())
    target = tmp_path / "prod.json"
    _pick(monkeypatch, target)
    shown: dict[str, str] = {}

    def act(dialog: ExportDialog) -> None:
        shown["summary"] = find(dialog, QLabel, "exportSecretsSummary").text()
        shown["caption"] = find(dialog, QLabel, "exportDiffCaption").text()
        shown["diff"] = find(dialog, QPlainTextEdit, "exportDiff").toPlainText()
        shown["findings"] = str(find(dialog, QListWidget, "exportFindings").isVisible())
        assert not find(dialog, QCheckBox, "exportIncludeSecrets").isChecked()
        _click(qtbot, find(dialog, QPushButton, "exportWriteButton"))

    _export(qtbot, window, act)
    text = target.read_text(encoding="utf-8")
    assert TOKEN not in text
    assert json.loads(text)["request"]["auth"]["token"] == {"secret": "SHOP_TOKEN", "value": None}
    assert "references only" in shown["summary"] and "“SHOP_TOKEN” (Bearer token)" in shown["summary"]
    assert shown["caption"].startswith("First export of this project")
    assert shown["diff"] == text  # what is shown is what was written
    assert shown["findings"] == "False"
    assert "secret references only" in window.statusBar().currentMessage()


def test_including_values_needs_a_confirmation_that_names_each_secret(
    qtbot: QtBot,
    make_window: MakeWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    keyring_backend: MemoryKeyring,
) -> None:
    window = make_window(_config())
    target = tmp_path / "with-values.json"
    _pick(monkeypatch, target)
    asked: list[str] = []
    shown: dict[str, str] = {}

    def act(dialog: ExportDialog) -> None:
        check = find(dialog, QCheckBox, "exportIncludeSecrets")
        press_dialog_button("Cancel", asked)
        _click(qtbot, check)
        assert not check.isChecked()
        press_dialog_button("Include Values", asked)
        _click(qtbot, check)
        assert check.isChecked()
        shown["summary"] = find(dialog, QLabel, "exportSecretsSummary").text()
        shown["diff"] = find(dialog, QPlainTextEdit, "exportDiff").toPlainText()
        _click(qtbot, find(dialog, QPushButton, "exportWriteButton"))

    _export(qtbot, window, act)
    assert len(asked) == 2
    assert "• SHOP_TOKEN: Bearer token" in asked[0]
    assert "plain text" in asked[0]
    assert TOKEN not in asked[0]
    saved = load_config(target)
    assert saved.request.auth == BearerAuth(token=SecretRef(secret="SHOP_TOKEN", value=TOKEN))
    assert "will contain the values of “SHOP_TOKEN”" in shown["summary"]
    assert TOKEN not in shown["diff"] and MASK in shown["diff"]  # displayed masked even when included
    assert "with the values of SHOP_TOKEN" in window.statusBar().currentMessage()


def test_a_secret_without_a_value_stays_a_reference_when_values_are_included(
    qtbot: QtBot, make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = make_window(_config())  # null keyring, nothing typed, no environment variable
    target = tmp_path / "missing.json"
    _pick(monkeypatch, target)
    shown: list[str] = []

    def act(dialog: ExportDialog) -> None:
        press_dialog_button("Include Values")
        _click(qtbot, find(dialog, QCheckBox, "exportIncludeSecrets"))
        shown.append(find(dialog, QLabel, "exportSecretsSummary").text())
        _click(qtbot, find(dialog, QPushButton, "exportWriteButton"))

    _export(qtbot, window, act)
    assert shown[0] == "No value is available for “SHOP_TOKEN” (Bearer token): written as a reference."
    assert load_config(target).request.auth == BearerAuth(token=SecretRef(secret="SHOP_TOKEN"))


def test_credentials_pasted_as_plain_text_are_found_with_their_location(
    qtbot: QtBot,
    make_window: MakeWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    keyring_backend: MemoryKeyring,
) -> None:
    config = _config(
        url="https://shop:hunter2@api.shop.example/customers",
        headers=[Header(name="X-Debug-Auth", value="Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")],
        query=[Param(name="key", value=TOKEN)],
    )
    window = make_window(config)
    target = tmp_path / "leaky.json"
    _pick(monkeypatch, target)
    shown: dict[str, list[str]] = {}

    def go_back_then_write_anyway(dialog: ExportDialog) -> None:
        findings = find(dialog, QListWidget, "exportFindings")
        shown["list"] = [findings.item(i).text() for i in range(findings.count())]
        asked: list[str] = []
        press_dialog_button("Go Back", asked)
        _click(qtbot, find(dialog, QPushButton, "exportWriteButton"))
        shown["asked"] = asked
        assert dialog.isVisible() and not target.exists()  # back in the review, nothing written
        press_dialog_button("Write Anyway")
        _click(qtbot, find(dialog, QPushButton, "exportWriteButton"))

    _export(qtbot, window, go_back_then_write_anyway)
    assert shown["list"] == [
        "request.url has user:password@ in a URL",
        "request.query[0].value contains the value of a stored secret",
        "request.headers[0].value holds a Bearer token",
    ]
    assert all(line in shown["asked"][0] for line in shown["list"])
    assert all(TOKEN not in line for line in [*shown["list"], *shown["asked"]])
    assert target.exists()


def test_cancel_writes_nothing(
    qtbot: QtBot, make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = make_window(_config())
    target = tmp_path / "never.json"
    _pick(monkeypatch, target)
    _export(qtbot, window, lambda dialog: dialog.reject())
    assert not target.exists()


def test_the_next_export_shows_what_changed_since_the_last_export_of_the_project(
    qtbot: QtBot,
    make_window: MakeWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    keyring_backend: MemoryKeyring,
) -> None:
    project = tmp_path / "shop.json"
    first_export = tmp_path / "exports" / "shop-prod.json"
    first_export.parent.mkdir()
    window = make_window(_config())
    window.files.save_to(project)
    _pick(monkeypatch, first_export)
    _export(qtbot, window, _press_export(qtbot))

    url = window.request_editor.url_edit
    url.setFocus()
    url.selectAll()
    qtbot.keyClicks(url, "https://api.shop.example/v2/customers")
    window.files.save_to(project)

    later = make_window()  # another session opens the same project
    later.files.open_path(project)
    asked: list[tuple[str, str]] = []
    _pick(monkeypatch, first_export, asked)
    shown: dict[str, str] = {}

    def act(dialog: ExportDialog) -> None:
        shown["caption"] = find(dialog, QLabel, "exportDiffCaption").text()
        shown["diff"] = find(dialog, QPlainTextEdit, "exportDiff").toPlainText()
        _click(qtbot, find(dialog, QPushButton, "exportWriteButton"))

    _export(qtbot, later, act)
    assert asked[0][1] == str(first_export.resolve())  # the last export is suggested again
    assert shown["caption"] == f"Changes since the last export ({first_export.resolve()}):"
    lines = shown["diff"].splitlines()
    assert '-    "url": "https://api.shop.example/customers",' in lines
    assert '+    "url": "https://api.shop.example/v2/customers",' in lines
    assert len([line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]) == 2

    _export(
        qtbot, later, lambda dialog: shown.update(caption=find(dialog, QLabel, "exportDiffCaption").text())
    )
    assert shown["caption"].startswith("No changes since the last export")
