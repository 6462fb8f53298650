"""A line edit for one JSONPath that validates as the user types, with the runtime's parser.

Red frame and the parser's message while the path does not parse (pitfall H008: a path the
runtime cannot read is rejected while it is typed, not at lookup time). Used by the mapper's
inline editor, the records path field and the row editor.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLineEdit, QWidget

from designer.core.jsonpath import path_problem

__all__ = ["PathEdit"]

_INVALID_STYLE = "QLineEdit { border: 2px solid #c62828; background: #fdecea; color: #1f1f1f; }"


class PathEdit(QLineEdit):
    problemChanged = Signal(str)  # the parser's message, or "" once the path parses

    def __init__(self, text: str = "", parent: QWidget | None = None, *, allow_empty: bool = True) -> None:
        super().__init__(text, parent)
        self._allow_empty = allow_empty
        self._problem: str | None = None
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setPlaceholderText("$['name'] — a JSONPath relative to the record")
        self.textChanged.connect(self._on_self_text_changed)
        self._on_self_text_changed(text)

    @property
    def problem(self) -> str | None:
        """Why the current text is not a usable path, or None (from the text as it is now:
        ``textEdited`` handlers run before this widget's own ``textChanged`` slot)."""
        return self._check(self.text())

    def _check(self, text: str) -> str | None:
        stripped = text.strip()
        if not stripped:
            return None if self._allow_empty else "the path is empty; use $ for the whole record"
        return path_problem(stripped)  # compile_path caches, so asking twice costs nothing

    def _on_self_text_changed(self, text: str) -> None:
        problem = self._check(text)
        if problem == self._problem:
            return
        self._problem = problem
        self.setStyleSheet(_INVALID_STYLE if problem else "")
        self.setToolTip(problem or "")
        self.problemChanged.emit(problem or "")
