"""JSONPath layer: parsing and errors, normalized paths, the compiled extractor, suggestions."""

from __future__ import annotations

import importlib.util
import json
import re
import warnings
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shared_data import ROOT, shared_path

from designer.core.errors import ConfigError
from designer.core.jsonio import NonStandardNumber, loads_exact
from designer.core.jsonpath import (
    PathError,
    compile_path,
    find_records,
    normalized_path,
    path_problem,
    record_path_candidates,
    suggest_mapping,
)

# ----------------------------------------------------------------------------- helpers


def reference_find(expr: str, data: Any) -> list[Any]:
    """jsonpath-ng 1.16 ``find`` on the same parse tree, an exception counting as no match."""
    tree = compile_path(expr).tree
    try:
        return [m.value for m in tree.find(data)]
    except Exception:
        return []


def same_nodes(left: list[Any], right: list[Any]) -> bool:
    """Equal and the very same objects, in the same order (not just equal values)."""
    return len(left) == len(right) and all(a is b or a == b for a, b in zip(left, right, strict=True))


def all_locations(doc: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], Any]]:
    out = [(prefix, doc)]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out.extend(all_locations(value, (*prefix, key)))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            out.extend(all_locations(value, (*prefix, index)))
    return out


# ----------------------------------------------------------------------------- parsing


def test_compiled_paths_are_cached() -> None:
    assert compile_path("$.customers[*]") is compile_path("$.customers[*]")


@pytest.mark.parametrize(
    ("expr", "fragment"),
    [
        ("$.Bopæl", "position 6"),
        ("$.first name", "position 9"),
        ("$[", "ends too early"),
        ("$.a[?(@.b ==", "ends too early"),
        ("", "empty"),
        ("   ", "empty"),
        ("$.a]", "unexpected"),
    ],
)
def test_invalid_paths_give_readable_messages(expr: str, fragment: str) -> None:
    with pytest.raises(PathError) as caught:
        compile_path(expr)
    error = caught.value
    assert isinstance(error, ConfigError)
    assert fragment in error.message
    assert "Traceback" not in error.message
    assert path_problem(expr) == error.message


def test_position_points_at_the_offending_character() -> None:
    with pytest.raises(PathError) as caught:
        compile_path("$.kunde.Bopæl")
    assert caught.value.position == len("$.kunde.Bop")
    assert "must be quoted" in caught.value.message


def test_valid_paths_have_no_problem() -> None:
    for expr in ["$", "$.a", "$['a b'][0]", "$.a[?(@.default == true)].street", "$..name", "$.a[-1:]"]:
        assert path_problem(expr) is None


def test_deprecated_syntax_parses_without_leaking_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compiled = compile_path("$.a[?(@.type == customer)]")
    assert compiled.notes and "deprecated" in compiled.notes[0]
    assert compiled.values({"a": [{"type": "customer"}, {"type": "x"}]}) == [{"type": "customer"}]


def test_arbitrary_text_never_raises_anything_but_path_error() -> None:
    for expr in ["$$$", "$[?(@", "`parent`", "$.a.`sub(/x/, y)`", "$[1:2:3:4]", "$['\\u12']", "\x00", "$.'"]:
        try:
            compiled = compile_path(expr)
        except PathError as error:
            assert error.message.startswith("invalid JSONPath") or "empty" in error.message
        else:
            assert isinstance(compiled.values({"a": [1]}), list)


@given(st.text(max_size=30))
def test_hypothesis_any_text_gives_path_or_path_error(expr: str) -> None:
    try:
        compiled = compile_path(expr)
    except PathError as error:
        assert error.message
    else:
        compiled.values({"a": [1, {"b": 2}]})
        compiled.locate({"a": [1, {"b": 2}]})


