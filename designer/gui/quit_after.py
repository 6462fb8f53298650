"""``--quit-after SECONDS``: close the window when the time is up, whatever it is showing.

Smoke tests start the installed app with ``--quit-after`` and expect it to end on its own. A
modal dialog (a file that cannot be opened, the recovery offer, the unsaved-changes prompt)
runs a nested event loop and would keep the window open forever, so when the time is up every
modal dialog is answered as a user pressing Escape would, then the window is closed through
its normal path. A dialog that Escape does not close is closed by force.

When the unsaved-changes prompt was answered that way (Cancel), the window is closed without
saving and without dropping the autosaved copy: the work is offered again at the next start.

The exit status says whether the session was clean: 0 when nothing had to be dismissed, 1
when a dialog had to be (each is named on stderr, so a smoke test shows what went wrong).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from designer.gui.main_window import MainWindow

__all__ = ["QuitAfter", "describe_dialog"]

TICK_MS = 50  # how often a dialog that appears while closing is answered
ESCAPES_BEFORE_FORCE = 3  # Escape presses a dialog gets before it is closed by force


def describe_dialog(widget: QWidget) -> str:
    """The dialog's title and text on one line (what a smoke test's log should show)."""
    parts = [widget.windowTitle()]
    if isinstance(widget, QMessageBox):
        parts += [widget.text(), widget.informativeText()]
    seen: list[str] = []
    for part in parts:
        line = " ".join(part.split())
        if line and line not in seen:
            seen.append(line)
    return ": ".join(seen) or type(widget).__name__


class QuitAfter(QObject):
    """Arms the timer at construction; when it fires, dismisses dialogs and closes the window."""

    def __init__(self, window: MainWindow, seconds: float, stderr: TextIO | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._stderr = stderr
        #: What had to be dismissed, in the order it was (one line per dialog).
        self.dismissed: list[str] = []
        self._escapes: dict[int, int] = {}
        self._closing = False  # close() was called (the window may have answered with a prompt)
        self._in_close = False  # inside close(): ticks only answer the dialogs it opens
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(round(seconds * 1000))

    @property
    def status(self) -> int:
        """The process exit status: 0 for a clean session, 1 when a dialog had to be dismissed."""
        return 1 if self.dismissed else 0

    def _on_timer_timeout(self) -> None:
        # Every tick runs in whichever event loop is running: the window's, or a dialog's own.
        self._tick.start()
        self._on_tick_timeout()

    def _on_tick_timeout(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.isVisible():
            self._dismiss(dialog)
            return
        if not self._window.isVisible():
            self._tick.stop()
            return
        if self._in_close:
            return
        if self._closing:  # close() returned, the window is still open: the prompt was cancelled
            self._say("unsaved changes: the window closes without saving; they are offered again next start")
            self.dismissed.append("unsaved changes kept for recovery")
            self._in_close = True
            try:
                self._window.close_keeping_recovery()
            finally:
                self._in_close = False
            return
        self._closing = True
        self._in_close = True
        try:
            self._window.close()  # may open the unsaved-changes prompt: a tick inside answers it
        finally:
            self._in_close = False

    def _dismiss(self, dialog: QWidget) -> None:
        key = id(dialog)
        count = self._escapes.get(key, 0)
        if count == 0:
            text = describe_dialog(dialog)
            self.dismissed.append(text)
            self._say(f"closing the dialog “{text}”")
        self._escapes[key] = count + 1
        if count < ESCAPES_BEFORE_FORCE:
            press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(dialog, press)
        elif isinstance(dialog, QDialog):
            dialog.done(QDialog.DialogCode.Rejected)
        else:
            dialog.close()

    def _say(self, text: str) -> None:
        stream = self._stderr or sys.stderr
        print(f"lookup-designer: --quit-after: {text}", file=stream, flush=True)
