"""The lazy JSON tree model: Qt's model contract, laziness, groups, exact values, locations.

Every document here is also checked with pytest-qt's ``qtmodeltester`` (Qt's own
QAbstractItemModelTester), which walks the whole model; the 200 000-record document is checked
for structure and laziness instead (walking it would materialise every node by design).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTreeView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from designer.core.jsonio import loads_exact
from designer.core.jsonpath import compile_path, normalized_path
from designer.gui.json_tree_model import JsonTreeModel, KindRole, LocationRole, value_text
from designer.gui.location_mime import LOCATION_MIME, decode_location, encode_location, location_from_mime

PITFALL_DOCUMENTS = {
    "H001 dotted key": '{"data":{"kunde.nr":"K-1001"}}',
    "H002 non-ASCII keys": '{"Bopæl":{"Postnr":"8000","By":"Århus"}}',
    "H003 numeric-string keys": '{"customers":{"1001":{"name":"Ada Jensen"},"1002":{"name":"Bo Holm"}}}',
    "H019 big id": '{"customers":[{"customerNo":12345678901234567891,"name":"Ada Jensen"}]}',
    "H022 NaN": '{"customers":[{"id":"K1","balance":{"identifier":"GC-1","balance":NaN}}]}',
    "H023 top-level array": '[{"id":"K1","name":"Ada Jensen"}]',
    "H023 bare boolean": "true",
    "null document": "null",
    "empty containers": '{"a":{},"b":[],"c":[[]],"":"empty key","line\\nbreak":1}',
    "odd names": """{"$":1,"*":2,"a'b":3,"back\\\\slash":4,"sp ace":{"x.y":[1,2.50,-0.0,1e400]}}""",
}


def _model(document: Any, group_size: int = 1000) -> JsonTreeModel:
    model = JsonTreeModel(group_size=group_size)
    model.set_document(document)
    return model


def _row(model: JsonTreeModel, index: QModelIndex) -> tuple[str, str, str]:
    return tuple(model.data(index.siblingAtColumn(c)) for c in range(3))  # type: ignore[return-value]


def _walk(model: JsonTreeModel, parent: QModelIndex | None = None) -> Iterator[QModelIndex]:
    parent = parent if parent is not None else QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from _walk(model, index)


def _records(count: int, fields: int = 10) -> dict[str, Any]:
    return {"customers": [{f"field{f}": f"value {i}.{f}" for f in range(fields)} for i in range(count)]}


# ----------------------------------------------------------------------------- the Qt contract


@pytest.mark.parametrize("text", PITFALL_DOCUMENTS.values(), ids=PITFALL_DOCUMENTS.keys())
def test_model_contract_on_pitfall_documents(qtmodeltester: ModelTester, text: str) -> None:
    qtmodeltester.check(_model(loads_exact(text)))


def test_model_contract_with_groups_and_groups_of_groups(qtmodeltester: ModelTester) -> None:
    document = {"items": list(range(1500)), "members": {f"k{i}": i for i in range(25)}, "tail": "x"}
    model = _model(document, group_size=10)
    qtmodeltester.check(model)
    items = model.index_for_location(("items",))
    # 1500 items in groups of 10: 2 groups of 1000, each of 10 groups of 100, each of 10 of 10.
    assert model.rowCount(items) == 2
    assert [_row(model, model.index(r, 0, items)) for r in range(2)] == [
        ("[0 … 999]", "1 000 items", "group"),
        ("[1000 … 1499]", "500 items", "group"),
    ]
    second = model.index(1, 0, items)
    assert model.rowCount(second) == 5
    leaf_group = model.index(4, 0, model.index(2, 0, second))
    assert model.data(leaf_group) == "[1240 … 1249]"
    assert _row(model, model.index(9, 0, leaf_group)) == ("[1249]", "1249", "number")
    members = model.index_for_location(("members",))
    assert [model.data(model.index(r, 1, members)) for r in range(3)] == [
        "10 keys: k0 … k9",
        "10 keys: k10 … k19",
        "5 keys: k20 … k24",
    ]


def test_model_contract_on_records_in_groups_of_the_default_size(qtmodeltester: ModelTester) -> None:
    model = _model(_records(2500, fields=2))
    qtmodeltester.check(model)
    customers = model.index_for_location(("customers",))
    assert [model.data(model.index(r, 0, customers)) for r in range(3)] == [
        "[0 … 999]",
        "[1000 … 1999]",
        "[2000 … 2499]",
    ]


def test_model_contract_after_a_reset_to_another_document(qtmodeltester: ModelTester) -> None:
    model = _model({"a": [1, 2, 3]})
    qtmodeltester.check(model)
    model.set_document([{"b": None}])
    assert _row(model, model.index(0, 0)) == ("$", "[1 item]", "array")
    model.clear()
    assert model.rowCount() == 0
    assert not model.has_document


# ----------------------------------------------------------------------------- what is shown


def test_columns_show_key_value_and_type_with_sizes() -> None:
    model = _model(loads_exact('{"customers":[{"id":"K1","tags":["a","b"],"vip":true,"note":null}],"n":2}'))
    root = model.index(0, 0)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Key", "Value", "Type"]
    assert _row(model, root) == ("$", "{2 keys}", "object")
    customers = model.index(0, 0, root)
    assert _row(model, customers) == ("customers", "[1 item]", "array")
    record = model.index(0, 0, customers)
    assert _row(model, record) == ("[0]", "{4 keys}", "object")
    assert [_row(model, model.index(r, 0, record)) for r in range(4)] == [
        ("id", '"K1"', "string"),
        ("tags", "[2 items]", "array"),
        ("vip", "true", "boolean"),
        ("note", "null", "null"),
    ]
    assert model.data(model.index(1, 0, root), KindRole) == "number"


def test_big_ids_and_decimals_are_shown_exactly_h019() -> None:
    document = loads_exact('{"customerNo":12345678901234567891,"balance":1234.50,"tiny":0.10,"e":1E+3}')
    model = _model(document)
    values = {model.data(i): model.data(i.siblingAtColumn(1)) for i in _walk(model) if i.parent().isValid()}
    assert values == {"customerNo": "12345678901234567891", "balance": "1234.50", "tiny": "0.10", "e": "1000"}
    assert isinstance(document["balance"], Decimal)


def test_nan_is_shown_as_the_literal_that_arrived_h022() -> None:
    model = _model(loads_exact('{"balance":NaN,"limit":-Infinity}'))
    root = model.index(0, 0)
    assert _row(model, model.index(0, 0, root)) == ("balance", "NaN", "not standard JSON")
    assert _row(model, model.index(1, 0, root))[1] == "-Infinity"


def test_strings_are_quoted_and_long_ones_cut_with_the_full_text_in_the_tooltip() -> None:
    long_text = "Ø" * 5000
    model = _model({"short": 'say "hi"', "long": long_text, "": "x", "two\nlines": 1})
    root = model.index(0, 0)
    assert model.data(model.index(0, 1, root)) == '"say \\"hi\\""'
    shown = model.data(model.index(1, 1, root))
    assert shown.startswith('"ØØØ') and shown.endswith("(5 000 characters)") and len(shown) < 400
    assert "Ø" * 1999 in model.data(model.index(1, 1, root), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(2, 0, root)) == '""'
    assert model.data(model.index(3, 0, root)) == '"two\\nlines"'


def test_value_text_of_each_json_type() -> None:
    assert [value_text(v) for v in ({}, [], 0, -7, Decimal("2.5E-7"), False, None, "")] == [
        "{0 keys}",
        "[0 items]",
        "0",
        "-7",
        "0.00000025",
        "false",
        "null",
        '""',
    ]


# ----------------------------------------------------------------------------- locations


@pytest.mark.parametrize("text", PITFALL_DOCUMENTS.values(), ids=PITFALL_DOCUMENTS.keys())
def test_each_location_is_a_path_that_selects_exactly_that_node(text: str) -> None:
    """H001/H002/H003: the normalized path of every node parses and selects that node only."""
    document = loads_exact(text)
    model = _model(document)
    checked = 0
    for index in _walk(model):
        location = model.location(index)
        assert location is not None and model.data(index, LocationRole) == location
        found = compile_path(normalized_path(location)).locate(document)
        assert len(found) == 1
        assert found[0][0] == location
        assert found[0][1] is model.value(index) or found[0][1] == model.value(index)
        checked += 1
    assert checked >= 1


def test_pitfall_paths_are_bracket_quoted() -> None:
    cases = [
        (PITFALL_DOCUMENTS["H001 dotted key"], ("data", "kunde.nr"), "$['data']['kunde.nr']", "K-1001"),
        (PITFALL_DOCUMENTS["H002 non-ASCII keys"], ("Bopæl", "By"), "$['Bopæl']['By']", "Århus"),
        (
            PITFALL_DOCUMENTS["H003 numeric-string keys"],
            ("customers", "1001", "name"),
            "$['customers']['1001']['name']",
            "Ada Jensen",
        ),
    ]
    for text, location, path, value in cases:
        document = loads_exact(text)
        model = _model(document)
        index = model.index_for_location(location)
        assert model.location(index) == location
        assert normalized_path(location) == path
        assert compile_path(path).values(document) == [value]


def test_index_for_location_goes_through_groups_and_refuses_missing_nodes() -> None:
    document = {"customers": [{"id": i} for i in range(2500)], "map": {str(i): i for i in range(1200)}}
    model = _model(document)
    index = model.index_for_location(("customers", 2345, "id"))
    assert _row(model, index) == ("id", "2345", "number")
    assert model.data(index.parent().parent()) == "[2000 … 2499]"
    assert model.data(model.index_for_location(("map", "1100")).siblingAtColumn(1)) == "1100"
    for missing in (("customers", 2500), ("customers", -1), ("nope",), ("customers", "0"), ("map", 5)):
        assert not model.index_for_location(missing).isValid()
    assert model.index_for_location(()) == model.index(0, 0)


def test_group_rows_have_no_location_but_know_their_container() -> None:
    model = _model({"customers": list(range(3000))})
    group = model.index(1, 0, model.index_for_location(("customers",)))
    assert model.is_group(group)
    assert model.location(group) is None
    assert model.container_location(group) == ("customers",)
    assert not model.flags(group) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.data(group, KindRole) == "group"


# ----------------------------------------------------------------------------- drag data


def test_drag_data_carries_the_location_and_the_path_as_text() -> None:
    document = loads_exact(PITFALL_DOCUMENTS["H002 non-ASCII keys"])
    model = _model(document)
    index = model.index_for_location(("Bopæl", "By"))
    assert model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    mime = model.mimeData([index])
    assert LOCATION_MIME in mime.formats()
    assert json.loads(bytes(mime.data(LOCATION_MIME).data()).decode("utf-8")) == ["Bopæl", "By"]
    assert location_from_mime(mime) == ("Bopæl", "By")
    assert mime.text() == "$['Bopæl']['By']"
    group_model = _model(list(range(2000)))
    group = group_model.index(0, 0, group_model.index(0, 0))
    assert location_from_mime(group_model.mimeData([group])) is None


def test_location_payload_round_trip_and_refusals() -> None:
    location = ("kunder", 3, "navn æøå", "1001", "")
    assert decode_location(encode_location(location)) == location
    assert encode_location(("Bopæl",)) == '["Bopæl"]'.encode()
    for bad in (b"not json", b'{"a": 1}', b"[true]", b"[-1]", b"[1.5]", b"[null]", b"\xff\xfe"):
        assert decode_location(bad) is None
    with pytest.raises(TypeError):
        encode_location((True,))


# ----------------------------------------------------------------------------- laziness at scale


def test_200_000_records_cost_nothing_until_shown() -> None:
    document = _records(200_000, fields=3)
    model = _model(document)
    assert model.node_count == 1  # just the document row
    root = model.index(0, 0)
    assert model.hasChildren(root) and model.rowCount(root) == 1
    customers = model.index(0, 0, root)
    assert _row(model, customers) == ("customers", "[200 000 items]", "array")
    assert model.rowCount(customers) == 200  # groups of 1 000, counted without creating them
    assert model.node_count == 2
    last = model.index(199, 0, customers)
    assert _row(model, last) == ("[199000 … 199999]", "1 000 items", "group")
    assert model.rowCount(last) == 1000
    record = model.index(999, 0, last)
    assert _row(model, record) == ("[199999]", "{3 keys}", "object")
    assert model.location(record) == ("customers", 199_999)
    assert model.node_count == 4  # only what was asked for
    deep = model.index_for_location(("customers", 123_456, "field2"))
    assert model.data(deep.siblingAtColumn(1)) == '"value 123456.2"'
    assert model.node_count == 7


def test_a_view_expanding_20_000_records_creates_only_the_expanded_rows_h038(qtbot: QtBot) -> None:
    """H038: 20 000 objects of 10 string fields: the tree opens at once and expands lazily."""
    model = _model(_records(20_000))
    view = QTreeView()
    qtbot.addWidget(view)
    view.setUniformRowHeights(True)
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    root = model.index(0, 0)
    view.expand(root)
    customers = model.index(0, 0, root)
    view.expand(customers)
    qtbot.waitUntil(lambda: model.rowCount(customers) == 20 and view.isExpanded(customers))
    groups_only = model.node_count
    assert groups_only <= 2 + 20
    group = model.index(7, 0, customers)
    view.expand(group)
    view.scrollTo(model.index(500, 0, group))
    qtbot.waitUntil(lambda: view.visualRect(model.index(500, 0, group)).isValid())
    assert model.node_count <= groups_only + 1000  # one group's records, not their fields
    record = model.index(500, 0, group)
    view.expand(record)
    assert model.rowCount(record) == 10
    assert model.data(model.index(9, 1, record)) == '"value 7500.9"'
    assert model.node_count <= groups_only + 1010
