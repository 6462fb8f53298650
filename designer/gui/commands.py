"""Undo commands: every edit is a swap between two immutable config snapshots.

Snapshots make undo trivially correct for any edit in any panel (no per-field inverse to get
wrong) and cost little: configs are small and ``model_copy`` shares unchanged sub-models.
Consecutive edits with the same merge key (typing in one field) collapse into one undo step.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from designer.core.config import LookupConfig

_MERGE_IDS: dict[str, int] = {}


def merge_key_id(key: str | None) -> int:
    """A stable small integer per merge key, as QUndoCommand.id() wants; -1 means never merge."""
    if key is None:
        return -1
    return _MERGE_IDS.setdefault(key, len(_MERGE_IDS) + 1)


class ConfigSnapshotCommand(QUndoCommand):
    """Replace the whole config by ``after``; undo puts ``before`` back."""

    def __init__(
        self,
        text: str,
        before: LookupConfig,
        after: LookupConfig,
        setter: Callable[[LookupConfig], None],
        merge_key: str | None = None,
    ) -> None:
        super().__init__(text)
        self.before = before
        self.after = after
        # Weakly: the Document owns the stack that owns this command. A strong reference would
        # close a Document -> stack -> command -> Document cycle, which only the cyclic GC can
        # free, in an arbitrary order, and shiboken crashes in QUndoStack::clear() when a
        # command's wrapper goes before its stack. Without the cycle, plain reference counting
        # destroys the Document, then its stack, then the commands.
        self._setter = weakref.WeakMethod(setter)
        self._merge_id = merge_key_id(merge_key)

    def id(self) -> int:
        return self._merge_id

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)

    def _apply(self, config: LookupConfig) -> None:
        setter = self._setter()
        if setter is not None:
            setter(config)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ConfigSnapshotCommand) or other.id() != self.id():
            return False
        self.after = other.after
        # Typing a character and deleting it again leaves nothing to undo.
        self.setObsolete(self.after == self.before)
        return True
