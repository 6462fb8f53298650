"""Window geometry, splitter positions and recent files, kept in an INI file (QSettings).

The file lives in the user's config folder, resolved on every use (not Qt's process-wide
cached default), so each test, and each XDG setup, gets its own settings.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

APP_NAME = "lookup-designer"
MAX_RECENT = 8


def settings() -> QSettings:
    folder = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)


def save_window(window: QMainWindow, splitters: list[QSplitter]) -> None:
    store = settings()
    store.setValue("window/geometry", window.saveGeometry())
    store.setValue("window/state", window.saveState())
    for splitter in splitters:
        store.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
    store.sync()


def restore_window(window: QMainWindow, splitters: list[QSplitter]) -> bool:
    """Restore what was saved; False when there was nothing (first start: use defaults)."""
    store = settings()
    geometry = store.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    state = store.value("window/state")
    if isinstance(state, QByteArray):
        window.restoreState(state)
    for splitter in splitters:
        value = store.value(f"splitters/{splitter.objectName()}")
        if isinstance(value, QByteArray):
            splitter.restoreState(value)
    return isinstance(geometry, QByteArray)


def recent_files() -> list[Path]:
    value = settings().value("recent/files", [])
    if isinstance(value, str):
        items: list[object] = [value]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        items = []
    return [Path(str(item)) for item in items if item]


def add_recent_file(path: Path) -> list[Path]:
    resolved = path.resolve()
    files = [resolved, *(p for p in recent_files() if p != resolved)][:MAX_RECENT]
    _store_recent(files)
    return files


def remove_recent_file(path: Path) -> list[Path]:
    files = [p for p in recent_files() if p != path]
    _store_recent(files)
    return files


def _store_recent(files: list[Path]) -> None:
    store = settings()
    store.setValue("recent/files", [str(p) for p in files])
    store.sync()
