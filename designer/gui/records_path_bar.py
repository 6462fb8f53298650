"""The records path row at the top of the field mapper: typed, validated, or picked from a list.

Typing applies the path as soon as it parses (consecutive keystrokes are one undo step); a
path that does not parse stays in the field, framed red with the parser's message, and is not
applied. The "Lists ▾" button offers every list or object of records that contains the last
clicked node (:func:`designer.core.jsonpath.record_path_candidates`) with its record count.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget

from designer.core.jsonpath import RecordsCandidate
from designer.gui.document import Document
from designer.gui.path_edit import PathEdit

__all__ = ["RecordsPathBar"]

_MERGE_ID = "records_path"


class RecordsPathBar(QWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._shown = document.config.response.records_path
        self.setObjectName("recordsPathBar")
        label = QLabel("&Records:")
        self.edit = PathEdit(self._shown, allow_empty=False)
        self.edit.setObjectName("recordsPathEdit")
        self.edit.setPlaceholderText("$['customers'][*] — where the list of records is")
        self.edit.setToolTip("The JSONPath of the list of records; every field path is relative to a record")
        label.setBuddy(self.edit)
        self.count_label = QLabel()
        self.count_label.setObjectName("recordsCount")
        self.candidates_button = QToolButton()
        self.candidates_button.setObjectName("recordsCandidatesButton")
        self.candidates_button.setText("Lists ▾")
        self.candidates_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.candidates_menu = QMenu(self.candidates_button)
        self.candidates_menu.setObjectName("recordsCandidatesMenu")
        self.candidates_button.setMenu(self.candidates_menu)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("recordsPathProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b3261e;")
        self.problem_label.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.edit, 1)
        row.addWidget(self.count_label)
        row.addWidget(self.candidates_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.problem_label)
        self.set_candidates([])
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.edit.problemChanged.connect(self._on_edit_problem_changed)
        self.edit.editingFinished.connect(document.end_merge)

    def refresh(self, record_count: int | None) -> None:
        """Show the config's records path (unless it is what the user is typing) and the count."""
        path = self._document.config.response.records_path
        if path != self._shown:
            self._shown = path
            self.edit.setText(path)
        if record_count is None:
            self.count_label.setText("")
        else:
            self.count_label.setText(f"{record_count} record{'' if record_count == 1 else 's'}")

    def set_candidates(self, candidates: list[RecordsCandidate]) -> None:
        """The record lists containing the last clicked node, offered in the Lists menu."""
        self.candidates_menu.clear()
        for candidate in candidates:
            plural = "" if candidate.count == 1 else "s"
            text = f"{candidate.records_path}    {candidate.count} record{plural} ({candidate.kind})"
            action = self.candidates_menu.addAction(text)
            action.setData(candidate.records_path)
            action.triggered.connect(
                lambda _checked=False, path=candidate.records_path: self._on_candidate_chosen(path)
            )
        self.candidates_button.setEnabled(bool(candidates))
        self.candidates_button.setToolTip(
            "Choose which list holds the records"
            if candidates
            else "Click a node in the response tree to see the lists that contain it"
        )

    def _on_edit_text_edited(self, text: str) -> None:
        if self.edit.problem is None and text.strip():
            self._shown = text.strip()
            self._document.set_records_path(text.strip(), merge_id=_MERGE_ID)

    def _on_edit_problem_changed(self, problem: str) -> None:
        self.problem_label.setText(f"Not applied: {problem}" if problem else "")
        self.problem_label.setVisible(bool(problem))

    def _on_candidate_chosen(self, path: str) -> None:
        self._document.end_merge()
        self._document.set_records_path(path)
        self._document.end_merge()
