"""The Customer preview: the right customers, highlighted problems, the CLI's exact JSON, and
live chunked recomputation over 10 000 records that a newer edit cancels."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from designer import cli
from designer.core.config import FieldMapping, LookupConfig, ResponseSpec, Transform
from designer.core.customer import CUSTOMER_FIELDS, customers_to_json
from designer.core.errors import TimeoutError_
from designer.core.mapping import map_document
from designer.core.project_io import save_config
from designer.core.runtime import interpret
from designer.gui import live_preview, preview_panel
from designer.gui.document import Document, ResponseState
from designer.gui.live_preview import join_json_lists
from designer.gui.preview_panel import PreviewPanel
from designer.gui.status_style import background
from tests.gui.mapping_samples import CUSTOMERS, body, document_with, many_customers, response_state

COLUMN = {field: i for i, field in enumerate(CUSTOMER_FIELDS)}
DEFAULT = "[?(@.default == true)]"


def _config(**overrides: Any) -> LookupConfig:
    fields = {
        "identifier": FieldMapping(paths=["$.id"]),
        "name": FieldMapping(paths=["$.first_name", "$.last_name"]),
        "city": FieldMapping(paths=[f"$.addresses{DEFAULT}.city"]),
        "country_code": FieldMapping(paths=["$.addresses[0].cc"]),  # "dk" for Ada: a warning
        "email": FieldMapping(paths=["$.email"]),
        "balance.identifier": FieldMapping(paths=["$.account.id"]),
        "balance.balance": FieldMapping(
            paths=["$.account.balance"],
            transforms=[Transform(name="parse_number", decimal_separator="comma")],
        ),
    }
    response = ResponseSpec(records_path="$.customers[*]", fields=fields).model_copy(update=overrides)
    return LookupConfig(name="Preview test", response=ResponseSpec.model_validate(response.model_dump()))


def _panel(qtbot: QtBot, doc: Document) -> PreviewPanel:
    panel = PreviewPanel(doc)
    qtbot.addWidget(panel)
    panel.resize(1000, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _settled(qtbot: QtBot, panel: PreviewPanel, timeout: int = 5000) -> None:
    """Wait until the current change is mapped and its JSON written (or there is none)."""
    qtbot.waitUntil(lambda: not panel.live.busy, timeout=timeout)


@pytest.fixture
def doc() -> Document:
    return document_with(config=_config())


@pytest.fixture
def panel(qtbot: QtBot, doc: Document) -> Iterator[PreviewPanel]:
    widget = _panel(qtbot, doc)
    _settled(qtbot, widget)
    yield widget


def _cell(panel: PreviewPanel, row: int, field: str, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return panel.model.index(row, COLUMN[field]).data(role)


def test_the_table_shows_the_customers_the_pos_gets(panel: PreviewPanel) -> None:
    assert panel.model.rowCount() == 3 and panel.model.columnCount() == 12
    assert [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in (0, 10, 11)] == [
        "identifier",
        "balance.identifier",
        "balance.balance",
    ]
    assert _cell(panel, 0, "identifier") == "12345678901234567891"  # H019: every digit
    assert _cell(panel, 0, "name") == "Ada Jensen"
    assert _cell(panel, 0, "city") == "Århus"  # the default address, not the first
    assert _cell(panel, 0, "balance.balance") == "1234.50"
    assert _cell(panel, 2, "identifier") == "K3" and _cell(panel, 2, "balance.balance") == "7"
    assert panel.stack.currentWidget() is panel.table
    assert panel.summary.text().startswith("2 customers from 3 records · 1 skipped")
    assert panel.tabs.tabText(0) == "Customers (2)"


def test_a_skipped_record_and_a_field_problem_are_highlighted_with_the_reason(panel: PreviewPanel) -> None:
    invalid = background("invalid").color()
    assert _cell(panel, 1, "name", Qt.ItemDataRole.BackgroundRole).color() == invalid
    tip = _cell(panel, 1, "name", Qt.ItemDataRole.ToolTipRole)
    assert "Not sent to the POS" in tip and "identifier is missing" in tip
    assert _cell(panel, 1, "name") == "Bo Holm"  # what was mapped is still shown
    assert not panel.model.headerData(1, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole).isNull()
    assert _cell(panel, 0, "name", Qt.ItemDataRole.BackgroundRole) is None
    warning = background("warning").color()
    assert _cell(panel, 0, "country_code", Qt.ItemDataRole.BackgroundRole).color() == warning
    assert "add the upper transform" in _cell(panel, 0, "country_code", Qt.ItemDataRole.ToolTipRole)


def test_problems_list_and_clicking_a_problem_selects_its_record(
    qtbot: QtBot, panel: PreviewPanel, doc: Document
) -> None:
    """Records are numbered from 1 for people, as the mapper does; the tree's [1] is in the tooltip."""
    problems = panel.problems
    rows = [tuple(problems.index(r, c).data() for c in range(3)) for r in range(problems.rowCount())]
    assert ("2", "identifier", "identifier is missing or empty; record skipped") in rows
    assert any(r[0] == "1" and r[1] == "country_code" for r in rows)
    assert panel.tabs.tabText(1) == f"Problems ({problems.rowCount():,})"
    row = next(i for i, r in enumerate(rows) if r[0] == "2")
    assert problems.index(row, 0).data(Qt.ItemDataRole.ToolTipRole).startswith("Record 2 ([1] in the tree)")
    vertical = Qt.Orientation.Vertical
    assert [panel.model.headerData(r, vertical) for r in range(3)] == ["1", "2", "3"]
    assert panel.model.headerData(1, vertical, Qt.ItemDataRole.ToolTipRole).startswith(
        "Record 2 ([1] in the tree): Not sent to the POS"
    )
    panel.tabs.setCurrentIndex(1)
    view = panel.problems_view
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(problems.index(row, 2)).center()
    )
    assert doc.selected_record == 1
    assert panel.table.selectionModel().isRowSelected(1)


