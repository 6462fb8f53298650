"""File ▸ Import cURL…: paste a command, see what was understood, choose the placeholders.

Everything shown comes from the core importer (``designer.core.curl_import``, the one the CLI
uses): the command is parsed again shortly after each change of the paste box, and the dialog
shows what was understood, every warning and note, the values that could become
``{search_term}`` and ``{currency_code}``, and the credentials found. Accepting replaces the
project's request (and its test inputs, so the first test sends the command's own values) as one
undo step. Credential values never reach the project: they go to this session's secrets and,
when the user agrees, to the OS keyring (``SessionSecrets``).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFontDatabase, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from designer.core.curl_candidates import Candidate
from designer.core.curl_import import CurlImport, CurlImportError, build_config, import_curl, summary
from designer.gui.document import Document
from designer.gui.session_secrets import SessionSecrets

PARSE_DELAY_MS = 150
MAX_COMMAND_CHARS = 2_000_000
ERROR_STYLE = "color: #b71c1c;"
WARNING_COLOUR = "#8a4b00"
WARNING_PREFIX, NOTE_PREFIX = "⚠ ", "ℹ "
SUMMARY_LABELS = ("Method", "URL", "Query", "Headers", "Body", "Credentials")
#: Rows the importer adds only when they apply (e.g. "TLS" for -k); any other row it adds too.
OPTIONAL_LABELS = ("TLS",)
PASTE_MIN_LINES = 4  # the paste box never shrinks below this many lines
RESULT_MIN_HEIGHT = 160  # nor the "what was understood" area below this height (it scrolls)


class MessageList(QListWidget):
    """The warnings and notes: as tall as its wrapped lines (within limits), so the boxes below
    it stay in view; more than that scrolls inside the list."""

    MIN_LINES, MAX_LINES = 3, 9

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        line = self.fontMetrics().lineSpacing()
        width = max(self.viewport().width() - 8, 100)
        wrap = Qt.TextFlag.TextWordWrap
        metrics = self.fontMetrics()
        content = sum(
            metrics.boundingRect(QRect(0, 0, width, 10_000), wrap, item.text()).height() + 2
            for item in (self.item(row) for row in range(self.count()))
            if item is not None
        )
        frame = 2 * self.frameWidth() + 4
        height = min(max(content, line * self.MIN_LINES), line * self.MAX_LINES) + frame
        return QSize(hint.width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.fontMetrics().lineSpacing() * self.MIN_LINES)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the lines wrap differently now


def candidate_text(candidate: Candidate) -> str:
    """A combo box entry: the value, where it is, and a hint."""
    hint = f" ({candidate.hint})" if candidate.hint else ""
    return f"{candidate.value}{hint} — {', '.join(candidate.locations)}"


class CurlImportDialog(QDialog):
    def __init__(self, document: Document, secrets: SessionSecrets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curlImportDialog")
        self.setWindowTitle("Import cURL Command")
        self._document = document
        self._secrets = secrets
        self.imported: CurlImport | None = None

        intro = QLabel(
            "Paste a cURL command: from a terminal (bash, Windows cmd), API documentation or a "
            "browser's “Copy as cURL”. It replaces the project's request; undo takes it back."
        )
        intro.setObjectName("curlIntro")
        intro.setWordWrap(True)
        self.paste_edit = QPlainTextEdit()
        self.paste_edit.setObjectName("curlPasteEdit")
        self.paste_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.paste_edit.setPlaceholderText(
            "curl 'https://shop.example.com/api/customers?q=ada' \\\n  -H 'Authorization: Bearer …'"
        )
        self.status = QLabel()
        self.status.setObjectName("curlParseStatus")
        self.status.setWordWrap(True)

        self.result_area = self._build_result_area()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("curlSplitter")
        splitter.addWidget(self.result_area)
        splitter.setChildrenCollapsible(False)
        self.paste_edit.setMinimumHeight(self.paste_edit.fontMetrics().lineSpacing() * PASTE_MIN_LINES + 12)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("curlImportButton")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.paste_edit, 1)
        top_layout.addWidget(self.status)
        splitter.insertWidget(0, top)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([180, 520])

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PARSE_DELAY_MS)
        self._timer.timeout.connect(self.parse_now)
        self.paste_edit.textChanged.connect(self._timer.start)
        self.resize(860, 760)
        self.parse_now()

    # -- construction ---------------------------------------------------------------------------
    def _build_result_area(self) -> QScrollArea:
        # The result scrolls: its labels wrap, and a splitter pane would give them only their
        # one-line height, cutting wrapped rows in half (a scroll area honours height-for-width).
        area = QScrollArea()
        area.setObjectName("curlResultArea")
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(self._build_result())
        area.setMinimumHeight(RESULT_MIN_HEIGHT)
        return area

    def _build_result(self) -> QWidget:
        result = QWidget()
        layout = QVBoxLayout(result)
        layout.setContentsMargins(0, 0, 0, 0)

        understood = QGroupBox("What was understood")
        understood.setObjectName("curlSummaryBox")
        form = QFormLayout(understood)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.summary_form = form
        self.summary_values: dict[str, QLabel] = {}
        for label in (*SUMMARY_LABELS, *OPTIONAL_LABELS):
            self._add_summary_row(label)

        self.warnings = MessageList()
        self.warnings.setObjectName("curlWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setResizeMode(QListWidget.ResizeMode.Adjust)
        warnings_box = QGroupBox("Warnings and notes")
        warnings_box.setObjectName("curlWarningsBox")
        QVBoxLayout(warnings_box).addWidget(self.warnings)

        placeholders = QGroupBox("Placeholders")
        placeholders.setObjectName("curlPlaceholdersBox")
        placeholder_form = QFormLayout(placeholders)
        self.search_combo = QComboBox()
        self.search_combo.setObjectName("searchTermCombo")
        self.currency_combo = QComboBox()
        self.currency_combo.setObjectName("currencyCodeCombo")
        for combo in (self.search_combo, self.currency_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(30)
        placeholder_form.addRow("{search_term} replaces:", self.search_combo)
        placeholder_form.addRow("{currency_code} replaces:", self.currency_combo)

        self.credentials_box = QGroupBox("Credentials")
        self.credentials_box.setObjectName("curlCredentialsBox")
        self.credentials_text = QLabel()
        self.credentials_text.setObjectName("curlCredentialsText")
        self.credentials_text.setWordWrap(True)
        self.store_check = QCheckBox("Store the values found in the OS keyring (never in the project file)")
        self.store_check.setObjectName("curlStoreSecretsCheck")
        self.store_check.setChecked(True)
        credentials_layout = QVBoxLayout(self.credentials_box)
        credentials_layout.addWidget(self.credentials_text)
        credentials_layout.addWidget(self.store_check)

        layout.addWidget(understood)
        layout.addWidget(warnings_box)
        layout.addWidget(placeholders)
        layout.addWidget(self.credentials_box)
        layout.addStretch(1)
        return result

    def _add_summary_row(self, label: str) -> QLabel:
        value = QLabel()
        value.setObjectName(f"curlSummary{label}")
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_values[label] = value
        self.summary_form.addRow(f"{label}:", value)
        return value

    # -- parsing --------------------------------------------------------------------------------
    def parse_now(self) -> None:
        """Import the pasted text and show the outcome (called shortly after each change)."""
        self._timer.stop()
        text = self.paste_edit.toPlainText()
        imported: CurlImport | None = None
        problem: str | None = None
        if not text.strip():
            problem = ""
        elif len(text) > MAX_COMMAND_CHARS:
            problem = f"The text is {len(text):,} characters long; a cURL command is never that large."
        else:
            try:
                imported = import_curl(text)
            except CurlImportError as error:
                problem = error.message[:1].upper() + error.message[1:] + "."
        self.imported = imported
        self._show_status(imported, problem)
        self._show_summary(imported)
        self._show_messages(imported)
        self.warnings.updateGeometry()  # its height follows its lines
        self._show_candidates(imported)
        self._show_credentials(imported)
        self.import_button.setEnabled(imported is not None)

    def _show_status(self, imported: CurlImport | None, problem: str | None) -> None:
        if imported is None:
            self.status.setText(problem or "Paste a cURL command above to see what will be imported.")
            self.status.setStyleSheet(ERROR_STYLE if problem else "")
            return
        warnings = len(imported.warnings)
        dialect = "Windows cmd" if imported.dialect == "cmd" else "bash"
        self.status.setStyleSheet("")
        self.status.setText(
            f"Read as a {dialect} command. "
            + (
                f"{warnings} warning{'s' if warnings != 1 else ''}: check them below."
                if warnings
                else "No warnings."
            )
        )

    def _show_summary(self, imported: CurlImport | None) -> None:
        rows = dict(summary(imported)) if imported is not None else {}
        for label in rows:
            if label not in self.summary_values:
                self._add_summary_row(label)  # a row this dialog does not know yet: shown as well
        for label, value in self.summary_values.items():
            value.setText(rows.get(label, "—"))
            if label not in SUMMARY_LABELS:
                self.summary_form.setRowVisible(value, label in rows)

    def _show_messages(self, imported: CurlImport | None) -> None:
        self.warnings.clear()
        if imported is None:
            self._placeholder_item("Warnings about anything the import cannot carry over appear here.")
            return
        for message in (*imported.warnings, *imported.notes):
            prefix = WARNING_PREFIX if message.severity == "warning" else NOTE_PREFIX
            item = QListWidgetItem(prefix + message.message)
            item.setToolTip(f"{message.severity} ({message.code}): {message.option}")
            if message.severity == "warning":
                item.setForeground(QBrush(QColor(WARNING_COLOUR)))
            self.warnings.addItem(item)
        if not imported.messages:
            self._placeholder_item("Nothing to report: everything in the command was carried over.")

    def _placeholder_item(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.warnings.addItem(item)

    def _show_candidates(self, imported: CurlImport | None) -> None:
        candidates = list(imported.candidates) if imported is not None else []
        combos = {"search_term": self.search_combo, "currency_code": self.currency_combo}
        # A choice survives a new parse while its value is still there (editing the command).
        kept = {name: combo.currentData() for name, combo in combos.items()}
        currency_like = [c for c in candidates if c.hint]
        if not isinstance(kept["currency_code"], Candidate) and len(currency_like) == 1:
            kept["currency_code"] = currency_like[0]
        for placeholder, combo in combos.items():
            combo.clear()
            if imported is None:
                first = "(paste a command first)"
            elif not candidates:
                first = "(the command holds no values to choose from)"
            else:
                first = f"(none: insert {{{placeholder}}} later)"
            combo.addItem(first, None)
            for candidate in candidates:
                combo.addItem(candidate_text(candidate), candidate)
            combo.setEnabled(bool(candidates))
            previous = kept[placeholder]
            if isinstance(previous, Candidate) and previous in candidates:
                combo.setCurrentIndex(candidates.index(previous) + 1)

    def _show_credentials(self, imported: CurlImport | None) -> None:
        credentials = imported.credentials if imported is not None else ()
        self.credentials_box.setVisible(bool(credentials))
        lines = []
        for credential in credentials:
            if credential.has_value:
                lines.append(f"{credential.kind}: kept as the secret “{credential.secret}”.")
            else:
                lines.append(
                    f"{credential.kind}: the command holds no value; provide “{credential.secret}” as an "
                    "environment variable or in Request ▸ Credentials…"
                )
        self.credentials_text.setText("\n".join(lines))
        self.store_check.setVisible(bool(imported is not None and imported.secrets))

    # -- accepting ------------------------------------------------------------------------------
    def choices(self) -> dict[str, list[Candidate]]:
        """The chosen candidate per placeholder (none chosen: not in the dict)."""
        chosen: dict[str, list[Candidate]] = {}
        for placeholder, combo in (
            ("search_term", self.search_combo),
            ("currency_code", self.currency_combo),
        ):
            candidate = combo.currentData()
            if isinstance(candidate, Candidate):
                chosen[placeholder] = [candidate]
        return chosen

    def _on_buttons_accepted(self) -> None:
        if self._timer.isActive():  # typed just now: import what is in the box, not what was
            self.parse_now()
        imported = self.imported
        if imported is None:
            return
        choices = self.choices()
        search, currency = choices.get("search_term"), choices.get("currency_code")
        if search and currency and search[0] == currency[0]:
            self.status.setText("{search_term} and {currency_code} cannot replace the same value.")
            self.status.setStyleSheet(ERROR_STYLE)
            return
        config = build_config(imported, choices, base=self._document.config)
        for name, value in imported.secrets.items():
            self._secrets.remember(name, value)
            if self.store_check.isChecked():
                self._secrets.persist(name)
        self._document.update("Import cURL command", request=config.request, test_inputs=config.test_inputs)
        self.accept()


def open_curl_dialog(document: Document, secrets: SessionSecrets, parent: QWidget) -> bool:
    """Show the dialog modally; True when a command was imported."""
    dialog = CurlImportDialog(document, secrets, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return accepted
