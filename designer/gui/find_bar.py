"""The Ctrl+F bar of the raw view: find text, next/previous, match count, case option.

Navigation uses ``QTextDocument.find`` (fast, in C++, positions as Qt counts them); the count is
taken in Python over the text the view holds, after a short pause in typing so a keystroke
never scans megabytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QToolButton, QWidget

COUNT_DELAY_MS = 120
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def count_matches(text: str, needle: str, *, case_sensitive: bool) -> int:
    """Non-overlapping occurrences, as successive finds visit them."""
    if not needle:
        return 0
    if case_sensitive:
        return text.count(needle)
    return sum(1 for _ in re.finditer(re.escape(needle), text, re.IGNORECASE))


class _FindEdit(QLineEdit):
    """Enter finds the next match, Shift+Enter the previous one, Escape closes the bar."""

    nextRequested = Signal()
    previousRequested = Signal()
    closeRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previousRequested.emit()
            else:
                self.nextRequested.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.closeRequested.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """Finds in ``editor``; ``text_source`` returns the text the editor holds (for counting)."""

    def __init__(
        self, editor: QPlainTextEdit, text_source: Callable[[], str], *, partial: Callable[[], bool]
    ):
        super().__init__()
        self.setObjectName("findBar")
        self._editor = editor
        self._text_source = text_source
        self._partial = partial
        self.edit = _FindEdit()
        self.edit.setObjectName("findEdit")
        self.edit.setPlaceholderText("Find in the response")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(140)
        self.previous_button = _tool_button("findPreviousButton", "▲", "Previous match (Shift+Enter)")
        self.next_button = _tool_button("findNextButton", "▼", "Next match (Enter)")
        self.case_check = QCheckBox("Match case")
        self.case_check.setObjectName("findCaseCheck")
        self.count_label = QLabel()
        self.count_label.setObjectName("findCountLabel")
        self.count_label.setToolTip(
            "Matches in the text shown so far; Show more or Show all to search the rest"
        )
        self.close_button = _tool_button("findCloseButton", "✕", "Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.case_check)
        layout.addWidget(self.count_label)
        layout.addWidget(self.close_button)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self.update_count)
        self._total = 0
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.edit.nextRequested.connect(self.find_next)
        self.edit.previousRequested.connect(self.find_previous)
        self.edit.closeRequested.connect(self.close_bar)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.close_button.clicked.connect(self.close_bar)
        self.case_check.toggled.connect(self._on_case_check_toggled)
        for key, slot in (("F3", self.find_next), ("Shift+F3", self.find_previous)):
            shortcut = QShortcut(QKeySequence(key), editor)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.hide()

    # -- public ---------------------------------------------------------------------------------
    def open_bar(self) -> None:
        """Show the bar with the editor's selection (if any) as the text to find."""
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.edit.setText(selected)
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
        self.update_count()

    def close_bar(self) -> None:
        self.hide()
        self._editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def find_next(self) -> bool:
        return self._find(backward=False)

    def find_previous(self) -> bool:
        return self._find(backward=True)

    def text_changed_in_editor(self) -> None:
        """The editor's text changed (new body, more loaded): recount later."""
        if self.isVisible() and self.edit.text():
            self._count_timer.start()

    def update_count(self) -> None:
        self._count_timer.stop()
        needle = self.edit.text()
        if not needle:
            self._total = 0
            self.count_label.setText("")
            return
        text = self._text_source()
        self._total = count_matches(text, needle, case_sensitive=self.case_check.isChecked())
        self._show_count(text)

    # -- internals ------------------------------------------------------------------------------
    def _flags(self, backward: bool) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case_check.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _find(self, *, backward: bool, start: int | None = None) -> bool:
        needle = self.edit.text()
        if not needle:
            return False
        document = self._editor.document()
        cursor = self._editor.textCursor()
        if start is not None:
            cursor.setPosition(start)
        flags = self._flags(backward)
        found = document.find(needle, cursor, flags)
        if found.isNull():  # wrap around
            edge = QTextCursor(document)
            edge.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            found = document.find(needle, edge, flags)
        if not found.isNull():
            self._editor.setTextCursor(found)
            self._editor.centerCursor()
        if not self._count_timer.isActive():  # a recount is due anyway: no stale "5 of 3"
            self._show_count(None)
        return not found.isNull()

    def _show_count(self, text: str | None) -> None:
        needle = self.edit.text()
        if not needle:
            self.count_label.setText("")
            return
        suffix = " so far" if self._partial() else ""
        if self._total == 0:
            self.count_label.setText(f"no matches{suffix}")
            self.count_label.setStyleSheet("color: #b71c1c;")
            return
        self.count_label.setStyleSheet("")
        ordinal = self._ordinal(text)
        if ordinal is None:
            plural = "" if self._total == 1 else "es"
            self.count_label.setText(f"{self._total} match{plural}{suffix}")
        else:
            self.count_label.setText(f"{ordinal} of {self._total}{suffix}")

    def _ordinal(self, text: str | None) -> int | None:
        """Which match is selected (1-based), when the selection is one; positions must agree."""
        cursor = self._editor.textCursor()
        needle = self.edit.text()
        selected = cursor.selectedText()
        same = selected == needle if self.case_check.isChecked() else selected.lower() == needle.lower()
        if not same:
            return None
        text = self._text_source() if text is None else text
        if _ASTRAL.search(text):
            return None  # Qt counts UTF-16 units; Python counts characters
        before = text[: cursor.selectionStart()]
        return count_matches(before, needle, case_sensitive=self.case_check.isChecked()) + 1

    def _on_edit_text_changed(self, _text: str) -> None:
        self._count_timer.start()
        self._find(backward=False, start=self._editor.textCursor().selectionStart())

    def _on_case_check_toggled(self, _checked: bool) -> None:
        self.update_count()
        self._find(backward=False, start=self._editor.textCursor().selectionStart())


def _tool_button(name: str, text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    return button
