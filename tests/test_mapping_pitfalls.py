"""Pitfall rows (../shared/pitfalls/README.md) in the JSONPath and mapping scope, end to end:
click a node -> suggested paths -> mapping -> Customer list as the POS receives it."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from shared_data import shared_path

from designer.core.config import FieldMapping, ResponseSpec
from designer.core.customer import customers_to_json
from designer.core.jsonio import ParseNotes, loads_exact
from designer.core.jsonpath import compile_path, path_problem, record_path_candidates, suggest_mapping
from designer.core.mapping import map_document


def spec(records_path: str, **paths: str) -> ResponseSpec:
    return ResponseSpec(
        records_path=records_path,
        fields={name.replace("__", "."): FieldMapping(paths=[p]) for name, p in paths.items()},
    )


def pos_output(records_path: str, document: Any, **paths: str) -> list[dict[str, Any]]:
    result = map_document(spec(records_path, **paths), document)
    output: list[dict[str, Any]] = json.loads(customers_to_json(list(result.customers)))
    return output


def test_h001_clicked_dotted_name_maps_to_identifier() -> None:
    doc = {"data": {"kunde.nr": "K-1001"}}
    suggestion = suggest_mapping(doc, ("data", "kunde.nr"))
    assert ".kunde.nr" not in suggestion.field_path
    assert pos_output(suggestion.records_path, doc, identifier=suggestion.field_path) == [
        {"identifier": "K-1001"}
    ]


def test_h002_clicked_non_ascii_name_maps_to_city() -> None:
    doc = {"Bopæl": {"Postnr": "8000", "By": "Århus"}}
    city = suggest_mapping(doc, ("Bopæl", "By"))
    postal = suggest_mapping(doc, ("Bopæl", "Postnr"))
    assert city.field_path == "$['Bopæl']['By']"
    result = pos_output("$", doc, identifier=postal.field_path, city=city.field_path)
    assert result == [{"identifier": "8000", "city": "Århus"}]


def test_h003_object_keyed_by_ids_gives_two_records() -> None:
    doc = {"customers": {"1001": {"name": "Ada Jensen"}, "1002": {"name": "Bo Holm"}}}
    assert compile_path(suggest_mapping(doc, ("customers", "1001", "name")).field_path).values(doc) == [
        "Ada Jensen"
    ]
    (choice,) = [c for c in record_path_candidates(doc, ("customers", "1001", "name")) if c.count == 2]
    assert pos_output(choice.records_path, doc, identifier=choice.field_path) == [
        {"identifier": "Ada Jensen"},
        {"identifier": "Bo Holm"},
    ]
    # the jsonpath-ng spellings the pitfall names select nothing, without error
    assert compile_path("$.customers[1001].name").values(doc) == []


def test_h007_index_on_a_string_leaves_email_empty_and_says_why() -> None:
    doc = {"id": "K1", "emails": "ada@example.com"}
    result = map_document(spec("$", identifier="$.id", email="$.emails[0]"), doc)
    (customer,) = result.customers
    assert customer.email is None
    (diagnostic,) = result.diagnostics
    assert diagnostic.field == "email" and diagnostic.severity == "warning"
    assert "emails'] is a string, expected a list" in diagnostic.message


def test_h008_filter_records_path_and_live_validation() -> None:
    doc = {
        "results": [
            {"type": "customer", "id": "K1", "name": "Ada Jensen"},
            {"type": "supplier", "id": "S9", "name": "Nordic Parts"},
        ]
    }
    records_path = "$.results[?(@.type == 'customer')]"
    assert path_problem(records_path) is None
    assert pos_output(records_path, doc, identifier="$.id", name="$.name") == [
        {"identifier": "K1", "name": "Ada Jensen"}
    ]
    assert path_problem("$.results[?(@.type == 'customer')") is not None


def test_h008_default_address_by_condition() -> None:
    doc = {
        "customers": [
            {
                "id": "K1",
                "addresses": [
                    {"default": False, "street": "Lagervej 1"},
                    {"default": True, "street": "Bispegade 2"},
                ],
            }
        ]
    }
    out = pos_output(
        "$.customers[*]", doc, identifier="$.id", street="$.addresses[?(@.default == true)].street"
    )
    assert out == [{"identifier": "K1", "street": "Bispegade 2"}]


def test_h010_each_field_relative_to_its_own_record() -> None:
    doc = {
        "customers": [
            {"id": "K1", "email": "a@example.com"},
            {"id": "K2"},
            {"id": "K3", "email": "c@example.com"},
        ]
    }
    assert pos_output("$.customers[*]", doc, identifier="$.id", email="$.email") == [
        {"identifier": "K1", "email": "a@example.com"},
        {"identifier": "K2"},
        {"identifier": "K3", "email": "c@example.com"},
    ]


def test_h019_long_integer_id_exact() -> None:
    doc = loads_exact('{"customers":[{"customerNo":12345678901234567891,"name":"Ada Jensen"}]}')
    out = pos_output("$.customers[*]", doc, identifier="$.customerNo", name="$.name")
    assert out == [{"identifier": "12345678901234567891", "name": "Ada Jensen"}]


def test_h022_nan_balance_is_omitted_with_a_diagnostic() -> None:
    notes = ParseNotes()
    doc = loads_exact('{"customers":[{"id":"K1","balance":{"identifier":"GC-1","balance":NaN}}]}', notes)
    assert notes.non_standard_constants == ["NaN"]
    s = spec(
        "$.customers[*]",
        identifier="$.id",
        balance__identifier="$.balance.identifier",
        balance__balance="$.balance.balance",
    )
    result = map_document(s, doc)
    (customer,) = result.customers
    assert customer.balance is None
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "non_standard_number" and diagnostic.field == "balance.balance"
    assert "NaN" in diagnostic.message
    text = customers_to_json(list(result.customers))
    assert "NaN" not in text
    json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))  # strict parse


def test_h023_top_level_array_and_scalar() -> None:
    assert pos_output("$[*]", loads_exact('[{"id":"K1","name":"Ada Jensen"}]'), identifier="$.id") == [
        {"identifier": "K1"}
    ]
    result = map_document(spec("$[*]", identifier="$.id"), loads_exact("true"))
    assert result.customers == ()
    assert [d.message for d in result.diagnostics] == ["body is a boolean, no customer list"]


def test_h039_numbers_for_text_fields() -> None:
    doc = loads_exact('{"customers":[{"id":1001,"name":"Ada Jensen","zip":8000}]}')
    out = pos_output("$.customers[*]", doc, identifier="$.id", name="$.name", postal_code="$.zip")
    assert out == [{"identifier": "1001", "name": "Ada Jensen", "postal_code": "8000"}]


def test_h041_list_or_bare_object() -> None:
    case = json.loads(shared_path("pitfalls", "cases", "H041.json").read_text(encoding="utf-8"))
    paths = case["field_paths"]
    two = pos_output(case["list_path"], case["response_two_hits"], **paths)
    assert two == [{"identifier": "K1", "name": "Ada Jensen"}, {"identifier": "K2", "name": "Bo Holm"}]
    one = pos_output(case["list_path"], case["response_one_hit"], **paths)
    assert one == [{"identifier": "K77", "name": "Bo Holm"}]
    from_root = compile_path(case["also_try_field_path_from_root"])
    assert from_root.values(case["response_one_hit"]) == []  # never KeyError(0)
    result = map_document(
        spec("$", identifier=case["also_try_field_path_from_root"]), case["response_one_hit"]
    )
    assert result.customers == ()
    assert [(d.code, d.severity) for d in result.diagnostics] == [
        ("path_mismatch", "warning"),
        ("identifier_missing", "error"),
    ]
    assert "$['result']['customer'] is an object, expected a list" in result.diagnostics[0].message


def test_decimal_comma_balance_exact() -> None:
    from designer.core.config import Transform

    s = ResponseSpec(
        records_path="$.customers[*]",
        fields={
            "identifier": FieldMapping(paths=["$.id"]),
            "balance.identifier": FieldMapping(paths=["$.id"]),
            "balance.balance": FieldMapping(
                paths=["$.saldo"], transforms=[Transform(name="parse_number", decimal_separator="comma")]
            ),
        },
    )
    result = map_document(s, {"customers": [{"id": "K1", "saldo": "1.234.567,89"}]})
    balance = result.customers[0].balance
    assert balance is not None and balance.balance == Decimal("1234567.89")
    assert '"balance": 1234567.89' in customers_to_json(list(result.customers))