# ----------------------------------------------------------------------------- normalized paths


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ((), "$"),
        (("a", 0, "b c"), "$['a'][0]['b c']"),
        (("kunde.nr",), "$['kunde.nr']"),
        (("it's",), "$['it\\'s']"),
        (("back\\slash",), "$['back\\\\slash']"),
        (("",), "$['']"),
        (("$", "@", "*", "[0]"), "$['$']['@']['*']['[0]']"),
        (("Bopæl", "☺"), "$['Bopæl']['☺']"),
        (("a\nb\t\x00\x1f\x7f",), "$['a\\nb\\t\\u0000\\u001f\x7f']"),
        (("\b\f\r\x0b",), "$['\\b\\f\\r\\u000b']"),
        (('"',), "$['\"']"),
    ],
)
def test_normalized_path_rfc9535_form(location: tuple[str | int, ...], expected: str) -> None:
    assert normalized_path(location) == expected


def test_normalized_path_refuses_negative_and_odd_keys() -> None:
    with pytest.raises(ValueError):
        normalized_path([-1])
    with pytest.raises(TypeError):
        normalized_path([True])


json_keys = st.text(max_size=6) | st.sampled_from(
    ["a", "a b", "kunde.nr", "$", "@", "*", "'", "\\", "", "\n"]
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3)
    | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(json_keys, children, max_size=4),
    max_leaves=25,
)


@given(json_values)
def test_hypothesis_normalized_path_selects_exactly_that_node(doc: Any) -> None:
    for location, node in all_locations(doc):
        compiled = compile_path(normalized_path(location))
        found = compiled.values(doc)
        assert len(found) == 1 and found[0] is node, (location, found)
        assert compiled.locate(doc) == [(location, node)]
        assert compiled.native


# ----------------------------------------------------------------------------- compiled extractor

CORPUS_PATHS = [
    "$",
    "@",
    "a",
    "$.a",
    "$['a']",
    "$.a.b",
    "$.a.b.c",
    "$['a','b']",
    "$['a','a']",
    "$[0]",
    "$[-1]",
    "$[0,1]",
    "$[1,0,-1]",
    "$[5]",
    "$.a[0]",
    "$.a[-2]",
    "$.a[*]",
    "$.a.*",
    "$.*",
    "$[*]",
    "$[*][*]",
    "$.*.*",
    "$[*].b",
    "$.a[*].b",
    "$.a[1:]",
    "$.a[:2]",
    "$.a[-2:]",
    "$.a[::-1]",
    "$.a[::2]",
    "$.a[1:3:0]",
    "$[:]",
    "$..b",
    "$..*",
    "$..[0]",
    "$.a..b",
    "$..a.b",
    "$..a[*]",
    "$..[*]",
    "$.a[?(@.b)]",
    "$.a[?(@.b == 1)]",
    "$.a[?(@.b > 1)].c",
    "$.a[?(@ == 2)]",
    "$[?(@.default == true)].street",
    "$..[?(@.b == 1)]",
    "$.a[?(@.b == $.c)]",
    "$.a[?(@.b == 1 || @.c == 'x')]",
    "$.a[?(@.b && !@.c)]",
    "$.a.`len`",
    "$.*.`parent`",
    "$.a.`this`",
    "$.a | $.b",
    "$.a[/b]",
    "$.a[\\b]",
    "$.a.`keys`",
    "$['a b']",
    "$['a b'][0]",
    "$['a b'][*].c",
    "$['e-mail']",
    "$.a['a b']",
    "$..['a b']",
]

CORPUS_DOCS: list[Any] = [
    None,
    True,
    0,
    "text",
    [],
    {},
    [1, 2, 3],
    {"a": [1, 2, 3], "b": 1, "c": "x"},
    {"a": {"b": {"c": 1}}, "c": 2},
    {"a": [{"b": 1, "c": "x"}, {"b": 2}, {"c": "y"}, 3, [4]], "c": 1},
    {"a": "string", "b": [True, None]},
    [{"a": {"b": 1}}, {"a": [{"b": 2}]}, {"b": 3}],
    [{"default": False, "street": "A"}, {"default": True, "street": "B"}],
    {"a": {"0": "zero", "b": [{"b": 1}]}, "b": {"b": {"b": 1}}},
    {"a": [[1, 2], [3]], "b": {}},
    {"a": [{"b": Decimal("1.5")}, {"b": 12345678901234567891}, {"b": NonStandardNumber("NaN")}]},
    {"a b": [{"c": 1}, "x"], "e-mail": "k@example.dk", "a": {"a b": {"a b": 2}}},
]


