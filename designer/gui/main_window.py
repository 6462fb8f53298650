"""The main window: lays out the panels around one Document and wires them to the runner.

Search bar across the top; below it the request editor (left) beside the response panel, with
the field mapper and the Customer preview under the response. Panels talk only to the Document;
the window connects the few cross-panel actions (Send, tree node → mapper).

Start-up: the panels pull in pydantic, httpx, jsonpath-ng and the whole core (~0.5 s of
imports), while a bare window paints in ~0.1 s. So ``lookup-designer`` creates the window
``deferred``: a correctly sized window titled "… starting…", which paints at once;
:meth:`MainWindow.build` then imports the rest and builds the panels (issue 6, benchmark 6).
Without ``deferred`` (tests, scripts) the window is complete when constructed. This module
imports only Qt at its top for that reason; the panels' modules are imported in ``build``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter, QVBoxLayout, QWidget

from designer.gui import window_settings

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from designer.core.config import LookupConfig
    from designer.gui.autosave import Autosave
    from designer.gui.document import Document
    from designer.gui.files import ProjectFiles
    from designer.gui.mapper_panel import MapperPanel
    from designer.gui.preview_panel import PreviewPanel
    from designer.gui.request_editor import RequestEditor
    from designer.gui.response_panel import ResponsePanel
    from designer.gui.response_sources import ResponseSources
    from designer.gui.runner import LookupFunction, Runner
    from designer.gui.search_bar import SearchBar
    from designer.gui.session_secrets import SessionSecrets

APP_TITLE = "Customer Lookup Designer"


class MainWindow(QMainWindow):
    closed = Signal()  # the window closed for good (the app can shut the loop down)

    # Created by build() (at construction unless ``deferred``).
    document: Document
    secrets: SessionSecrets
    runner: Runner
    files: ProjectFiles
    autosave: Autosave
    search_bar: SearchBar
    request_editor: RequestEditor
    response_panel: ResponsePanel
    response_sources: ResponseSources
    mapper_panel: MapperPanel
    preview_panel: PreviewPanel

    def __init__(
        self,
        config: LookupConfig | None = None,
        path: Path | None = None,
        *,
        lookup: LookupFunction | None = None,
        deferred: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self._pending: tuple[LookupConfig | None, Path | None, LookupFunction | None] | None = (
            config,
            path,
            lookup,
        )
        self._keep_recovery = False  # close_keeping_recovery() asked for the close
        self._default_size()
        if deferred:
            # Only the title says so: the first text a process draws loads its fonts (~4 ms), a
            # status bar costs ~5 ms more, and the Qt namespace's enums ~20 ms on first use.
            self.setWindowTitle(f"{APP_TITLE} — starting…")
            window_settings.restore_window(self, [])
        else:
            self.build()

    @property
    def built(self) -> bool:
        """True once the panels exist (always, unless constructed ``deferred``)."""
        return self._pending is None

    def build(self) -> None:
        """Import the panels' modules and build the window's content (once)."""
        if self._pending is None:
            return
        config, path, lookup = self._pending
        self._pending = None
        from PySide6.QtCore import Qt  # noqa: PLC0415  (see the module docstring)

        from designer.gui.autosave import Autosave  # noqa: PLC0415
        from designer.gui.document import Document  # noqa: PLC0415
        from designer.gui.files import ProjectFiles, new_config  # noqa: PLC0415
        from designer.gui.mapper_panel import MapperPanel  # noqa: PLC0415
        from designer.gui.preview_panel import PreviewPanel  # noqa: PLC0415
        from designer.gui.request_editor import RequestEditor  # noqa: PLC0415
        from designer.gui.response_panel import ResponsePanel  # noqa: PLC0415
        from designer.gui.runner import Runner  # noqa: PLC0415
        from designer.gui.search_bar import SearchBar  # noqa: PLC0415
        from designer.gui.session_secrets import SessionSecrets  # noqa: PLC0415

        self.document = Document(config if config is not None else new_config(), path, self)
        self.secrets = SessionSecrets(self)
        self.runner = Runner(self.secrets, lookup, self)
        self.files = ProjectFiles(self.document, self, self.secrets)
        self.autosave = Autosave(self.document, parent=self)

        self.search_bar = SearchBar(self.document)
        self.request_editor = RequestEditor(self.document, self.secrets)
        self.response_panel = ResponsePanel(self.document)
        self.mapper_panel = MapperPanel(self.document)
        self.preview_panel = PreviewPanel(self.document)
        self.bottom_splitter = _MapperSplitter(self.mapper_panel, self.preview_panel)
        self.right_splitter = _splitter(
            "rightSplitter", Qt.Orientation.Vertical, self.response_panel, self.bottom_splitter
        )
        self.main_splitter = _splitter(
            "mainSplitter", Qt.Orientation.Horizontal, self.request_editor, self.right_splitter
        )
        # The response, mapper and preview are the main job; the request editor needs less width.
        # Proportions (the splitters keep them as the window is resized): a third for the request,
        # the mapper a little wider than the preview, and wide enough for its columns when the
        # window narrows (_MapperSplitter).
        self.main_splitter.setSizes([448, 952])  # its six tabs fit from a 1480-pixel window up
        self.right_splitter.setSizes([430, 410])
        self.bottom_splitter.setSizes([560, 420])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._connect()
        window_settings.restore_window(self, self.splitters)
        self._update_title()

    def _default_size(self) -> None:
        screen = self.screen()
        width, height = 1400, 900
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, int(available.width() * 0.95))
            height = min(height, int(available.height() * 0.95))
        self.resize(width, height)

    @property
    def splitters(self) -> list[QSplitter]:
        return [
            self.main_splitter,
            self.right_splitter,
            self.bottom_splitter,
            self.request_editor.splitter,
            self.response_panel.splitter,
        ]

    # -- construction ---------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_action = _action(self, "&New", QKeySequence.StandardKey.New, self.files.new)
        self.open_action = _action(self, "&Open…", QKeySequence.StandardKey.Open, self.files.open)
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setObjectName("recentMenu")
        self.import_curl_action = _action(self, "Import c&URL…", None, self._on_import_curl_action)
        self.import_curl_action.setToolTip("Replace the request with one from a pasted cURL command")
        self.save_action = _action(self, "&Save", QKeySequence.StandardKey.Save, self.files.save)
        self.save_as_action = _action(self, "Save &As…", QKeySequence.StandardKey.SaveAs, self.files.save_as)
        self.export_action = _action(self, "&Export Config…", "Ctrl+E", self.files.export)
        self.export_action.setToolTip("Write the config the Ka-ching runtime executes")
        self.quit_action = _action(self, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        # Open Response… / Paste Response… belong to the response panel.
        self.response_sources = self.response_panel.sources
        response_actions = list(self.response_sources.actions)
        self.response_sources.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        for item in (
            self.new_action,
            self.open_action,
            self.recent_menu,
            self.import_curl_action,
            None,
            *response_actions,
            None,
            self.save_action,
            self.save_as_action,
            self.export_action,
            None,
            self.quit_action,
        ):
            if item is None:
                file_menu.addSeparator()
            elif isinstance(item, QMenu):
                file_menu.addMenu(item)
            else:
                file_menu.addAction(item)
        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.document.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.document.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        request_menu = bar.addMenu("&Request")
        self.send_action = _action(self, "&Send", "Ctrl+Return", self._on_search_bar_send_requested)
        self.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.cancel_action = _action(self, "&Cancel", None, self.runner.cancel)
        self.cancel_action.setEnabled(False)
        self.credentials_action = _action(self, "C&redentials…", None, self._on_credentials_action)
        self.credentials_action.setToolTip("Where each secret comes from; set, replace or forget values")
        request_menu.addAction(self.send_action)
        request_menu.addAction(self.cancel_action)
        request_menu.addSeparator()
        request_menu.addAction(self.credentials_action)
        self._fill_recent_menu(window_settings.recent_files())

    def _connect(self) -> None:
        doc = self.document
        doc.dirtyChanged.connect(self._update_title)
        doc.pathChanged.connect(self._update_title)
        doc.pathChanged.connect(self.secrets.follow_project)
        doc.configChanged.connect(self._update_title)
        doc.busyChanged.connect(self._on_document_busy_changed)
        self.search_bar.sendRequested.connect(self._on_search_bar_send_requested)
        self.search_bar.cancelRequested.connect(self.runner.cancel)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.cancelled.connect(self._on_runner_cancelled)
        self.files.recentChanged.connect(self._fill_recent_menu)
        self.files.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.autosave.failed.connect(lambda text: self.statusBar().showMessage(text, 15000))
        # The only cross-panel wiring: tree actions reach the mapper (both observe the Document).
        self.response_panel.nodeSelected.connect(self.mapper_panel.select_location)
        self.response_panel.mapRequested.connect(self.map_location)
        self.response_panel.recordsPathRequested.connect(self.mapper_panel.use_records_at)
        # A response from a file or a paste: the status line says what the lookup makes of it.
        self.preview_panel.live.finished.connect(self._on_live_preview_finished)

    # -- public ---------------------------------------------------------------------------------
    def open_path(self, path: Path) -> bool:
        return self.files.open_path(path)

    def map_location(self, location: tuple[Any, ...], field: str) -> None:
        """Assign the tree node at ``location`` to a Customer field (the mapper does the work)."""
        self.mapper_panel.map_location(location, field)

    def close_keeping_recovery(self) -> None:
        """Close without the unsaved-changes prompt, keeping the autosaved copy (``--quit-after``).

        The work is not lost: the recovery folder holds it, and the next start offers it.
        """
        self._keep_recovery = True
        self.close()

    async def shutdown(self) -> None:
        """Stop background work; after this no task of the window is pending."""
        if self.built:
            await self.runner.shutdown()

    # -- slots ----------------------------------------------------------------------------------
    def _on_search_bar_send_requested(self) -> None:
        self.document.set_busy(True)
        self.runner.send(self.document.config)

    def _on_runner_finished(self, result: Any, decoded: Any) -> None:
        from designer.gui.document import ResponseState  # noqa: PLC0415  (imported by build)

        self.document.set_busy(False)
        exchange = getattr(result, "exchange", None)
        error = getattr(result, "error", None)
        self.document.set_response(ResponseState(exchange, decoded, "request", error))
        self.search_bar.show_result(result)

    def _on_live_preview_finished(self) -> None:
        self.search_bar.show_loaded(self.preview_panel.live.run.result)

    def _on_runner_failed(self, error: BaseException) -> None:
        self.document.set_busy(False)
        self.search_bar.show_failure(error)

    def _on_runner_cancelled(self) -> None:
        self.document.set_busy(False)
        self.search_bar.show_cancelled()

    def _on_import_curl_action(self) -> None:
        from designer.gui.curl_dialog import open_curl_dialog  # noqa: PLC0415

        open_curl_dialog(self.document, self.secrets, self)

    def _on_credentials_action(self) -> None:
        from designer.gui.credentials_dialog import open_credentials_dialog  # noqa: PLC0415

        open_credentials_dialog(self.document, self.secrets, self)

    def _on_document_busy_changed(self, busy: bool) -> None:
        self.cancel_action.setEnabled(busy)

    def _fill_recent_menu(self, files: list[Path]) -> None:
        self.recent_menu.clear()
        for path in files:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.files.open_path(p))
        self.recent_menu.setEnabled(bool(files))

    def _update_title(self, *_args: object) -> None:
        path = self.document.path
        name = path.name if path else f"{self.document.config.name} (not saved)"
        marker = "*" if self.document.dirty else ""
        self.setWindowTitle(f"{marker}{name} — {APP_TITLE}")

    # -- Qt overrides ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.built:  # closed while starting: nothing to save yet
            event.accept()
            self.closed.emit()
            return
        if self._keep_recovery:
            self.autosave.save_now()  # the latest typing too, not only what the idle timer wrote
        elif not self.files.maybe_save():
            event.ignore()
            return
        else:
            self.autosave.discard()  # saved, or dropped by the user's choice: nothing to recover
        window_settings.save_window(self, self.splitters)
        self.runner.cancel()
        event.accept()
        self.closed.emit()


def _action(window: QMainWindow, text: str, shortcut: Any, slot: Any) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _splitter(
    name: str, orientation: Qt.Orientation, first: QWidget, second: QWidget, splitter: QSplitter | None = None
) -> QSplitter:
    splitter = splitter if splitter is not None else QSplitter(orientation)
    splitter.setObjectName(name)
    splitter.addWidget(first)
    splitter.addWidget(second)
    splitter.setChildrenCollapsible(False)
    return splitter


class _MapperSplitter(QSplitter):
    """Mapper | preview. As the window narrows, the preview gives way first, down to
    :data:`PREVIEW_READABLE` pixels, so the mapper's columns keep their minimum widths (at 1024 px
    its Expression column used to read "pressi"). Dragging the handle is the user's choice."""

    PREVIEW_READABLE = 220

    def __init__(self, mapper: MapperPanel, preview: PreviewPanel) -> None:
        super().__init__()
        self._mapper = mapper
        _splitter("bottomSplitter", self.orientation(), mapper, preview, self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        mapper, preview = self.sizes()
        give = min(self._mapper.readable_width() - mapper, preview - self.PREVIEW_READABLE)
        if give > 0:
            self.setSizes([mapper + give, preview - give])
