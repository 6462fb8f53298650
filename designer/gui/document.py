"""The one object every panel observes: the config, the current response, and the undo stack.

Panels never talk to each other; they read the Document, edit it only through its methods and
refresh on its signals. Every config edit is an undo command that swaps whole (immutable)
config snapshots, so undo/redo works the same for every panel without per-edit inverses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from designer.core.config import FieldMapping, LookupConfig
from designer.core.errors import DesignerError
from designer.core.model_types import Exchange
from designer.gui.commands import ConfigSnapshotCommand
from designer.gui.reaper import discard

if TYPE_CHECKING:
    from designer.core.decode import DecodedBody
    from designer.core.saved_response import SavedResponse


@dataclass(frozen=True)
class ResponseState:
    """The response the panels show: from a test request, a file, or pasted text.

    The raw bytes and content type stay available (``body``, ``content_type``: from the
    exchange, or from ``saved`` for a file or pasted text) so the Document can decode the same
    bytes again when the response settings change (see :meth:`Document.set_strip_prefix`).
    """

    exchange: Exchange | None  # None when opened from a file or pasted
    decoded: DecodedBody | None
    source: str  # "request", "file:<path>", "pasted"
    error: DesignerError | None = None
    saved: SavedResponse | None = None  # status, headers and body of a file or pasted response

    @property
    def body(self) -> bytes | None:
        """The body bytes as they arrived (after transfer decoding), if known."""
        if self.exchange is not None:
            return self.exchange.body
        return self.saved.body if self.saved is not None else None

    @property
    def content_type(self) -> str | None:
        if self.exchange is not None:
            return self.exchange.content_type
        return self.saved.content_type if self.saved is not None else None


class Document(QObject):
    """Config + response + undo stack + dirty state of one open project."""

    configChanged = Signal()  # after any edit, undo or redo (and after load/reset)
    responseChanged = Signal()  # a new ResponseState (or None)
    dirtyChanged = Signal(bool)  # True when there are unsaved changes
    pathChanged = Signal(object)  # Path | None: where the project is saved
    selectedRecordChanged = Signal(int)  # index of the record shown in the mapper
    busyChanged = Signal(bool)  # a test request is running

    def __init__(
        self, config: LookupConfig | None = None, path: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._config = config if config is not None else LookupConfig()
        self._response: ResponseState | None = None
        self._path = path
        self._selected_record = 0
        self._busy = False
        self._merge_epoch = 0
        self._was_dirty = False
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)

    def __del__(self) -> None:
        # When the cyclic GC frees a Document, it may free the Python wrappers of the commands
        # before Qt deletes the stack that owns them, and ~QUndoStack then crashes deleting
        # them. Finalizers run before the collector takes anything apart, so the history is
        # dropped here while every object is intact (signals blocked: nobody is listening).
        self.dispose(quiet=True)

    def dispose(self, *, quiet: bool = False) -> None:
        """Drop the undo history now (the window calls this on shutdown; ``__del__`` too)."""
        stack = self.__dict__.get("undo_stack")
        if stack is None or not shiboken6.isValid(stack):
            return
        if quiet:
            stack.blockSignals(True)
        stack.clear()

    # -- state -------------------------------------------------------------------------------
    @property
    def config(self) -> LookupConfig:
        return self._config

    @property
    def response(self) -> ResponseState | None:
        return self._response

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def selected_record(self) -> int:
        return self._selected_record

    @property
    def busy(self) -> bool:
        return self._busy

    # -- undoable edits ------------------------------------------------------------------------
    def apply(self, text: str, new_config: LookupConfig, *, merge_id: str | None = None) -> None:
        """Make ``new_config`` current as one undo step (merged with the previous same-id step)."""
        if new_config == self._config:
            return
        key = f"{merge_id}#{self._merge_epoch}" if merge_id is not None else None
        self.undo_stack.push(ConfigSnapshotCommand(text, self._config, new_config, self._set_config, key))

    def update(self, text: str, merge_id: str | None = None, **changes: Any) -> None:
        """Change top-level config attributes (``request=...``, ``name=...``), validated."""
        candidate = self._config.model_copy(update=changes)
        # model_copy does not validate; a round trip does, so a bad edit fails here, not on save.
        validated = LookupConfig.model_validate(candidate.model_dump())
        self.apply(text, validated, merge_id=merge_id)

    def end_merge(self) -> None:
        """Stop merging: the next edit starts a new undo step even with the same merge id.

        Editors call this when a field loses focus, so typing in the URL, leaving it and coming
        back later gives two undo steps, not one.
        """
        self._merge_epoch += 1

    def set_field_mapping(self, field: str, mapping: FieldMapping | None) -> None:
        fields = dict(self._config.response.fields)
        if mapping is None or mapping.is_empty():
            if field not in fields:
                return
            del fields[field]
            text = f"Clear mapping of {field}"
        else:
            fields[field] = mapping
            text = f"Map {field}"
        response = self._config.response.model_copy(update={"fields": fields})
        # Re-validate the response spec so unknown field names and order are handled by the model.
        response = type(response).model_validate(response.model_dump())
        self.apply(text, self._config.model_copy(update={"response": response}))

    def set_records_path(self, path: str, *, merge_id: str | None = None) -> None:
        response = self._config.response.model_copy(update={"records_path": path})
        self.apply(
            "Set records path", self._config.model_copy(update={"response": response}), merge_id=merge_id
        )

    def set_mapping(
        self,
        field: str,
        mapping: FieldMapping | None,
        *,
        records_path: str | None = None,
        text: str | None = None,
    ) -> None:
        """A field's mapping and, when given, the records path, as ONE undo step.

        Mapping a clicked node may detect the records path and write the field path relative to
        it; undo must take back both together, or the field would point into the wrong records.
        """
        fields = dict(self._config.response.fields)
        if mapping is None or mapping.is_empty():
            fields.pop(field, None)
        else:
            fields[field] = mapping
        update: dict[str, Any] = {"fields": fields}
        if records_path is not None:
            update["records_path"] = records_path
        response = type(self._config.response).model_validate(
            self._config.response.model_copy(update=update).model_dump()
        )
        default_text = f"Map {field}" if field in fields else f"Clear mapping of {field}"
        self.apply(text or default_text, self._config.model_copy(update={"response": response}))

    def set_strip_prefix(self, prefix: str | None) -> None:
        """Store the anti-XSSI prefix rule (exported, so the runtime strips it too: H026).

        One undo step; the current response is decoded again with the new rule (here and on
        undo/redo), because the Document owns the response and its raw bytes.
        """
        response = self._config.response.model_copy(update={"strip_prefix": prefix or None})
        text = f"Strip prefix {prefix}" if prefix else "Keep the response prefix"
        self.apply(text, self._config.model_copy(update={"response": response}))

    # -- not undoable --------------------------------------------------------------------------
    def set_response(self, state: ResponseState | None) -> None:
        replaced, self._response = self._response, state
        if self._selected_record != 0:
            self._selected_record = 0
            self.selectedRecordChanged.emit(0)
        self.responseChanged.emit()
        # Freeing a replaced 20 MB document at once would stall the window (designer.gui.reaper).
        discard(replaced)

    def set_selected_record(self, index: int) -> None:
        if index != self._selected_record:
            self._selected_record = index
            self.selectedRecordChanged.emit(index)

    def set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    def mark_saved(self, path: Path) -> None:
        """The current config is now on disk at ``path``: clean state, new path."""
        self.undo_stack.setClean()
        self.end_merge()
        if path != self._path:
            self._path = path
            self.pathChanged.emit(path)

    def reset(self, config: LookupConfig, path: Path | None) -> None:
        """Replace the whole project (New/Open): fresh undo history, clean, no response."""
        self.undo_stack.clear()
        self._config = config
        self.end_merge()
        self.undo_stack.setClean()
        if path != self._path:
            self._path = path
            self.pathChanged.emit(path)
        self.configChanged.emit()
        self.set_response(None)
        self._emit_dirty_if_changed()

    # -- internals -----------------------------------------------------------------------------
    def _set_config(self, config: LookupConfig) -> None:
        old_prefix = self._config.response.strip_prefix
        self._config = config
        self.configChanged.emit()
        if config.response.strip_prefix != old_prefix:
            self._redecode_response()

    def _redecode_response(self) -> None:
        """Decode the current response's bytes again with the config's strip-prefix rule.

        The same core ``decode_body`` the runtime uses; an error that came from decoding is
        replaced by the new outcome, any other error (an HTTP status, a timeout) is kept.
        """
        state = self._response
        body = state.body if state is not None else None
        if state is None or body is None or state.decoded is None:
            return
        from designer.core.decode import decode_body  # noqa: PLC0415  (kept out of start-up)

        decoded = decode_body(body, state.content_type, self._config.response.strip_prefix)
        error = state.error
        if error is None or error is state.decoded.error:
            error = decoded.error
        self.set_response(replace(state, decoded=decoded, error=error))

    def _on_undo_stack_clean_changed(self, _clean: bool) -> None:
        self._emit_dirty_if_changed()

    def _emit_dirty_if_changed(self) -> None:
        dirty = self.dirty
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirtyChanged.emit(dirty)
