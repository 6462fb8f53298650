"""The generated mapping code (designer.core.mapping_fast) against the engine's general path.

The generated code is a third extractor beside the compiled paths and jsonpath-ng ``find``: it
must give every record exactly what the general per-field code gives it (same values in the
same order and of the same types, same Customer with the same fields set, same diagnostics), and
leave to the general path every record it cannot map that way. Hypothesis generates the specs
and the records; a few fixed cases make sure the fast path is really taken.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from designer.core.config import FieldMapping, ResponseSpec, Transform
from designer.core.customer import CUSTOMER_FIELDS, Customer
from designer.core.jsonio import NonStandardNumber, loads_exact
from designer.core.mapping import CompiledSpec, compile_spec
from designer.core.model_types import RecordResult


def general(compiled: CompiledSpec) -> CompiledSpec:
    """The same compiled spec with no generated code: every field by the general path."""
    return dataclasses.replace(compiled, fast=None, fast_records=None)


def fields_only(compiled: CompiledSpec) -> CompiledSpec:
    """The same compiled spec with only the field-by-field generated code."""
    return dataclasses.replace(compiled, fast_records=None)


def exact(value: Any) -> Any:
    """A comparable form that also tells 1 from Decimal(1) from "1" and Decimal("1.0") from 1.00."""
    if isinstance(value, Customer):
        return ("Customer", sorted(value.model_fields_set), exact(value.model_dump()))
    if isinstance(value, dict):
        return ("dict", [(key, exact(item)) for key, item in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [exact(item) for item in value])
    if isinstance(value, int) and not isinstance(value, bool):
        return ("int", hex(value))  # repr() refuses more than 4300 digits
    return (type(value).__name__, repr(value))


def outcome(result: RecordResult) -> Any:
    return (result.index, exact(result.customer), exact(result.values), result.diagnostics)


def assert_same(spec: ResponseSpec, records: list[Any]) -> list[RecordResult]:
    compiled = compile_spec(spec)
    fast = compiled.map_records(records, 3)
    expected = [outcome(r) for r in general(compiled).map_records(records, 3)]
    assert [outcome(r) for r in fast] == expected
    assert [outcome(r) for r in fields_only(compiled).map_records(records, 3)] == expected
    for position, record in enumerate(records):
        assert outcome(compiled.map_record(record, 3 + position)) == expected[position]
    return fast


# ----------------------------------------------------------------------------- fixed cases

ADDRESS = {"default": True, "street": "Bispegade 12", "zip": 8000, "city": "Århus", "country": "DK"}
RECORD = {
    "customerNo": 9_007_199_254_740_993,
    "first_name": "Åse",
    "last_name": "Ærø",
    "e-mail": "aase@example.dk",
    "phone numbers": ["+45 20000000"],
    "addresses": [ADDRESS],
    "account": {"id": "GC-1", "balance": Decimal("12.50")},
}
SPEC = ResponseSpec(
    records_path="$.customers[*]",
    fields={
        "identifier": FieldMapping(paths=["$.customerNo"]),
        "name": FieldMapping(paths=["$.first_name", "$.last_name"]),
        "street": FieldMapping(paths=["$.addresses[0].street"]),
        "city": FieldMapping(paths=["$.addresses[0].city"]),
        "postal_code": FieldMapping(paths=["$.addresses[0].zip"]),
        "country_code": FieldMapping(paths=["$.addresses[0].country"]),
        "phone": FieldMapping(paths=["$['phone numbers'][0]"]),
        "email": FieldMapping(paths=["$['e-mail']"]),
        "balance.identifier": FieldMapping(paths=["$.account.id"]),
        "balance.balance": FieldMapping(paths=["$.account.balance"]),
    },
)


def variant(**changes: Any) -> dict[str, Any]:
    record = dict(RECORD)
    for key, value in changes.items():
        if value is KeyError:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def test_clean_records_take_the_generated_path_and_give_what_the_general_path_gives() -> None:
    compiled = compile_spec(SPEC)
    assert compiled.fast_records is not None
    records = [RECORD, variant(customerNo="A-1"), variant(account={"id": "GC-2", "balance": 7})]
    _, misses = compiled.fast_records(records, 0)
    assert misses == []
    results = assert_same(SPEC, records)
    assert results[0].values == {
        "identifier": "9007199254740993",
        "name": "Åse Ærø",
        "street": "Bispegade 12",
        "city": "Århus",
        "postal_code": "8000",
        "country_code": "DK",
        "phone": "+45 20000000",
        "email": "aase@example.dk",
        "balance.identifier": "GC-1",
        "balance.balance": Decimal("12.50"),
    }
    assert results[2].customer is not None and results[2].customer.balance is not None
    assert type(results[2].customer.balance.balance) is Decimal


def test_optional_fields_without_a_value_stay_on_the_generated_path() -> None:
    records = [
        variant(**{"e-mail": None}),
        variant(**{"e-mail": KeyError}),
        variant(**{"e-mail": "   "}),
        variant(**{"phone numbers": []}),
        variant(account={"id": None, "balance": None}),
        variant(addresses=[{"street": "Lagervej 1"}]),
    ]
    _, misses = compile_spec(SPEC).fast_records(records, 0)  # type: ignore[misc]
    assert misses == []
    results = assert_same(SPEC, records)
    assert "email" not in results[0].values and "email" not in results[1].values
    assert results[4].customer is not None and results[4].customer.balance is None


def test_records_that_need_explaining_go_the_general_way() -> None:
    explained = [
        variant(customerNo=None),
        variant(customerNo=10**5000),
        variant(first_name=["Åse"]),
        variant(addresses=[{**ADDRESS, "country": "dk"}]),
        variant(addresses="Bispegade 12"),
        variant(account={"id": "GC-1", "balance": Decimal("NaN")}),
        variant(account={"id": "GC-1", "balance": Decimal("1E+999999")}),
        variant(account={"id": "GC-1", "balance": NonStandardNumber("Infinity")}),
        variant(account={"id": "GC-1"}),
        variant(account={"id": "GC-1", "balance": None}),
        variant(customerNo="A\ud800"),  # not Unicode: pydantic refuses it, the general path explains
        ["not", "an", "object"],
    ]
    unusual = [  # the general path maps these without a word; the generated code leaves them to it
        variant(customerNo=True),
        variant(addresses=[]),
        variant(account={"id": "GC-1", "balance": "12.50"}),
        variant(account=defaultdict(lambda: "answer", {"id": "GC-1"})),  # not a JSON object
        None,
    ]
    records = explained + unusual
    _, misses = compile_spec(SPEC).fast_records(records, 0)  # type: ignore[misc]
    assert misses == list(range(len(records)))
    results = assert_same(SPEC, records)
    assert all(r.diagnostics for r in results[: len(explained)])
    assert results[len(explained)].values["identifier"] == "true"


def test_fields_read_twice_and_transformed_once_do_not_affect_each_other() -> None:
    spec = ResponseSpec(
        fields={
            "identifier": FieldMapping(paths=["$.id"]),
            "name": FieldMapping(paths=["$.name"], transforms=[Transform(name="upper")]),
            "additional_info": FieldMapping(paths=["$.name"]),
        }
    )
    (result,) = assert_same(spec, [{"id": 1, "name": " åse "}])
    assert result.values == {"identifier": "1", "name": " ÅSE ", "additional_info": " åse "}


def test_a_separator_with_braces_quotes_and_escapes_is_joined_verbatim() -> None:
    for separator in ["{0}", "'\"\\n", "\n", "}{", "\\N{DASH}", "\\", "{{", "\x00", "\ud800"]:
        spec = ResponseSpec(
            fields={
                "identifier": FieldMapping(paths=["$.id"]),
                "name": FieldMapping(paths=["$.a", "$.b"], separator=separator),
            }
        )
        (result,) = assert_same(spec, [{"id": "1", "a": "x", "b": "y"}])
        assert result.values["name"] == f"x{separator}y"


def test_the_benchmark_response_maps_the_same_both_ways() -> None:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "synthetic.py"
    loader = importlib.util.spec_from_file_location("benchmark_synthetic", path)
    assert loader is not None and loader.loader is not None
    synthetic = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(synthetic)
    document = loads_exact(synthetic.response_text(50))
    compiled = compile_spec(SPEC)
    records, _ = compiled.select_records(document)
    _, misses = compiled.fast_records(records, 0)  # type: ignore[misc]
    assert misses == []
    assert_same(SPEC, records)


# ----------------------------------------------------------------------------- generated cases

KEYS = ["a", "b", "a b", "e-mail", "0"]
keys = st.sampled_from(KEYS)
steps = st.one_of(keys, keys, st.integers(-2, 2))
path_keys = st.tuples(keys, st.lists(steps, max_size=2)).map(lambda t: (t[0], *t[1]))


def _path(parts: tuple[str | int, ...]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f"['{p}']" for p in parts)


paths = path_keys.map(_path) | st.sampled_from(["$.a[*]", "$..b", "$.a[?(@.b == 1)]", "$", "$.a.b"])
transforms = st.lists(
    st.sampled_from(["trim", "upper", "lower", "trim", "upper", "to_string"]).map(
        lambda name: Transform(name=name)
    ),
    max_size=2,
)
mappings = st.builds(
    FieldMapping,
    paths=st.lists(paths, min_size=1, max_size=2),
    combine=st.sampled_from(["join", "join", "first"]),
    separator=st.sampled_from([" ", ", ", "{}", "'\\\""]),
    default=st.none() | st.none() | st.sampled_from(["x", " ", "", "12.5", "dk"]),
    transforms=transforms | st.just([]),
)
specs = st.builds(
    ResponseSpec,
    fields=st.dictionaries(st.sampled_from(CUSTOMER_FIELDS), mappings, max_size=6).map(
        lambda fields: {"identifier": FieldMapping(paths=["$.a"]), **fields}
    ),
)
simple_mappings = st.builds(
    FieldMapping,
    paths=st.lists(path_keys.map(_path), min_size=1, max_size=2),
    separator=st.sampled_from([" ", "{}"]),
    default=st.none() | st.none() | st.sampled_from(["x", " "]),
    transforms=st.lists(
        st.sampled_from(["trim", "upper"]).map(lambda name: Transform(name=name)), max_size=1
    ),
)
simple_specs = st.builds(
    ResponseSpec,
    fields=st.dictionaries(st.sampled_from(CUSTOMER_FIELDS), simple_mappings, max_size=8).map(
        lambda fields: {"identifier": FieldMapping(paths=["$.a"]), **fields}
    ),
)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([2**64, -(2**70)]),
    st.sampled_from([4299, 4300]).map(lambda digits: 10**digits),  # 4300 digits: the most written out
    st.sampled_from(["", " ", "x", " x ", "DK", "dk", "Ærø", "\xa0", "\x1c", "a\ud800", "12.5", "1e3"]),
    st.sampled_from(["0.10", "-0", "NaN", "Infinity", "1E+999999", "1e-5"]).map(Decimal),
    st.just(NonStandardNumber("NaN")),
)
values = st.recursive(
    leaves,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children, max_size=4),
    max_leaves=12,
)
records = st.dictionaries(keys, values, max_size=5) | values


@settings(max_examples=300, deadline=None)
@given(specs, st.lists(records, max_size=4))
def test_hypothesis_generated_code_equals_the_general_path(spec: ResponseSpec, batch: list[Any]) -> None:
    assert_same(spec, batch)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({}, optional={k: values for k in RECORD}), max_size=4))
def test_hypothesis_benchmark_spec_on_records_of_any_shape(batch: list[dict[str, Any]]) -> None:
    assert_same(SPEC, [{**RECORD, **record} for record in batch] + batch)


good_leaves = st.one_of(
    st.sampled_from(["x", "Ærø", " y ", "DK", "12.5"]),
    st.integers(-(10**20), 10**20),
    st.sampled_from(["0.10", "-1.5", "7"]).map(Decimal),
)


def _place(record: dict[str, Any], keys: tuple[str | int, ...], leaf: Any) -> None:
    """Put ``leaf`` at ``keys`` in ``record``, making the objects and lists on the way."""
    node: Any = record
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        make: Any = leaf if last else ([] if isinstance(keys[depth + 1], int) else {})
        if isinstance(key, str):
            if not isinstance(node, dict):
                return
            if last or key not in node:
                node[key] = make
            node = node[key]
        else:
            if not isinstance(node, list):
                return
            while len(node) < (key + 1 if key >= 0 else -key):
                node.append(make if last else ([] if isinstance(make, list) else {}))
            if last:
                node[key] = leaf
            node = node[key]


@settings(max_examples=300, deadline=None)
@given(specs | simple_specs, st.data())
def test_hypothesis_records_shaped_like_the_spec_map_the_same_both_ways(
    spec: ResponseSpec, data: st.DataObject
) -> None:
    compiled = compile_spec(spec)
    batch: list[Any] = []
    for _ in range(data.draw(st.integers(1, 4))):
        record: dict[str, Any] = {}
        for plan in compiled.plans:
            for path in plan.paths:
                if path.keys:
                    _place(record, path.keys, data.draw(good_leaves | good_leaves | leaves))
        batch.append(record)
    assert_same(spec, batch)
