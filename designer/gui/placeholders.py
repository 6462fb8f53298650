"""Placeholders in every request field: an insert menu and a visible highlight.

Single-line fields are ``PlaceholderLineEdit`` (a one-line QPlainTextEdit) rather than QLineEdit
because only a QTextDocument can carry a QSyntaxHighlighter; table cells get the same editor and a
delegate that paints the highlight. Ctrl+Z in these fields goes to the Document's undo stack, so
typing is undone by the same history as every other edit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFrame,
    QMenu,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from designer.core.config import PLACEHOLDERS

PLACEHOLDER_RE = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
UNKNOWN_RE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
LABELS = {"search_term": "Search term", "currency_code": "Currency code"}
HIGHLIGHT_BACKGROUND = QColor("#d7ebff")
HIGHLIGHT_FOREGROUND = QColor("#0b4f8a")


def placeholder_menu(parent: QWidget, insert: Callable[[str], None]) -> QMenu:
    """A menu with one action per placeholder; ``insert`` receives e.g. ``{search_term}``."""
    menu = QMenu("Insert placeholder", parent)
    menu.setObjectName("placeholderMenu")
    for name in PLACEHOLDERS:
        token = "{" + name + "}"
        action = menu.addAction(f"{LABELS.get(name, name)}  {token}")
        action.setData(token)
        action.triggered.connect(lambda _checked=False, t=token: insert(t))
    return menu


def is_undo_redo(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)


class UndoToWindow(QObject):
    """Event filter: let Ctrl+Z / Ctrl+Shift+Z reach the window's Edit menu, not the widget.

    Text widgets claim those shortcuts for their private undo; the Document owns undo here.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        shortcut = event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
        if shortcut and is_undo_redo(event):  # type: ignore[arg-type]
            event.ignore()
            return True
        return super().eventFilter(watched, event)


class PlaceholderHighlighter(QSyntaxHighlighter):
    """Known placeholders get a blue chip; unknown ``{names}`` a red wavy underline."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._known = QTextCharFormat()
        self._known.setBackground(HIGHLIGHT_BACKGROUND)
        self._known.setForeground(HIGHLIGHT_FOREGROUND)
        self._unknown = QTextCharFormat()
        self._unknown.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self._unknown.setUnderlineColor(QColor("#c62828"))
        self._unknown.setToolTip("Unknown placeholder: only {search_term} and {currency_code} exist")

    def highlightBlock(self, text: str) -> None:
        for match in UNKNOWN_RE.finditer(text):
            if not PLACEHOLDER_RE.fullmatch(match.group(0)):
                self.setFormat(match.start(), match.end() - match.start(), self._unknown)
        for match in PLACEHOLDER_RE.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self._known)


class PlaceholderTextEdit(QPlainTextEdit):
    """Multi-line text with placeholder highlight and menu; ``textEdited`` only for user edits."""

    textEdited = Signal(str)  # the new text, after a user edit (never after setText)
    editingFinished = Signal()  # focus left the field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._programmatic = False
        self.highlighter = PlaceholderHighlighter(self.document())
        self.setUndoRedoEnabled(False)
        self.installEventFilter(UndoToWindow(self))
        self.textChanged.connect(self._on_self_text_changed)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        """Replace the text without emitting ``textEdited``; keeps the cursor if nothing changed."""
        if text == self.toPlainText():
            return
        self._programmatic = True
        try:
            cursor = self.textCursor()
            position = cursor.position()
            self.setPlainText(text)
            cursor = self.textCursor()
            cursor.setPosition(min(position, len(text)))
            self.setTextCursor(cursor)
        finally:
            self._programmatic = False

    def insert_placeholder(self, token: str) -> None:
        self.textCursor().insertText(token)
        self.setFocus()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        menu.addSeparator()
        menu.addMenu(placeholder_menu(menu, self.insert_placeholder))
        menu.exec(event.globalPos())
        menu.deleteLater()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()

    def _on_self_text_changed(self) -> None:
        if not self._programmatic:
            self.textEdited.emit(self.toPlainText())


class PlaceholderLineEdit(PlaceholderTextEdit):
    """A one-line field: no wrapping, no newlines, Enter emits ``returnPressed``."""

    returnPressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabChangesFocus(True)
        self.document().setDocumentMargin(3)
        height = self.fontMetrics().lineSpacing() + 2 * (3 + self.frameWidth()) + 4
        self.setFixedHeight(height)

    def setPlaceholderText(self, text: str) -> None:
        self._full_placeholder = text
        self._fit_placeholder()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_placeholder()

    def _fit_placeholder(self) -> None:
        # QPlainTextEdit wraps its placeholder whatever the wrap mode, and a one-line field then
        # shows half of a second line: elide it to the width instead (the tooltip has the rest).
        full = getattr(self, "_full_placeholder", "")
        width = self.viewport().width() - 2 * int(self.document().documentMargin()) - 4
        shown = self.fontMetrics().elidedText(full, Qt.TextElideMode.ElideRight, max(width, 0))
        super().setPlaceholderText(shown)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() == Qt.KeyboardModifier.NoModifier:
                self.returnPressed.emit()
            event.ignore()  # Ctrl+Enter travels on to the window's Send shortcut
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        # A pasted URL with a trailing newline must stay one line.
        text = source.text().replace("\r", "").replace("\n", "")
        self.textCursor().insertText(text)


def highlighted_html(text: str) -> str:
    """The text as HTML with placeholders in the highlight colours (for painting cells)."""

    def plain(part: str) -> str:
        return html.escape(part).replace(" ", "&nbsp;")

    parts: list[str] = []
    last = 0
    for match in PLACEHOLDER_RE.finditer(text):
        parts.append(plain(text[last : match.start()]))
        parts.append(
            f'<span style="background-color:{HIGHLIGHT_BACKGROUND.name()};'
            f'color:{HIGHLIGHT_FOREGROUND.name()}">{html.escape(match.group(0))}</span>'
        )
        last = match.end()
    parts.append(plain(text[last:]))
    return "".join(parts)


class PlaceholderDelegate(QStyledItemDelegate):
    """Table cells: placeholders painted highlighted; edited in a PlaceholderLineEdit."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not PLACEHOLDER_RE.search(text):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(0)
        doc.setHtml(highlighted_html(text))
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        painter.save()
        painter.translate(rect.left() + 3, rect.top() + (rect.height() - doc.size().height()) / 2)
        painter.setClipRect(0, 0, rect.width(), rect.height())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = PlaceholderLineEdit(parent)
        editor.setFrameShape(QFrame.Shape.NoFrame)
        editor.setObjectName("cellEditor")
        editor.returnPressed.connect(lambda: self._commit(editor))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, PlaceholderLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()
        else:
            super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: object, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, PlaceholderLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]
        else:
            super().setModelData(editor, model, index)  # type: ignore[arg-type]

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        editor.setGeometry(option.rect)

    def _commit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
