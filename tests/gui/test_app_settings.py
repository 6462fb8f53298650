"""Window geometry and splitter positions survive a restart (QSettings in the user's config)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot
from qt_helpers import find

from designer.gui.main_window import MainWindow

MakeWindow = Callable[..., MainWindow]


def test_geometry_and_splitters_are_restored(qtbot: QtBot, make_window: MakeWindow) -> None:
    first = make_window()
    first.resize(700, 500)  # within the offscreen screen (800 x 600)
    qtbot.waitUntil(lambda: first.width() == 700)
    main = find(first, QSplitter, "mainSplitter")
    right = find(first, QSplitter, "rightSplitter")
    main.setSizes([250, 440])
    right.setSizes([150, 300])
    wanted_main, wanted_right = main.sizes(), right.sizes()
    first.close()

    second = make_window()
    assert second.size() == first.size()
    assert find(second, QSplitter, "mainSplitter").sizes() == wanted_main
    assert find(second, QSplitter, "rightSplitter").sizes() == wanted_right


def test_first_start_has_sensible_defaults(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    sizes = find(window, QSplitter, "mainSplitter").sizes()
    assert all(size > 150 for size in sizes), sizes  # neither side collapsed
