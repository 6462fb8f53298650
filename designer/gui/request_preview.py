"""The request exactly as it will be sent for the current test inputs, secrets masked.

It calls the core's ``render_request`` (the function the runtime uses), so what is shown is what
goes on the wire. Secret values are not fetched from the keyring here (that could block the UI
thread): a stand-in is rendered and masked, which shows where the credential goes.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from designer.core.config import LookupConfig, SecretRef
from designer.core.errors import DesignerError
from designer.core.model_types import Inputs, RenderedRequest
from designer.gui.curl_copy import CopyCurlBar
from designer.gui.document import Document
from designer.gui.session_secrets import SessionSecrets

DEBOUNCE_MS = 120


class _PreviewResolver:
    """Known values from this session, else a stand-in; both are masked before display."""

    def __init__(self, secrets: SessionSecrets) -> None:
        self._secrets = secrets

    def resolve(self, ref: SecretRef) -> str:
        if ref.value is not None:
            return ref.value
        return self._secrets.value(ref.secret) or f"secret-{ref.secret}"


def format_request(rendered: RenderedRequest) -> str:
    lines = [f"{rendered.method} {rendered.url}"]
    lines.extend(f"{name}: {value}" for name, value in rendered.headers)
    if rendered.body:
        lines.append("")
        lines.append(rendered.body.decode("utf-8", errors="replace"))
    return "\n".join(lines)


def render_preview(config: LookupConfig, secrets: SessionSecrets) -> tuple[str, str | None]:
    """(text, None) or ("", a readable problem). Never raises."""
    from designer.core.render import render_request  # noqa: PLC0415

    if not config.request.url.strip():
        return "", None  # a new project: the placeholder text says what to do
    inputs = Inputs(config.test_inputs.search_term, config.test_inputs.currency_code)
    try:
        rendered = render_request(config.request, inputs, _PreviewResolver(secrets))
    except DesignerError as error:
        return "", f"Cannot build the request for these test inputs: {error.message}"
    except Exception as error:  # the preview must never take the window down
        return "", f"Cannot build the request: {error}"
    return format_request(rendered.masked()), None


class RequestPreview(QWidget):
    def __init__(self, document: Document, secrets: SessionSecrets) -> None:
        super().__init__()
        self._document = document
        self._secrets = secrets
        self.caption = QLabel()
        self.caption.setObjectName("requestPreviewCaption")
        self.caption.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("requestPreview")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlaceholderText("Enter the merchant's API URL above: the request appears here as sent.")
        self.problem = QLabel()
        self.problem.setObjectName("requestPreviewProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        self.copy_bar = CopyCurlBar(document, secrets)
        layout.addWidget(self.copy_bar)
        layout.addWidget(self.problem)
        layout.addWidget(self.text, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        document.configChanged.connect(self._timer.start)
        self.refresh()

    def refresh(self) -> None:
        config = self._document.config
        inputs = config.test_inputs
        term = inputs.search_term or "(empty)"
        currency = inputs.currency_code or "(empty)"
        self.caption.setText(
            f"Request as it will be sent for search term “{term}”, currency {currency} — secrets masked"
        )
        text, problem = render_preview(config, self._secrets)
        self.text.setPlainText(text)
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
