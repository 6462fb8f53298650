"""Responses saved to a file, for mapping without network (``run --response-file``, File ▸ Open).

A file is either the body alone (JSON as the merchant's developer sent it) or a raw HTTP response:
status line, headers, blank line, body bytes (``curl -i`` output, or the pitfall ``.http`` cases).
The status line and headers are read with the standard library's header parser.
"""

from __future__ import annotations

import http.client
import io
import re
from dataclasses import dataclass

__all__ = ["SavedResponse", "parse_saved_response"]

_STATUS_LINE = re.compile(rb"^HTTP/\d(?:\.\d)? (\d{3})(?: ([^\r\n]*))?\r?\n")


@dataclass(frozen=True)
class SavedResponse:
    body: bytes
    status: int | None = None
    reason: str = ""
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def content_type(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "content-type"), None)


def parse_saved_response(data: bytes, content_type: str | None = None) -> SavedResponse:
    """Split a saved response into status, headers and body; plain bodies pass through.

    ``content_type`` is used for a plain body (and overrides nothing in a raw HTTP response).
    """
    match = _STATUS_LINE.match(data)
    if match is None:
        headers = (("Content-Type", content_type),) if content_type else ()
        return SavedResponse(data, None, "", headers)
    stream = io.BytesIO(data[match.end() :])
    message = http.client.parse_headers(stream)
    body = stream.read()
    reason = (match.group(2) or b"").decode("latin-1").strip()
    return SavedResponse(body, int(match.group(1)), reason, tuple(message.items()))