def _project_paths() -> list[str]:
    """Every path the samples and the benchmarks use (records paths and field paths)."""
    found: set[str] = set()
    for file in sorted((ROOT / "samples").glob("*.json")):
        response = json.loads(file.read_text(encoding="utf-8"))["response"]
        found.add(response["records_path"])
        found.update(p for mapping in response["fields"].values() for p in mapping["paths"])
    bench = (ROOT / "benchmarks" / "bench_mapping.py").read_text(encoding="utf-8")
    found.update(re.findall(r"\"(\$[^\"]*)\"", bench))
    found.update(f"$.customers[*]{p[1:]}" for p in list(found) if p.startswith("$."))
    return sorted(found)


def _synthetic_document() -> Any:
    path = ROOT / "benchmarks" / "synthetic.py"
    loader = importlib.util.spec_from_file_location("benchmark_synthetic", path)
    assert loader is not None and loader.loader is not None
    synthetic = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(synthetic)
    return loads_exact(synthetic.response_text(20))


PROJECT_DOCS: list[Any] = [_synthetic_document(), *_synthetic_document()["customers"][:5], *CORPUS_DOCS]


@pytest.mark.parametrize("expr", _project_paths())
def test_compiled_extractor_equals_jsonpath_ng_on_every_project_path(expr: str) -> None:
    compiled = compile_path(expr)
    for doc in PROJECT_DOCS:
        expected = reference_find(expr, doc)
        assert same_nodes(compiled.values(doc), expected), (expr, doc)
        assert same_nodes([v for _, v in compiled.locate(doc)], expected), (expr, doc)


@pytest.mark.parametrize("expr", CORPUS_PATHS)
def test_compiled_extractor_equals_jsonpath_ng_on_corpus(expr: str) -> None:
    compiled = compile_path(expr)
    for doc in CORPUS_DOCS:
        expected = reference_find(expr, doc)
        assert same_nodes(compiled.values(doc), expected), (expr, doc)
        located = compiled.locate(doc)
        assert same_nodes([v for _, v in located], expected), (expr, doc)


def test_simple_paths_are_compiled_and_context_paths_fall_back() -> None:
    for expr in ["$.a", "$.a[0].b", "$.a[*]", "$.a.*", "$.a[-1]", "$.a[1:]", "$..b", "$.a[?(@.b == 1)]"]:
        assert compile_path(expr).native, expr
    for expr in ["$.a[?(@.b == $.c)]", "$.*.`parent`", "$.a | $.b", "$.a.`len`"]:
        assert not compile_path(expr).native, expr


def test_locations_match_jsonpath_ng_full_paths() -> None:
    doc = {"a": [{"b": 1}, {"b": 2, "c": [5, 6]}], "d": {"e": "f"}}
    compiled = compile_path("$..*")
    expected = [tuple(p for p in loc) for loc, _ in all_locations(doc)[1:]]
    got = [loc for loc, _ in compiled.locate(doc)]
    assert sorted(map(str, got)) == sorted(map(str, expected))
    assert compile_path("$.a[-1].c[-2]").locate(doc) == [(("a", 1, "c", 0), 5)]


