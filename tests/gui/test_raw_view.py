"""The raw view: pretty text produced piecewise, chunked display of any body, find."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from designer.core.decode import decode_body
from designer.core.jsonio import dumps_exact, loads_exact
from designer.gui.find_bar import count_matches
from designer.gui.pretty_text import ChunkedText, iter_pretty_json, iter_slices
from designer.gui.raw_view import INITIAL_CHARS, MAX_LINE, RawView

json_keys = st.text(max_size=6) | st.sampled_from(["a", "a b", "kunde.nr", "Bopæl", "", "\n", '"'])
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3)
    | st.text(max_size=8),
    lambda children: st.lists(children, max_size=6) | st.dictionaries(json_keys, children, max_size=6),
    max_leaves=40,
)


# ----------------------------------------------------------------------------- pretty text


@given(json_values, st.integers(min_value=1, max_value=12), st.sampled_from([1, 2, 4]))
def test_hypothesis_pretty_pieces_join_to_dumps_exact(document: Any, batch: int, indent: int) -> None:
    pieces = list(iter_pretty_json(document, indent, batch_weight=batch))
    assert "".join(pieces) == dumps_exact(document, indent=indent)


def test_pretty_text_of_a_big_document_is_produced_only_as_far_as_it_is_taken() -> None:
    document = {
        "customers": [
            {"id": 9_007_199_254_740_993 + i, "balance": loads_exact("1.50")} for i in range(50_000)
        ]
    }
    pieces = iter_pretty_json(document)
    first = ""
    while len(first) < 1000:
        first += next(pieces)
    assert first.startswith('{\n  "customers": [')
    assert len(first) < 200_000  # a batch, not the whole list
    rest = "".join(pieces)
    full = first + rest
    assert full == dumps_exact(document, indent=2)
    assert '"id": 9007199254740993,\n      "balance": 1.50' in full


def test_pretty_text_raises_what_dumps_exact_raises_for_nan() -> None:
    document = loads_exact('{"customers":[' + ",".join(['{"a":1}'] * 3000) + ',{"b":NaN}]}')
    with pytest.raises(ValueError, match="NaN"):
        "".join(iter_pretty_json(document))


# ----------------------------------------------------------------------------- chunking


@given(
    st.text(alphabet=st.sampled_from("ab\r\n\tø"), max_size=300),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=1, max_value=50),
    st.integers(min_value=1, max_value=9),
)
def test_hypothesis_chunks_normalise_breaks_and_bound_every_line(
    text: str, piece: int, size: int, max_line: int
) -> None:
    chunks = ChunkedText(iter_slices(text, piece), max_line=max_line)
    out = []
    while not chunks.done:
        chunk = chunks.next_chunk(size)
        assert chunk or chunks.done, "a chunk is empty only at the end"
        out.append(chunk)
    joined = "".join(out)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    expected = "\n".join(
        "\n".join(line[i : i + max_line] for i in range(0, len(line), max_line)) for line in lines
    )
    assert joined == expected
    assert chunks.broke_lines == any(len(line) > max_line for line in lines)
    assert chunks.emitted == len(joined)


def test_chunks_end_at_line_breaks_except_the_last() -> None:
    text = "".join(f"line {i}\n" for i in range(10_000)) + "end"
    chunks = ChunkedText(iter_slices(text, 777))
    out = [chunks.next_chunk(4096) for _ in range(3)]
    assert all(chunk.endswith("\n") for chunk in out)
    while not chunks.done:
        out.append(chunks.next_chunk(4096))
    assert "".join(out) == text
    assert out[-1].endswith("end")


# ----------------------------------------------------------------------------- the widget


def _view(qtbot: QtBot) -> RawView:
    view = RawView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


def test_big_minified_json_shows_its_pretty_start_then_more_on_demand(qtbot: QtBot) -> None:
    records = [{f"f{n}": f"value {i}.{n}" for n in range(10)} | {"id": 10**20 + i} for i in range(20_000)]
    body = json.dumps({"customers": records}, separators=(",", ":")).encode()
    decoded = decode_body(body, "application/json")
    full = dumps_exact(decoded.document, indent=2)
    view = _view(qtbot)
    view.show_body(decoded)
    shown = view.text()
    assert view.pretty and not view.fully_loaded
    assert full.startswith(shown) and INITIAL_CHARS <= len(shown) < 2 * INITIAL_CHARS
    assert view.text_edit.toPlainText() == shown
    assert view.more_bar.isVisible() and "Showing the first" in view.more_label.text()
    assert '"id": 100000000000000000000' in shown  # exact, not 1e+20
    qtbot.mouseClick(view.more_button, Qt.MouseButton.LeftButton)
    assert len(view.text()) > len(shown) and full.startswith(view.text())
    qtbot.mouseClick(view.all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.fully_loaded, timeout=20_000)
    assert view.text() == full
    assert view.text_edit.toPlainText() == full
    assert not view.more_bar.isVisible()


def test_scrolling_to_the_end_loads_more(qtbot: QtBot) -> None:
    body = json.dumps([{"n": i, "name": "Ada Jensen"} for i in range(30_000)]).encode()
    view = _view(qtbot)
    view.show_body(decode_body(body, "application/json"))
    before = len(view.text())
    bar = view.text_edit.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: len(view.text()) > before)


def test_a_one_line_body_that_is_not_json_is_shown_broken_into_short_lines(qtbot: QtBot) -> None:
    body = ('{"customers":[' + ",".join(f'{{"id":"K{i}"}}' for i in range(60_000)) + ",]").encode()
    decoded = decode_body(body, "application/json")
    assert not decoded.ok
    view = _view(qtbot)
    view.show_body(decoded)
    qtbot.mouseClick(view.all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.fully_loaded, timeout=20_000)
    document = view.text_edit.document()
    longest = max(document.findBlockByNumber(n).length() - 1 for n in range(document.blockCount()))
    assert longest <= MAX_LINE
    assert view.text().replace("\n", "") == decoded.text
    assert "As received (not JSON" in view.mode_label.text()
    assert "shown broken" in view.mode_label.text()
    assert not view.pretty_check.isVisible()


def test_an_html_page_is_shown_exactly_as_it_arrived(qtbot: QtBot) -> None:
    page = "<!DOCTYPE html>\r\n<html><head><title>Sign in</title></head>\r\n<body>Søg</body></html>"
    decoded = decode_body(page.encode("iso-8859-1"), "text/html; charset=iso-8859-1")
    view = _view(qtbot)
    view.show_body(decoded)
    assert view.text() == page.replace("\r\n", "\n")
    assert view.text_edit.toPlainText() == page.replace("\r\n", "\n")
    assert view.fully_loaded


def test_json_with_nan_falls_back_to_the_text_as_received(qtbot: QtBot) -> None:
    body = b'{"customers":[{"id":"K1","balance":{"identifier":"GC-1","balance":NaN}}]}'
    decoded = decode_body(body, "application/json")
    assert decoded.ok
    view = _view(qtbot)
    view.show_body(decoded)
    assert view.text() == body.decode()
    assert not view.pretty
    assert "cannot pretty-print" in view.mode_label.text() and "NaN" in view.mode_label.text()


def test_pretty_print_can_be_switched_off_to_see_the_body_as_received(qtbot: QtBot) -> None:
    body = b'{"a":1,"a":2}'  # duplicate keys: only the text as received shows both
    view = _view(qtbot)
    view.show_body(decode_body(body, "application/json"))
    assert view.text() == '{\n  "a": 2\n}'
    view.pretty_check.setChecked(False)
    assert view.text() == '{"a":1,"a":2}'
    view.show_body(None)
    assert view.text() == "" and view.text_edit.toPlainText() == ""


# ----------------------------------------------------------------------------- find


def test_find_bar_counts_moves_and_respects_case(qtbot: QtBot) -> None:
    body = json.dumps({"customers": [{"name": "Ada Jensen"}, {"name": "ada holm"}, {"name": "Bo ADA"}]})
    view = _view(qtbot)
    view.show_body(decode_body(body.encode(), "application/json"))
    view.text_edit.setFocus()
    qtbot.keyClick(view.text_edit, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = view.find_bar
    qtbot.waitUntil(bar.isVisible)
    qtbot.keyClicks(bar.edit, "ada")
    qtbot.waitUntil(lambda: bar.count_label.text() == "1 of 3")
    assert view.text_edit.textCursor().selectedText() == "Ada"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.count_label.text() == "2 of 3"
    assert view.text_edit.textCursor().selectedText() == "ada"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)  # wraps around to the first
    assert bar.count_label.text() == "1 of 3"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count_label.text() == "3 of 3"
    assert view.text_edit.textCursor().selectedText() == "ADA"
    bar.case_check.setChecked(True)
    assert bar.count_label.text() == "1 of 1"
    assert view.text_edit.textCursor().selectedText() == "ada"
    bar.edit.setText("Eve")
    qtbot.waitUntil(lambda: bar.count_label.text() == "no matches")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_find_in_a_partly_shown_body_says_so(qtbot: QtBot) -> None:
    body = json.dumps([{"name": f"Ada {i}"} for i in range(40_000)]).encode()
    view = _view(qtbot)
    view.show_body(decode_body(body, "application/json"))
    view.find_action.trigger()
    qtbot.keyClicks(view.find_bar.edit, "Ada 3")
    qtbot.waitUntil(lambda: "so far" in view.find_bar.count_label.text())
    assert count_matches(view.text(), "Ada 3", case_sensitive=True) < 11_111


def test_count_matches_is_non_overlapping_and_caseless_on_request() -> None:
    assert count_matches("aaaa", "aa", case_sensitive=True) == 2
    assert count_matches("Æble æble ÆBLE", "æble", case_sensitive=False) == 3
    assert count_matches("x", "", case_sensitive=False) == 0
