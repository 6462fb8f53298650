"""Qt helpers for the GUI benchmarks: time until a widget has really painted, timer-gap probes.

"First paint" here means: the work was started, the event loop ran, and the widget's paint
event has been handled. A paint event only arrives after the layout the work scheduled, so this
is the time a user waits until the result is on screen (offscreen platform: the paint into the
backing store; no compositor involved).
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import benchlib  # noqa: F401  (sets QT_QPA_PLATFORM=offscreen and sys.path before Qt loads)
from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

__all__ = ["PaintProbe", "TickProbe", "isolate_user_folders", "time_until_painted", "wait_until"]

#: What the offscreen platform says about features it lacks, on every window shown.
_PLATFORM_CHATTER = ("This plugin does not support",)


def _on_qt_message(_kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if not message.startswith(_PLATFORM_CHATTER):
        print(message, file=sys.stderr)


qInstallMessageHandler(_on_qt_message)


def isolate_user_folders() -> str:
    """Point settings, recent files and autosave at a temporary folder (removed at exit).

    A benchmark that opens the real window must neither read the user's window layout and
    settings (they change what is measured) nor write into them.
    """
    folder = tempfile.mkdtemp(prefix="lookup-designer-bench-")
    atexit.register(shutil.rmtree, folder, True)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = os.path.join(folder, name.lower())
    return folder


class PaintProbe(QObject):
    """Counts the paint events a widget receives (an event filter; it never swallows one)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Process events until ``condition()`` holds (RuntimeError after ``timeout`` seconds)."""
    app = QApplication.instance()
    assert app is not None
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("benchmark condition not reached in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def time_until_painted(widget: QWidget, action: Callable[[], Any], probe: PaintProbe | None = None) -> float:
    """Seconds from the start of ``action()`` until ``widget`` has handled its next paint event.

    The clock stops when the event loop returns from the batch that held the paint, so any
    work queued by ``action`` that Qt runs before painting (delayed layouts) is included.
    """
    app = QApplication.instance()
    assert app is not None
    app.processEvents()  # nothing left over from before counts
    probe = probe or PaintProbe(widget)
    before = probe.count
    start = time.perf_counter()
    action()
    widget.update()  # a paint is due even if the action changed nothing visible
    while probe.count == before:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return time.perf_counter() - start


class TickProbe(QObject):
    """A 10 ms QTimer whose ticks are recorded; the longest gap says how long the loop stalled."""

    def __init__(self, interval_ms: int = 10) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self.ticks = []
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def longest_gap(self) -> float:
        """The longest time between two consecutive ticks, in seconds."""
        ticks = self.ticks
        return max((b - a for a, b in itertools.pairwise(ticks)), default=0.0)

    def gaps_over(self, seconds: float) -> list[tuple[float, float]]:
        """(start offset, length) of every gap longer than ``seconds`` (for profiling notes)."""
        if not self.ticks:
            return []
        origin = self.ticks[0]
        return [(a - origin, b - a) for a, b in itertools.pairwise(self.ticks) if b - a > seconds]

    def _on_timer_timeout(self) -> None:
        self.ticks.append(time.perf_counter())
