"""The Connection tab: TLS verification, CA bundle, proxy, and the hosts marked as production.

Everything here is per project (``request.transport`` and ``production_hosts`` of the config)
and undoable like any edit. Turning certificate verification off is explicit: it asks first,
and the tab and the search bar keep saying so while it is off. The proxy choice maps onto the
config's two settings: a project proxy URL wins; without one, ``use_system_proxy`` decides
between the system settings (HTTP(S)_PROXY, NO_PROXY) and a direct connection.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from designer.core.config import LookupConfig, Transport
from designer.gui.confirm import confirm_destructive
from designer.gui.document import Document
from designer.gui.placeholders import UndoToWindow

PROXY_MODES = (
    ("system", "System proxy settings"),
    ("none", "No proxy (connect directly)"),
    ("custom", "This proxy:"),
)
WARNING_STYLE = "background: #fff0c2; color: #5d3a00; padding: 4px; border: 1px solid #b26a00;"
PROBLEM_STYLE = "color: #b71c1c;"
PEM_FILTER = "Certificates (*.pem *.crt *.cer);;All files (*)"


def ask_ca_bundle_path(parent: QWidget, start: str) -> Path | None:
    """The operating system's file picker (tests stand in for it)."""
    name, _ = QFileDialog.getOpenFileName(parent, "CA bundle (PEM)", start, PEM_FILTER)
    return Path(name) if name else None


def proxy_mode(transport: Transport) -> str:
    if transport.proxy:
        return "custom"
    return "system" if transport.use_system_proxy else "none"


def normalize_host(text: str) -> str:
    """A host as typed or pasted (``api.shop.com``, ``https://api.shop.com/v1``) in lower case."""
    text = text.strip()
    if "://" in text:
        from designer.core.runtime import url_host  # noqa: PLC0415

        return url_host(text)
    return text.split("/", 1)[0].strip().lower()


def _with_transport(config: LookupConfig, **changes: object) -> LookupConfig:
    transport = config.request.transport.model_copy(update=changes)
    request = config.request.model_copy(update={"transport": transport})
    return config.model_copy(update={"request": request})


