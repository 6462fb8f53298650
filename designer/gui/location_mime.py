"""Drag-and-drop of a JSON node between panels: the node's location as a small JSON array.

The response tree is the drag source; the field mapper (another panel) accepts the drop. Both
use these helpers, so the format lives in one place: mime type :data:`LOCATION_MIME`, payload
the location (names and indexes from the document root) as a UTF-8 JSON array, e.g.
``["customers", 0, "kunde.nr"]``. The drag also carries the RFC 9535 normalized path as plain
text, so dropping the node on any text field types its path.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QMimeData

__all__ = [
    "LOCATION_MIME",
    "decode_location",
    "encode_location",
    "location_from_mime",
    "location_mime_data",
]

LOCATION_MIME = "application/x-lookup-designer-location"

Location = tuple[str | int, ...]


def encode_location(location: Sequence[str | int]) -> bytes:
    """The drag payload for ``location``; names keep every character (UTF-8, not escaped)."""
    for key in location:
        if isinstance(key, bool) or not isinstance(key, str | int):
            raise TypeError(f"a location holds names and indexes, not {key!r}")
    return json.dumps(list(location), ensure_ascii=False).encode("utf-8")


def decode_location(data: bytes) -> Location | None:
    """The location in a drag payload, or None when it is not one (a foreign or broken drop)."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(value, list):
        return None
    for key in value:
        if isinstance(key, bool) or not isinstance(key, str | int):
            return None
        if isinstance(key, int) and key < 0:
            return None
    return tuple(value)


def location_mime_data(location: Sequence[str | int]) -> QMimeData:
    """Mime data for dragging the node at ``location`` (location + its path as plain text)."""
    from designer.core.jsonpath import normalized_path  # noqa: PLC0415  (jsonpath-ng is heavy)

    mime = QMimeData()
    mime.setData(LOCATION_MIME, encode_location(location))
    mime.setText(normalized_path(location))
    return mime


def location_from_mime(mime: QMimeData) -> Location | None:
    """The dragged location, for drop targets; None when the drop is not a tree node."""
    if not mime.hasFormat(LOCATION_MIME):
        return None
    return decode_location(bytes(mime.data(LOCATION_MIME).data()))