names = st.sampled_from(["a", "b", "c", "0", "a b"])
steps = st.one_of(
    names.map(lambda n: f"['{n}']"),
    names.map(lambda n: f".{n}" if n.isalpha() else f"['{n}']"),
    st.lists(names, min_size=2, max_size=3).map(lambda ns: "[" + ",".join(f"'{n}'" for n in ns) + "]"),
    st.integers(-3, 3).map(lambda i: f"[{i}]"),
    st.lists(st.integers(-3, 3), min_size=2, max_size=3).map(lambda ix: "[" + ",".join(map(str, ix)) + "]"),
    st.just("[*]"),
    st.just(".*"),
    st.tuples(
        st.none() | st.integers(-3, 3), st.none() | st.integers(-3, 3), st.none() | st.integers(-2, 2)
    ).map(lambda t: "[" + ":".join("" if x is None else str(x) for x in t) + "]"),
    names.map(lambda n: f"..{n}" if n.isalpha() else f"..['{n}']"),
    st.just("..*"),
    st.sampled_from(["[?(@.a)]", "[?(@.b == 1)]", "[?(@ > 1)]", "[?(@.a == 'x' || @.c)]", "[?(@.a == $.b)]"]),
)
paths = st.lists(steps, max_size=4).map(lambda parts: "$" + "".join(parts))
small_docs = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 3) | st.sampled_from(["x", "y", ""]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(names, children, max_size=4),
    max_leaves=20,
)


@given(paths, small_docs)
def test_hypothesis_compiled_extractor_equals_jsonpath_ng(expr: str, doc: Any) -> None:
    try:
        compiled = compile_path(expr)
    except PathError:
        return
    expected = reference_find(expr, doc)
    assert same_nodes(compiled.values(doc), expected)
    located = compiled.locate(doc)
    assert same_nodes([v for _, v in located], expected)
    for location, node in located:
        assert compile_path(normalized_path(location)).values(doc)[0] is node


# ----------------------------------------------------------------------------- pitfalls


def test_h001_dotted_member_name_is_bracket_quoted() -> None:
    doc = {"data": {"kunde.nr": "K-1001"}}
    suggestion = suggest_mapping(doc, ("data", "kunde.nr"))
    assert suggestion.records_path == "$"
    assert suggestion.field_path == "$['data']['kunde.nr']"
    assert compile_path(suggestion.field_path).values(doc) == ["K-1001"]
    assert compile_path("$.data.kunde.nr").values(doc) == []


def test_h002_non_ascii_names_are_quoted() -> None:
    doc = {"Bopæl": {"Postnr": "8000", "By": "Århus"}}
    suggestion = suggest_mapping(doc, ("Bopæl", "By"))
    assert suggestion.field_path == "$['Bopæl']['By']"
    assert compile_path(suggestion.field_path).values(doc) == ["Århus"]
    problem = path_problem("$.Bopæl.By")
    assert problem is not None and "$['Bopæl']" in problem


def test_h003_object_keyed_by_ids() -> None:
    doc = {"customers": {"1001": {"name": "Ada Jensen"}, "1002": {"name": "Bo Holm"}}}
    suggestion = suggest_mapping(doc, ("customers", "1001", "name"))
    assert suggestion.field_path == "$['customers']['1001']['name']"
    assert compile_path(suggestion.field_path).values(doc) == ["Ada Jensen"]
    candidates = record_path_candidates(doc, ("customers", "1001", "name"))
    members = [c for c in candidates if c.kind == "object members"]
    assert [(c.records_path, c.field_path, c.count) for c in members] == [
        ("$['customers'][*]", "$['name']", 2)
    ]
    # jsonpath-ng 1.16 walks object members with both wildcard spellings; an index does not.
    for records_path in ["$['customers'][*]", "$.customers.*", "$.customers[*]"]:
        records = find_records(compile_path(records_path), doc).records
        assert [r["name"] for r in records] == ["Ada Jensen", "Bo Holm"]
    assert compile_path("$.customers[1001].name").values(doc) == []
    chosen = suggest_mapping(doc, ("customers", "1002", "name"), records_path="$['customers'][*]")
    assert chosen.field_path == "$['name']"


def test_h007_index_on_a_string_selects_nothing() -> None:
    doc = {"id": "K1", "emails": "ada@example.com"}
    compiled = compile_path("$.emails[0]")
    assert compiled.values(doc) == []
    assert compiled.explain_miss(doc) == "$['emails'] is a string, expected a list"
    assert compile_path("$.emails[*]").values(doc) == []
    assert compile_path("$.emails[0:1]").values(doc) == []