def test_clicking_a_preview_row_selects_the_record(qtbot: QtBot, panel: PreviewPanel, doc: Document) -> None:
    index = panel.model.index(2, 1)
    qtbot.mouseClick(
        panel.table.viewport(), Qt.MouseButton.LeftButton, pos=panel.table.visualRect(index).center()
    )
    assert doc.selected_record == 2
    doc.set_selected_record(0)
    assert panel.table.selectionModel().isRowSelected(0)


def test_models_pass_qt_model_tests(qtmodeltester: ModelTester, panel: PreviewPanel) -> None:
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.problems)


# -- the exact output ------------------------------------------------------------------------------


def _cli_run(
    capsys: pytest.CaptureFixture[str], config: LookupConfig, tmp_path: Path, data: bytes
) -> tuple[int, str]:
    config_path = tmp_path / "config.json"
    response_path = tmp_path / "response.http"
    save_config(config, config_path)
    response_path.write_bytes(data)
    capsys.readouterr()
    code = cli.main(["run", str(config_path), "--response-file", str(response_path)])
    return code, capsys.readouterr().out


def test_json_view_is_byte_identical_to_lookup_designer_run(
    panel: PreviewPanel, doc: Document, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed = _cli_run(capsys, doc.config, tmp_path, body(CUSTOMERS))
    assert code == 0
    assert panel.json_text() is not None
    assert printed == panel.json_text() + "\n"  # print() adds the newline
    assert panel.json_view.toPlainText() == panel.json_text()
    assert '"balance": 1234.50' in printed and "12345678901234567891" in printed


def test_no_match_status_gives_the_cli_s_empty_list(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = b'{"errors": "Not Found"}'
    doc = Document(_config())
    doc.set_response(response_state(raw=raw, status=404))
    panel = _panel(qtbot, doc)
    _settled(qtbot, panel)
    http = b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n" + raw
    code, printed = _cli_run(capsys, doc.config, tmp_path, http)
    assert (code, printed) == (0, "[]\n")
    assert panel.json_text() == "[]"
    assert panel.empty.text() == "No customers: HTTP 404 means no match (configured): no customers"


def test_an_error_the_cli_fails_on_gives_no_output(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = b"<!doctype html><html><head><title>Sign in</title></head><body>Log in</body></html>"
    doc = Document(_config())
    doc.set_response(response_state(raw=page, status=200, content_type="text/html"))
    panel = _panel(qtbot, doc)
    _settled(qtbot, panel)
    code, printed = _cli_run(
        capsys, doc.config, tmp_path, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
    )
    assert (code, printed) == (1, "")
    assert panel.json_text() is None
    assert "No output" in panel.json_view.placeholderText()
    assert panel.empty.text().startswith("No records found: response is HTML, not JSON (title: Sign in)")
    assert "fails" in panel.summary.text()


# -- empty states ------------------------------------------------------------------------------------


def test_empty_states_say_what_is_missing(qtbot: QtBot) -> None:
    doc = Document(_config())
    panel = _panel(qtbot, doc)
    assert panel.empty.text() == "No response yet — press Send"
    assert panel.stack.currentWidget() is panel.empty
    doc.set_response(response_state())
    doc.set_records_path("$.kunder[*]")
    _settled(qtbot, panel)
    assert panel.empty.text().startswith("No records found: records path $.kunder[*] matched nothing")
    doc.set_response(
        ResponseState(None, None, "request", TimeoutError_("the server did not answer within 15 s"))
    )
    _settled(qtbot, panel)
    assert panel.empty.text() == "No records found: the server did not answer within 15 s"
    doc.set_response(response_state({"customers": []}))
    doc.undo_stack.undo()  # back to $.customers[*]
    _settled(qtbot, panel)
    assert panel.empty.text() == "No records found: $.customers[*] selects an empty list (0 customers)"


def test_identifier_not_mapped_yet_is_said_above_the_records(qtbot: QtBot) -> None:
    config = _config()
    fields = {k: v for k, v in config.response.fields.items() if k != "identifier"}
    doc = document_with(
        config=config.model_copy(update={"response": config.response.model_copy(update={"fields": fields})})
    )
    panel = _panel(qtbot, doc)
    _settled(qtbot, panel)
    assert panel.message.isVisible()
    assert panel.message.text().startswith("identifier is not mapped yet")
    assert panel.model.rowCount() == 3 and _cell(panel, 0, "name") == "Ada Jensen"
    assert panel.json_text() == "[]"


def test_the_problems_tab_counts_exactly_the_rows_its_list_shows(qtbot: QtBot) -> None:
    """The tab said "Problems (1)" over three rows: the notes were listed but not counted."""
    config = _config()
    fields = {k: v for k, v in config.response.fields.items() if k != "identifier"}
    doc = document_with(
        config=config.model_copy(update={"response": config.response.model_copy(update={"fields": fields})})
    )
    panel = _panel(qtbot, doc)
    _settled(qtbot, panel)
    problems = panel.problems
    severities = [problems.problem(r).severity for r in range(problems.rowCount())]  # type: ignore[union-attr]
    found, notes = sum(s != "note" for s in severities), severities.count("note")
    assert found and notes, severities  # the case: problems and notes in one list
    plural = "" if notes == 1 else "s"
    assert panel.tabs.tabText(1) == f"Problems ({found} + {notes} note{plural})"
    assert panel.tabs.tabToolTip(1).endswith(f"{notes} note{plural} about the whole response")


def test_an_empty_problems_tab_says_why_it_is_empty(qtbot: QtBot) -> None:
    doc = Document(_config())
    panel = _panel(qtbot, doc)
    panel.tabs.setCurrentIndex(1)
    empty = panel.findChild(QLabel, "problemsEmpty")
    assert empty is not None
    assert empty.isVisible() and not panel.problems_view.isVisible()
    assert empty.text() == "No response yet — press Send (or open or paste a saved response)."

    valid = {"customers": [{"id": "K1", "first_name": "Ada", "last_name": "Jensen"}, {"id": "K2"}]}
    doc.set_response(response_state(valid))
    _settled(qtbot, panel)
    assert panel.problems.rowCount() == 0
    assert empty.isVisible()
    assert empty.text() == "No problems: every record maps to a valid Customer."
    assert panel.tabs.tabText(1) == "Problems"

    doc.set_response(response_state({"customers": []}))
    _settled(qtbot, panel)
    assert empty.text() == "No problems: the response holds no records, so the POS gets an empty list."

    doc.set_response(response_state(CUSTOMERS))
    _settled(qtbot, panel)
    assert panel.problems_view.isVisible() and not empty.isVisible()


# -- live, chunked, cancellable ------------------------------------------------------------------


def _big_config() -> LookupConfig:
    return LookupConfig(
        response=ResponseSpec(
            records_path="$.customers[*]",
            fields={
                "identifier": FieldMapping(paths=["$.no"]),
                "name": FieldMapping(paths=["$.first", "$.last"]),
                "city": FieldMapping(paths=[f"$.addresses{DEFAULT}.city"]),
                "country_code": FieldMapping(paths=["$.cc"]),
            },
        )
    )


def test_ten_thousand_records_first_rows_at_once_then_the_rest_in_chunks(qtbot: QtBot) -> None:
    document = many_customers(10_000)
    doc = document_with(document, config=_big_config())
    panel = PreviewPanel(doc)  # maps synchronously at construction: the first rows only
    qtbot.addWidget(panel)
    first = panel.model.rowCount()
    assert 0 < first <= live_preview.FIRST_RECORDS < 10_000
    assert panel.live.run.result is None and panel.live.busy
    assert not gc.isenabled()  # no full collection over the document in the middle of a run
    assert panel.summary.text() == f"Mapping… {first:,} of 10,000 records"
    progress: list[int] = []
    panel.live.progressed.connect(progress.append)
    panel.show()
    _settled(qtbot, panel, timeout=30_000)
    assert len(progress) >= 2 and progress == sorted(progress) and progress[-1] == 10_000
    assert gc.isenabled()
    assert panel.model.rowCount() == 10_000
    expected = interpret(doc.config.response, doc.response.decoded if doc.response else None)
    assert panel.live.run.result is not None
    assert panel.live.run.result.customers == expected.customers
    assert panel.json_text() == expected.output_json()
    skipped = sum(1 for i in range(10_000) if i % 7 == 0)
    assert panel.summary.text().startswith(
        f"{10_000 - skipped:,} customers from 10,000 records · {skipped:,} skipped"
    )
    assert (
        len(panel.json_view.toPlainText()) <= preview_panel.JSON_VIEW_LIMIT
        and "Copy JSON copies all" in panel.json_note.text()
    )
    assert _cell(panel, 9_999, "identifier") == str(9_007_199_254_740_993 + 9_999)


def test_a_newer_edit_cancels_the_older_computation(qtbot: QtBot) -> None:
    doc = document_with(many_customers(10_000), config=_big_config())
    panel = _panel(qtbot, doc)
    old_generation = panel.live.run.generation
    assert panel.live.run.result is None  # still mapping the first response
    finished: list[tuple[int, str | None]] = []
    panel.live.finished.connect(
        lambda: finished.append((panel.live.run.generation, panel.model.index(0, COLUMN["name"]).data()))
    )
    name = FieldMapping(paths=["$.last", "$.first"], separator=", ")
    doc.set_field_mapping("name", name)
    assert panel.live.busy
    _settled(qtbot, panel, timeout=30_000)
    assert [generation for generation, _ in finished] == [old_generation + 1]  # the old run never finished
    assert finished[0][1] == "Ærø, Kunde0"
    assert panel.model.rowCount() == 10_000
    expected = map_document(doc.config.response, many_customers(10_000))
    assert panel.json_text() == customers_to_json(list(expected.customers))


def test_edits_are_debounced_into_one_run(qtbot: QtBot, panel: PreviewPanel, doc: Document) -> None:
    generation = panel.live.run.generation
    for separator in (",", ", ", " - "):
        doc.set_field_mapping(
            "name", FieldMapping(paths=["$.first_name", "$.last_name"], separator=separator)
        )
    _settled(qtbot, panel)
    assert panel.live.run.generation == generation + 1
    assert _cell(panel, 0, "name") == "Ada - Jensen"


@pytest.mark.parametrize("count", [0, 1, live_preview.JSON_SLICE - 1, live_preview.JSON_SLICE, 1001])
def test_json_written_in_chunks_equals_the_whole_list(count: int) -> None:
    spec = _big_config().response
    customers = list(map_document(spec, many_customers(count + count // 6 + 1)).customers)[:count]
    slice_ = live_preview.JSON_SLICE
    parts = [customers_to_json(customers[i : i + slice_]) for i in range(0, len(customers), slice_)]
    assert join_json_lists(parts) == customers_to_json(customers)


@pytest.mark.parametrize("count", [0, 1, live_preview.JSON_SLICE, 450])
def test_the_json_writer_counts_the_lines_and_bytes_of_its_text(count: int) -> None:
    spec = _big_config().response
    customers = list(map_document(spec, many_customers(count + count // 6 + 1)).customers)[:count]
    writer = live_preview.JsonListWriter()
    for i in range(0, len(customers), 100):
        writer.add(customers_to_json(customers[i : i + 100]))
    head = writer.head(500)
    text = writer.text()
    assert text == customers_to_json(customers)
    assert text.startswith(head) and (len(head) >= 500 or head == text)
    assert writer.lines == text.count("\n") + 1
    assert writer.utf8_size == len(text.encode("utf-8"))


def test_the_collector_is_restored_when_a_running_preview_is_destroyed(qtbot: QtBot) -> None:
    import shiboken6

    doc = document_with(many_customers(10_000), config=_big_config())
    panel = PreviewPanel(doc)
    assert panel.live.busy and not gc.isenabled()
    shiboken6.delete(panel)
    assert gc.isenabled()
