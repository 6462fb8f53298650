"""The mapper's Qt-free logic: expressions as text, per-field status, pointing, which element."""

from __future__ import annotations

from typing import Any

import pytest

from designer.core.config import FieldMapping, ResponseSpec, Transform
from designer.core.jsonpath import compile_path
from designer.core.mapping import map_document
from designer.gui.element_choices import element_choices, filter_literal
from designer.gui.mapper_state import RecordsCache, describe_mapping, snapshot
from designer.gui.point_mapping import PointRefused, plan_point
from tests.gui.mapping_samples import CUSTOMERS


@pytest.mark.parametrize(
    ("mapping", "text"),
    [
        (FieldMapping(paths=["$.id"]), "$.id"),
        (FieldMapping(paths=["$.first", "$.last"]), '$.first + " " + $.last'),
        (FieldMapping(paths=["$.a", "$.b"], separator=", "), '$.a + ", " + $.b'),
        (FieldMapping(paths=["$.a", "$.b"], separator=""), "$.a + $.b"),
        (FieldMapping(paths=["$.a", "$.b"], combine="first"), "first of $.a | $.b"),
        (
            FieldMapping(paths=["$.cc"], transforms=[Transform(name="trim"), Transform(name="upper")]),
            "$.cc ▸ trim ▸ upper",
        ),
        (
            FieldMapping(
                paths=["$.b"], transforms=[Transform(name="parse_number", decimal_separator="comma")]
            ),
            "$.b ▸ parse_number (decimal comma)",
        ),
        (FieldMapping(paths=["$.cc"], default="DK"), '$.cc, default "DK"'),
        (FieldMapping(default="DK"), '"DK" (fixed value)'),
        (None, ""),
    ],
)
def test_expressions_read_as_text(mapping: FieldMapping | None, text: str) -> None:
    assert describe_mapping(mapping) == text


def _rows(spec: ResponseSpec, document: Any, selected: int = 0) -> dict[str, Any]:
    snap = snapshot(spec, document, has_document=True, selected=selected)
    return {row.field: row for row in snap.rows}


def test_status_and_value_per_field_for_the_selected_record() -> None:
    spec = ResponseSpec(
        records_path="$.customers[*]",
        fields={
            "identifier": FieldMapping(paths=["$.id"]),
            "email": FieldMapping(paths=["$.email"]),
            "city": FieldMapping(paths=["$.addresses[*].city"]),
            "phone": FieldMapping(paths=["$.phone["]),
            "balance.balance": FieldMapping(paths=["$.account.balance"]),
        },
    )
    rows = _rows(spec, CUSTOMERS, selected=0)
    assert (rows["identifier"].status, rows["identifier"].value) == ("ok", "12345678901234567891")
    assert rows["email"].value == "ada@example.dk"
    assert rows["city"].status == "error" and "found 2 values" in rows["city"].message
    assert rows["phone"].status == "error" and "invalid JSONPath" in rows["phone"].message
    assert rows["balance.balance"].status == "error" and "parse_number" in rows["balance.balance"].message
    assert rows["name"].status == "unmapped"
    rows = _rows(spec, CUSTOMERS, selected=1)  # Bo Holm: no id, no email
    assert rows["identifier"].status == "error" and "identifier is missing" in rows["identifier"].message
    assert (
        rows["email"].status == "warning"
        and "nothing found in record 2 ([1] in the tree)" in rows["email"].message
    )


def test_unmapped_identifier_is_an_error_and_no_response_is_not_checked() -> None:
    spec = ResponseSpec(fields={"email": FieldMapping(paths=["$.email"])})
    snap = snapshot(spec, None, has_document=False, selected=0)
    rows = {row.field: row for row in snap.rows}
    assert rows["identifier"].status == "error" and "required" in rows["identifier"].message
    assert rows["email"].status == "ok" and rows["email"].value is None
    assert snap.record_count is None


def test_selected_record_is_clamped_and_records_problem_explained() -> None:
    spec = ResponseSpec(records_path="$.customers[*]", fields={"identifier": FieldMapping(paths=["$.id"])})
    assert snapshot(spec, CUSTOMERS, has_document=True, selected=99).record_index == 2
    missing = snapshot(
        spec.model_copy(update={"records_path": "$.kunder[*]"}), CUSTOMERS, has_document=True, selected=0
    )
    assert missing.record_count == 0 and missing.records_problem is not None
    assert "matched nothing" in missing.records_problem


def test_records_cache_reselects_only_when_the_records_path_changes() -> None:
    cache = RecordsCache()
    spec = ResponseSpec(records_path="$.customers[*]")
    first = cache.records(spec, CUSTOMERS)
    with_field = spec.model_copy(update={"fields": {"email": FieldMapping(paths=["$.email"])}})
    assert cache.records(with_field, CUSTOMERS) is first
    other = cache.records(spec.model_copy(update={"records_path": "$.customers[0]"}), CUSTOMERS)
    assert other is not first and len(other[0]) == 1


# -- pointing --------------------------------------------------------------------------------------


def test_first_click_detects_the_records_and_writes_a_relative_path() -> None:
    plan = plan_point(ResponseSpec(), CUSTOMERS, ("customers", 2, "email"), "email")
    assert plan.records_path == "$['customers'][*]"
    assert plan.field_path == "$['email']"
    assert plan.record_index == 2 and plan.record_location == ("customers", 2)


def test_a_typed_records_path_is_kept_when_it_holds_the_node() -> None:
    spec = ResponseSpec(records_path="$.customers[?(@.first_name == 'Bo')]")
    plan = plan_point(spec, CUSTOMERS, ("customers", 1, "last_name"), "name")
    assert plan.records_path == spec.records_path and plan.field_path == "$['last_name']"
    assert plan.record_index == 0


