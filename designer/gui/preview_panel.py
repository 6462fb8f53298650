"""The Customer preview: the list the POS would receive, its problems, and the exact JSON.

Rows are the records in order: a record the POS would not get (no identifier...) stays in the
table, tinted, with the reason in its tooltip, and a field with a problem is tinted amber
(warning) or red (dropped). The JSON tab holds exactly what ``lookup-designer run`` prints for
the same config and response. Everything is computed by :class:`LivePreview` from the core.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from designer.core.customer import CUSTOMER_FIELDS
from designer.gui.column_fit import Column, FittedTableView
from designer.gui.document import Document
from designer.gui.live_preview import LivePreview
from designer.gui.preview_model import PreviewModel, Problem, ProblemsModel, describe_problem

__all__ = ["PreviewPanel"]

#: The JSON view shows at most this many characters; Copy JSON always copies all of it.
JSON_VIEW_LIMIT = 50_000  # about 5 ms to lay out; more stalls the window next to other work
#: While a run maps, new rows are shown at most this often: every insertion makes the table
#: repaint its visible cells (about 10 ms of data() calls), which would double each turn's cost.
SHOW_ROWS_EVERY = 0.1
_WIDTHS = {"identifier": 130, "name": 140, "street": 150, "email": 170, "phone": 110, "additional_info": 130}
_WARN = "color: #8a4b00;"
_ERROR = "color: #b3261e;"


class PreviewPanel(QWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPanel")
        self._document = document
        self._problems_synced = 0
        self._last_sync = 0.0
        self.live = LivePreview(document, self)
        self.model = PreviewModel(self)
        self.problems = ProblemsModel(self)
        self._build()
        self.live.started.connect(self._on_live_started)
        self.live.progressed.connect(self._on_live_progressed)
        self.live.finished.connect(self._on_live_finished)
        self.live.jsonReady.connect(self._on_live_json_ready)
        document.selectedRecordChanged.connect(self._on_document_selected_record_changed)
        self.live.update_now()

    # -- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel("<b>Customer preview</b>")
        self.summary = QLabel()
        self.summary.setObjectName("previewSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Its own line, wrapping, rather than widening the panel or cutting the sentence beside
        # the title ("The lookup fails: the POS g…" even at 1500 px).
        self.summary.setWordWrap(True)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addWidget(title)
        header.addWidget(self.summary)
        self.message = QLabel()
        self.message.setObjectName("previewMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(_WARN)
        self.message.hide()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("previewTabs")
        self.tabs.addTab(self._build_customers(), "Customers")
        self.tabs.addTab(self._build_problems(), "Problems")
        self.tabs.addTab(self._build_json(), "JSON")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(header)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

    def _build_customers(self) -> QWidget:
        self.table = QTableView()
        self.table.setObjectName("previewTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        horizontal = self.table.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = horizontal.fontMetrics()
        for column, field in enumerate(CUSTOMER_FIELDS):
            horizontal.resizeSection(
                column, max(_WIDTHS.get(field, 90), metrics.horizontalAdvance(field) + 24)
            )
        self.table.clicked.connect(self._on_table_clicked)
        self.empty = QLabel()
        self.empty.setObjectName("previewEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setMargin(16)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        return self.stack

    def _build_problems(self) -> QWidget:
        self.problems_view = FittedTableView()
        self.problems_view.setObjectName("problemsList")
        self.problems_view.setModel(self.problems)
        self.problems_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.problems_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems_view.setWordWrap(False)
        self.problems_view.verticalHeader().hide()
        self.problems_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.problems_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        metrics = self.problems_view.fontMetrics()
        icon = 36  # the severity icon beside the record number
        message = metrics.averageCharWidth() * 12
        self.problems_view.columns = [
            Column(metrics.horizontalAdvance("9999") + icon, metrics.horizontalAdvance("response") + icon),
            Column(
                metrics.horizontalAdvance("identifier") + 12,
                metrics.horizontalAdvance("balance.identifier") + 16,
            ),
            Column(message, message, weight=1),
        ]
        self.problems_view.fit_columns()
        self.problems_view.clicked.connect(self._on_problems_view_clicked)
        self.problems_view.selectionModel().currentRowChanged.connect(self._on_problems_current_changed)
        # The message column elides: the current problem is also shown whole below the list.
        self.problem_detail = QLabel()
        self.problem_detail.setObjectName("problemDetail")
        self.problem_detail.setWordWrap(True)
        self.problem_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_empty = QLabel()
        self.problems_empty.setObjectName("problemsEmpty")
        self.problems_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.problems_empty.setWordWrap(True)
        self.problems_empty.setMargin(16)
        listed = QWidget()
        layout = QVBoxLayout(listed)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problems_view, 1)
        layout.addWidget(self.problem_detail)
        self.problems_stack = QStackedWidget()
        self.problems_stack.addWidget(self.problems_empty)
        self.problems_stack.addWidget(listed)
        return self.problems_stack

    def _build_json(self) -> QWidget:
        self.json_view = QPlainTextEdit()
        self.json_view.setObjectName("previewJson")
        self.json_view.setReadOnly(True)
        self.json_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.json_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.json_note = QLabel()
        self.json_note.setObjectName("previewJsonNote")
        self.json_note.setWordWrap(True)
        self.copy_button = QPushButton("Copy JSON")
        self.copy_button.setObjectName("copyJsonButton")
        self.copy_button.setToolTip("Copy the whole Customer list exactly as the POS receives it")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.json_note, 1)
        row.addWidget(self.copy_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.json_view, 1)
        return page

    # -- public ---------------------------------------------------------------------------------
    def json_text(self) -> str | None:
        """The complete JSON output of the current preview (None while it is being written)."""
        return self.live.run.json_text

    # -- live preview slots ---------------------------------------------------------------------
    def _on_live_started(self) -> None:
        run = self.live.run
        interpretation = run.interpretation
        self.model.set_results(interpretation.results if interpretation is not None else [])
        self.problems.clear()
        self._problems_synced = 0
        if interpretation is not None:
            if interpretation.early is not None and interpretation.error is not None:
                self.problems.append([Problem("error", None, None, interpretation.error.message)])
            if interpretation.mapping is not None:
                self.problems.append_diagnostics(list(interpretation.mapping.document_diagnostics))
        self._sync_problems()
        self.json_view.clear()
        self.json_note.setText("")
        self.copy_button.setEnabled(False)
        self.json_view.setPlaceholderText("Writing the JSON output…")
        self._last_sync = time.perf_counter()
        self._show_state()

    def _on_live_progressed(self, _mapped: int) -> None:
        now = time.perf_counter()
        if now - self._last_sync < SHOW_ROWS_EVERY:
            return
        self._last_sync = now
        self.model.sync()
        self._sync_problems()
        self._show_state()

    def _on_live_finished(self) -> None:
        self.model.sync()
        self._sync_problems()
        result = self.live.run.result
        if result is not None:
            self.problems.append([Problem("note", None, None, note) for note in result.notes])
        self._show_state()
        error = result.error if result is not None else None
        unavailable = self.live.run.unavailable
        if error is not None or unavailable is not None:
            reason = error.message if error is not None else unavailable
            self.json_view.setPlaceholderText(
                f"No output: {reason}\n(lookup-designer run prints nothing and exits with status 1)"
                if error is not None
                else f"No output: {reason}"
            )

    def _on_live_json_ready(self) -> None:
        output = self.live.run.json
        # Only the start is shown; joining or counting a 20 MB output here would stall the window.
        text = output.head(JSON_VIEW_LIMIT + 1) if output is not None else ""
        shown = text
        if output is not None and len(text) > JSON_VIEW_LIMIT:
            cut = text.rfind("\n", 0, JSON_VIEW_LIMIT)
            shown = text[: cut if cut > 0 else JSON_VIEW_LIMIT]
            self.json_note.setText(
                f"Showing the first {shown.count(chr(10)) + 1:,} of {output.lines:,} lines "
                f"({output.utf8_size / 1_000_000:.1f} MB); Copy JSON copies all of it."
            )
        else:
            self.json_note.setText("Exactly what the POS receives (and lookup-designer run prints).")
        self.json_view.setPlainText(shown)
        self.copy_button.setEnabled(True)

    def _sync_problems(self) -> None:
        results = self.live.run.interpretation.results if self.live.run.interpretation is not None else []
        new = results[self._problems_synced :]
        self._problems_synced = len(results)
        self.problems.append_diagnostics([d for r in new for d in r.diagnostics])

    # -- state display --------------------------------------------------------------------------
    def _show_state(self) -> None:
        run = self.live.run
        result = run.result
        counts = self.problems.counts()
        problems = counts["error"] + counts["warning"]
        self.tabs.setTabText(1, problems_tab_text(problems, counts["note"]))
        self.tabs.setTabToolTip(1, self._problems_tooltip(problems, counts["note"]))
        self._show_problems()
        self.message.hide()
        self.summary.setVisible(run.unavailable is None)  # no line left blank above the tabs
        if run.unavailable is not None:
            self._empty(
                run.unavailable if self._document.response is None else f"No records found: {run.unavailable}"
            )
            self.summary.setText("")
            return
        if result is None:
            self.stack.setCurrentWidget(self.table)
            self.summary.setText(f"Mapping… {run.mapped:,} of {run.total:,} records")
            self.summary.setStyleSheet("")
            return
        if result.error is not None:
            self._empty(f"No records found: {result.error.message}")
            self.summary.setText("The lookup fails: the POS gets an error, not a list")
            self.summary.setStyleSheet(_ERROR)
            return
        if run.total == 0:
            self._empty(self._no_records_reason())
            self.summary.setText("0 customers")
            self.summary.setStyleSheet("")
            return
        self.stack.setCurrentWidget(self.table)
        customers = len(result.customers)
        skipped = run.total - customers
        parts = [f"{_plural(customers, 'customer')} from {_plural(run.total, 'record')}"]
        if skipped:
            parts.append(f"{skipped:,} skipped")
        if problems:
            parts.append(_plural(problems, "problem"))
        self.summary.setText(" · ".join(parts))
        self.summary.setStyleSheet(_WARN if skipped or counts["error"] else "")
        self.tabs.setTabText(0, f"Customers ({customers:,})")
        if "identifier" not in self._document.config.response.fields:
            self.message.setText(
                "identifier is not mapped yet — map the customer's id (required) to get customers."
            )
            self.message.show()

    def _problems_tooltip(self, problems: int, notes: int) -> str:
        records = len(
            {p.record for p in self.problems.items() if p.record is not None and p.severity != "note"}
        )
        parts = []
        if problems:
            parts.append(
                f"{_plural(problems, 'problem')} in {_plural(records, 'record')}"
                if records
                else _plural(problems, "problem")
            )
        if notes:
            parts.append(f"{_plural(notes, 'note')} about the whole response")
        return " and ".join(parts) or "Problems the POS would see in the Customer list"

    def _show_problems(self) -> None:
        """The list, with the current problem whole below it; or why there is nothing to list."""
        if self.problems.rowCount():
            self.problems_stack.setCurrentIndex(1)
            self._show_problem_detail()
            return
        self.problems_empty.setText(self._no_problems_text())
        self.problems_stack.setCurrentIndex(0)

    def _no_problems_text(self) -> str:
        run = self.live.run
        if self._document.response is None:
            return "No response yet — press Send (or open or paste a saved response)."
        if run.unavailable is not None:
            return f"Nothing was mapped: {run.unavailable}"
        if run.result is None:
            return f"No problems so far (mapping… {run.mapped:,} of {run.total:,} records)"
        if run.total == 0:
            return "No problems: the response holds no records, so the POS gets an empty list."
        return "No problems: every record maps to a valid Customer."

    def _show_problem_detail(self) -> None:
        current = self.problems_view.currentIndex()
        problem = self.problems.problem(current.row() if current.isValid() else 0)
        self.problem_detail.setText(describe_problem(problem) if problem is not None else "")

    def _no_records_reason(self) -> str:
        result = self.live.run.result
        interpretation = self.live.run.interpretation
        if result is not None and result.notes and interpretation is not None and interpretation.early:
            return f"No customers: {result.notes[0]}"
        documents = (
            interpretation.mapping.document_diagnostics if interpretation and interpretation.mapping else ()
        )
        messages = [d.message for d in documents if d.field is None]
        if messages:
            return f"No records found: {messages[0]}"
        path = self._document.config.response.records_path
        return f"No records found: {path} selects an empty list (0 customers)"

    def _empty(self, text: str) -> None:
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)
        self.tabs.setTabText(0, "Customers")

    # -- user actions ---------------------------------------------------------------------------
    def _on_table_clicked(self, index: QModelIndex) -> None:
        result = self.model.result(index.row())
        if result is not None:
            self._document.set_selected_record(result.index)

    def _on_problems_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_problem_detail()

    def _on_problems_view_clicked(self, index: QModelIndex) -> None:
        problem = self.problems.problem(index.row())
        if problem is not None and problem.record is not None:
            self._document.set_selected_record(problem.record)

    def _on_document_selected_record_changed(self, record: int) -> None:
        if 0 <= record < self.model.rowCount():
            self.table.selectRow(record)
            self.table.scrollTo(self.model.index(record, 0))

    def _on_copy_button_clicked(self) -> None:
        text = self.live.run.json_text
        if text is not None:
            QGuiApplication.clipboard().setText(text)


def problems_tab_text(problems: int, notes: int) -> str:
    """The Problems tab's title; its count is exactly the rows the list shows (notes included)."""
    if problems and notes:
        return f"Problems ({problems:,} + {_plural(notes, 'note')})"
    if notes:
        return f"Problems ({_plural(notes, 'note')})"
    return f"Problems ({problems:,})" if problems else "Problems"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"
