"""File ▸ Import cURL… and Copy as cURL, as a user sees and uses them (offscreen).

The command is pasted through the clipboard (Ctrl+V), choices are made in the combo boxes, and
the tests assert what the dialog shows, what the project holds afterwards (one undo step), that
credential values reach the session and the keyring but never the project, and that a copied
command imports back to the same request.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
from memory_keyring import MemoryKeyring, memory_keyring
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from qt_helpers import answer_dialog, find

from designer.core.config import BearerAuth, LookupConfig, Param, Request, SecretRef
from designer.core.curl_import import import_curl
from designer.core.model_types import MASK, Inputs
from designer.core.project_io import config_to_text
from designer.core.render import render_request
from designer.core.secrets import KEYRING_SERVICE, ChainResolver, MappingSource
from designer.gui.curl_dialog import CurlImportDialog
from designer.gui.main_window import MainWindow

MakeWindow = Callable[..., MainWindow]
COMMAND = (
    "curl 'https://shop.example.com/api/customers?q=ada&currency=DKK' \\\n"
    "  -H 'Authorization: Bearer tok-5f3a9c' \\\n"
    "  -H 'Accept: application/json'\n"
)
EMPTY_STATUS = "Paste a cURL command above to see what will be imported."
OLD = LookupConfig(request=Request(url="https://old.example.com/search", query=[Param(name="s", value="x")]))


@pytest.fixture
def keyring_backend() -> Iterator[MemoryKeyring]:
    with memory_keyring() as backend:
        yield backend


def _paste(qtbot: QtBot, dialog: CurlImportDialog, text: str) -> None:
    """Paste like a user: through the clipboard into the paste box, then wait for the parse."""
    QApplication.clipboard().setText(text)
    dialog.paste_edit.setFocus()
    qtbot.keyClick(dialog.paste_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.paste_edit.toPlainText() == text, timeout=3000)
    qtbot.waitUntil(lambda: dialog.imported is not None or dialog.status.text() != EMPTY_STATUS, timeout=3000)


def _open(qtbot: QtBot, window: MainWindow) -> CurlImportDialog:
    dialog = CurlImportDialog(window.document, window.secrets, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _choose(combo: QComboBox, text: str) -> None:
    items = [combo.itemText(i) for i in range(combo.count())]
    index = next((i for i, item in enumerate(items) if item.startswith(text)), None)
    assert index is not None, items
    combo.setCurrentIndex(index)


def _summary(dialog: CurlImportDialog, label: str) -> str:
    return find(dialog, QLabel, f"curlSummary{label}").text()


def test_file_menu_import_replaces_the_request_as_one_undo_step(
    make_window: MakeWindow, qtbot: QtBot, keyring_backend: MemoryKeyring
) -> None:
    window = make_window(OLD)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("Import c&URL…") == texts.index("Open &Recent") + 1
    steps = window.document.undo_stack.count()

    problems: list[BaseException] = []

    def use(dialog: QWidget) -> None:
        try:
            assert isinstance(dialog, CurlImportDialog)
            _paste(qtbot, dialog, COMMAND)
            _choose(dialog.search_combo, "ada — query parameter q")
            assert dialog.currency_combo.currentText().startswith("DKK (looks like a currency code)")
            dialog.import_button.click()
        except BaseException as error:  # a failed step must not leave the modal dialog open
            problems.append(error)
            dialog.close()

    answer_dialog(qtbot, use)
    window.import_curl_action.trigger()
    if problems:
        raise problems[0]

    config = window.document.config
    assert [(p.name, p.value) for p in config.request.query] == [
        ("q", "{search_term}"),
        ("currency", "{currency_code}"),
    ]
    assert (config.test_inputs.search_term, config.test_inputs.currency_code) == ("ada", "DKK")
    assert isinstance(config.request.auth, BearerAuth)
    assert find(window, QPlainTextEdit, "urlEdit").toPlainText() == "https://shop.example.com/api/customers"
    assert window.document.undo_stack.count() == steps + 1
    assert "tok-5f3a9c" not in config_to_text(config)
    secret = config.request.auth.token.secret
    assert window.secrets.value(secret) == "tok-5f3a9c"
    qtbot.waitUntil(
        lambda: keyring_backend.items.get((KEYRING_SERVICE, secret)) == "tok-5f3a9c", timeout=5000
    )

    window.document.undo_stack.undo()
    assert window.document.config.request == OLD.request
    assert window.document.config.test_inputs == OLD.test_inputs
    window.document.undo_stack.redo()
    assert window.document.config.request == config.request


def test_live_feedback_shows_what_was_understood(make_window: MakeWindow, qtbot: QtBot) -> None:
    dialog = _open(qtbot, make_window())
    assert dialog.status.text() == EMPTY_STATUS
    assert not dialog.import_button.isEnabled()
    assert dialog.search_combo.currentText() == "(paste a command first)"
    _paste(
        qtbot, dialog, "curl -d @body.json -H 'X-Shop: 7' https://api.example.com/v1/find -x http://p:3128"
    )
    qtbot.waitUntil(lambda: _summary(dialog, "Method") == "POST")
    assert _summary(dialog, "URL") == "https://api.example.com/v1/find"
    assert _summary(dialog, "Headers") == "X-Shop"
    assert _summary(dialog, "Credentials") == "none"
    warnings = find(dialog, QListWidget, "curlWarnings")
    lines = [warnings.item(i).text() for i in range(warnings.count())]
    assert any(line.startswith("⚠ -d @body.json") for line in lines)
    assert any(line.startswith("⚠ -x http://p:3128") for line in lines)
    assert dialog.status.text() == "Read as a bash command. 2 warnings: check them below."
    assert dialog.import_button.isEnabled()
    assert not dialog.credentials_box.isVisible()
    dialog.close()


HUBSPOT_VIA_PROXY = (
    "curl -x http://proxy.corp.example:3128 --proxy-user alice:s3cret -k "
    "'https://api.hubapi.com/crm/v3/objects/contacts/search/with/a/long/path?"
    + "&".join(f"property{i}=value_number_{i}" for i in range(12))
    + "' -X POST -H 'Authorization: Bearer pat-na1-5f3a9c1b' -H 'Content-Type: application/json' "
    + " ".join(f"-H 'X-Custom-Header-Number-{i}: {i}'" for i in range(10))
    + ' --data-raw \'{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ",'
    '"value":"ada@example.com"}]}],"properties":["firstname","lastname"],"limit":20}\''
)


def test_at_the_default_size_every_row_of_what_was_understood_is_shown_whole(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """Wrapped rows (a long query, many headers) got one line each and were cut in half."""
    dialog = _open(qtbot, make_window())
    assert (dialog.width(), dialog.height()) == (860, 760)
    _paste(qtbot, dialog, HUBSPOT_VIA_PROXY)
    qtbot.waitUntil(lambda: _summary(dialog, "Method") == "POST")
    qtbot.wait(50)  # the layout settles
    shown = [label for label in dialog.summary_values.values() if label.isVisibleTo(dialog)]
    assert [label.objectName() for label in shown][-1] == "curlSummaryTLS"  # the importer's -k row
    assert dialog.summary_values["Query"].heightForWidth(dialog.summary_values["Query"].width()) > (
        2 * dialog.summary_values["Query"].fontMetrics().lineSpacing()
    )  # the case that matters: rows that wrap
    for label in shown:
        assert label.height() >= label.heightForWidth(label.width()), label.objectName()
    for above, below in itertools.pairwise(shown):
        assert above.geometry().bottom() < below.geometry().top(), (above.objectName(), below.objectName())
    warnings = find(dialog, QListWidget, "curlWarnings")
    assert warnings.height() >= 3 * warnings.fontMetrics().lineSpacing()
    assert dialog.paste_edit.height() >= 4 * dialog.paste_edit.fontMetrics().lineSpacing()
    dialog.result_area.ensureWidgetVisible(dialog.store_check)  # below the fold: reachable by scrolling
    assert not dialog.store_check.visibleRegion().isEmpty()
    dialog.close()


def test_text_that_is_not_a_command_says_why_and_cannot_be_imported(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    dialog = _open(qtbot, make_window())
    _paste(qtbot, dialog, "echo hello")
    qtbot.waitUntil(lambda: "no curl command found" in dialog.status.text().lower())
    assert not dialog.import_button.isEnabled()
    assert _summary(dialog, "Method") == "—"
    dialog.close()


def test_credentials_offer_and_values_never_in_the_project(
    make_window: MakeWindow, qtbot: QtBot, keyring_backend: MemoryKeyring
) -> None:
    window = make_window()
    dialog = _open(qtbot, window)
    _paste(qtbot, dialog, "curl -u 'admin:pa55:w0rd' 'https://erp.example.com/customers?name=Bo'")
    qtbot.waitUntil(dialog.credentials_box.isVisible)
    text = find(dialog, QLabel, "curlCredentialsText").text()
    assert "Basic password of user 'admin'" in text and "ERP_EXAMPLE_COM_PASSWORD" in text
    assert "pa55:w0rd" not in text
    store = dialog.store_check
    assert store.isVisible() and store.isChecked()
    store.setChecked(False)  # this session only
    dialog.import_button.click()
    assert window.secrets.value("ERP_EXAMPLE_COM_PASSWORD") == "pa55:w0rd"
    assert keyring_backend.items == {}
    assert "pa55:w0rd" not in config_to_text(window.document.config, include_secrets=True)


def test_a_variable_instead_of_a_value_is_explained(make_window: MakeWindow, qtbot: QtBot) -> None:
    dialog = _open(qtbot, make_window())
    _paste(qtbot, dialog, 'curl -H "Authorization: Bearer $DO_API_TOKEN" https://api.example.com/v2/images')
    qtbot.waitUntil(dialog.credentials_box.isVisible)
    assert "provide “DO_API_TOKEN”" in find(dialog, QLabel, "curlCredentialsText").text()
    assert not dialog.store_check.isVisible()
    dialog.close()


def test_a_choice_survives_editing_the_command(make_window: MakeWindow, qtbot: QtBot) -> None:
    dialog = _open(qtbot, make_window())
    _paste(qtbot, dialog, "curl 'https://x.example.com/c?q=ada'")
    _choose(dialog.search_combo, "ada")
    dialog.paste_edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(dialog.paste_edit, " -H 'X-Shop: 7'")
    qtbot.waitUntil(lambda: _summary(dialog, "Headers") == "X-Shop")
    assert dialog.search_combo.currentText() == "ada — query parameter q"
    dialog.close()


def test_one_value_cannot_become_both_placeholders(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window(OLD)
    dialog = _open(qtbot, window)
    _paste(qtbot, dialog, "curl 'https://x.example.com/c?q=DKK'")
    _choose(dialog.search_combo, "DKK")
    _choose(dialog.currency_combo, "DKK")
    dialog.import_button.click()
    assert "cannot replace the same value" in dialog.status.text()
    assert dialog.isVisible() and window.document.config == OLD
    dialog.close()


# -- Copy as cURL ---------------------------------------------------------------------------


def _bearer_project() -> LookupConfig:
    config = LookupConfig(
        request=Request(
            method="POST",
            url="https://shop.example.com/search",
            query=[Param(name="q", value="{search_term}")],
            auth=BearerAuth(token=SecretRef(secret="SHOP_TOKEN")),
        )
    )
    return config.model_copy(
        update={"test_inputs": config.test_inputs.model_copy(update={"search_term": "O'Brien & Søn"})}
    )


def test_copy_as_curl_masks_secrets_and_imports_back(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window(_bearer_project())
    window.secrets.remember("SHOP_TOKEN", "tok-77aa")
    button = find(window, QPushButton, "copyCurlButton")
    with qtbot.waitSignal(window.request_editor.preview.copy_bar.copied, timeout=3000):
        button.click()
    masked = QApplication.clipboard().text()
    assert "tok-77aa" not in masked and f"Bearer {MASK}" in masked
    assert find(window, QLabel, "copyCurlStatus").text() == "Copied (secrets masked)."

    find(window, QWidget, "copyCurlSecretsCheck").click()
    with qtbot.waitSignal(window.request_editor.preview.copy_bar.copied, timeout=5000):
        button.click()
    command = QApplication.clipboard().text()
    assert "Bearer tok-77aa" in command
    assert "WITH the secret values" in find(window, QLabel, "copyCurlStatus").text()
    assert not window.request_editor.preview.copy_bar.include_secrets.isChecked()

    inputs = Inputs("O'Brien & Søn", "DKK")
    expected = render_request(
        window.document.config.request, inputs, ChainResolver([MappingSource({"SHOP_TOKEN": "tok-77aa"})])
    )
    imported = import_curl(command)
    assert (
        render_request(imported.request, inputs, ChainResolver([MappingSource(dict(imported.secrets))]))
        == expected
    )


def test_copy_with_a_missing_secret_says_which(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window(_bearer_project())
    QApplication.clipboard().setText("before")
    find(window, QWidget, "copyCurlSecretsCheck").click()
    find(window, QPushButton, "copyCurlButton").click()
    status = find(window, QLabel, "copyCurlStatus")
    qtbot.waitUntil(lambda: status.text().startswith("Not copied:"), timeout=5000)
    assert "SHOP_TOKEN" in status.text()
    assert QApplication.clipboard().text() == "before"
    assert find(window, QPushButton, "copyCurlButton").isEnabled()


def test_import_action_is_in_the_menu_as_an_action(make_window: MakeWindow) -> None:
    window = make_window()
    assert isinstance(window.import_curl_action, QAction)
    assert window.import_curl_action.toolTip().startswith("Replace the request")