def test_a_node_outside_the_records_is_refused_once_other_fields_are_mapped() -> None:
    spec = ResponseSpec(
        records_path="$['customers'][*]", fields={"identifier": FieldMapping(paths=["$['id']"])}
    )
    document = {**CUSTOMERS, "meta": {"note": "x"}}
    with pytest.raises(PointRefused, match="outside the records"):
        plan_point(spec, document, ("meta", "note"), "additional_info")
    # Re-pointing the only mapped field itself may move the records.
    plan = plan_point(spec, document, ("meta", "note"), "identifier")
    assert plan.records_path == "$"


def test_append_adds_a_path_and_keeps_the_fields_settings() -> None:
    existing = FieldMapping(paths=["$['first_name']"], separator=" ", transforms=[Transform(name="trim")])
    spec = ResponseSpec(records_path="$['customers'][*]", fields={"name": existing})
    plan = plan_point(spec, CUSTOMERS, ("customers", 0, "last_name"), "name", append=True)
    assert plan.mapping.paths == ["$['first_name']", "$['last_name']"]
    assert plan.mapping.transforms == existing.transforms
    again = plan_point(spec, CUSTOMERS, ("customers", 0, "first_name"), "name", append=True)
    assert again.mapping.paths == ["$['first_name']"]  # not added twice


@pytest.mark.parametrize(
    ("document", "location", "expected_path", "value"),
    [
        # H001: a member name with dots is quoted, never read as nesting.
        ({"data": {"kunde.nr": "K-1001"}}, ("data", "kunde.nr"), "$['data']['kunde.nr']", "K-1001"),
        # H002: non-ASCII names are quoted.
        ({"Bopæl": {"Postnr": "8000", "By": "Århus"}}, ("Bopæl", "By"), "$['Bopæl']['By']", "Århus"),
    ],
)
def test_pitfall_paths_from_clicks_parse_and_select_the_value(
    document: Any, location: tuple[Any, ...], expected_path: str, value: str
) -> None:
    plan = plan_point(ResponseSpec(), document, location, "city")
    assert plan.records_path == "$" and plan.field_path == expected_path
    spec = ResponseSpec(
        records_path=plan.records_path, fields={"identifier": FieldMapping(default="x"), "city": plan.mapping}
    )
    (customer,) = map_document(spec, document).customers
    assert customer.city == value


def test_pitfall_h003_records_keyed_by_id() -> None:
    document = {"customers": {"1001": {"name": "Ada Jensen"}, "1002": {"name": "Bo Holm"}}}
    plan = plan_point(ResponseSpec(), document, ("customers", "1001", "name"), "name")
    # Objects keyed by ids are offered as candidates, not guessed: the first click reads the document.
    assert plan.field_path == "$['customers']['1001']['name']"
    spec = ResponseSpec(records_path="$.customers.*", fields={"name": FieldMapping(paths=["$.name"])})
    relative = plan_point(spec, document, ("customers", "1002", "name"), "name")
    assert relative.field_path == "$['name']" and relative.record_index == 1


# -- which element -----------------------------------------------------------------------------


def test_which_element_offers_position_and_conditions_that_parse_and_select_the_node() -> None:
    records = CUSTOMERS["customers"]
    choices = element_choices(records[0], ("addresses", 1, "city"), records)
    paths = [c.path for c in choices]
    assert paths[0] == "$['addresses'][1]['city']"  # as clicked, first
    assert "$['addresses'][?(@['default'] == true)]['city']" in paths
    assert "$['addresses'][?(@['type'] == 'shipping')]['city']" in paths
    assert not any("['city'] ==" in p for p in paths)  # never filter on the clicked key itself
    for choice in choices:
        assert compile_path(choice.path).locate(records[0]) == [(("addresses", 1, "city"), "Århus")]
    default = next(c for c in choices if "default" in c.path)
    # default == true fits all three customers; position [1] fails for Bo (one address).
    assert (default.matches, default.sampled) == (3, 3)
    assert choices[0].matches == 2
    assert choices.index(default) == 1  # the most widely applicable condition comes first


def test_default_address_condition_maps_every_record_right() -> None:
    records = CUSTOMERS["customers"]
    default = next(
        c for c in element_choices(records[0], ("addresses", 1, "city"), records) if "default" in c.path
    )
    spec = ResponseSpec(
        records_path="$['customers'][*]",
        fields={
            "identifier": FieldMapping(paths=["$.first_name"]),
            "city": FieldMapping(paths=[default.path]),
        },
    )
    assert [c.city for c in map_document(spec, CUSTOMERS).customers] == ["Århus", "Odense", "Ribe"]


def test_no_choices_outside_nested_lists() -> None:
    assert element_choices(CUSTOMERS["customers"][0], ("account", "id")) == []


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        (True, "true"),
        (False, "false"),
        (None, "null"),
        (12, "12"),
        ("O'Brien", "'O\\'Brien'"),
        ("Bopæl", "'Bopæl'"),
    ],
)
def test_filter_literals_select_their_value(value: Any, literal: str) -> None:
    assert filter_literal(value) == literal
    element = {"k": value, "v": 1}
    path = f"$['a'][?(@['k'] == {literal})]['v']"
    assert compile_path(path).values({"a": [{"k": "other", "v": 0}, element]}) == [1]


def test_fractions_are_not_used_as_filter_literals() -> None:
    from decimal import Decimal

    assert filter_literal(Decimal("0.1")) is None
    assert filter_literal({"nested": 1}) is None
