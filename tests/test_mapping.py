"""The mapping engine: records, fields, combine, transforms, conversions, diagnostics."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from designer.core.config import FieldMapping, ResponseSpec, Transform
from designer.core.customer import customers_to_json
from designer.core.jsonio import NonStandardNumber, loads_exact
from designer.core.mapping import compile_spec, map_document, map_record, select_records
from designer.core.model_types import Diagnostic, MappingResult


def spec(records_path: str = "$.customers[*]", **fields: Any) -> ResponseSpec:
    mappings = {}
    for name, value in fields.items():
        key = name.replace("__", ".")
        mappings[key] = value if isinstance(value, FieldMapping) else FieldMapping(paths=[value])
    return ResponseSpec(records_path=records_path, fields=mappings)


def codes(result: MappingResult) -> list[tuple[str, int | None, str | None]]:
    return [(d.code, d.record, d.field) for d in result.diagnostics]


# ----------------------------------------------------------------------------- records


def test_wrapped_list() -> None:
    doc = {"customers": [{"id": "K1"}, {"id": "K2"}]}
    result = map_document(spec(identifier="$.id"), doc)
    assert [c.identifier for c in result.customers] == ["K1", "K2"]
    assert result.diagnostics == ()


@pytest.mark.parametrize("records_path", ["$", "$[*]"])
def test_top_level_list(records_path: str) -> None:
    doc = [{"id": "K1"}, {"id": "K2"}]
    result = map_document(spec(records_path, identifier="$.id"), doc)
    assert [c.identifier for c in result.customers] == ["K1", "K2"]


def test_path_to_a_list_without_wildcard_means_its_elements() -> None:
    doc = {"value": [{"id": "K1"}, {"id": "K2"}]}
    records, diagnostics = select_records(spec("$.value"), doc)
    assert records == doc["value"] and diagnostics == []


def test_single_object_is_one_record_unless_switched_off() -> None:
    doc = {"id": "K77", "name": "Bo Holm"}
    result = map_document(spec("$", identifier="$.id", name="$.name"), doc)
    assert [(c.identifier, c.name) for c in result.customers] == [("K77", "Bo Holm")]
    off = spec("$", identifier="$.id").model_copy(update={"single_object_is_record": False})
    records, diagnostics = select_records(off, doc)
    assert records == [] and [d.code for d in diagnostics] == ["single_object"]


def test_null_body_is_zero_records() -> None:
    records, diagnostics = select_records(spec(), None)
    assert records == []
    assert [(d.code, d.severity) for d in diagnostics] == [("body_null", "warning")]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (True, "body is a boolean, no customer list"),
        (12, "body is a number, no customer list"),
        ("x", "body is a string, no customer list"),
        (NonStandardNumber("NaN"), "body is a non-standard number (NaN), no customer list"),
    ],
)
def test_scalar_body(body: Any, message: str) -> None:
    result = map_document(spec("$", identifier="$.id"), body)
    assert result.customers == ()
    assert [d.message for d in result.diagnostics] == [message]
    assert not result.ok


def test_records_path_matching_nothing_warns() -> None:
    result = map_document(spec("$.results[*]", identifier="$.id"), {"customers": []})
    assert result.customers == ()
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "records_nothing" and diagnostic.severity == "warning"
    assert "$.results[*] matched nothing" in diagnostic.message


def test_records_path_type_mismatch_is_explained() -> None:
    records, diagnostics = select_records(spec("$.customers[0]"), {"customers": {"id": "K1"}})
    assert records == []
    assert "$['customers'] is an object, expected a list" in diagnostics[0].message


def test_empty_list_is_a_quiet_no_match() -> None:
    result = map_document(spec(identifier="$.id"), {"customers": []})
    assert result.customers == () and result.diagnostics == () and result.ok


def test_invalid_records_path_is_a_diagnostic() -> None:
    result = map_document(spec("$.customers[", identifier="$.id"), {"customers": []})
    assert [(d.code, d.record, d.field) for d in result.diagnostics] == [("path_invalid", None, None)]
    assert "records path: invalid JSONPath" in result.diagnostics[0].message


# ----------------------------------------------------------------------------- fields


def test_numbers_become_exact_text_and_booleans_true_false() -> None:
    doc = loads_exact('[{"id": 1001, "zip": 8000, "vip": true, "note": 1.50, "big": 12345678901234567891}]')
    s = spec("$", identifier="$.big", postal_code="$.zip", additional_info="$.vip", phone="$.note")
    (customer,) = map_document(s, doc).customers
    assert customer.identifier == "12345678901234567891"
    assert customer.postal_code == "8000"
    assert customer.additional_info == "true"
    assert customer.phone == "1.50"


def test_object_for_text_field_is_a_diagnostic() -> None:
    doc = [{"id": "K1", "address": {"city": "Århus"}, "tags": ["a"]}]
    result = map_document(spec("$", identifier="$.id", city="$.address", additional_info="$.tags"), doc)
    (customer,) = result.customers
    assert customer.city is None and customer.additional_info is None
    messages = {d.field: d.message for d in result.diagnostics}
    assert messages["city"] == "$.address is an object, expected a value"
    assert messages["additional_info"] == "$.tags is a list, expected a value"


def test_several_values_where_one_was_expected() -> None:
    doc = [{"id": "K1", "phones": ["1", "2"]}]
    result = map_document(spec("$", identifier="$.id", phone="$.phones[*]"), doc)
    assert result.customers[0].phone is None
    (d,) = result.diagnostics
    assert (d.code, d.field, d.record) == ("several_values", "phone", 0)
    assert "2 values" in d.message


def test_several_values_with_first_non_empty_or_combine_first() -> None:
    doc = [{"id": "K1", "phones": ["", None, "+45 1234", "2"]}]
    with_transform = FieldMapping(paths=["$.phones[*]"], transforms=[Transform(name="first_non_empty")])
    with_combine = FieldMapping(paths=["$.phones[*]"], combine="first")
    for mapping in (with_transform, with_combine):
        result = map_document(spec("$", identifier="$.id", phone=mapping), doc)
        assert result.customers[0].phone == "+45 1234" and result.diagnostics == ()


def test_join_skips_empty_parts() -> None:
    name = FieldMapping(paths=["$.first", "$.middle", "$.last"], separator=" ")
    doc = [{"id": "K1", "first": "Ada", "middle": "", "last": "Jensen"}, {"id": "K2", "last": "Holm"}]
    result = map_document(spec("$", identifier="$.id", name=name), doc)
    assert [c.name for c in result.customers] == ["Ada Jensen", "Holm"]


def test_first_of_several_paths() -> None:
    phone = FieldMapping(paths=["$.mobile", "$.phone"], combine="first")
    doc = [{"id": "K1", "mobile": "", "phone": "1"}, {"id": "K2", "mobile": "2", "phone": "1"}]
    assert [c.phone for c in map_document(spec("$", identifier="$.id", phone=phone), doc).customers] == [
        "1",
        "2",
    ]


def test_default_when_nothing_found() -> None:
    country = FieldMapping(paths=["$.country"], default="Danmark")
    doc = [{"id": "K1"}, {"id": "K2", "country": ""}, {"id": "K3", "country": "Sverige"}]
    result = map_document(spec("$", identifier="$.id", country=country), doc)
    assert [c.country for c in result.customers] == ["Danmark", "Danmark", "Sverige"]
    constant = FieldMapping(default="DK")
    result = map_document(spec("$", identifier="$.id", country_code=constant), doc)
    assert {c.country_code for c in result.customers} == {"DK"}


def test_transforms_in_order() -> None:
    code = FieldMapping(paths=["$.cc"], transforms=[Transform(name="trim"), Transform(name="upper")])
    result = map_document(spec("$", identifier="$.id", country_code=code), [{"id": "K1", "cc": " dk "}])
    assert result.customers[0].country_code == "DK" and result.diagnostics == ()


def test_transform_failure_is_a_field_diagnostic() -> None:
    balance = FieldMapping(paths=["$.bal"], transforms=[Transform(name="parse_number")])
    doc = [{"id": "K1", "bal": "abc"}]
    result = map_document(
        spec("$", identifier="$.id", balance__identifier="$.id", balance__balance=balance), doc
    )
    (customer,) = result.customers
    assert customer.balance is None
    (d,) = result.diagnostics
    assert (d.code, d.field) == ("transform_failed", "balance.balance")
    assert d.message == 'parse_number: "abc" is not a number'


def test_empty_strings_are_omitted() -> None:
    result = map_document(spec("$", identifier="$.id", email="$.email"), [{"id": "K1", "email": ""}])
    assert result.customers[0].email is None
    assert '"email"' not in customers_to_json(list(result.customers))


# ----------------------------------------------------------------------------- identifier and balance


def test_missing_or_empty_identifier_invalidates_only_that_record() -> None:
    doc = [{"id": "K1"}, {"name": "x"}, {"id": ""}, {"id": "   "}, {"id": None}, {"id": "K6"}]
    result = map_document(spec("$", identifier="$.id"), doc)
    assert [c.identifier for c in result.customers] == ["K1", "K6"]
    assert [r.customer is None for r in result.records] == [False, True, True, True, True, False]
    assert codes(result) == [("identifier_missing", i, "identifier") for i in (1, 2, 3, 4)]
    assert result.ok


def test_balance_needs_both_parts() -> None:
    s = spec("$", identifier="$.id", balance__identifier="$.card", balance__balance="$.amount")
    doc = loads_exact(
        '[{"id":"K1","card":"GC-1","amount":12.50},{"id":"K2","card":"GC-2"},{"id":"K3","amount":1},{"id":"K4"}]'
    )
    result = map_document(s, doc)
    balances = [c.balance for c in result.customers]
    assert balances[0] is not None and balances[0].balance == Decimal("12.50")
    assert balances[1:] == [None, None, None]
    assert codes(result) == [
        ("balance_incomplete", 1, "balance.balance"),
        ("balance_incomplete", 2, "balance.identifier"),
    ]
    assert all(d.severity == "warning" for d in result.diagnostics)
    assert '"balance": 12.50' in customers_to_json(list(result.customers))


def test_balance_number_rules() -> None:
    s = spec("$", identifier="$.id", balance__identifier="$.id", balance__balance="$.amount")
    doc = [
        {"id": "K1", "amount": "12.50"},
        {"id": "K2", "amount": "1.234,50"},
        {"id": "K3", "amount": True},
        {"id": "K4", "amount": 7},
    ]
    result = map_document(s, doc)
    amounts = [c.balance.balance if c.balance else None for c in result.customers]
    assert amounts == [Decimal("12.50"), None, None, Decimal(7)]
    messages = {d.record: d.message for d in result.diagnostics if d.code == "not_a_number"}
    assert "add the parse_number transform" in messages[1]
    assert messages[2] == "true is a boolean, expected a number"


def test_country_code_not_alpha2_is_a_warning() -> None:
    doc = [
        {"id": "K1", "cc": "Denmark"},
        {"id": "K2", "cc": "dnk"},
        {"id": "K3", "cc": "DK"},
        {"id": "K4", "cc": "dk"},
    ]
    result = map_document(spec("$", identifier="$.id", country_code="$.cc"), doc)
    assert len(result.customers) == 4  # a warning keeps the value
    warnings = {d.record: d for d in result.diagnostics}
    assert set(warnings) == {0, 1, 3}
    assert all(d.severity == "warning" and d.code == "country_code" for d in warnings.values())
    assert "add the upper transform" in warnings[3].message


# ----------------------------------------------------------------------------- invalid paths


def test_invalid_field_path_is_reported_once_and_other_fields_still_map() -> None:
    s = spec("$", identifier="$.id", name="$.first name", email="$.email")
    doc = [{"id": "K1", "email": "a@example.com"}, {"id": "K2"}]
    result = map_document(s, doc)
    assert [c.email for c in result.customers] == ["a@example.com", None]
    assert codes(result) == [("path_invalid", None, "name")]
    single = map_record(s, doc[0], 0)
    assert [(d.code, d.record, d.field) for d in single.diagnostics] == [("path_invalid", 0, "name")]


def test_invalid_identifier_path_explains_every_record() -> None:
    result = map_document(spec("$", identifier="$.i d"), [{"id": "K1"}])
    assert result.customers == ()
    assert [(d.code, d.record) for d in result.diagnostics] == [
        ("path_invalid", None),
        ("path_invalid", 0),
        ("record_invalid", 0),
    ]


# ----------------------------------------------------------------------------- compiled specs


def test_compile_spec_is_cached_by_content() -> None:
    a = spec(identifier="$.id")
    b = spec(identifier="$.id")
    assert compile_spec(a) is compile_spec(b)
    a.fields["identifier"].paths = ["$.no"]
    assert compile_spec(a) is not compile_spec(b)
    assert compile_spec(a).plans[0].paths[0].expression == "$.no"


def test_chunked_mapping_equals_whole_mapping() -> None:
    doc = {"customers": [{"id": f"K{i}", "name": f"N{i}"} if i % 7 else {"name": "x"} for i in range(50)]}
    s = spec(identifier="$.id", name="$.name")
    whole = map_document(s, doc)
    compiled = compile_spec(s)
    records, _ = compiled.select_records(doc)
    chunks = compiled.map_records(records[:20]) + compiled.map_records(records[20:], start=20)
    assert tuple(chunks) == whole.records
    assert [r.index for r in chunks] == list(range(50))


def test_mapping_does_not_modify_the_document() -> None:
    doc = loads_exact('{"customers":[{"id":1,"name":" Ada ","bal":"1,5"}]}')
    before = repr(doc)
    name = FieldMapping(paths=["$.name"], transforms=[Transform(name="trim")])
    bal = FieldMapping(paths=["$.bal"], transforms=[Transform(name="parse_number")])
    s = spec(identifier="$.id", name=name, balance__identifier="$.id", balance__balance=bal)
    first = map_document(s, doc)
    assert repr(doc) == before
    assert map_document(s, doc) == first


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
    | st.sampled_from([NonStandardNumber("NaN"), NonStandardNumber("Infinity")]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "name", "customers", "bal", "cc", "x"]), children, max_size=5
        )
    ),
    max_leaves=30,
)
ANY_SPEC = spec(
    "$.customers[*]",
    identifier="$.id",
    name=FieldMapping(paths=["$.name", "$.x"], transforms=[Transform(name="trim")]),
    country_code=FieldMapping(paths=["$.cc"], transforms=[Transform(name="upper")]),
    additional_info=FieldMapping(paths=["$..x"], combine="first"),
    email="$.x[?(@.name)]",
    balance__identifier="$.id",
    balance__balance=FieldMapping(paths=["$.bal"], transforms=[Transform(name="parse_number")]),
)


@given(json_values)
def test_hypothesis_any_json_maps_to_customers_or_diagnostics(doc: Any) -> None:
    for s in (ANY_SPEC, ANY_SPEC.model_copy(update={"records_path": "$"})):
        result = map_document(s, doc)
        assert all(isinstance(d, Diagnostic) and d.message for d in result.diagnostics)
        for record in result.records:
            if record.customer is None:
                assert any(d.field == "identifier" for d in record.diagnostics)
            else:
                assert record.customer.identifier.strip()
        customers_to_json(list(result.customers))  # always serialisable as strict JSON
