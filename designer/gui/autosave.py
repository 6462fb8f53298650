"""Never lose work: unsaved changes go to the recovery folder, and the next start offers them.

``Autosave`` watches the Document's undo stack. Typing (a step that merges keystrokes) restarts
an idle timer, so the entry is written a few seconds after the user pauses; any other step (a
structural edit, undo, redo) writes it at once. Reaching a clean state (saved, or undone back
to the saved state, or New/Open after the user chose to discard) deletes the entry; closing the
window after the unsaved-changes prompt does too. What is kept is the project file's own text
with secret values dropped (``config_to_text``), in ``designer.core.recovery.RecoveryStore``
(the user data folder, via platformdirs).

At the next start ``offer_recovery`` lists what a crashed or killed session left behind; a
restored entry opens as an unsaved (dirty) project that remembers its original path. When that
file still loads, the restore is one undo step on top of it, so Undo shows what was on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from designer.core.errors import DesignerError
from designer.core.recovery import RecoveryEntry, RecoveryStore
from designer.gui.confirm import confirm_destructive
from designer.gui.document import Document

IDLE_MS = 3000  # "a few seconds" after the last keystroke


class Autosave(QObject):
    saved = Signal()  # an entry was written
    failed = Signal(str)  # an entry could not be written: why, in words

    def __init__(
        self,
        document: Document,
        store: RecoveryStore | None = None,
        *,
        idle_ms: int = IDLE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self.store = store or RecoveryStore()
        self._last_index = document.undo_stack.index()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self.save_now)
        self._alive = True
        document.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        document.dirtyChanged.connect(self._on_document_dirty_changed)
        # A dying undo stack clears itself and signals; by then the document is gone.
        document.destroyed.connect(self._on_document_destroyed)

    @property
    def pending(self) -> bool:
        """An edit waits for the idle timer."""
        return self._timer.isActive()

    def save_now(self) -> None:
        """Write the entry now (nothing when there are no unsaved changes)."""
        self._timer.stop()
        if not self._document.dirty:
            return
        from designer.core.project_io import config_to_text  # noqa: PLC0415

        try:
            self.store.save(config_to_text(self._document.config), self._document.path)
        except OSError as error:
            self.failed.emit(
                f"Autosave failed ({error.strerror or error}); save the project to keep your changes."
            )
            return
        self.saved.emit()

    def discard(self) -> None:
        """The user saved or chose to drop the changes (window closing): keep nothing."""
        self._timer.stop()
        self.store.clear()

    # -- slots ------------------------------------------------------------------------------------
    def _on_document_destroyed(self) -> None:
        self._alive = False
        self._timer.stop()

    def _on_undo_stack_index_changed(self, index: int) -> None:
        previous, self._last_index = self._last_index, index
        if not self._alive or not self._document.dirty:
            return
        if index == previous or (index == previous + 1 and _is_typing(self._document, index - 1)):
            self._timer.start()  # more keystrokes: wait until the user pauses
        else:
            self.save_now()

    def _on_document_dirty_changed(self, dirty: bool) -> None:
        if self._alive and not dirty:
            self.discard()


def _is_typing(document: Document, index: int) -> bool:
    """Whether step ``index`` merges keystrokes (a QUndoCommand id other than -1)."""
    command = document.undo_stack.command(index)
    return command is not None and command.id() != -1


class RecoveryDialog(QDialog):
    """Lists what crashed sessions left behind: Restore one, Discard one, or decide later."""

    def __init__(self, entries: list[RecoveryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle("Recover unsaved work")
        self.chosen: RecoveryEntry | None = None
        self._entries = list(entries)
        text = QLabel(
            "Customer Lookup Designer did not close normally last time. These unsaved changes were "
            "kept; restore one to continue where you left off."
        )
        text.setObjectName("recoveryText")
        text.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("recoveryList")
        for entry in self._entries:
            item = QListWidgetItem(entry.title)
            item.setToolTip(entry.project_path or "never saved")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.restore_button = QPushButton("Restore")
        self.restore_button.setObjectName("recoveryRestoreButton")
        self.restore_button.setDefault(True)
        self.discard_button = QPushButton("Discard…")
        self.discard_button.setObjectName("recoveryDiscardButton")
        self.later_button = QPushButton("Decide Later")
        self.later_button.setObjectName("recoveryLaterButton")
        self.later_button.setToolTip("Keep the entries; they are offered again at the next start")
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        self.later_button.clicked.connect(self.reject)
        self.list.itemDoubleClicked.connect(self._on_restore_button_clicked)
        self.resize(560, 280)

    def _selected(self) -> RecoveryEntry | None:
        row = self.list.currentRow()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def _on_restore_button_clicked(self) -> None:
        self.chosen = self._selected()
        if self.chosen is not None:
            self.accept()

    def _on_discard_button_clicked(self) -> None:
        entry = self._selected()
        if entry is None or not _confirm_discard(self, entry):
            return
        RecoveryStore.discard(entry)
        row = self._entries.index(entry)
        del self._entries[row]
        self.list.takeItem(row)
        if not self._entries:
            self.reject()


def _confirm_discard(parent: QWidget, entry: RecoveryEntry) -> bool:
    return confirm_destructive(
        parent,
        name="recoveryDiscardConfirm",
        title="Discard unsaved work",
        text=f"Discard {entry.title}?",
        informative="These unsaved changes are deleted for good.",
        action="Discard",
    )


class Files(Protocol):
    """What ``offer_recovery`` needs of ``ProjectFiles``."""

    def maybe_save(self) -> bool: ...

    def show_error(self, title: str, text: str) -> None: ...


def offer_recovery(document: Document, autosave: Autosave, files: Files, parent: QWidget) -> bool:
    """Offer what earlier sessions left behind; True when an entry was restored."""
    entries = autosave.store.leftovers()
    if not entries:
        return False
    dialog = RecoveryDialog(entries, parent)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.exec()
    entry = dialog.chosen
    dialog.deleteLater()
    if entry is None or not files.maybe_save():
        return False
    try:
        restore(document, entry)
    except DesignerError as error:
        files.show_error(f"Cannot restore {entry.title}", error.message)
        return False
    autosave.save_now()  # the work is this session's now, before the old entry goes
    RecoveryStore.discard(entry)
    return True


def restore(document: Document, entry: RecoveryEntry) -> None:
    """Open ``entry`` as unsaved changes of its original file (or of a never-saved project).

    Raises ConfigError when the entry's text is not a readable project.
    """
    from designer.core.errors import ConfigError  # noqa: PLC0415
    from designer.core.project_io import config_from_text, load_config  # noqa: PLC0415

    recovered = config_from_text(entry.text, entry.title)
    path = Path(entry.project_path) if entry.project_path else None
    on_disk = None
    if path is not None and path.is_file():
        try:
            on_disk = load_config(path)
        except ConfigError:
            on_disk = None  # the file broke since: the autosaved text is all there is
    if on_disk is not None:
        document.reset(on_disk, path)
        document.apply("Restore autosaved changes", recovered)  # the same text: stays clean
    else:
        document.reset(recovered, path)
        document.undo_stack.resetClean()  # nothing on disk holds this: unsaved
