"""Start the window: QApplication + qasync loop, optionally with the demo merchant server.

The loop runs one coroutine that shows the window and waits for it to close, then cancels and
awaits every request still running, so closing mid-request exits cleanly with status 0 and no
"Task was destroyed but it is pending" (pitfall H035). The app does not quit on "last window
closed": that would stop the loop before the cleanup ran.

Right after the window is shown, unsaved work left behind by a session that crashed or was
killed is offered for restore (``autosave.offer_recovery``).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from designer.gui.main_window import MainWindow

if TYPE_CHECKING:
    from designer.core.config import LookupConfig

FIRST_PAINT_WAIT = 1.0  # seconds at most before building anyway (a window that is never exposed)
WARM_UP_AFTER_MS = 300  # the loop has painted the complete window by then
WARM_UP_JOIN = 5.0  # seconds an exit waits for a warm-up still running

DEMO_SAMPLE_PREFERENCE = ("woocommerce", "shopify", "hubspot", "odoo")


def pick_demo_sample(folder: Path) -> Path | None:
    candidates = sorted(folder.glob("*.json"))
    for preferred in DEMO_SAMPLE_PREFERENCE:
        for path in candidates:
            if path.stem.startswith(preferred):
                return path
    return candidates[0] if candidates else None


def point_at(config: LookupConfig, base_url: str) -> LookupConfig:
    """The sample's URL on the demo server actually started (it may have another port)."""
    from designer.demo.server import rebase_sample_url  # noqa: PLC0415

    url = rebase_sample_url(config.request.url, base_url)
    return config.model_copy(update={"request": config.request.model_copy(update={"url": url})})


def start_demo() -> tuple[Any, LookupConfig | None, str]:
    """Start the demo server (the samples' port if free) and load a sample pointed at it."""
    from designer.core.project_io import load_config  # noqa: PLC0415
    from designer.demo.samples import samples_dir  # noqa: PLC0415  (from the package: works installed)
    from designer.demo.server import DEFAULT_PORT, DemoServer  # noqa: PLC0415

    sample = pick_demo_sample(samples_dir())  # before the server starts: a missing folder raises
    try:
        server = DemoServer(port=DEFAULT_PORT)
        base = server.start()
    except OSError:
        server = DemoServer(port=0)
        base = server.start()
    if sample is None:
        return server, None, base
    try:
        config = point_at(load_config(sample), base)
    except Exception:
        server.stop()
        raise
    return server, config, base


async def run_window(
    window: MainWindow,
    on_shown: Callable[[MainWindow], None] | None = None,
    *,
    project: Path | None = None,
    quit_after: float | None = None,
) -> int:
    """Show ``window``, open ``project``; return the exit status once the window is closed.

    The status is 0, or 1 when ``--quit-after`` had to dismiss a dialog (:class:`QuitAfter`).
    The quit timer is armed before anything that can open a modal dialog, and everything that
    can (opening the project, the recovery offer) runs from the Qt loop, not inside this task:
    a dialog runs a nested event loop.
    """
    import asyncio  # noqa: PLC0415  (after the first paint, see paint_first)

    from designer.gui.autosave import offer_recovery  # noqa: PLC0415
    from designer.gui.quit_after import QuitAfter  # noqa: PLC0415

    closed = asyncio.Event()
    window.closed.connect(closed.set)
    quitter = QuitAfter(window, quit_after) if quit_after is not None else None
    window.show()

    def start() -> None:
        if project is not None:
            window.open_path(project)
        if on_shown is not None and window.isVisible():
            on_shown(window)
        if window.isVisible():
            offer_recovery(window.document, window.autosave, window.files, window)

    QTimer.singleShot(0, start)
    await closed.wait()
    await window.shutdown()
    return quitter.status if quitter is not None else 0


class _PaintSeen(QObject):
    """Notes that its window handled a paint event."""

    def __init__(self, window: QObject) -> None:
        super().__init__(window)
        self.seen = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.seen = True
        return False


def paint_first(app: QApplication, window: MainWindow) -> None:
    """Show ``window`` and let Qt paint it before anything heavy is imported (issue 6).

    A bare window paints ~0.1 s after the interpreter starts; the panels' imports and
    construction take ~0.5 s more. Painting the deferred window first means the user sees the
    window at once, sized and titled, saying it is starting.
    """
    window.show()
    seen = _PaintSeen(window)
    deadline = time.monotonic() + FIRST_PAINT_WAIT
    while not seen.seen and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    window.removeEventFilter(seen)
    seen.deleteLater()


def run_app(args: Any, on_shown: Callable[[MainWindow], None] | None = None) -> int:
    """Entry point for ``lookup-designer`` without a subcommand.

    ``args`` carries ``demo``, ``project`` and ``quit_after`` (any may be missing). The window
    paints before the panels are built (:func:`paint_first`); ``on_shown`` sees it complete.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Customer Lookup Designer")
    app.setOrganizationName("lookup-designer")
    app.setQuitOnLastWindowClosed(False)
    window = MainWindow(deferred=True)
    paint_first(app, window)
    window.build()
    import asyncio  # noqa: PLC0415  (qasync and asyncio: after the first paint as well)

    import qasync  # noqa: PLC0415

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    server = None
    warm_ups: list[threading.Thread] = []
    try:
        if getattr(args, "demo", False):
            server, config, base = start_demo()
            if config is not None:
                window.document.reset(config, None)
            from designer.demo.samples import demo_secrets_file  # noqa: PLC0415

            # The samples' demo credentials resolve like real secrets, from a KEY=VALUE file.
            secrets_file = demo_secrets_file()
            window.secrets.secrets_file = secrets_file if secrets_file.exists() else None
            window.statusBar().showMessage(f"Demo merchant server running at {base}", 15000)
        project = getattr(args, "project", None) or getattr(args, "config", None)
        # What the first Send would load on the spot, loaded while the user looks around.
        from designer.gui.warmup import start_warm_up  # noqa: PLC0415

        QTimer.singleShot(WARM_UP_AFTER_MS, lambda: warm_ups.append(start_warm_up()))
        shown = run_window(
            window,
            on_shown,
            project=Path(project) if project else None,
            quit_after=getattr(args, "quit_after", None),
        )
        return int(loop.run_until_complete(shown))
    finally:
        for thread in warm_ups:
            thread.join(WARM_UP_JOIN)  # no import half done while the interpreter shuts down
        if server is not None:
            server.stop()
        loop.close()
        asyncio.set_event_loop(None)
