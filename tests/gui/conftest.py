"""GUI test fixtures: one qasync loop per test, strict about leftovers.

``qloop`` installs a qasync event loop that counts as running while pytest-qt processes events
(``qtbot.waitUntil``/``waitSignal``), so async slots and httpx work exactly as in the app. At the
end of the test it fails if asyncio tasks are still pending or a window/dialog is still open:
both are the bugs users would see as "Task was destroyed but it is pending" or a stray dialog.
Qt warnings fail GUI tests (``qt_log_level_fail``), as in qutebrowser.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from designer.core.config import LookupConfig
from designer.gui.main_window import MainWindow

GUI_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.gui)
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # The offscreen platform cannot do these; they say nothing about our code.
            item.add_marker(pytest.mark.qt_log_ignore(r"This plugin does not support", r"propagateSizeHints"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    """After pytest-qt closed the test's widgets: delete them now, and collect garbage now.

    Widgets closed with ``deleteLater`` would otherwise die whenever some later event loop runs,
    and Python-owned windows caught in reference cycles whenever the cyclic collector happens to
    run: both can be in the middle of the *next* test's layout pass, where freeing a widget that
    Qt is laying out is a segfault. Doing both at this safe point makes every test start clean.
    """
    result = yield
    if QApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return result


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    try:
        yield loop
        leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
        windows = [
            w
            for w in QApplication.topLevelWidgets()
            if w.isVisible() and isinstance(w, QDialog | QMainWindow | QMessageBox)
        ]
        for task in leftovers:
            task.cancel()
        for window in windows:
            window.close()
        if leftovers:
            _drain(qapp, leftovers)
        assert not leftovers, f"asyncio tasks left pending: {leftovers}"
        assert not windows, f"windows left open: {[w.objectName() or type(w).__name__ for w in windows]}"
    finally:
        # Not loop.stop(): it calls QApplication.exit(), which makes every later nested
        # QEventLoop (dialogs, qtbot.waitSignal) return at once for the rest of the session.
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
        loop.close()
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


def _drain(qapp: QApplication, tasks: list[asyncio.Task[object]]) -> None:
    """Let cancelled tasks finish so they are not destroyed while pending."""
    for _ in range(200):
        if all(task.done() for task in tasks):
            return
        qapp.processEvents()


@pytest.fixture
def make_window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[Callable[..., MainWindow]]:
    """Create shown main windows; at the end each is closed and its background work awaited."""
    windows: list[MainWindow] = []

    def make(config: LookupConfig | None = None, path: Path | None = None, **kwargs: Any) -> MainWindow:
        window = MainWindow(config, path, **kwargs)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.document.undo_stack.setClean()  # tests about the prompt close the window themselves
            window.close()
        done = qloop.create_task(window.shutdown())
        qtbot.waitUntil(done.done, timeout=5000)
        window.deleteLater()
