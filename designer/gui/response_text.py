"""The words the Response panel shows about a response: summary, problems, headers.

Plain functions over a :class:`~designer.gui.document.ResponseState` (no widgets), so what the
user reads is tested directly.
"""

from __future__ import annotations

from pathlib import Path

from designer.core.errors import DesignerError
from designer.core.fetch import format_bytes
from designer.gui.document import ResponseState
from designer.gui.json_tree_model import format_count

__all__ = ["describe_shape", "describe_source", "describe_summary", "error_messages", "headers_text"]


def describe_source(state: ResponseState | None) -> str:
    """Where the response came from, in words."""
    if state is None:
        return ""
    if state.source == "request":
        return "Test request"
    if state.source == "pasted":
        return "Pasted text"
    if state.source.startswith("file:"):
        return f"From file {Path(state.source[5:]).name}"
    return state.source


def describe_shape(state: ResponseState) -> str:
    """``JSON object, 2 keys`` / ``JSON array, 20 000 items``; empty when it is not JSON."""
    decoded = state.decoded
    if decoded is None or not decoded.ok:
        return ""
    document = decoded.document
    if isinstance(document, dict):
        return f"JSON object, {format_count(len(document))} key{'' if len(document) == 1 else 's'}"
    if isinstance(document, list):
        return f"JSON array, {format_count(len(document))} item{'' if len(document) == 1 else 's'}"
    return "JSON value"


def _status(status: int | None, reason: str) -> str:
    return f"HTTP {status} {reason}".rstrip() if status is not None else ""


def describe_summary(state: ResponseState) -> str:
    """One line: source, status, time, size, content type, redirects, shape."""
    parts = [describe_source(state)]
    exchange = state.exchange
    saved = state.saved
    body = state.body
    if exchange is not None:
        parts.append(_status(exchange.status, exchange.reason))
        parts.append(f"{exchange.elapsed_ms:.0f} ms")
        if exchange.redirects:
            hops = len(exchange.redirects)
            parts.append(f"after {hops} redirect{'' if hops == 1 else 's'}")
    elif saved is not None:
        parts.append(_status(saved.status, saved.reason))
    size = (
        exchange.size if exchange is not None and exchange.size else len(body) if body is not None else None
    )
    if size is not None:
        parts.append(format_bytes(size))
    if state.content_type:
        parts.append(state.content_type)
    elif state.decoded is not None and state.decoded.mime:
        parts.append(state.decoded.mime)
    parts.append(describe_shape(state))
    return " · ".join(part for part in parts if part)


def error_messages(state: ResponseState) -> list[str]:
    """The errors to show in the banner, each once (the lookup's, then the body's own)."""
    found: list[str] = []
    errors: list[BaseException | None] = [state.error, state.decoded.error if state.decoded else None]
    for error in errors:
        if error is None:
            continue
        text = error.message if isinstance(error, DesignerError) else str(error)
        if text not in found:
            found.append(text)
    return found


def headers_text(state: ResponseState) -> tuple[str, int]:
    """(text for the Headers tab, number of headers)."""
    exchange = state.exchange
    saved = state.saved
    lines: list[str] = []
    if exchange is not None:
        status, reason, headers = exchange.status, exchange.reason, exchange.headers
        request = exchange.request
        lines.append(f"Request: {request.method} {request.url}")
        lines.append("")
    elif saved is not None:
        status, reason, headers = saved.status, saved.reason, saved.headers
    else:
        return "No headers: the response has no HTTP envelope.", 0
    if status is not None:
        lines.append(_status(status, reason))
    elif saved is not None:
        lines.append("The saved response holds only a body (no status line or headers).")
    lines.extend(f"{name}: {value}" for name, value in headers if status is not None)
    if exchange is not None and exchange.redirects:
        lines.append("")
        lines.append(f"Redirects ({len(exchange.redirects)}), in order:")
        lines.extend(f"  {number}. {hop}" for number, hop in enumerate(exchange.redirects, 1))
    return "\n".join(lines), len(headers) if status is not None else 0
