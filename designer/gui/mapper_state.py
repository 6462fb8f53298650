"""What the field mapper shows, computed from the config and the response without Qt.

One :class:`MapperSnapshot` per refresh: for every Customer field its readable expression, a
status (``ok``/``warning``/``error``/``unmapped``) with the reason, and its value for the
selected record. The values and reasons come from the core's own per-record mapping
(:func:`designer.core.mapping.map_record`), so the mapper says exactly what the preview and the
runtime will do with that record. Kept free of Qt so it is unit-tested directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from designer.core.config import FieldMapping, ResponseSpec, Transform
from designer.core.customer import CUSTOMER_FIELDS, REQUIRED_FIELDS
from designer.core.jsonio import format_decimal
from designer.core.jsonpath import path_problem
from designer.core.mapping import map_record, select_records
from designer.core.model_types import Diagnostic
from designer.core.record_numbers import record_label

__all__ = [
    "FieldRow",
    "MapperSnapshot",
    "RecordsCache",
    "describe_mapping",
    "describe_transform",
    "display_value",
    "snapshot",
]

_SEPARATOR_NAMES = {"auto": "auto", "comma": "decimal comma", "point": "decimal point"}


def describe_transform(transform: Transform) -> str:
    """``trim``, ``parse_number (decimal comma)``: one transform as the mapper lists it."""
    if transform.name == "parse_number":
        return f"parse_number ({_SEPARATOR_NAMES[transform.decimal_separator]})"
    return transform.name


def describe_mapping(mapping: FieldMapping | None) -> str:
    """A one-line readable form: ``$.first + " " + $.last ▸ trim, default "n/a"``."""
    if mapping is None or mapping.is_empty():
        return ""
    if len(mapping.paths) == 1:
        text = mapping.paths[0]
    elif mapping.paths and mapping.combine == "join":
        glue = f" + {json.dumps(mapping.separator, ensure_ascii=False)} + " if mapping.separator else " + "
        text = glue.join(mapping.paths)
    elif mapping.paths:
        text = "first of " + " | ".join(mapping.paths)
    else:
        text = ""
    steps = [describe_transform(t) for t in mapping.transforms]
    if text and steps:
        text = " ▸ ".join([text, *steps])
    if mapping.default is not None:
        default = json.dumps(mapping.default, ensure_ascii=False)
        text = f"{text}, default {default}" if text else f"{default} (fixed value)"
    return text


def display_value(value: Any) -> str:
    """A field value as text: exact decimals (never floats), text as it is."""
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


@dataclass(frozen=True)
class FieldRow:
    field: str
    required: bool
    mapping: FieldMapping | None
    expression: str
    status: str  # "ok" | "warning" | "error" | "unmapped"
    message: str
    value: str | None


@dataclass(frozen=True)
class MapperSnapshot:
    rows: tuple[FieldRow, ...]
    #: None when there is no parsed response to look at.
    record_count: int | None
    #: The record the values are for (clamped to the records), None when there is none.
    record_index: int | None
    #: Why there are no records, when there are none.
    records_problem: str | None


class RecordsCache:
    """The records of a document under a records path, recomputed only when either changes.

    Field edits are far more frequent than records-path edits; reselecting 200 000 records on
    every keystroke in an expression would cost tens of milliseconds for nothing.
    """

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._value: tuple[list[Any], list[Diagnostic]] = ([], [])

    def records(self, spec: ResponseSpec, document: Any) -> tuple[list[Any], list[Diagnostic]]:
        key = (id(document), spec.records_path, spec.single_object_is_record)
        if key != self._key:
            bare = ResponseSpec(
                records_path=spec.records_path, single_object_is_record=spec.single_object_is_record
            )
            self._value = select_records(bare, document)
            self._key = key
        return self._value


def _unmapped(field: str) -> tuple[str, str]:
    if field in REQUIRED_FIELDS:
        return "error", "not mapped: identifier is required; every record without it is skipped"
    return "unmapped", "not mapped (the field is left out of every customer)"


def _status(
    field: str,
    *,
    mapping: FieldMapping,
    diagnostics: list[Diagnostic],
    value: Any,
    record_index: int | None,
    have_records: bool,
) -> tuple[str, str]:
    invalid = [p for p in (path_problem(path) for path in mapping.paths) if p is not None]
    if invalid:
        return "error", "; ".join(invalid)
    if not have_records:
        return "ok", "mapped; there is no record to check it against yet"
    mine = [d for d in diagnostics if d.field == field]
    if any(d.severity == "error" for d in mine):
        return "error", "; ".join(d.message for d in mine)
    if mine:
        return "warning", "; ".join(d.message for d in mine)
    if value is None:
        return "warning", f"nothing found in {_record(record_index)}; the field is left out"
    return "ok", f"{_record(record_index)}: {display_value(value)}"


def _record(index: int | None) -> str:
    return "the record" if index is None else record_label(index, capital=False)


def snapshot(
    spec: ResponseSpec, document: Any, *, has_document: bool, selected: int, cache: RecordsCache | None = None
) -> MapperSnapshot:
    """Everything the mapper table shows for ``spec`` over ``document`` at record ``selected``."""
    records: list[Any] = []
    problems: list[Diagnostic] = []
    if has_document:
        records, problems = (cache or RecordsCache()).records(spec, document)
    record_index: int | None = None
    values: dict[str, Any] = {}
    diagnostics: list[Diagnostic] = []
    if records:
        record_index = min(max(selected, 0), len(records) - 1)
        result = map_record(spec, records[record_index], record_index)
        values = result.values
        diagnostics = list(result.diagnostics)
    rows: list[FieldRow] = []
    for field in CUSTOMER_FIELDS:
        mapping = spec.fields.get(field)
        value = values.get(field)
        if mapping is None or mapping.is_empty():
            status, message = _unmapped(field)
        else:
            status, message = _status(
                field,
                mapping=mapping,
                diagnostics=diagnostics,
                value=value,
                record_index=record_index,
                have_records=bool(records),
            )
        rows.append(
            FieldRow(
                field,
                field in REQUIRED_FIELDS,
                mapping,
                describe_mapping(mapping),
                status,
                message,
                display_value(value) if value is not None else None,
            )
        )
    records_problem = None
    if has_document and not records:
        records_problem = "; ".join(d.message for d in problems) or (
            f"the records path {spec.records_path} selects no record"
        )
    return MapperSnapshot(tuple(rows), len(records) if has_document else None, record_index, records_problem)
