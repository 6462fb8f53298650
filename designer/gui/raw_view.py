"""The raw response text: pretty-printed JSON (or the body as received), monospaced, with find.

Big bodies are shown a part at a time: the first ~16 KB at once (a few milliseconds, so the
first paint stays fast at any size, issue 6), up to ~256 KB in the turns right after, more
when the user scrolls to the end or presses Show more, and all of it with Show all. Loading in
the background adds text a few milliseconds per event-loop turn (pretty-printing and laying
out 256 KB at once takes ~35 ms, a visible stall in the middle of a Send). The pretty text is
produced only as far as it is shown (:mod:`designer.gui.pretty_text`), and no line longer than
2 000 characters ever reaches the text view (one multi-megabyte line freezes Qt's layout).

A body that is not JSON (an HTML sign-in page, an error text) is shown exactly as it arrived
after charset decoding, so the user can read it. A parsed body can be shown either way.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFontDatabase, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from designer.core.decode import DecodedBody
from designer.gui.find_bar import FindBar
from designer.gui.json_tree_model import format_count
from designer.gui.pretty_text import ChunkedText, iter_pretty_json, iter_slices

__all__ = ["INITIAL_CHARS", "MAX_LINE", "MORE_CHARS", "PREFETCH_CHARS", "RawView"]

INITIAL_CHARS = 16 * 1024  # shown at once (~500 lines of pretty JSON, ~4 ms)
PREFETCH_CHARS = 256 * 1024  # loaded in the background right after
PREFETCH_INTERVAL_MS = 10  # between background turns (256 KB in ~0.3 s)
MORE_CHARS = 1024 * 1024  # per Show more
STEP_CHARS = 8 * 1024  # per background step (~1 ms)
SCROLL_CHARS = 16 * 1024  # when scrolled to the end (~3 ms)
TURN_SECONDS = 0.002  # a background turn stops adding text after this long
MAX_LINE = 2000  # longer lines are broken for display


def _size(chars: int) -> str:
    if chars < 1024 * 1024:
        return f"{max(chars // 1024, 1)} KB"
    return f"{chars / (1024 * 1024):.1f} MB"


class RawView(QWidget):
    """Shows one response body; ``show_body(None)`` empties it."""

    textLoaded = Signal()  # more text was added (or a new body shown)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rawView")
        self._build_text()
        self._build_more_bar()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.mode_label, 1)
        top.addWidget(self.pretty_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.more_bar)

        self.find_action = QAction("&Find in Response…", self)
        self.find_action.setObjectName("findInResponseAction")
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_action.triggered.connect(self._on_find_action_triggered)
        self.addAction(self.find_action)

        self._decoded: DecodedBody | None = None
        self._chunks: ChunkedText | None = None
        self._parts: list[str] = []
        self._joined: str | None = ""
        self._pretty = False
        self._note = ""
        self._all_timer = QTimer(self)
        self._all_timer.setInterval(0)
        self._all_timer.timeout.connect(self._on_all_timer_timeout)
        self._prefetch_timer = QTimer(self)
        # Not 0: back-to-back turns would hold off the paint of what is already shown.
        self._prefetch_timer.setInterval(PREFETCH_INTERVAL_MS)
        self._prefetch_timer.timeout.connect(self._on_prefetch_timer_timeout)
        self.more_button.clicked.connect(self._on_more_button_clicked)
        self.all_button.clicked.connect(self._on_all_button_clicked)
        self.pretty_check.toggled.connect(self._on_pretty_check_toggled)
        self.text_edit.verticalScrollBar().valueChanged.connect(self._on_scroll_value_changed)
        self.textLoaded.connect(self.find_bar.text_changed_in_editor)

    def _build_text(self) -> None:
        self.mode_label = QLabel()
        self.mode_label.setObjectName("rawModeLabel")
        self.mode_label.setWordWrap(True)
        self.pretty_check = QCheckBox("Pretty-print")
        self.pretty_check.setObjectName("rawPrettyCheck")
        self.pretty_check.setChecked(True)
        self.pretty_check.setToolTip("Indent the parsed JSON, or show the body exactly as it arrived")
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("rawText")
        self.text_edit.setReadOnly(True)
        self.text_edit.setUndoRedoEnabled(False)
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text_edit.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.find_bar = FindBar(self.text_edit, self.text, partial=lambda: not self.fully_loaded)

    def _build_more_bar(self) -> None:
        self.more_label = QLabel()
        self.more_label.setObjectName("rawMoreLabel")
        self.more_label.setWordWrap(True)
        self.more_button = QPushButton("Show more")
        self.more_button.setObjectName("rawShowMoreButton")
        self.all_button = QPushButton("Show all")
        self.all_button.setObjectName("rawShowAllButton")
        self.more_bar = QWidget()
        self.more_bar.setObjectName("rawMoreBar")
        more_layout = QHBoxLayout(self.more_bar)
        more_layout.setContentsMargins(0, 0, 0, 0)
        more_layout.addWidget(self.more_label, 1)
        more_layout.addWidget(self.more_button)
        more_layout.addWidget(self.all_button)
        self.more_bar.hide()

    # -- public ---------------------------------------------------------------------------------
    def show_body(self, decoded: DecodedBody | None) -> None:
        """Show a new body from its start (pretty when it parsed and Pretty-print is on)."""
        self._decoded = decoded
        parsed = decoded is not None and decoded.ok
        self.pretty_check.setVisible(parsed)  # a body that is not JSON can only be shown as received
        self._restart()

    def text(self) -> str:
        """The text shown so far (exactly what the text view holds)."""
        if self._joined is None:
            self._joined = "".join(self._parts)
            self._parts = [self._joined] if self._joined else []
        return self._joined

    @property
    def fully_loaded(self) -> bool:
        return self._chunks is None or self._chunks.done

    @property
    def pretty(self) -> bool:
        """True while the view shows pretty-printed JSON (not the body as received)."""
        return self._pretty

    def show_more(self, chars: int = MORE_CHARS) -> bool:
        """Append about ``chars`` more characters; False when everything is shown."""
        chunk = self._next_chunk(chars)
        if chunk is None:  # the view restarted, showing the body as received
            return not self.fully_loaded
        if not chunk:
            self._update_more_bar()
            return False
        cursor = QTextCursor(self.text_edit.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(chunk)
        self._append(chunk)
        return True

    def show_all(self) -> None:
        """Load the rest in steps, the event loop running in between (a progress label shows)."""
        if not self.fully_loaded:
            self._all_timer.start()
            self._update_more_bar()

    # -- internals ------------------------------------------------------------------------------
    def _restart(self, note: str = "") -> None:
        self._all_timer.stop()
        self._prefetch_timer.stop()
        self._parts, self._joined = [], ""
        self._note = note
        decoded = self._decoded
        if decoded is None:
            self._chunks = None
            self._pretty = False
            self.text_edit.clear()
            self.mode_label.setText("")
            self._update_more_bar()
            self.textLoaded.emit()
            return
        self._pretty = decoded.ok and self.pretty_check.isChecked() and not note
        pieces: Iterable[str] = (
            iter_pretty_json(decoded.document) if self._pretty else iter_slices(decoded.text)
        )
        self._chunks = ChunkedText(pieces, MAX_LINE)
        first = self._next_chunk(INITIAL_CHARS)
        if first is None:  # pretty-printing failed; _next_chunk restarted as received
            return
        self.text_edit.setPlainText(first)
        self._append(first)
        if not self.fully_loaded:
            self._prefetch_timer.start()

    def _next_chunk(self, chars: int) -> str | None:
        """The next display chunk; None when pretty-printing failed and the view restarted."""
        chunks = self._chunks
        if chunks is None or chunks.done:
            return ""
        try:
            return chunks.next_chunk(chars)
        except (ValueError, TypeError, RecursionError) as error:
            # NaN/Infinity or absurd nesting cannot be pretty-printed: show what arrived.
            self._chunks = None
            reason = "it is nested too deeply" if isinstance(error, RecursionError) else str(error)
            self._restart(note=f"cannot pretty-print ({reason})")
            return None

    def _append(self, chunk: str) -> None:
        if chunk:
            self._parts.append(chunk)
            self._joined = None
        self._update_mode_label()
        self._update_more_bar()
        self.textLoaded.emit()

    def _update_mode_label(self) -> None:
        decoded = self._decoded
        if decoded is None:
            self.mode_label.setText("")
            return
        if self._pretty:
            text = "Pretty-printed JSON (numbers exactly as received)"
        else:
            what = "not JSON" if not decoded.ok else "JSON"
            text = f"As received ({what}, {decoded.charset})"
        if self._note:
            text += f"; {self._note}"
        if self._chunks is not None and self._chunks.broke_lines:
            text += f"; lines longer than {format_count(MAX_LINE)} characters are shown broken"
        self.mode_label.setText(text)

    def _update_more_bar(self) -> None:
        if self.fully_loaded:
            self._all_timer.stop()
            self.more_bar.hide()
            return
        shown = self._chunks.emitted if self._chunks is not None else 0
        lines = self.text_edit.document().blockCount()
        if not self._pretty and self._decoded is not None:
            total = f" of {_size(len(self._decoded.text))}"
        else:
            total = ""
        doing = " — loading…" if self._all_timer.isActive() else " — more below"
        self.more_label.setText(
            f"Showing the first {format_count(lines)} lines ({_size(shown)}{total}){doing}"
        )
        self.more_button.setEnabled(not self._all_timer.isActive())
        self.all_button.setEnabled(not self._all_timer.isActive())
        self.more_bar.show()

    def _on_more_button_clicked(self) -> None:
        self.show_more()

    def _on_all_button_clicked(self) -> None:
        self.show_all()

    def _load_for_a_turn(self, limit: int | None) -> bool:
        """Add steps of text for up to TURN_SECONDS (and up to ``limit`` characters shown).

        False when there is nothing more to load (or the limit is reached).
        """
        deadline = time.perf_counter() + TURN_SECONDS
        while limit is None or self._shown_chars() < limit:
            if not self.show_more(STEP_CHARS):
                return False
            if time.perf_counter() >= deadline:
                return True
        return False

    def _shown_chars(self) -> int:
        return self._chunks.emitted if self._chunks is not None else 0

    def _on_prefetch_timer_timeout(self) -> None:
        if self._all_timer.isActive() or not self._load_for_a_turn(PREFETCH_CHARS):
            self._prefetch_timer.stop()

    def _on_all_timer_timeout(self) -> None:
        if not self._load_for_a_turn(None):
            self._all_timer.stop()
            self._update_more_bar()

    def _on_scroll_value_changed(self, value: int) -> None:
        bar = self.text_edit.verticalScrollBar()
        if value >= bar.maximum() and bar.maximum() > 0 and not self.fully_loaded:
            QTimer.singleShot(0, self._on_scrolled_to_end)

    def _on_scrolled_to_end(self) -> None:
        bar = self.text_edit.verticalScrollBar()
        if bar.value() >= bar.maximum() and not self.fully_loaded and not self._all_timer.isActive():
            self.show_more(SCROLL_CHARS)

    def _on_pretty_check_toggled(self, _checked: bool) -> None:
        self._restart()

    def _on_find_action_triggered(self) -> None:
        self.find_bar.open_bar()
