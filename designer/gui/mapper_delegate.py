"""In-place editing of a field's path in the mapper table, validated while typing.

Enter on a path that does not parse keeps the editor open (the message is shown below the
table); leaving the editor with such a path keeps it as a red draft in the row, not in the
config. Escape discards the edit and any draft.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from designer.gui.path_edit import PathEdit

__all__ = ["ExpressionDelegate"]

Index = QModelIndex | QPersistentModelIndex


class ExpressionDelegate(QStyledItemDelegate):
    problemChanged = Signal(str)  # the open editor's parse problem, "" when none (or closed)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = PathEdit(parent=parent)
        editor.setObjectName("expressionEditor")
        editor.setFrame(False)
        editor.problemChanged.connect(self.problemChanged)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, PathEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            self.problemChanged.emit(editor.problem or "")

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, PathEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def destroyEditor(self, editor: QWidget, index: Index) -> None:
        self.problemChanged.emit("")
        super().destroyEditor(editor, index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, PathEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and watched.problem is not None
        ):
            # Enter on a broken path: stay in the editor so the user can fix it.
            self.problemChanged.emit(watched.problem)
            return True
        return super().eventFilter(watched, event)


def is_revert(hint: QAbstractItemDelegate.EndEditHint) -> bool:
    """Whether an editor closed with Escape (the edit and its draft are to be discarded)."""
    return hint == QAbstractItemDelegate.EndEditHint.RevertModelCache
