"""Responses that do not come from a test request: File ▸ Open Response… and Paste Response….

Consultants often get a merchant's sample by mail. A file (or pasted text) is a JSON body or a
raw HTTP response with status line and headers (``curl -i`` output); the core's
``parse_saved_response`` tells which, and the core's ``decode_body`` reads it exactly as the
runtime would (charset, BOM, anti-XSSI prefix, HTML pages). For a file of several responses
(``### title`` sections, e.g. a redirect and its target) the user picks one. Above a size
(default 50 MB, setting ``response/askAboveMB``) the user is asked first, and told afterwards
what was done.

The file picker is a module function so tests can stand in for the operating system's dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from designer.core.fetch import format_bytes
from designer.gui.collector import BIG_BODY_BYTES, CollectorHold
from designer.gui.document import Document, ResponseState

__all__ = [
    "DEFAULT_ASK_ABOVE_BYTES",
    "RESPONSE_FILE_FILTER",
    "PasteResponseDialog",
    "ResponseSources",
    "ask_response_path",
    "response_from_bytes",
]

DEFAULT_ASK_ABOVE_BYTES = 50 * 1024 * 1024
ASK_ABOVE_SETTING = "response/askAboveMB"
RESPONSE_FILE_FILTER = "Saved responses (*.json *.http *.txt *.har *.html);;All files (*)"


def ask_response_path(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Open a saved response", "", RESPONSE_FILE_FILTER)
    return Path(name) if name else None


def response_from_bytes(data: bytes, source: str, strip_prefix: str | None) -> ResponseState:
    """A ResponseState for saved bytes: a body alone, or a raw HTTP response."""
    from designer.core.decode import decode_body  # noqa: PLC0415  (kept out of start-up)
    from designer.core.saved_response import parse_saved_response  # noqa: PLC0415

    saved = parse_saved_response(data)
    decoded = decode_body(saved.body, saved.content_type, strip_prefix)
    return ResponseState(exchange=None, decoded=decoded, source=source, error=decoded.error, saved=saved)


def _configured_limit() -> int:
    value = QSettings().value(ASK_ABOVE_SETTING, None)
    try:
        megabytes = float(value) if value is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        megabytes = None
    return int(megabytes * 1024 * 1024) if megabytes and megabytes > 0 else DEFAULT_ASK_ABOVE_BYTES


class PasteResponseDialog(QDialog):
    """A text box for a response copied from a browser, a mail or ``curl -i``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pasteResponseDialog")
        self.setWindowTitle("Paste a response")
        self.resize(720, 480)
        hint = QLabel(
            "Paste a JSON body, or a whole HTTP response (status line, headers, blank line, body) "
            "as printed by <code>curl -i</code>."
        )
        hint.setWordWrap(True)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("pasteResponseEdit")
        self.edit.setPlaceholderText('{"customers": [{"id": "K1", "name": "Ada Jensen"}]}')
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.use_button = self.buttons.addButton("Use this response", QDialogButtonBox.ButtonRole.AcceptRole)
        self.use_button.setObjectName("pasteResponseUseButton")
        self.use_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.buttons)
        clipboard = QGuiApplication.clipboard().text()
        if clipboard.strip():
            self.edit.setPlainText(clipboard)
            self.edit.selectAll()

    def text(self) -> str:
        return self.edit.toPlainText()

    def _on_edit_text_changed(self) -> None:
        self.use_button.setEnabled(bool(self.edit.toPlainText().strip()))


