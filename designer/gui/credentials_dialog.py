"""The Credentials dialog: the project's secret references, where each value comes from, and
setting, replacing or forgetting a value.

Values are kept out of the project: a value typed here goes to the OS keyring (through
``SessionSecrets``); for headless runs the environment variable with the reference's name is
the fallback. "Where it comes from" is the core chain's own answer (``ChainResolver.locate``),
asked off the UI thread, so the dialog says exactly what a Send or ``lookup-designer run``
would use. The input is masked; Reveal shows what was typed, nothing else.

A value embedded in the opened file is said to be so (saving would drop it), and "Move to
Keyring" stores it there and keeps only the reference (``keyring_move``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.core.config import SecretRef
from designer.core.secrets import SecretUse, secret_uses
from designer.gui.confirm import confirm_destructive
from designer.gui.document import Document
from designer.gui.keyring_move import move_to_keyring
from designer.gui.session_secrets import SessionSecrets

if TYPE_CHECKING:
    from designer.core.secrets import SecretLocation

MISSING_COLOUR = "#b71c1c"


def describe_location(location: SecretLocation | None) -> str:
    """The "Value comes from" column in words."""
    if location is None:
        return "checking…"
    texts = {
        "keyring": "Stored in the OS keyring",
        "environment": f"Environment variable {location.name}",
        "session": "Typed this session only (no keyring: not stored)",
        "embedded": "Embedded in the project file",
        "file": location.where[:1].upper() + location.where[1:],
        "missing": "Missing: set a value below",
    }
    return texts.get(location.kind, location.where)


class CredentialsDialog(QDialog):
    def __init__(self, document: Document, secrets: SessionSecrets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("credentialsDialog")
        self.setWindowTitle("Credentials")
        self._document = document
        self._secrets = secrets
        self._uses: list[SecretUse] = secret_uses(document.config)
        self._locations: dict[str, SecretLocation] = {}
        self._closed = False
        self._moving = False  # a Move to Keyring is in progress
        self._asked = 0  # locate requests made; only the latest one's answer is shown

        intro = QLabel(
            "Values typed here are kept in the operating system's keyring; the project and export "
            "files store only the reference's name (a value embedded in an opened file is dropped "
            "when the project is saved: move it to the keyring to keep it). Headless runs (CI, "
            "<code>lookup-designer run</code>) read an environment variable with the reference's "
            "name instead."
        )
        intro.setObjectName("credentialsIntro")
        intro.setWordWrap(True)
        self._build_table()
        self._build_editor()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.value_edit, 1)
        row.addWidget(self.reveal_button)
        row.addWidget(self.save_button)
        row.addWidget(self.move_button)
        row.addWidget(self.forget_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.value_label)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self._fill_table()
        self._connect()
        if self._uses:
            self.table.selectRow(0)
        self._on_table_selection_changed()
        self.resize(900, 340)
        self._refresh_locations()

    def _build_table(self) -> None:
        self.table = QTableWidget(len(self._uses), 3)
        self.table.setObjectName("credentialsTable")
        self.table.setHorizontalHeaderLabels(["Reference", "Used for", "Value comes from"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)  # long purposes and file paths elide; the tooltip has them whole
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 280)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps a path's file name
        self.empty_label = QLabel(
            "This project uses no credentials. Choose Basic, Bearer token or API key in the "
            "request's Credentials tab first."
        )
        self.empty_label.setObjectName("credentialsEmpty")
        self.empty_label.setWordWrap(True)

    def _build_editor(self) -> None:
        self.value_label = QLabel()
        self.value_label.setObjectName("credentialValueLabel")
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("credentialValueEdit")
        self.value_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.value_edit.setPlaceholderText("type a new value to set or replace the stored one")
        self.reveal_button = QToolButton()
        self.reveal_button.setObjectName("credentialRevealButton")
        self.reveal_button.setText("Reveal")
        self.reveal_button.setCheckable(True)
        self.reveal_button.setToolTip("Show the typed value in clear text")
        self.save_button = QPushButton("Save in Keyring")
        self.save_button.setObjectName("credentialSaveButton")
        self.move_button = QPushButton("Move to Keyring")
        self.move_button.setObjectName("credentialMoveButton")
        self.move_button.setToolTip(
            "Store the value embedded in the project file in the OS keyring and keep only the "
            "reference in the project (one undo step)"
        )
        self.forget_button = QPushButton("Forget")
        self.forget_button.setObjectName("credentialForgetButton")
        self.forget_button.setToolTip("Remove the stored value from the keyring and from this session")
        self.message = QLabel()
        self.message.setObjectName("credentialMessage")
        self.message.setWordWrap(True)

    def _connect(self) -> None:
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.reveal_button.toggled.connect(self._on_reveal_button_toggled)
        self.value_edit.textChanged.connect(self._update_buttons)
        self.value_edit.returnPressed.connect(self._on_save_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.move_button.clicked.connect(self._on_move_button_clicked)
        self.forget_button.clicked.connect(self._on_forget_button_clicked)
        self._secrets.stored.connect(self._on_secrets_stored)
        self._secrets.forgotten.connect(self._on_secrets_forgotten)

    # -- public -----------------------------------------------------------------------------------
    @property
    def selected(self) -> SecretUse | None:
        rows = self.table.selectionModel().selectedRows()
        return self._uses[rows[0].row()] if rows else None

    def location(self, name: str) -> SecretLocation | None:
        return self._locations.get(name)

    # -- slots ------------------------------------------------------------------------------------
    def _on_table_selection_changed(self) -> None:
        use = self.selected
        self.empty_label.setVisible(not self._uses)
        for widget in (
            self.value_label,
            self.value_edit,
            self.reveal_button,
            self.save_button,
            self.move_button,
            self.forget_button,
        ):
            widget.setVisible(use is not None)
        self.value_edit.clear()
        self.message.clear()
        if use is not None:
            self.value_label.setText(f"Value of “{use.name}” ({use.purpose})")
        self._update_buttons()

    def _on_reveal_button_toggled(self, shown: bool) -> None:
        self.value_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.reveal_button.setText("Hide" if shown else "Reveal")

    def _on_save_button_clicked(self) -> None:
        use = self.selected
        value = self.value_edit.text()
        if use is None or not value:
            return
        self._secrets.remember(use.name, value)
        self._secrets.persist(use.name)
        self.value_edit.clear()
        self.reveal_button.setChecked(False)
        self.message.setText("Saving in the system keyring…")

    def _on_move_button_clicked(self) -> None:
        use = self.selected
        if use is None:
            return
        move = move_to_keyring(self._document, self._secrets, use.name)
        if move is None:
            return
        move.finished.connect(self._on_move_finished)
        self._moving = True
        self.move_button.setEnabled(False)
        self.message.setText("Moving to the system keyring…")

    def _on_move_finished(self, _name: str, _moved: bool, what: str) -> None:
        if self._closed:
            return
        self._moving = False
        self.message.setText(what)
        self._refresh_locations()

    def _on_forget_button_clicked(self) -> None:
        use = self.selected
        if use is None or not self._confirm_forget(use):
            return
        self._secrets.forget(use.name)
        self.message.setText("Removing…")

    def _confirm_forget(self, use: SecretUse) -> bool:
        return confirm_destructive(
            self,
            name="forgetCredentialConfirm",
            title="Forget credential",
            text=f"Forget the stored value of “{use.name}”?",
            informative="It is removed from the OS keyring; Send needs it typed again.",
            action="Forget",
            icon=QMessageBox.Icon.Question,
        )

    def _on_secrets_stored(self, name: str, in_keyring: bool) -> None:
        if self._closed:
            return
        if in_keyring:
            self.message.setText(f"Saved “{name}” in the system keyring.")
        else:
            self.message.setText(
                f"No system keyring is available: “{name}” is kept in memory for this session only. "
                f"For later sessions and headless runs set the environment variable {name}."
            )
        self._refresh_locations()

    def _on_secrets_forgotten(self, name: str, what: str) -> None:
        if self._closed:
            return
        self.message.setText(what)
        self._refresh_locations()

    # -- internals --------------------------------------------------------------------------------
    def _fill_table(self) -> None:
        for row, use in enumerate(self._uses):
            for column, text in enumerate((use.name, use.purpose, describe_location(None))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(text)
                self.table.setItem(row, column, item)

    def _refresh_locations(self) -> None:
        # The project's own references: an embedded value is one of the places a value comes from.
        current = {ref.secret: ref for ref in self._document.config.secret_refs()}
        refs = [current.get(use.name) or SecretRef(secret=use.name) for use in self._uses]
        if refs:
            self._asked += 1  # several may run at once (a store, then a move): the latest wins
            asked = self._asked
            self._secrets.spawn(self._secrets.locate_all(refs), lambda found: self._on_located(found, asked))

    def _on_located(self, locations: dict[str, SecretLocation], asked: int) -> None:
        if self._closed or asked != self._asked:
            return
        self._locations = locations
        for row, use in enumerate(self._uses):
            location = locations.get(use.name)
            item = self.table.item(row, 2)
            if item is None:
                continue
            item.setText(describe_location(location))
            item.setToolTip(location.where if location is not None else "")
            missing = location is not None and not location.found
            item.setForeground(QBrush(QColor(MISSING_COLOUR)) if missing else QBrush())
        self._update_buttons()

    def _update_buttons(self) -> None:
        use = self.selected
        location = self._locations.get(use.name) if use is not None else None
        self.save_button.setEnabled(bool(self.value_edit.text()))
        self.forget_button.setEnabled(location is not None and location.kind in ("keyring", "session"))
        embedded = location is not None and location.kind == "embedded"
        self.move_button.setVisible(embedded)
        self.move_button.setEnabled(not self._moving)
        if embedded and location is not None and not self.message.text():
            self.message.setText(
                f"The value of {location.name} is embedded in the project file: Send uses it, but "
                "saving the project keeps only the reference. Move it to the keyring to keep it."
            )
        if location is not None and location.kind == "environment" and not self.message.text():
            self.message.setText(
                f"The environment variable {location.name} provides this value; it wins over the "
                "keyring. Unset it where the designer is started to use a stored value."
            )

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)


def open_credentials_dialog(document: Document, secrets: SessionSecrets, parent: QWidget) -> None:
    dialog = CredentialsDialog(document, secrets, parent)
    dialog.exec()
    dialog.deleteLater()