class TransportEditor(QWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transportEditor")
        self._document = document
        self._custom_pending = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._tls_group())
        layout.addWidget(self._proxy_group())
        layout.addWidget(self._production_group())
        layout.addStretch(1)
        self._connect()
        self._on_document_config_changed()

    # -- construction ---------------------------------------------------------------------------
    def _tls_group(self) -> QGroupBox:
        group = QGroupBox("TLS (https)")
        form = QFormLayout(group)
        self.verify_check = QCheckBox("Verify the server's certificate (recommended)")
        self.verify_check.setObjectName("verifyTlsCheck")
        self.verify_check.setToolTip("Off only for a test server you trust, never for production")
        self.tls_warning = QLabel(
            "Certificate verification is OFF for this project: anyone on the network can read or "
            "change the exchange, credentials included. Prefer a CA bundle."
        )
        self.tls_warning.setObjectName("tlsOffWarning")
        self.tls_warning.setWordWrap(True)
        self.tls_warning.setStyleSheet(WARNING_STYLE)
        self.ca_edit = _line_edit("caBundleEdit", "system certificates")
        self.ca_edit.setToolTip("A PEM file with the CA certificates to trust (corporate networks)")
        self.ca_browse = QPushButton("Browse…")
        self.ca_browse.setObjectName("caBundleBrowseButton")
        self.ca_clear = QPushButton("Use system")
        self.ca_clear.setObjectName("caBundleClearButton")
        self.ca_problem = QLabel()
        self.ca_problem.setObjectName("caBundleProblem")
        self.ca_problem.setWordWrap(True)
        self.ca_problem.setStyleSheet(PROBLEM_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.ca_edit, 1)
        row.addWidget(self.ca_browse)
        row.addWidget(self.ca_clear)
        form.addRow(self.verify_check)
        form.addRow(self.tls_warning)
        form.addRow("CA bundle", row)
        form.addRow(self.ca_problem)
        self._tls_form = form
        return group

    def _proxy_group(self) -> QGroupBox:
        group = QGroupBox("Proxy")
        form = QFormLayout(group)
        self.proxy_combo = QComboBox()
        self.proxy_combo.setObjectName("proxyModeCombo")
        for key, label in PROXY_MODES:
            self.proxy_combo.addItem(label, key)
        self.proxy_edit = _line_edit("proxyUrlEdit", "http://proxy.example.com:3128")
        self.proxy_hint = QLabel()
        self.proxy_hint.setObjectName("proxyHint")
        self.proxy_hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.proxy_combo)
        row.addWidget(self.proxy_edit, 1)
        form.addRow("Connect via", row)
        form.addRow(self.proxy_hint)
        return group

    def _production_group(self) -> QGroupBox:
        group = QGroupBox("Production hosts")
        layout = QVBoxLayout(group)
        note = QLabel("A test search against one of these hosts shows a red PRODUCTION banner.")
        note.setWordWrap(True)
        self.mark_button = QPushButton("Mark this URL's host as production")
        self.mark_button.setObjectName("markProductionButton")
        self.host_list = QListWidget()
        self.host_list.setObjectName("productionHostsList")
        self.host_list.setMaximumHeight(self.host_list.fontMetrics().height() * 7)
        self.host_edit = _line_edit("productionHostEdit", "host name, e.g. api.shop.example")
        self.add_button = QPushButton("Add")
        self.add_button.setObjectName("productionHostAddButton")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("productionHostRemoveButton")
        row = QHBoxLayout()
        row.addWidget(self.host_edit, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout.addWidget(note)
        layout.addWidget(self.mark_button)
        layout.addWidget(self.host_list)
        layout.addLayout(row)
        return group

    def _connect(self) -> None:
        doc = self._document
        self.verify_check.clicked.connect(self._on_verify_check_clicked)
        self.ca_edit.textEdited.connect(self._on_ca_edit_edited)
        self.ca_edit.editingFinished.connect(doc.end_merge)
        self.ca_browse.clicked.connect(self._on_ca_browse_clicked)
        self.ca_clear.clicked.connect(self._on_ca_clear_clicked)
        self.proxy_combo.activated.connect(self._on_proxy_combo_activated)
        self.proxy_edit.textEdited.connect(self._on_proxy_edit_edited)
        self.proxy_edit.editingFinished.connect(doc.end_merge)
        self.mark_button.clicked.connect(self._on_mark_button_clicked)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.host_edit.returnPressed.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.host_list.itemSelectionChanged.connect(self._update_buttons)
        doc.configChanged.connect(self._on_document_config_changed)

    # -- slots ------------------------------------------------------------------------------------
    def _on_verify_check_clicked(self, checked: bool) -> None:
        if not checked and not self._confirm_tls_off():
            self.verify_check.setChecked(True)
            return
        text = "Turn TLS verification on" if checked else "Turn TLS verification off"
        self._document.apply(text, _with_transport(self._document.config, verify_tls=checked))

    def _confirm_tls_off(self) -> bool:
        return confirm_destructive(
            self,
            name="tlsOffConfirm",
            title="Turn off certificate verification?",
            text="Turn off TLS certificate verification for this project?",
            informative="The designer will then accept any certificate, so anyone on the network "
            "could read or change the exchange, including the credentials. The exported config "
            "keeps this setting. For a corporate CA, set a CA bundle instead.",
            action="Turn Off",
            default_cancel=True,
        )

    def _on_ca_edit_edited(self, text: str) -> None:
        config = _with_transport(self._document.config, ca_bundle=text.strip() or None)
        self._document.apply("Edit CA bundle", config, merge_id="transport.ca_bundle")

    def _on_ca_browse_clicked(self) -> None:
        current = self._document.config.request.transport.ca_bundle or ""
        path = ask_ca_bundle_path(self, current)
        if path is not None:
            self._document.apply("Set CA bundle", _with_transport(self._document.config, ca_bundle=str(path)))

    def _on_ca_clear_clicked(self) -> None:
        self._document.apply(
            "Use system certificates", _with_transport(self._document.config, ca_bundle=None)
        )

    def _on_proxy_combo_activated(self, _index: int) -> None:
        mode = str(self.proxy_combo.currentData())
        config = self._document.config
        if mode == "custom":
            url = self.proxy_edit.text().strip()
            self._custom_pending = not url
            if url:
                self._document.apply("Use a proxy", _with_transport(config, proxy=url))
            self._show_proxy(config.request.transport)
            self.proxy_edit.setFocus()
            return
        self._custom_pending = False
        text = "Use the system proxy" if mode == "system" else "Connect without a proxy"
        self._document.apply(text, _with_transport(config, proxy=None, use_system_proxy=mode == "system"))

    def _on_proxy_edit_edited(self, text: str) -> None:
        self._custom_pending = not text.strip()
        config = _with_transport(self._document.config, proxy=text.strip() or None)
        self._document.apply("Edit proxy", config, merge_id="transport.proxy")

    def _on_mark_button_clicked(self) -> None:
        from designer.core.runtime import url_host  # noqa: PLC0415

        self._add_host(url_host(self._document.config.request.url))

    def _on_add_button_clicked(self) -> None:
        if self._add_host(normalize_host(self.host_edit.text())):
            self.host_edit.clear()

    def _add_host(self, host: str) -> bool:
        config = self._document.config
        if not host or host in config.production_hosts:
            return False
        hosts = [*config.production_hosts, host]
        self._document.apply(
            f"Mark {host} as production", config.model_copy(update={"production_hosts": hosts})
        )
        return True

    def _on_remove_button_clicked(self) -> None:
        chosen = {item.text() for item in self.host_list.selectedItems()}
        config = self._document.config
        hosts = [h for h in config.production_hosts if h not in chosen]
        if chosen:
            text = f"Unmark {', '.join(sorted(chosen))} as production"
            self._document.apply(text, config.model_copy(update={"production_hosts": hosts}))

    # -- refresh ----------------------------------------------------------------------------------
    def _on_document_config_changed(self) -> None:
        transport = self._document.config.request.transport
        self.verify_check.setChecked(transport.verify_tls)
        self.tls_warning.setVisible(not transport.verify_tls)
        _sync(self.ca_edit, transport.ca_bundle or "")
        self.ca_clear.setEnabled(transport.ca_bundle is not None)
        self.ca_problem.setText(_ca_problem(transport))
        self.ca_problem.setVisible(bool(self.ca_problem.text()))
        self._show_proxy(transport)
        hosts = list(self._document.config.production_hosts)
        if [self.host_list.item(i).text() for i in range(self.host_list.count())] != hosts:
            self.host_list.clear()
            self.host_list.addItems(hosts)
        self._update_buttons()

    def _show_proxy(self, transport: Transport) -> None:
        mode = "custom" if self._custom_pending else proxy_mode(transport)
        self.proxy_combo.setCurrentIndex(self.proxy_combo.findData(mode))
        self.proxy_edit.setEnabled(mode == "custom")
        if transport.proxy or mode != "custom":
            _sync(self.proxy_edit, transport.proxy or "")
        hints = {
            "system": "Uses the HTTP_PROXY / HTTPS_PROXY / NO_PROXY settings of this computer.",
            "none": "Connects directly, ignoring the proxy settings of this computer.",
            "custom": "Every request of this project goes through this proxy."
            if transport.proxy
            else "Type the proxy URL; until then the system settings apply.",
        }
        self.proxy_hint.setText(hints[mode])

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.host_list.selectedItems()))
        if not self.isVisible():
            return  # the host is worked out when the tab is shown (the runtime loads slowly)
        from designer.core.runtime import url_host  # noqa: PLC0415

        config = self._document.config
        host = url_host(config.request.url) if config.request.url else ""
        if not host:
            self.mark_button.setText("Mark this URL's host as production")
            self.mark_button.setEnabled(False)
        elif host in config.production_hosts:
            self.mark_button.setText(f"{host} is marked as production")
            self.mark_button.setEnabled(False)
        else:
            self.mark_button.setText(f"Mark {host} as production")
            self.mark_button.setEnabled(True)

    # -- Qt overrides ---------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_buttons()


def _ca_problem(transport: Transport) -> str:
    if not transport.ca_bundle:
        return ""
    if not Path(transport.ca_bundle).expanduser().is_file():
        return f"There is no file at {transport.ca_bundle}: requests fail until this points at a PEM file."
    if not transport.verify_tls:
        return "Verification is off, so the CA bundle is not used."
    return ""


def _line_edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.installEventFilter(UndoToWindow(edit))
    return edit


def _sync(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.setText(text)