class ResponseSources(QObject):
    """The two actions and what they do; the window puts the actions in its File menu."""

    message = Signal(str)  # what was done, in words (for a status line)
    largeLoaded = Signal(str)  # a body above the ask-first size was loaded: what was done, in words

    def __init__(self, document: Document, parent_widget: QWidget, *, ask_above: int | None = None) -> None:
        super().__init__(parent_widget)
        self._document = document
        self._widget = parent_widget
        self.ask_above = ask_above if ask_above is not None else _configured_limit()
        self.open_action = QAction("Open &Response…", parent_widget)
        self.open_action.setObjectName("openResponseAction")
        self.open_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.open_action.setToolTip(
            "Open a saved response (a JSON body or a raw HTTP response) to map offline"
        )
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.paste_action = QAction("&Paste Response…", parent_widget)
        self.paste_action.setObjectName("pasteResponseAction")
        self.paste_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.paste_action.setToolTip("Paste a response body or a raw HTTP response")
        self.paste_action.triggered.connect(self._on_paste_action_triggered)

    @property
    def actions(self) -> list[QAction]:
        return [self.open_action, self.paste_action]

    # -- open --------------------------------------------------------------------------------------
    def open(self) -> bool:
        path = ask_response_path(self._widget)
        return self.open_path(path) if path else False

    def open_path(self, path: Path) -> bool:
        """Read a saved response; a big one only after the user agreed. Never raises."""
        try:
            size = path.stat().st_size
        except OSError as error:
            self._show_error(f"Cannot open {path.name}", _describe(error, path))
            return False
        if not self._confirm_size(size, f"The file {path.name}"):
            self.message.emit(f"Did not open {path.name} ({format_bytes(size)}): you chose not to load it.")
            return False
        try:
            data = path.read_bytes()
        except OSError as error:
            self._show_error(f"Cannot open {path.name}", _describe(error, path))
            return False
        which = self._load(data, f"file:{path}")
        if which is None:
            return False
        self._report(f"Opened the response{which} in {path.name} ({format_bytes(size)})", size)
        return True

    # -- paste -------------------------------------------------------------------------------------
    def paste(self) -> bool:
        dialog = PasteResponseDialog(self._widget)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            text = dialog.text()
        finally:
            dialog.deleteLater()
        return self.paste_text(text)

    def paste_text(self, text: str) -> bool:
        """Use pasted text as the response (UTF-8, as the clipboard holds it)."""
        if not text.strip():
            return False
        data = text.encode("utf-8", errors="surrogatepass")
        if not self._confirm_size(len(data), "The pasted text"):
            self.message.emit("Did not use the pasted text: you chose not to load it.")
            return False
        which = self._load(data, "pasted")
        if which is None:
            return False
        self._report(f"Using the pasted response{which} ({format_bytes(len(data))})", len(data))
        return True

    # -- internals ---------------------------------------------------------------------------------
    def _load(self, data: bytes, source: str) -> str | None:
        """Decode and show ``data``; which response was taken (" 2 of 2 (title)"), None if none."""
        from designer.core.saved_response import split_responses  # noqa: PLC0415

        parts = split_responses(data)
        which = ""
        if len(parts) > 1:
            chosen = self._choose_response(parts)
            if chosen is None:
                self.message.emit("No response chosen; nothing was loaded.")
                return None
            title = parts[chosen][0]
            which = f" {chosen + 1} of {len(parts)}" + (f" ({title})" if title else "")
            data = parts[chosen][1]
        # Parsing holds the interpreter lock (a thread would not help); a wait cursor says why
        # the window pauses for the second or so a 50 MB body takes.
        # The collector stays off until the panels hold the new document (designer.gui.collector).
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        collector = CollectorHold()
        collector.hold()
        try:
            state = response_from_bytes(data, source, self._document.config.response.strip_prefix)
            self._document.set_response(state)
        finally:
            collector.release(len(data) >= BIG_BODY_BYTES)
            QGuiApplication.restoreOverrideCursor()
        return which

    def _choose_response(self, parts: list[tuple[str, bytes]]) -> int | None:
        """A file of several responses (``### title`` sections): the user picks one, the last by default."""
        items = [f"{number}. {_describe_part(title, raw)}" for number, (title, raw) in enumerate(parts, 1)]
        choice, ok = QInputDialog.getItem(
            self._widget,
            "Choose a response",
            f"This holds {len(parts)} responses (for example a redirect and its target).\n"
            "Which one do you want to map?",
            items,
            len(items) - 1,
            False,
        )
        return items.index(choice) if ok and choice in items else None

    def _confirm_size(self, size: int, what: str) -> bool:
        if size <= self.ask_above:
            return True
        answer = QMessageBox.question(
            self._widget,
            "Large response",
            f"{what} is {format_bytes(size)}, more than {format_bytes(self.ask_above)}.\n\n"
            "Reading it may take several seconds and a lot of memory (about ten times its size). "
            "The tree and the raw text stay fast once it is loaded.\n\nLoad it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _report(self, done: str, size: int) -> None:
        if size <= self.ask_above:
            self.message.emit(f"{done}.")
            return
        text = f"{done}, larger than {format_bytes(self.ask_above)}: loaded because you chose to."
        self.message.emit(text)
        self.largeLoaded.emit(text)

    def _show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self._widget, title, text)

    def _on_open_action_triggered(self, _checked: bool = False) -> None:
        self.open()

    def _on_paste_action_triggered(self, _checked: bool = False) -> None:
        self.paste()


def _describe_part(title: str, raw: bytes) -> str:
    first_line = raw.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    status = first_line if first_line.startswith("HTTP/") else "body only"
    return f"{title} — {status}" if title else status


def _describe(error: OSError, path: Path) -> str:
    reason = error.strerror or str(error)
    return f"{reason}: {path}"
