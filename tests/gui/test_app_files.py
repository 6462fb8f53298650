"""Files: save, reopen, export, recent files, the unsaved-changes prompt, broken files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from qt_helpers import find, press_dialog_button

from designer.core.config import BearerAuth, LookupConfig, Request, SecretRef
from designer.gui import files
from designer.gui.main_window import MainWindow
from designer.gui.placeholders import PlaceholderLineEdit

MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def pick(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path | None], None]:
    """Stand in for the operating system's file dialogs: the next pick returns ``path``."""

    def choose(path: Path | None) -> None:
        monkeypatch.setattr(files, "ask_open_path", lambda _parent: path)
        monkeypatch.setattr(files, "ask_save_path", lambda _parent, _title, _suggested: path)

    return choose


def _type_url(qtbot: QtBot, window: MainWindow, text: str) -> None:
    url = find(window, PlaceholderLineEdit, "urlEdit")
    url.setFocus()
    url.selectAll()
    qtbot.keyClicks(url, text)


def _ctrl(qtbot: QtBot, window: MainWindow, key: Qt.Key, shift: bool = False) -> None:
    modifiers = Qt.KeyboardModifier.ControlModifier
    if shift:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.focusWidget() or window, key, modifiers)


def test_save_as_reopen_and_the_dirty_marker(
    qtbot: QtBot, make_window: MakeWindow, pick: Callable[[Path | None], None], tmp_path: Path
) -> None:
    from designer.core.project_io import load_config

    window = make_window()
    _type_url(qtbot, window, "https://shop.example.com/customers/{search_term}")
    assert window.windowTitle().startswith("*")
    target = tmp_path / "shop.json"
    pick(target)
    _ctrl(qtbot, window, Qt.Key.Key_S)  # no path yet: Save asks where
    qtbot.waitUntil(target.exists)
    assert window.windowTitle() == "shop.json — Customer Lookup Designer"
    assert load_config(target) == window.document.config

    _type_url(qtbot, window, "https://shop.example.com/v2/{search_term}")
    assert window.windowTitle() == "*shop.json — Customer Lookup Designer"
    pick(None)  # Save must not ask again
    _ctrl(qtbot, window, Qt.Key.Key_S)
    assert not window.windowTitle().startswith("*")
    assert load_config(target).request.url == "https://shop.example.com/v2/{search_term}"

    second = make_window()
    pick(target)
    _ctrl(qtbot, second, Qt.Key.Key_O)
    assert second.document.config == window.document.config
    assert find(second, PlaceholderLineEdit, "urlEdit").text() == "https://shop.example.com/v2/{search_term}"
    assert second.document.undo_stack.count() == 0


def test_recent_files_reopen(
    qtbot: QtBot, make_window: MakeWindow, pick: Callable[[Path | None], None], tmp_path: Path
) -> None:
    window = make_window()
    target = tmp_path / "recent.json"
    pick(target)
    window.save_as_action.trigger()
    window.new_action.trigger()
    assert window.document.path is None
    entries = [a.text() for a in window.recent_menu.actions()]
    assert entries == [str(target.resolve())]
    window.recent_menu.actions()[0].trigger()
    assert window.document.path == target.resolve()
    later = make_window()  # a new session sees the same list
    assert [a.text() for a in later.recent_menu.actions()] == entries


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"format": "kaching-customer-lookup", "version": 1,\n  "name": "x",,}', "line 2"),
        ('{"format": "kaching-customer-lookup", "version": 7}', "7"),
        ("\x00\x01 not json at all", "line 1"),
    ],
    ids=["corrupt", "newer-version", "binary"],
)
def test_a_broken_file_shows_the_explanation_and_changes_nothing(
    *,
    qtbot: QtBot,
    make_window: MakeWindow,
    pick: Callable[[Path | None], None],
    tmp_path: Path,
    content: str,
    expected: str,
) -> None:
    window = make_window()
    _type_url(qtbot, window, "https://kept.example.com")
    window.document.mark_saved(tmp_path / "current.json")
    broken = tmp_path / "broken.json"
    broken.write_text(content, encoding="utf-8")
    pick(broken)
    seen: list[str] = []
    press_dialog_button("OK", seen)
    window.open_action.trigger()
    assert len(seen) == 1
    assert "Cannot open broken.json" in seen[0]
    assert expected in seen[0]
    assert "Traceback" not in seen[0]
    assert window.document.config.request.url == "https://kept.example.com"
    if expected == "7":
        assert "version 7" in seen[0] and "version 1" in seen[0]