def test_h008_filters_parse_with_the_extended_parser() -> None:
    doc = {
        "results": [
            {"type": "customer", "id": "K1", "name": "Ada Jensen"},
            {"type": "supplier", "id": "S9", "name": "Nordic Parts"},
        ]
    }
    compiled = compile_path("$.results[?(@.type == 'customer')]")
    assert [r["id"] for r in find_records(compiled, doc).records] == ["K1"]
    assert path_problem("$.results[?(@.type == 'customer')]") is None
    assert path_problem("$.results[?(@.type == ") is not None


def test_h041_index_over_a_bare_object_never_raises() -> None:
    case = json.loads(shared_path("pitfalls", "cases", "H041.json").read_text(encoding="utf-8"))
    path = compile_path(case["also_try_field_path_from_root"])
    assert path.values(case["response_one_hit"]) == []
    assert path.values(case["response_two_hits"]) == ["K1"]
    records = compile_path(case["list_path"])
    assert [r["id"] for r in find_records(records, case["response_two_hits"]).records] == ["K1", "K2"]
    one = find_records(records, case["response_one_hit"])
    assert [r["id"] for r in one.records] == ["K77"] and one.shape == "single"
    refused = find_records(records, case["response_one_hit"], single_object_is_record=False)
    assert refused.records == ["K77", "Bo Holm"]  # plain member wildcard when the user says so


def test_h019_big_integer_keeps_every_digit_through_paths() -> None:
    doc = loads_exact('{"customers":[{"customerNo":12345678901234567891}]}')
    assert compile_path("$.customers[0].customerNo").values(doc) == [12345678901234567891]


# ----------------------------------------------------------------------------- suggestions


def test_suggestion_uses_outermost_list_and_relative_field() -> None:
    doc = {"data": {"items": [{"id": 1, "addresses": [{"street": "A"}, {"street": "B"}]}]}}
    suggestion = suggest_mapping(doc, ("data", "items", 0, "addresses", 1, "street"))
    assert suggestion.records_path == "$['data']['items'][*]"
    assert suggestion.field_path == "$['addresses'][1]['street']"
    candidates = record_path_candidates(doc, ("data", "items", 0, "addresses", 1, "street"))
    assert [c.records_path for c in candidates] == [
        "$['data']['items'][*]",
        "$['data']['items'][*]['addresses'][*]",
        "$",
    ]
    assert [c.count for c in candidates] == [1, 2, 1]


def test_suggestion_for_the_record_itself_is_dollar() -> None:
    doc = [{"id": "K1"}, {"id": "K2"}]
    assert suggest_mapping(doc, (1,)) == suggest_mapping(doc, (0,))
    assert suggest_mapping(doc, (1,)).field_path == "$"
    assert suggest_mapping(doc, (1, "id")).records_path == "$[*]"
    assert suggest_mapping(doc, (1, "id"), records_path="$").field_path == "$['id']"


def test_suggestion_for_single_object_document() -> None:
    doc = {"id": "K77", "name": "Bo Holm"}
    assert suggest_mapping(doc, ("name",)).records_path == "$"
    assert suggest_mapping(doc, ("name",)).field_path == "$['name']"


def test_configured_records_path_is_respected_when_it_contains_the_node() -> None:
    doc = {"a": [{"x": {"y": 1}}], "b": {"z": 2}}
    assert suggest_mapping(doc, ("a", 0, "x", "y"), records_path="$.a[*].x").field_path == "$['y']"
    other = suggest_mapping(doc, ("b", "z"), records_path="$.a[*]")
    assert other.records_path == "$" and other.field_path == "$['b']['z']"
    broken = suggest_mapping(doc, ("a", 0, "x"), records_path="$[")
    assert broken.records_path == "$['a'][*]"
