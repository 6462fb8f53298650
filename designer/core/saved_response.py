"""Responses saved to a file, for mapping without network (``run --response-file``, File ▸ Open).

A file is either the body alone (JSON as the merchant's developer sent it) or a raw HTTP response:
status line, headers, blank line, body bytes (``curl -i`` output, or the pitfall ``.http`` cases).
The status line and headers are read with the standard library's header parser.

Like REST-client ``.http`` files, a file may hold several responses, each after a ``### title``
line (a redirect and its target, or two alternatives); :func:`split_responses` separates them.
"""

from __future__ import annotations

import http.client
import io
import re
from dataclasses import dataclass

__all__ = ["SavedResponse", "parse_saved_response", "split_responses"]

_STATUS_LINE = re.compile(rb"^HTTP/\d(?:\.\d)? (\d{3})(?: ([^\r\n]*))?\r?\n")
#: A ``### title`` line that introduces a raw response (only then is it a separator, not body).
_SEPARATOR = re.compile(rb"^###([^\r\n]*)\r?\n(?=HTTP/\d)", re.MULTILINE)


@dataclass(frozen=True)
class SavedResponse:
    body: bytes
    status: int | None = None
    reason: str = ""
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def content_type(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "content-type"), None)


def split_responses(data: bytes) -> list[tuple[str, bytes]]:
    """(title, raw response) for each response in a file; a file without ``###`` lines is one.

    The line break before a separator belongs to the separator, not to the previous body.
    """
    separators = list(_SEPARATOR.finditer(data))
    if not separators:
        return [("", data)]
    parts: list[tuple[str, bytes]] = []
    if data[: separators[0].start()].strip():
        parts.append(("", _without_final_newline(data[: separators[0].start()])))
    for index, separator in enumerate(separators):
        end = separators[index + 1].start() if index + 1 < len(separators) else len(data)
        chunk = data[separator.end() : end]
        if index + 1 < len(separators):
            chunk = _without_final_newline(chunk)
        parts.append((separator.group(1).decode("utf-8", "replace").strip(), chunk))
    return parts


def _without_final_newline(chunk: bytes) -> bytes:
    if chunk.endswith(b"\r\n"):
        return chunk[:-2]
    return chunk[:-1] if chunk.endswith(b"\n") else chunk


def parse_saved_response(data: bytes, content_type: str | None = None) -> SavedResponse:
    """Split a saved response into status, headers and body; plain bodies pass through.

    ``content_type`` is used for a plain body (and overrides nothing in a raw HTTP response). A
    leading ``### title`` line is skipped; for a file holding several responses use
    :func:`split_responses` first (this reads the first one).
    """
    data = split_responses(data)[0][1]
    match = _STATUS_LINE.match(data)
    if match is None:
        headers = (("Content-Type", content_type),) if content_type else ()
        return SavedResponse(data, None, "", headers)
    stream = io.BytesIO(data[match.end() :])
    message = http.client.parse_headers(stream)
    body = stream.read()
    reason = (match.group(2) or b"").decode("latin-1").strip()
    return SavedResponse(body, int(match.group(1)), reason, tuple(message.items()))