def test_unsaved_changes_prompt_cancel_discard_save(
    qtbot: QtBot, make_window: MakeWindow, pick: Callable[[Path | None], None], tmp_path: Path
) -> None:
    window = make_window()
    _type_url(qtbot, window, "https://a.example.com")
    seen: list[str] = []
    press_dialog_button("Cancel", seen)
    window.new_action.trigger()
    assert "unsaved changes" in seen[0]
    assert window.document.config.request.url == "https://a.example.com"

    press_dialog_button("Discard")
    window.new_action.trigger()
    assert window.document.config.request.url == ""
    assert not window.document.dirty

    _type_url(qtbot, window, "https://b.example.com")
    press_dialog_button("Cancel")
    window.close()
    assert window.isVisible()  # closing was cancelled: nothing lost
    target = tmp_path / "b.json"
    pick(target)
    press_dialog_button("Save")
    window.close()
    assert not window.isVisible()
    assert json.loads(target.read_text(encoding="utf-8"))["request"]["url"] == "https://b.example.com"


def test_export_writes_references_not_secret_values(
    qtbot: QtBot, make_window: MakeWindow, pick: Callable[[Path | None], None], tmp_path: Path
) -> None:
    config = LookupConfig(request=Request(auth=BearerAuth(token=SecretRef(secret="SHOP_TOKEN"))))
    window = make_window(config)
    window.request_editor.tabs.setCurrentIndex(3)
    secret = find(window, QLineEdit, "authSecretEdit")
    secret.setFocus()
    qtbot.keyClicks(secret, "tok-VERY-SECRET")
    target = tmp_path / "export.json"
    pick(target)
    press_dialog_button("Export")  # the export review (tests/gui/test_export_dialog.py)
    _ctrl(qtbot, window, Qt.Key.Key_E)
    text = target.read_text(encoding="utf-8")
    assert "tok-VERY-SECRET" not in text
    assert json.loads(text)["request"]["auth"]["token"]["secret"] == "SHOP_TOKEN"
    assert "Exported" in window.statusBar().currentMessage()


def test_a_failed_save_says_why_and_keeps_the_changes(
    qtbot: QtBot, make_window: MakeWindow, pick: Callable[[Path | None], None], tmp_path: Path
) -> None:
    window = make_window()
    _type_url(qtbot, window, "https://a.example.com")
    pick(tmp_path / "missing-folder" / "x.json")
    seen: list[str] = []
    press_dialog_button("OK", seen)
    window.save_action.trigger()
    assert seen and "Cannot save the project" in seen[0]
    assert window.document.dirty
    assert window.windowTitle().startswith("*")


def test_new_project_title_and_empty_url(make_window: MakeWindow) -> None:
    window = make_window()
    assert window.windowTitle() == "Untitled lookup (not saved) — Customer Lookup Designer"
    assert window.document.config.request.url == ""


def test_saving_a_project_with_an_embedded_value_says_what_stays_out_and_keeps_it_for_the_session(
    qtbot: QtBot, make_window: MakeWindow, pick: Callable[[Path | None], None], tmp_path: Path
) -> None:
    """A project file keeps references only: the value must not vanish without a word."""
    from designer.core.project_io import load_config

    embedded = SecretRef(secret="SHOP_TOKEN", value="tok-EMBEDDED-1")
    request = Request(url="https://a.example.com/", auth=BearerAuth(token=embedded))
    window = make_window(LookupConfig(request=request))
    target = tmp_path / "shop.json"
    pick(target)
    window.save_as_action.trigger()
    qtbot.waitUntil(target.exists)
    assert "tok-EMBEDDED-1" not in target.read_text(encoding="utf-8")
    assert load_config(target).request.auth.token.value is None  # type: ignore[union-attr]
    message = window.statusBar().currentMessage()
    assert "Not in the file: the value of SHOP_TOKEN" in message and "Move to Keyring" in message
    assert "tok-EMBEDDED-1" not in message
    assert window.secrets.value("SHOP_TOKEN") == "tok-EMBEDDED-1"  # reopening keeps Send working
