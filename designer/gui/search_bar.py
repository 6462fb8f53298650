"""The test search: search term, currency, Send / Cancel, and a status line in plain words.

Two banners stay in view while they apply: a red PRODUCTION banner while the URL's host is
marked as production, and a TLS-off banner while certificate verification is off for the
project. After Send, the runtime's notes (the same ones ``lookup-designer run`` prints) are
added to the status; the TLS and production ones are marked and make it a warning.

The status line always describes the response shown: after File ▸ Open Response… or Paste
Response… it says where that response came from and what the lookup makes of it (the live
preview's result, handed over by the window), not what the last Send got.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from designer.core.errors import DesignerError
from designer.core.fetch import format_bytes  # loaded with the panels anyway (the runtime needs it)
from designer.gui.document import Document, ResponseState
from designer.gui.placeholders import UndoToWindow
from designer.gui.response_text import describe_source

STATUS_STYLES = {
    "idle": "color: palette(placeholder-text);",
    "busy": "color: #0b4f8a;",
    "ok": "color: #1b5e20;",
    "warning": "color: #8a5a00;",
    "error": "color: #b71c1c;",
}
PRODUCTION_STYLE = (
    "background: #b71c1c; color: white; font-weight: bold; padding: 3px 8px; border-radius: 3px;"
)
TLS_OFF_STYLE = (
    "background: #fff0c2; color: #5d3a00; font-weight: bold; padding: 3px 8px;"
    " border: 1px solid #b26a00; border-radius: 3px;"
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def describe_result(result: Any, alarms: Collection[str] = ()) -> tuple[str, str]:
    """(status text, kind) for a LookupResult; kind is ok, warning or error.

    The result's notes follow on their own lines; those in ``alarms`` (TLS off, production
    host) are marked with ⚠ and turn an "ok" into a "warning".
    """
    text, kind = _describe_outcome(result)
    notes = [str(note) for note in getattr(result, "notes", ()) or ()]
    if notes:
        text += "\n" + "\n".join(f"⚠ {note}" if note in alarms else note for note in notes)
    if kind == "ok" and any(note in alarms for note in notes):
        kind = "warning"
    return text, kind


def _describe_outcome(result: Any) -> tuple[str, str]:
    exchange = getattr(result, "exchange", None)
    parts: list[str] = []
    if exchange is not None and exchange.status is not None:
        parts.append(f"HTTP {exchange.status} {exchange.reason}".rstrip())
        parts.append(f"{exchange.elapsed_ms:.0f} ms")
        parts.append(format_bytes(exchange.size))
        if exchange.redirects:
            parts.append(f"after {_plural(len(exchange.redirects), 'redirect')}")
    error = getattr(result, "error", None)
    if error is not None:
        message = error.message if isinstance(error, DesignerError) else str(error)
        text = " · ".join([*parts, message]) if parts else message
        if exchange is not None and exchange.body:
            text += " — the raw response is shown in the Response panel."
        return text, "error"
    mapping = getattr(result, "mapping", None)
    customers = getattr(result, "customers", ()) or ()
    records = len(mapping.records) if mapping is not None else len(customers)
    parts.append(f"{_plural(records, 'record')} found")
    if records != len(customers):
        parts.append(f"{_plural(len(customers), 'valid customer')}")
    problems = [d for d in getattr(mapping, "diagnostics", ()) if d.severity == "error"] if mapping else []
    kind = "warning" if problems or records != len(customers) else "ok"
    return " · ".join(parts), kind


def describe_loaded(state: ResponseState, result: Any | None) -> tuple[str, str]:
    """(status text, kind) for a response from a file or pasted text, and the lookup's outcome.

    ``result`` is the live preview's LookupResult for it (None while it is being mapped).
    """
    parts = [describe_source(state)]
    saved = state.saved
    if saved is not None and saved.status is not None:
        parts.append(f"HTTP {saved.status} {saved.reason}".rstrip())
    body = state.body
    if body is not None:
        parts.append(format_bytes(len(body)))
    if result is None:
        return " · ".join([*parts, "mapping…"]), "busy"
    outcome, kind = describe_result(result)
    if kind == "error":
        outcome = f"the lookup fails: {outcome}"
    return " · ".join([*parts, outcome]), kind


class SearchBar(QWidget):
    sendRequested = Signal()  # the user pressed Send, Enter in the term, or Ctrl+Enter
    cancelRequested = Signal()  # the user pressed Cancel

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBar")
        self._document = document
        self.term_edit = QLineEdit()
        self.term_edit.setObjectName("searchTermEdit")
        self.term_edit.setPlaceholderText("Search term, as the cashier types it")
        self.term_edit.setClearButtonEnabled(True)
        self.currency_edit = QLineEdit()
        self.currency_edit.setObjectName("currencyEdit")
        self.currency_edit.setPlaceholderText("DKK")
        self.currency_edit.setMaxLength(3)
        self.currency_edit.setFixedWidth(self.currency_edit.fontMetrics().horizontalAdvance("MMMMM") + 16)
        self.currency_edit.setToolTip("ISO 4217 currency code of the shop, e.g. DKK, SEK, EUR")
        for edit in (self.term_edit, self.currency_edit):
            edit.installEventFilter(UndoToWindow(edit))
            edit.editingFinished.connect(document.end_merge)
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip("Send the test request (Ctrl+Enter)")
        self.send_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setToolTip("Stop the running request")
        self.cancel_button.setEnabled(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.production_banner = QLabel()
        self.production_banner.setObjectName("productionBanner")
        self.production_banner.setStyleSheet(PRODUCTION_STYLE)
        self.production_banner.setWordWrap(True)
        self.tls_banner = QLabel(
            "TLS certificate verification is OFF for this project (Connection tab): "
            "the exchange can be read or changed on the network"
        )
        self.tls_banner.setObjectName("tlsOffBanner")
        self.tls_banner.setStyleSheet(TLS_OFF_STYLE)
        self.tls_banner.setWordWrap(True)

        self._lay_out()

        self._started_at = 0.0
        self._ticker = QTimer(self)
        self._ticker.setInterval(100)
        self._ticker.timeout.connect(self._on_ticker_timeout)
        self.term_edit.textEdited.connect(self._on_term_edit_edited)
        self.currency_edit.textEdited.connect(self._on_currency_edit_edited)
        self.term_edit.returnPressed.connect(self.sendRequested)
        self.send_button.clicked.connect(self.sendRequested)
        self.cancel_button.clicked.connect(self.cancelRequested)
        document.configChanged.connect(self._on_document_config_changed)
        document.busyChanged.connect(self._on_document_busy_changed)
        document.responseChanged.connect(self._on_document_response_changed)
        self._on_document_config_changed()
        self._on_document_response_changed()

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Search term"))
        row.addWidget(self.term_edit, 1)
        row.addWidget(QLabel("Currency"))
        row.addWidget(self.currency_edit)
        row.addWidget(self.send_button)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 2)
        layout.addLayout(row)
        layout.addWidget(self.production_banner)
        layout.addWidget(self.tls_banner)
        layout.addWidget(self.status_label)

    def set_status(self, text: str, kind: str) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(STATUS_STYLES.get(kind, ""))
        self.status_label.setProperty("kind", kind)

    def show_result(self, result: Any) -> None:
        exchange = getattr(result, "exchange", None)
        notes: tuple[str, ...] = tuple(getattr(result, "notes", ()) or ())
        alarms: list[str] = []
        if exchange is not None and notes:
            from designer.core.runtime import transport_warnings  # noqa: PLC0415

            alarms = transport_warnings(self._document.config, exchange.request.url)
        self.set_status(*describe_result(result, alarms))

    def show_loaded(self, result: Any | None) -> None:
        """Describe the shown response if it came from a file or a paste (else keep the Send's)."""
        state = self._document.response
        if state is not None and state.source != "request" and not self._document.busy:
            self.set_status(*describe_loaded(state, result))

    def show_failure(self, error: BaseException) -> None:
        self.set_status(f"Unexpected problem while sending: {type(error).__name__}: {error}", "error")

    def show_cancelled(self) -> None:
        self.set_status("cancelled", "idle")

    def _on_term_edit_edited(self, text: str) -> None:
        inputs = self._document.config.test_inputs.model_copy(update={"search_term": text})
        config = self._document.config.model_copy(update={"test_inputs": inputs})
        self._document.apply("Edit search term", config, merge_id="test_inputs.search_term")

    def _on_currency_edit_edited(self, text: str) -> None:
        upper = text.upper()
        if upper != text:
            position = self.currency_edit.cursorPosition()
            self.currency_edit.setText(upper)
            self.currency_edit.setCursorPosition(position)
        inputs = self._document.config.test_inputs.model_copy(update={"currency_code": upper})
        config = self._document.config.model_copy(update={"test_inputs": inputs})
        self._document.apply("Edit currency", config, merge_id="test_inputs.currency_code")

    def _on_document_config_changed(self) -> None:
        config = self._document.config
        inputs = config.test_inputs
        if self.term_edit.text() != inputs.search_term:
            self.term_edit.setText(inputs.search_term)
        if self.currency_edit.text() != inputs.currency_code:
            self.currency_edit.setText(inputs.currency_code)
        self._show_banners()

    def _show_banners(self) -> None:
        config = self._document.config
        host = None
        if config.production_hosts:  # the runtime module loads slowly; only ask when it can matter
            from designer.core.runtime import production_host  # noqa: PLC0415

            host = production_host(config, config.request.url)
        if host:
            self.production_banner.setText(
                f"PRODUCTION — {host} is marked as a production host: test searches here use live "
                "data and real credentials"
            )
        self.production_banner.setVisible(host is not None)
        self.tls_banner.setVisible(not config.request.transport.verify_tls)

    def _on_document_response_changed(self) -> None:
        if self._document.busy:
            return
        if self._document.response is not None:
            self.show_loaded(None)  # until the preview has the outcome (a Send shows its own)
            return
        if not self._document.config.request.url:
            self.set_status(
                "New project: enter the merchant's API URL below, or open a project (File ▸ Open, "
                "Ctrl+O). `lookup-designer --demo` opens a ready-made sample with a demo server.",
                "idle",
            )
        else:
            self.set_status("Type a search term and press Send (Ctrl+Enter) to try the request.", "idle")

    def _on_document_busy_changed(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        if busy:
            self._started_at = time.monotonic()
            self._ticker.start()
            self._on_ticker_timeout()
        else:
            self._ticker.stop()

    def _on_ticker_timeout(self) -> None:
        elapsed = time.monotonic() - self._started_at
        self.set_status(f"Sending… {elapsed:.1f} s (Cancel to stop)", "busy")
