"""The window at 1024x700 (and at 1500x950): every label says its whole sentence, columns keep
readable widths, and the Problems list shows each problem in full.

Measured on the widgets the user looks at: a word-wrapped label is given the height its
wrapped text needs, a single-line one the width; a column is at least as wide as its minimum
number of characters; the Value column's header fits.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from designer.core.project_io import load_config
from designer.gui.main_window import MainWindow
from designer.gui.mapper_model import EXPRESSION, FIELD, VALUE
from designer.gui.mapper_panel import EXPRESSION_MIN_CHARS

MakeWindow = Callable[..., MainWindow]
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "woocommerce.json"
RECORDS = [
    {
        "id": 1001,
        "first_name": "Ada",
        "last_name": "Jensen",
        "email": "ada.jensen@example.com",
        "billing": {"address_1": "Vestergade 12, 2. th", "city": "Aarhus C", "country": "Denmark"},
    },
    {"first_name": "Bo", "last_name": "Holm", "billing": {"city": "Odense", "country": "DK"}},
    {"id": 1005, "first_name": "Lars", "billing": {"city": "Ribe", "country": "DK"}},
]


def shows_whole(label: QLabel) -> bool:
    """Whether ``label`` has room for all of its text (wrapped or on one line)."""
    if label.wordWrap():
        return label.height() >= label.heightForWidth(label.width())
    return label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()


def _window(qtbot: QtBot, make_window: MakeWindow, width: int, height: int, response: str) -> MainWindow:
    window = make_window(load_config(SAMPLE))
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width)
    window.response_sources.paste_text(response)
    qtbot.waitUntil(
        lambda: not window.preview_panel.live.busy and window.preview_panel.live.run.result is not None
    )
    qtbot.wait(20)  # the layout settles
    return window


@pytest.mark.parametrize("size", [(1024, 700), (1500, 950)])
def test_the_mapper_columns_stay_readable(
    qtbot: QtBot, make_window: MakeWindow, size: tuple[int, int]
) -> None:
    window = _window(qtbot, make_window, *size, json.dumps(RECORDS))
    table = window.mapper_panel.table
    header = table.horizontalHeader()
    mono = QFontMetrics(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    assert header.sectionSize(EXPRESSION) >= mono.averageCharWidth() * EXPRESSION_MIN_CHARS
    field = window.mapper_panel.model.index(0, FIELD).data()
    assert field == "identifier (required)"
    bold = table.font()
    bold.setBold(True)
    assert header.sectionSize(FIELD) >= QFontMetrics(bold).horizontalAdvance(field)
    title = window.mapper_panel.model.headerData(VALUE, header.orientation())
    assert title == "Record 1 of 3"
    assert header.sectionSize(VALUE) >= header.fontMetrics().horizontalAdvance(title)
    # The columns fit beside each other: nothing is pushed out of sight to the right.
    assert sum(header.sectionSize(c) for c in range(header.count())) <= table.viewport().width()


@pytest.mark.parametrize("size", [(1024, 700), (1500, 950)])
def test_the_preview_summary_says_its_whole_sentence(
    qtbot: QtBot, make_window: MakeWindow, size: tuple[int, int]
) -> None:
    window = _window(qtbot, make_window, *size, json.dumps(RECORDS))
    summary = window.preview_panel.summary
    assert summary.text() == "2 customers from 3 records · 1 skipped · 2 problems"
    assert shows_whole(summary)

    window.response_sources.paste_text("<html><body>Sign in</body></html>")
    qtbot.waitUntil(lambda: summary.text().startswith("The lookup fails"))
    qtbot.wait(20)
    assert summary.text() == "The lookup fails: the POS gets an error, not a list"
    assert shows_whole(summary)


@pytest.mark.parametrize("size", [(1024, 700), (1500, 950)])
def test_each_problem_can_be_read_in_full(
    qtbot: QtBot, make_window: MakeWindow, size: tuple[int, int]
) -> None:
    window = _window(qtbot, make_window, *size, json.dumps(RECORDS))
    panel = window.preview_panel
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(panel.problems_view.isVisible)
    detail = panel.findChild(QLabel, "problemDetail")
    assert detail is not None and detail.isVisible()
    problems = panel.problems
    messages = [problems.problem(row).message for row in range(problems.rowCount())]  # type: ignore[union-attr]
    assert any("ISO 3166-1 alpha-2" in message for message in messages)
    for row, message in enumerate(messages):
        panel.problems_view.selectRow(row)
        assert message in detail.text()
        qtbot.wait(10)
        assert shows_whole(detail)
