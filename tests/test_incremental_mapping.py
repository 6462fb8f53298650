"""Mapping in steps (the live preview's way) gives exactly what one-shot mapping gives.

``DocumentMapping`` and ``Interpretation`` exist so the window can map 10 000 records a few
hundred at a time; the preview is only trustworthy if the assembled result equals the runtime's,
record for record and diagnostic for diagnostic, whatever the chunk sizes.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.core.config import FieldMapping, ResponseSpec, Transform
from designer.core.decode import decode_body
from designer.core.jsonio import dumps_exact
from designer.core.mapping import DocumentMapping, compile_spec, map_document
from designer.core.runtime import Interpretation, LookupResult, interpret


def _spec(records_path: str = "$.customers[*]", **fields: FieldMapping) -> ResponseSpec:
    return ResponseSpec(records_path=records_path, fields=fields)


SPEC = _spec(
    identifier=FieldMapping(paths=["$.id"]),
    name=FieldMapping(paths=["$.first", "$.last"]),
    city=FieldMapping(paths=["$.addresses[?(@.default == true)].city"]),
    country_code=FieldMapping(paths=["$.cc"], transforms=[Transform(name="upper")]),
    **{
        "balance.identifier": FieldMapping(paths=["$.account.id"]),
        "balance.balance": FieldMapping(
            paths=["$.account.amount"], transforms=[Transform(name="parse_number", decimal_separator="comma")]
        ),
    },
)


def _record(i: int) -> dict[str, Any]:
    """Valid, invalid (no id), and partly broken records, in a repeating pattern."""
    record: dict[str, Any] = {
        "first": f"Ada{i}",
        "last": "Jensen",
        "cc": "dk" if i % 3 else "xx",
        "addresses": [{"default": i % 2 == 0, "city": "Århus"}, {"default": i % 2 == 1, "city": "Køge"}],
        "account": {"id": f"GC-{i}", "amount": "1.234,50" if i % 4 else "not a number"},
    }
    if i % 5:
        record["id"] = 12345678901234567890 + i
    return record


DOC = {"customers": [_record(i) for i in range(37)]}


def _reference(spec: ResponseSpec, document: Any) -> tuple[Any, ...]:
    """Records mapped one by one with the public per-record API: an independent expectation."""
    compiled = compile_spec(spec)
    records, _ = compiled.select_records(document)
    return tuple(compiled.map_record(record, index) for index, record in enumerate(records))


@pytest.mark.parametrize("chunk", [1, 2, 7, 36, 37, 1000])
def test_steps_of_any_size_assemble_the_one_shot_result(chunk: int) -> None:
    stepped = DocumentMapping(compile_spec(SPEC), DOC)
    assert stepped.total == 37
    seen = []
    while not stepped.done:
        part = stepped.step(chunk)
        assert part, "a step before the end maps at least one record"
        assert [r.index for r in part] == list(range(len(seen), len(seen) + len(part)))
        seen.extend(part)
    assert stepped.step(chunk) == []
    result = stepped.result()
    assert result == map_document(SPEC, DOC)
    assert result.records == _reference(SPEC, DOC)
    # The pattern above really produces invalid records and problems, so the test is not vacuous.
    assert 0 < len(result.customers) < 37
    assert any(d.record is not None for d in result.diagnostics)


def test_result_without_steps_maps_everything() -> None:
    result = DocumentMapping(compile_spec(SPEC), DOC).result()
    assert result.records == _reference(SPEC, DOC)


def test_document_problems_are_known_before_any_step() -> None:
    spec = _spec("$.missing[*]", identifier=FieldMapping(paths=["$.id"]), email=FieldMapping(paths=["$.["]))
    stepped = DocumentMapping(compile_spec(spec), DOC)
    codes = [(d.code, d.field) for d in stepped.document_diagnostics]
    assert codes == [("records_nothing", None), ("path_invalid", "email")]
    assert stepped.total == 0 and stepped.done
    assert stepped.result() == map_document(spec, DOC)


@settings(max_examples=40, deadline=None)
@given(
    ids=st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=3)), max_size=30),
    chunks=st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=10),
)
def test_hypothesis_any_records_any_chunks(ids: list[Any], chunks: list[int]) -> None:
    document = {"customers": [{"id": v, "first": "A", "last": v} for v in ids]}
    stepped = DocumentMapping(compile_spec(SPEC), document)
    position = 0
    while not stepped.done:
        stepped.step(chunks[position % len(chunks)])
        position += 1
    assert stepped.result().records == _reference(SPEC, document)


def _same(a: LookupResult, b: LookupResult) -> bool:
    """Equal results; errors (exceptions compare by identity) by type, code and message."""

    def key(error: Any) -> Any:
        return None if error is None else (type(error), error.code, error.message)

    return replace(a, error=None) == replace(b, error=None) and key(a.error) == key(b.error)


def _decoded(document: Any) -> Any:
    return decode_body(dumps_exact(document).encode(), "application/json")


@pytest.mark.parametrize(
    ("body", "status", "spec"),
    [
        (DOC, None, SPEC),
        (DOC, 200, SPEC),
        (DOC, 404, SPEC),  # configured no-match status: early, no mapping
        (DOC, 500, SPEC),  # HTTP error: early
        ({"customers": []}, 200, SPEC),
        (True, 200, SPEC),  # body a scalar: fatal document problem, known up front
        (DOC, 200, _spec("$.customers[", identifier=FieldMapping(paths=["$.id"]))),  # invalid records path
        (DOC, 200, _spec("$.nothing[*]", identifier=FieldMapping(paths=["$.id"]))),
    ],
)
def test_interpretation_in_steps_equals_interpret(body: Any, status: int | None, spec: ResponseSpec) -> None:
    decoded = _decoded(body)
    expected = interpret(spec, decoded, status=status)
    stepped = Interpretation(spec, decoded, status=status)
    # The error that stops the lookup is known before mapping a single record.
    assert (stepped.error is None) == (expected.error is None)
    if expected.error is not None:
        assert stepped.error is not None and stepped.error.message == expected.error.message
    mapped = 0
    while not stepped.done:
        mapped += len(stepped.step(5))
    assert mapped == stepped.total == len(stepped.results)
    result = stepped.result()
    assert _same(result, expected)
    assert result.output_json() == expected.output_json()


def test_interpretation_of_no_body_and_html() -> None:
    for decoded in (None, decode_body(b"<html><title>Sign in</title></html>", "text/html")):
        stepped = Interpretation(SPEC, decoded, status=200)
        assert stepped.done and stepped.total == 0 and stepped.step(10) == []
        assert stepped.error is not None
        assert _same(stepped.result(), interpret(SPEC, decoded, status=200))


def test_balance_stays_exact_through_steps() -> None:
    stepped = Interpretation(SPEC, _decoded(DOC))
    stepped.step(3)
    customers = stepped.result().customers
    assert customers[0].balance is not None
    assert {c.balance.balance for c in customers if c.balance is not None} == {Decimal("1234.50")}
