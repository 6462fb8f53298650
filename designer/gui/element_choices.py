"""Which element of a nested list a field takes: by position, or by a condition on the element.

A click on ``addresses[1].city`` inside a record gives the path ``$['addresses'][1]['city']``,
which takes the second address of *every* record. Usually the consultant means "the address
whose ``default`` is true" or "the billing address". This module offers those conditions,
built from the sibling keys of the clicked element, as JSONPath filters such as
``$['addresses'][?(@['default'] == true)]['city']`` (jsonpath-ng's extended syntax, the parser
the runtime uses). Every choice is compiled and checked to select exactly the clicked node in
its record, and its coverage over the other records is counted so the most general comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from designer.core.jsonpath import Location, PathError, compile_path, normalized_path

__all__ = ["ElementChoice", "element_choices", "filter_literal"]

#: How many records are looked at to count how widely a choice applies.
SAMPLE_SIZE = 200


@dataclass(frozen=True)
class ElementChoice:
    """One way to pick the element. ``matches`` of ``sampled`` records give exactly one value."""

    label: str
    path: str
    matches: int
    sampled: int


def filter_literal(value: Any) -> str | None:
    """``true``, ``null``, ``12``, ``'billing'``: a value as a filter literal, None if unsuited.

    Fractions are left out: jsonpath-ng compares them as floats, so ``0.1`` would not equal the
    exact ``Decimal('0.1')`` of the response.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and len(value) <= 80:
        return normalized_path((value,))[1:][1:-1]  # the RFC 9535 quoted form, without brackets
    return None


def _segments(relative: Location) -> list[str]:
    return [normalized_path((key,))[1:] for key in relative]


def _path(relative: Location, position: int, condition: str | None) -> str:
    parts = _segments(relative)
    if condition is not None:
        parts[position] = f"[?({condition})]"
    return "$" + "".join(parts)


def _selects_exactly(path: str, record: Any, relative: Location) -> bool:
    try:
        found = compile_path(path).locate(record)
    except PathError:
        return False
    return [loc for loc, _ in found] == [relative]


def _coverage(path: str, records: Sequence[Any]) -> int:
    compiled = compile_path(path)
    return sum(1 for record in records if len(compiled.values(record)) == 1)


def _node(record: Any, keys: Location) -> Any:
    node = record
    for key in keys:
        node = node[key]
    return node


def element_choices(
    record: Any, relative: Sequence[str | int], records: Sequence[Any] = ()
) -> list[ElementChoice]:
    """The ways to pick each nested-list element on the way to ``relative`` within ``record``.

    Empty when the node is not inside a nested list. The position choice (the path as clicked)
    comes first for each list, then conditions ordered by how many sampled records they fit.
    """
    relative = tuple(relative)
    sample = list(records[:SAMPLE_SIZE]) or [record]
    choices: list[ElementChoice] = []
    for position, key in enumerate(relative):
        if not isinstance(key, int):
            continue
        list_name = ".".join(str(k) for k in relative[:position]) or "the record"
        try:
            element = _node(record, relative[: position + 1])
        except (KeyError, IndexError, TypeError):
            continue
        by_position = _path(relative, position, None)
        choices.append(
            ElementChoice(
                f"{list_name}[{key}] (by position)",
                by_position,
                _coverage(by_position, sample),
                len(sample),
            )
        )
        if not isinstance(element, dict):
            continue
        next_key = relative[position + 1] if position + 1 < len(relative) else None
        conditions: list[ElementChoice] = []
        for name, value in element.items():
            literal = filter_literal(value)
            if literal is None or name == next_key:
                continue
            condition = f"@{normalized_path((name,))[1:]} == {literal}"
            path = _path(relative, position, condition)
            if not _selects_exactly(path, record, relative):
                continue
            label = f"{list_name} where {name} == {literal}"
            conditions.append(ElementChoice(label, path, _coverage(path, sample), len(sample)))
        # Widely applicable first; among equals, booleans (default == true) before text and ids.
        conditions.sort(key=lambda c: (-c.matches, " == true" not in c.label and " == false" not in c.label))
        choices.extend(conditions)
    return choices
