"""The Credentials dialog: each reference with where its value comes from; set, replace, forget.

The machine running the tests has no desktop keyring, so most tests use an in-memory keyring
backend (``memory_keyring``); the test-wide null backend stands for "no usable keyring".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from memory_keyring import MemoryKeyring, memory_keyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QToolButton, QWidget
from pytestqt.qtbot import QtBot
from qt_helpers import answer_dialog, find, press_dialog_button

from designer.core.config import BasicAuth, BearerAuth, LookupConfig, Request, SecretRef
from designer.core.secrets import KEYRING_SERVICE
from designer.gui.credentials_dialog import CredentialsDialog
from designer.gui.main_window import MainWindow

MakeWindow = Callable[..., MainWindow]
VALUE = "tok-8f2c9a1d-VALUE"


@pytest.fixture
def keyring_backend() -> Iterator[MemoryKeyring]:
    with memory_keyring() as backend:
        yield backend


def _bearer(name: str = "SHOP_TOKEN") -> LookupConfig:
    return LookupConfig(
        request=Request(url="https://shop.example/c", auth=BearerAuth(token=SecretRef(secret=name)))
    )


def _open(qtbot: QtBot, window: MainWindow) -> CredentialsDialog:
    dialog = CredentialsDialog(window.document, window.secrets, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _state(dialog: CredentialsDialog, row: int = 0) -> str:
    item = dialog.table.item(row, 2)
    assert item is not None
    return item.text()


def _wait_state(qtbot: QtBot, dialog: CredentialsDialog, text: str) -> None:
    qtbot.waitUntil(lambda: _state(dialog).startswith(text), timeout=5000)


def _type_value(qtbot: QtBot, dialog: CredentialsDialog, value: str) -> QLineEdit:
    edit = find(dialog, QLineEdit, "credentialValueEdit")
    edit.setFocus()
    qtbot.keyClicks(edit, value)
    return edit


def _click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_lists_each_reference_with_its_purpose_and_where_it_comes_from(
    qtbot: QtBot, make_window: MakeWindow, keyring_backend: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = LookupConfig(
        request=Request(
            url="https://x.example", auth=BasicAuth(username="shop", password=SecretRef(secret="SHOP_PW"))
        )
    )
    window = make_window(config)
    dialog = _open(qtbot, window)
    assert [dialog.table.item(0, c).text() for c in range(2)] == [
        "SHOP_PW",
        "Basic auth password of user shop",
    ]  # type: ignore[union-attr]
    _wait_state(qtbot, dialog, "Missing")
    assert "environment variable SHOP_PW (not set)" in dialog.table.item(0, 2).toolTip()  # type: ignore[union-attr]
    assert not find(dialog, QPushButton, "credentialForgetButton").isEnabled()
    dialog.close()

    monkeypatch.setenv("SHOP_PW", VALUE)
    dialog = _open(qtbot, window)
    _wait_state(qtbot, dialog, "Environment variable SHOP_PW")
    message = find(dialog, QLabel, "credentialMessage").text()
    assert "environment variable SHOP_PW provides this value" in message
    assert not find(dialog, QPushButton, "credentialForgetButton").isEnabled()
    dialog.close()


def test_set_a_value_masked_reveal_then_store_replace_and_forget(
    qtbot: QtBot, make_window: MakeWindow, keyring_backend: MemoryKeyring
) -> None:
    window = make_window(_bearer())
    dialog = _open(qtbot, window)
    _wait_state(qtbot, dialog, "Missing")
    edit = _type_value(qtbot, dialog, VALUE)
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    assert VALUE not in edit.displayText()
    reveal = find(dialog, QToolButton, "credentialRevealButton")
    _click(qtbot, reveal)
    assert edit.displayText() == VALUE and reveal.text() == "Hide"
    _click(qtbot, reveal)
    assert VALUE not in edit.displayText()

    _click(qtbot, find(dialog, QPushButton, "credentialSaveButton"))
    _wait_state(qtbot, dialog, "Stored in the OS keyring")
    assert keyring_backend.items == {(KEYRING_SERVICE, "SHOP_TOKEN"): VALUE}
    assert "Saved “SHOP_TOKEN” in the system keyring" in find(dialog, QLabel, "credentialMessage").text()
    assert edit.text() == ""  # the typed value does not linger in the dialog

    _type_value(qtbot, dialog, "replaced-value-42")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: keyring_backend.items.get((KEYRING_SERVICE, "SHOP_TOKEN")) == "replaced-value-42")

    forget = find(dialog, QPushButton, "credentialForgetButton")
    qtbot.waitUntil(forget.isEnabled)
    seen: list[str] = []
    press_dialog_button("Forget", seen)
    _click(qtbot, forget)
    assert "Forget the stored value of “SHOP_TOKEN”" in seen[0]
    _wait_state(qtbot, dialog, "Missing")
    assert keyring_backend.items == {}
    assert window.secrets.value("SHOP_TOKEN") is None
    assert "Removed “SHOP_TOKEN” from the system keyring" in find(dialog, QLabel, "credentialMessage").text()
    dialog.close()


def test_without_a_usable_keyring_the_value_is_kept_for_the_session_and_said_so(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window(_bearer())
    dialog = _open(qtbot, window)
    _type_value(qtbot, dialog, VALUE)
    _click(qtbot, find(dialog, QPushButton, "credentialSaveButton"))
    _wait_state(qtbot, dialog, "Typed this session only")
    message = find(dialog, QLabel, "credentialMessage").text()
    assert "No system keyring is available" in message and "environment variable SHOP_TOKEN" in message
    assert VALUE not in message
    assert window.secrets.value("SHOP_TOKEN") == VALUE  # the next Send still has it
    dialog.close()


def test_a_project_without_credentials_says_so(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window(LookupConfig())
    dialog = _open(qtbot, window)
    assert dialog.table.rowCount() == 0
    assert find(dialog, QLabel, "credentialsEmpty").isVisible()
    assert not find(dialog, QLineEdit, "credentialValueEdit").isVisible()
    dialog.close()


def test_opened_from_the_request_menu_and_the_credentials_tab(
    qtbot: QtBot, make_window: MakeWindow, keyring_backend: MemoryKeyring
) -> None:
    window = make_window(_bearer())
    opened: list[str] = []

    def close(dialog: QWidget) -> None:
        opened.append(dialog.objectName())
        dialog.close()

    answer_dialog(qtbot, close)
    window.credentials_action.trigger()
    window.request_editor.tabs.setCurrentIndex(3)
    answer_dialog(qtbot, close)
    _click(qtbot, find(window, QPushButton, "authManageButton"))
    assert opened == ["credentialsDialog", "credentialsDialog"]
    assert QApplication.activeModalWidget() is None


def test_the_credentials_tab_says_where_the_value_comes_from(
    qtbot: QtBot, make_window: MakeWindow, keyring_backend: MemoryKeyring
) -> None:
    keyring_backend.items[(KEYRING_SERVICE, "SHOP_TOKEN")] = VALUE
    window = make_window(_bearer())
    window.request_editor.tabs.setCurrentIndex(3)
    status = find(window, QLabel, "authSecretStatus")
    qtbot.waitUntil(lambda: "Stored in the system keyring as “SHOP_TOKEN”" in status.text())
    assert find(window, QLineEdit, "authSecretEdit").text() == ""  # stored values are not loaded into widgets


def _embedded(name: str = "SHOP_TOKEN") -> LookupConfig:
    """A project whose file holds the token itself (an export made with the values included)."""
    token = SecretRef(secret=name, value=VALUE)
    return LookupConfig(request=Request(url="https://shop.example/c", auth=BearerAuth(token=token)))


def _token(window: MainWindow) -> SecretRef:
    auth = window.document.config.request.auth
    assert isinstance(auth, BearerAuth)
    return auth.token


def test_an_embedded_value_is_said_to_be_embedded_and_moves_to_the_keyring_as_one_undo_step(
    qtbot: QtBot, make_window: MakeWindow, keyring_backend: MemoryKeyring
) -> None:
    window = make_window(_embedded())
    dialog = _open(qtbot, window)
    _wait_state(qtbot, dialog, "Embedded in the project file")
    intro = find(dialog, QLabel, "credentialsIntro").text()
    assert "never in the project" not in intro  # it is in this one
    assert "embedded in an opened file" in intro
    message = find(dialog, QLabel, "credentialMessage")
    assert "SHOP_TOKEN is embedded in the project file" in message.text()
    assert VALUE not in message.text() and VALUE not in _state(dialog)
    move = find(dialog, QPushButton, "credentialMoveButton")
    assert move.isVisible() and move.isEnabled()
    steps = window.document.undo_stack.count()

    _click(qtbot, move)
    qtbot.waitUntil(lambda: _token(window).value is None, timeout=5000)
    assert keyring_backend.items == {(KEYRING_SERVICE, "SHOP_TOKEN"): VALUE}
    assert window.document.undo_stack.count() == steps + 1
    assert window.document.undo_stack.undoText() == "Move SHOP_TOKEN to the keyring"
    _wait_state(qtbot, dialog, "Stored in the OS keyring")
    assert "Moved “SHOP_TOKEN” to the system keyring" in message.text()
    qtbot.waitUntil(lambda: not move.isVisible())
    dialog.close()

    window.document.undo_stack.undo()
    assert _token(window) == SecretRef(secret="SHOP_TOKEN", value=VALUE)


def test_without_a_keyring_an_embedded_value_stays_where_it_is_and_the_dialog_says_why(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window(_embedded())
    dialog = _open(qtbot, window)
    _wait_state(qtbot, dialog, "Embedded in the project file")
    message = find(dialog, QLabel, "credentialMessage")
    _click(qtbot, find(dialog, QPushButton, "credentialMoveButton"))
    qtbot.waitUntil(lambda: "stays embedded in the project file" in message.text(), timeout=5000)
    assert _token(window).value == VALUE
    assert not window.document.dirty
    dialog.close()


def test_the_credentials_tab_says_an_embedded_value_is_embedded_and_moves_it(
    qtbot: QtBot, make_window: MakeWindow, keyring_backend: MemoryKeyring
) -> None:
    window = make_window(_embedded())
    window.request_editor.tabs.setCurrentIndex(3)
    status = find(window, QLabel, "authSecretStatus")
    qtbot.waitUntil(lambda: "Embedded in the project file" in status.text(), timeout=5000)
    assert "the embedded in" not in status.text()
    assert VALUE not in status.text()
    move = find(window, QPushButton, "authMoveButton")
    assert move.isVisible()
    _click(qtbot, move)
    qtbot.waitUntil(lambda: _token(window).value is None, timeout=5000)
    assert keyring_backend.items == {(KEYRING_SERVICE, "SHOP_TOKEN"): VALUE}
    qtbot.waitUntil(lambda: "Moved “SHOP_TOKEN” to the system keyring" in status.text())
    assert not move.isVisible()
