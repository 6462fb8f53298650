"""The request editor: method, URL, query, headers, body, credentials, timeout, live preview.

Every widget edits the Document (one undo step per edit; typing in one field merges) and
refreshes from ``configChanged``, so undo/redo and file loads update it like any other change.
"""

from __future__ import annotations

from typing import get_args

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.core.config import HttpMethod, LookupConfig
from designer.gui.auth_editor import AuthEditor
from designer.gui.body_editor import BodyEditor
from designer.gui.document import Document
from designer.gui.param_table import HEADERS, QUERY, ParamTable
from designer.gui.placeholders import PlaceholderLineEdit, placeholder_menu
from designer.gui.request_preview import RequestPreview
from designer.gui.session_secrets import SessionSecrets
from designer.gui.transport_editor import TransportEditor

METHODS: tuple[str, ...] = get_args(HttpMethod)


def with_request(config: LookupConfig, **changes: object) -> LookupConfig:
    return config.model_copy(update={"request": config.request.model_copy(update=changes)})


class RequestEditor(QWidget):
    def __init__(self, document: Document, secrets: SessionSecrets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestEditor")
        self._document = document

        self.method_combo = QComboBox()
        self.method_combo.setObjectName("methodCombo")
        self.method_combo.addItems(list(METHODS))
        self.method_combo.setToolTip("HTTP method")
        self.url_edit = PlaceholderLineEdit()
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setPlaceholderText("Merchant API URL: https://…/customers")
        self.url_edit.setToolTip("URL; placeholders in the path are percent-encoded completely")
        self.placeholder_button = QToolButton()
        self.placeholder_button.setObjectName("urlPlaceholderButton")
        self.placeholder_button.setText("{…}")
        self.placeholder_button.setToolTip("Insert a placeholder into the URL")
        self.placeholder_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.placeholder_button.setMenu(
            placeholder_menu(self.placeholder_button, self.url_edit.insert_placeholder)
        )
        url_row = QHBoxLayout()
        url_row.addWidget(self.method_combo)
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.placeholder_button)

        self.query_table = ParamTable(
            document,
            QUERY,
            "queryTable",
            "No query parameters yet. Press Add, e.g. name “q”, value “{search_term}”.",
        )
        self.headers_table = ParamTable(
            document,
            HEADERS,
            "headersTable",
            "No headers yet. Press Add for fixed headers such as Accept: application/json. "
            "Credentials go in the Credentials tab.",
        )
        self.body_editor = BodyEditor(document)
        self.auth_editor = AuthEditor(document, secrets)
        self.tabs = self._build_tabs(document)

        self.preview = RequestPreview(document, secrets)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("requestSplitter")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(url_row)
        top_layout.addWidget(self.tabs, 1)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._connect(document)
        self._on_document_config_changed()

    def _connect(self, document: Document) -> None:
        self.method_combo.activated.connect(self._on_method_combo_activated)
        self.url_edit.textEdited.connect(self._on_url_edit_edited)
        self.url_edit.editingFinished.connect(document.end_merge)
        self.timeout_spin.valueChanged.connect(self._on_timeout_spin_changed)
        self.timeout_spin.editingFinished.connect(document.end_merge)
        document.configChanged.connect(self._on_document_config_changed)

    def _build_tabs(self, document: Document) -> QTabWidget:
        tabs = QTabWidget()
        tabs.setObjectName("requestTabs")
        tabs.addTab(self.query_table, "Query")
        tabs.addTab(self.headers_table, "Headers")
        tabs.addTab(self.body_editor, "Body")
        tabs.addTab(self.auth_editor, "Credentials")
        tabs.addTab(self._settings_page(), "Settings")
        tabs.addTab(_scrolling(TransportEditor(document)), "Connection")
        return tabs

    def _settings_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.timeout_spin = QDoubleSpinBox()
        self.timeout_spin.setObjectName("timeoutSpin")
        self.timeout_spin.setRange(0.5, 3600)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setKeyboardTracking(False)
        self.timeout_spin.setToolTip("Longest time the whole exchange may take, including a slow body")
        form.addRow("Timeout", self.timeout_spin)
        note = QLabel("The POS waits for the lookup; keep this short enough for a cashier.")
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _on_method_combo_activated(self, _index: int) -> None:
        method = self.method_combo.currentText()
        if method != self._document.config.request.method:
            config = with_request(self._document.config, method=method)
            # Type-ahead in the combo passes through several methods: one step.
            self._document.apply(f"Method {method}", config, merge_id="request.method")

    def _on_url_edit_edited(self, text: str) -> None:
        self._document.apply(
            "Edit URL", with_request(self._document.config, url=text), merge_id="request.url"
        )

    def _on_timeout_spin_changed(self, value: float) -> None:
        timeouts = self._document.config.request.timeouts
        if value == timeouts.total:
            return
        # The read and connect limits may not exceed the total one.
        new = timeouts.model_copy(
            update={
                "total": value,
                "read": min(timeouts.read, value),
                "connect": min(timeouts.connect, value),
            }
        )
        self._document.apply(
            "Edit timeout", with_request(self._document.config, timeouts=new), merge_id="timeout"
        )

    def _on_document_config_changed(self) -> None:
        request = self._document.config.request
        if self.method_combo.currentText() != request.method:
            self.method_combo.setCurrentText(request.method)
        self.url_edit.setText(request.url)
        if self.timeout_spin.value() != request.timeouts.total:
            self.timeout_spin.blockSignals(True)
            self.timeout_spin.setValue(request.timeouts.total)
            self.timeout_spin.blockSignals(False)
        for index, count in ((0, len(request.query)), (1, len(request.headers))):
            base = ("Query", "Headers")[index]
            self.tabs.setTabText(index, f"{base} ({count})" if count else base)


def _scrolling(page: QWidget) -> QScrollArea:
    """``page`` in a scroll area: its long checkbox texts must not set the editor's minimum width."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(page)
    return area
