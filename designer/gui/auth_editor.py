"""Credentials: none, Basic, Bearer or an API key, with the secret kept out of the project.

The project stores only the secret's reference name; the value typed here is hidden by default
(password echo with a reveal toggle) and handed to ``SessionSecrets`` (memory + OS keyring).
When nothing was typed this session, the status line says where the value will come from (the
core chain's answer); "Manage stored credentials…" opens the Credentials dialog. A value
embedded in the project file is said to be so, with "Move to Keyring" (``keyring_move``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from designer.core.config import (
    ApiKeyAuth,
    Auth,
    BasicAuth,
    BearerAuth,
    LookupConfig,
    NoAuth,
    SecretRef,
)
from designer.gui.document import Document
from designer.gui.keyring_move import move_to_keyring
from designer.gui.placeholders import UndoToWindow
from designer.gui.session_secrets import SessionSecrets

if TYPE_CHECKING:
    from designer.core.secrets import SecretLocation

AUTH_TYPES = (("none", "None"), ("basic", "Basic"), ("bearer", "Bearer token"), ("api_key", "API key"))
SECRET_LABELS = {"basic": "Password", "bearer": "Token", "api_key": "API key"}
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def secret_ref_of(auth: Auth) -> SecretRef | None:
    if isinstance(auth, BasicAuth):
        return auth.password
    if isinstance(auth, BearerAuth):
        return auth.token
    if isinstance(auth, ApiKeyAuth):
        return auth.value
    return None


def default_secret_name(config: LookupConfig, kind: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", config.name).strip("_.-").lower() or "lookup"
    if not re.match(r"[A-Za-z_]", slug):
        slug = f"_{slug}"
    return f"{slug}_{'password' if kind == 'basic' else 'token' if kind == 'bearer' else 'api_key'}"


def make_auth(kind: str, old: Auth, ref: SecretRef) -> Auth:
    if kind == "basic":
        return BasicAuth(username=getattr(old, "username", ""), password=ref)
    if kind == "bearer":
        return BearerAuth(token=ref)
    if kind == "api_key":
        return ApiKeyAuth(name="X-API-Key", value=ref)
    return NoAuth()


def with_auth(config: LookupConfig, auth: Auth) -> LookupConfig:
    return config.model_copy(update={"request": config.request.model_copy(update={"auth": auth})})


class AuthEditor(QWidget):
    def __init__(self, document: Document, secrets: SessionSecrets) -> None:
        super().__init__()
        self._document = document
        self._secrets = secrets
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("authTypeCombo")
        for key, label in AUTH_TYPES:
            self.type_combo.addItem(label, key)
        self.user_edit = self._line_edit("authUserEdit", "user name")
        self.key_name_edit = self._line_edit("authKeyNameEdit", "e.g. X-API-Key")
        self.location_combo = QComboBox()
        self.location_combo.setObjectName("authLocationCombo")
        self.location_combo.addItem("Header", "header")
        self.location_combo.addItem("Query parameter", "query")
        self.prefix_edit = self._line_edit("authPrefixEdit", "optional text before the key, e.g. ApiKey")
        self.secret_edit = self._line_edit(
            "authSecretEdit", "type the secret; it is not saved in the project"
        )
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.reveal_button = QToolButton()
        self.reveal_button.setObjectName("authRevealButton")
        self.reveal_button.setText("Show")
        self.reveal_button.setCheckable(True)
        self.reveal_button.setToolTip("Show or hide the secret value")
        self.secret_name_edit = self._line_edit("authSecretNameEdit", "reference name, e.g. shop_api_key")
        self.secret_name_edit.setToolTip(
            "The project stores only this name. At run time the value comes from the OS keyring, "
            "or from an environment variable with this name."
        )
        self.status_label = QLabel()
        self.status_label.setObjectName("authSecretStatus")
        self.status_label.setWordWrap(True)
        self.manage_button = QPushButton("Manage stored credentials…")
        self.manage_button.setObjectName("authManageButton")
        self.manage_button.setToolTip("See where each credential comes from; set, replace or forget values")
        self.move_button = _move_button()
        self._located: str | None = None  # the reference whose location the status line shows

        self._secret_row = QHBoxLayout()
        self._secret_row.setContentsMargins(0, 0, 0, 0)
        self._secret_row.addWidget(self.secret_edit, 1)
        self._secret_row.addWidget(self.reveal_button)
        self._secret_label = QLabel("Secret")
        self.form = QFormLayout(self)
        self.form.setContentsMargins(4, 4, 4, 4)
        self.form.addRow("Type", self.type_combo)
        self.form.addRow("User name", self.user_edit)
        self.form.addRow("Key name", self.key_name_edit)
        self.form.addRow("Send in", self.location_combo)
        self.form.addRow("Prefix", self.prefix_edit)
        self.form.addRow(self._secret_label, self._secret_row)
        self.form.addRow("Stored as", self.secret_name_edit)
        self.form.addRow(self.status_label)
        self._manage_row = _row(self.manage_button, self.move_button)
        self.form.addRow(self._manage_row)

        self._connect(document)
        self._on_document_config_changed()

    def _connect(self, document: Document) -> None:
        self.type_combo.activated.connect(self._on_type_combo_activated)
        self.location_combo.activated.connect(self._on_location_combo_activated)
        self.reveal_button.toggled.connect(self._on_reveal_button_toggled)
        self.user_edit.textEdited.connect(lambda t: self._edit_auth("username", t))
        self.key_name_edit.textEdited.connect(lambda t: self._edit_auth("name", t))
        self.prefix_edit.textEdited.connect(lambda t: self._edit_auth("prefix", t))
        self.secret_name_edit.textEdited.connect(self._on_secret_name_edited)
        self.secret_edit.textEdited.connect(self._on_secret_edited)
        self.secret_edit.editingFinished.connect(self._on_secret_editing_finished)
        self._secrets.stored.connect(self._on_secrets_stored)
        self._secrets.forgotten.connect(self._on_secrets_forgotten)
        self.manage_button.clicked.connect(self._on_manage_button_clicked)
        self.move_button.clicked.connect(self._on_move_button_clicked)
        document.configChanged.connect(self._on_document_config_changed)

    def _line_edit(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.installEventFilter(UndoToWindow(edit))
        edit.editingFinished.connect(self._document.end_merge)
        return edit

    # -- slots ------------------------------------------------------------------------------------
    def _on_type_combo_activated(self, _index: int) -> None:
        kind = str(self.type_combo.currentData())
        config = self._document.config
        old = config.request.auth
        if kind == old.type:
            return
        ref = secret_ref_of(old) or SecretRef(secret=default_secret_name(config, kind))
        label = self.type_combo.currentText()
        self._document.apply(f"Credentials: {label}", with_auth(config, make_auth(kind, old, ref)))

    def _on_location_combo_activated(self, _index: int) -> None:
        self._edit_auth("location", str(self.location_combo.currentData()))

    def _on_reveal_button_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.secret_edit.setEchoMode(mode)
        self.reveal_button.setText("Hide" if shown else "Show")

    def _edit_auth(self, attr: str, value: str) -> None:
        auth = self._document.config.request.auth
        if not hasattr(auth, attr):
            return
        if attr == "name" and not value:
            self.status_label.setText("The key name cannot be empty.")
            return
        new = auth.model_copy(update={attr: value})
        config = with_auth(self._document.config, new)
        self._document.apply("Edit credentials", config, merge_id=f"request.auth.{attr}")

    def _on_secret_name_edited(self, name: str) -> None:
        auth = self._document.config.request.auth
        ref = secret_ref_of(auth)
        if ref is None:
            return
        if not _NAME_RE.match(name):
            self.status_label.setText(
                "A reference name starts with a letter or _ and holds letters, digits, _ . or -."
            )
            return
        attr = {"basic": "password", "bearer": "token", "api_key": "value"}[auth.type]
        new = auth.model_copy(update={attr: ref.model_copy(update={"secret": name})})
        self._document.apply("Rename credential", with_auth(self._document.config, new), merge_id="secret")
        typed = self.secret_edit.text()
        if typed:
            self._secrets.remember(name, typed)
        self._show_secret_state()

    def _on_secret_edited(self, value: str) -> None:
        ref = secret_ref_of(self._document.config.request.auth)
        if ref is not None:
            self._secrets.remember(ref.secret, value)
            self.status_label.setText("")

    def _on_secret_editing_finished(self) -> None:
        ref = secret_ref_of(self._document.config.request.auth)
        if ref is not None and self.secret_edit.text():
            self._secrets.persist(ref.secret)
            self.status_label.setText("Saving to the system keyring…")

    def _on_secrets_stored(self, name: str, in_keyring: bool) -> None:
        ref = secret_ref_of(self._document.config.request.auth)
        if ref is None or ref.secret != name:
            return
        if in_keyring:
            self.status_label.setText(f"Saved in the system keyring as “{name}”, not in the project file.")
        else:
            self.status_label.setText(
                f"No system keyring is available: the value of “{name}” is kept in memory for this "
                f"session only. For later sessions set the environment variable {name}."
            )

    def _on_secrets_forgotten(self, name: str, what: str) -> None:
        ref = secret_ref_of(self._document.config.request.auth)
        if ref is not None and ref.secret == name:
            self.secret_edit.clear()
            self.status_label.setText(what)
            self._located = None
            self._locate(ref)

    def _on_manage_button_clicked(self) -> None:
        from designer.gui.credentials_dialog import open_credentials_dialog  # noqa: PLC0415

        open_credentials_dialog(self._document, self._secrets, self.window())

    def _on_move_button_clicked(self) -> None:
        ref = secret_ref_of(self._document.config.request.auth)
        move = move_to_keyring(self._document, self._secrets, ref.secret) if ref is not None else None
        if move is None:
            return
        move.finished.connect(self._on_move_finished)
        self.move_button.setEnabled(False)
        self.status_label.setText("Moving to the system keyring…")

    def _on_move_finished(self, _name: str, moved: bool, what: str) -> None:
        self.move_button.setEnabled(True)
        self.move_button.setVisible(not moved)
        self.status_label.setText(what)

    def _on_document_config_changed(self) -> None:
        auth = self._document.config.request.auth
        self.type_combo.setCurrentIndex(self.type_combo.findData(auth.type))
        visible = {
            "authUserEdit": isinstance(auth, BasicAuth),
            "authKeyNameEdit": isinstance(auth, ApiKeyAuth),
            "authLocationCombo": isinstance(auth, ApiKeyAuth),
            "authPrefixEdit": isinstance(auth, ApiKeyAuth),
        }
        for widget in (self.user_edit, self.key_name_edit, self.location_combo, self.prefix_edit):
            self.form.setRowVisible(widget, visible[widget.objectName()])
        has_secret = not isinstance(auth, NoAuth)
        self.form.setRowVisible(self._secret_row, has_secret)
        self.form.setRowVisible(self.secret_name_edit, has_secret)
        self.form.setRowVisible(self.status_label, has_secret)
        self.form.setRowVisible(self._manage_row, has_secret)
        if isinstance(auth, BasicAuth):
            _sync(self.user_edit, auth.username)
        if isinstance(auth, ApiKeyAuth):
            _sync(self.key_name_edit, auth.name)
            _sync(self.prefix_edit, auth.prefix)
            self.location_combo.setCurrentIndex(self.location_combo.findData(auth.location))
        ref = secret_ref_of(auth)
        self.move_button.setVisible(ref is not None and bool(ref.value))
        if ref is not None:
            self._secret_label.setText(SECRET_LABELS[auth.type])
            _sync(self.secret_name_edit, ref.secret)
            self._show_secret_state()

    def _show_secret_state(self) -> None:
        ref = secret_ref_of(self._document.config.request.auth)
        if ref is None:
            return
        known = self._secrets.value(ref.secret)
        _sync(self.secret_edit, known or "")
        if ref.value or (known is None and self._located != ref.secret):
            self._locate(ref)  # an embedded value is sent whatever was typed: always say so

    def _locate(self, ref: SecretRef) -> None:
        """Ask the core chain (off the UI thread) where the value of ``ref`` comes from."""
        self._located = ref.secret
        self._secrets.spawn(self._secrets.locate_all([ref]), self._on_located)

    def _on_located(self, locations: dict[str, SecretLocation]) -> None:
        ref = secret_ref_of(self._document.config.request.auth)
        location = locations.get(ref.secret) if ref is not None else None
        if location is None or (location.kind == "embedded" and not (ref is not None and ref.value)):
            return  # nothing to say, or an answer about a value moved out of the project since
        if location.kind != "embedded" and self._secrets.value(location.name) is not None:
            return
        if location.kind == "keyring":
            text = f"Stored in the system keyring as “{location.name}”, not in the project file."
        elif location.kind == "embedded":
            text = (
                f"Embedded in the project file: Send uses it, but saving the project keeps only the "
                f"reference “{location.name}”. Move it to the keyring to keep it."
            )
        elif location.kind == "missing":
            text = (
                f"Not set: type it here (it goes to the system keyring), or set the environment "
                f"variable {location.name} for headless runs."
            )
        else:
            text = f"Not typed in this session: the value comes from the {location.where}."
        self.status_label.setText(text)


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def _move_button() -> QPushButton:
    button = QPushButton("Move to Keyring")
    button.setObjectName("authMoveButton")
    button.setToolTip(
        "Store the value embedded in the project file in the OS keyring and keep only the "
        "reference in the project (one undo step)"
    )
    button.hide()
    return button


def _sync(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.setText(text)
