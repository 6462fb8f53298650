"""Map by pointing: what a click on a response node means for the config, without Qt.

The core decides the paths (:func:`designer.core.jsonpath.suggest_mapping`); this module only
decides *which* records path to honour. Until another field is mapped, the records path is not
established yet and is detected from the clicked node (the enclosing list becomes the records
path); a records path the user typed (anything but the default ``$``) is kept when it contains
the node. Once other fields are mapped relative to the records, a node outside every record is
refused with an explanation instead of silently moving the records and breaking those fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from designer.core.config import FieldMapping, ResponseSpec
from designer.core.jsonpath import (
    Location,
    PathError,
    RecordNodes,
    compile_path,
    find_records,
    normalized_path,
    suggest_mapping,
)

__all__ = ["PointPlan", "PointRefused", "plan_point", "record_of"]

DEFAULT_RECORDS_PATH = "$"


class PointRefused(Exception):
    """The node cannot be mapped as things stand; ``str(error)`` says why and what to do."""


@dataclass(frozen=True)
class PointPlan:
    """The edit a click asks for: one undo step setting the records path and the field."""

    field: str
    records_path: str
    field_path: str
    mapping: FieldMapping
    #: Where the record holding the node is, and its index among the records.
    record_location: Location
    record_index: int | None
    #: The node's location relative to its record (the field path as names and indexes).
    relative: Location


def _records(records_path: str, document: Any, single_object_is_record: bool) -> RecordNodes:
    try:
        path = compile_path(records_path)
    except PathError:
        return RecordNodes([], [], "nothing")
    return find_records(path, document, single_object_is_record=single_object_is_record, locate=True)


def record_of(
    records_path: str, document: Any, location: Sequence[str | int], *, single_object_is_record: bool = True
) -> tuple[int, Location] | None:
    """(index, location) of the innermost record holding the node at ``location``, if any."""
    location = tuple(location)
    found = _records(records_path, document, single_object_is_record)
    best: tuple[int, Location] | None = None
    for index, record_loc in enumerate(found.locations or ()):
        if location[: len(record_loc)] == record_loc and (best is None or len(record_loc) > len(best[1])):
            best = (index, record_loc)
    return best


def plan_point(
    spec: ResponseSpec, document: Any, location: Sequence[str | int], field: str, *, append: bool = False
) -> PointPlan:
    """The mapping of the node at ``location`` to ``field`` (``append``: add it as another path).

    A field's default, transforms and combine settings are kept: pointing changes where the
    value comes from, not how it is treated.
    """
    location = tuple(location)
    others = [name for name in spec.fields if name != field or append]
    configured = spec.records_path
    suggestion = None
    if others or configured != DEFAULT_RECORDS_PATH:
        held = record_of(configured, document, location, single_object_is_record=spec.single_object_is_record)
        if held is not None:
            suggestion = suggest_mapping(document, location, records_path=configured)
        elif others:
            raise PointRefused(
                f"{normalized_path(location)} is outside the records selected by {configured}, and "
                f"{', '.join(others)} {'is' if len(others) == 1 else 'are'} mapped relative to those "
                "records. Choose another records path first (Records ▸ lists containing the node)."
            )
    if suggestion is None:
        suggestion = suggest_mapping(document, location)
    held = record_of(
        suggestion.records_path, document, location, single_object_is_record=spec.single_object_is_record
    )
    record_index, record_loc = held if held is not None else (None, ())
    existing = spec.fields.get(field)
    paths = [suggestion.field_path]
    if append and existing is not None:
        paths = [*existing.paths, *([] if suggestion.field_path in existing.paths else paths)]
    mapping = (existing or FieldMapping()).model_copy(update={"paths": paths})
    return PointPlan(
        field,
        suggestion.records_path,
        suggestion.field_path,
        FieldMapping.model_validate(mapping.model_dump()),
        record_loc,
        record_index,
        location[len(record_loc) :],
    )
