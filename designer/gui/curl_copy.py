"""Copy as cURL: the request for the current test inputs, as a bash command, on the clipboard.

The command is the core's export (``designer.core.curl_export.to_curl``) of the core's
rendering (``render_request``), so it is exactly what a test search sends. Secrets are masked;
with "include secrets" ticked (an explicit choice, off by default and after every copy) the
real values are read through the session's secret chain off the UI thread (the keyring may
block) and put in the command.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from designer.core.config import LookupConfig, SecretRef
from designer.core.curl_export import to_curl
from designer.core.errors import DesignerError
from designer.core.model_types import Inputs
from designer.core.render import render_request
from designer.core.secrets import SecretResolver
from designer.gui.document import Document
from designer.gui.session_secrets import SessionSecrets

ERROR_STYLE = "color: #b71c1c;"


class _StandIn:
    """A value for every reference that is masked anyway: the masked copy never reads a secret."""

    def resolve(self, ref: SecretRef) -> str:
        return f"secret-{ref.secret}"


def curl_command(config: LookupConfig, resolver: SecretResolver, *, include_secrets: bool) -> str:
    """The bash command for ``config``'s request and test inputs; raises DesignerError."""
    inputs = Inputs(config.test_inputs.search_term, config.test_inputs.currency_code)
    return to_curl(render_request(config.request, inputs, resolver), include_secrets=include_secrets)


class CopyCurlBar(QWidget):
    copied = Signal(str)  # the command just put on the clipboard

    def __init__(self, document: Document, secrets: SessionSecrets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("copyCurlBar")
        self._document = document
        self._secrets = secrets
        self.button = QPushButton("Copy as cURL")
        self.button.setObjectName("copyCurlButton")
        self.button.setToolTip("Copy this request as a curl command for bash (for the test inputs above)")
        self.include_secrets = QCheckBox("include secrets")
        self.include_secrets.setObjectName("copyCurlSecretsCheck")
        self.include_secrets.setToolTip(
            "Put the real credential values in the command (for a terminal on this computer). "
            "Off: they are masked, safe to paste into a ticket or chat."
        )
        self.status = QLabel()
        self.status.setObjectName("copyCurlStatus")
        self.status.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.include_secrets)
        layout.addWidget(self.status, 1)
        self.button.clicked.connect(self._on_button_clicked)

    def _on_button_clicked(self) -> None:
        config = self._document.config
        if not self.include_secrets.isChecked():
            self._finish(config, _StandIn(), include_secrets=False)
            return
        self.button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText("Reading the credentials…")
        self._secrets.spawn(
            self._secrets.resolve_all(config.secret_refs()),
            lambda resolver: self._finish(config, resolver, include_secrets=True),
        )

    def _finish(self, config: LookupConfig, resolver: SecretResolver, *, include_secrets: bool) -> None:
        if not shiboken6.isValid(self):  # the window closed while the keyring was read
            return
        self.button.setEnabled(True)
        try:
            command = curl_command(config, resolver, include_secrets=include_secrets)
        except DesignerError as error:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(f"Not copied: {error.message}")
            return
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(command)
        self.status.setStyleSheet(ERROR_STYLE if include_secrets else "")
        self.status.setText(
            "Copied WITH the secret values: paste it only into a terminal."
            if include_secrets
            else "Copied (secrets masked)."
        )
        self.include_secrets.setChecked(False)
        self.copied.emit(command)
