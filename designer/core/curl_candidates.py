"""Which values of a request could be the search term or the currency code, and putting them in.

A pasted command holds a concrete search ("ada@example.com", "DKK"); the user says which value
becomes ``{search_term}`` and which ``{currency_code}``. Candidates are whole values, grouped by
place (query, URL path, JSON body, form body, headers), each listing every location it occurs at:
choosing one replaces the value at all those locations, and only there. A path segment such as
``ada.json`` also offers its stem ``ada`` (``/customers/{search_term}.json``).

The functions work on any :class:`~designer.core.config.Request`, so the window and the CLI use
the same ones, and the rendering rules then encode the real values for where they land.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote, unquote_plus

from designer.core.config import PLACEHOLDERS, FormBody, Header, JsonBody, Param, RawBody, Request
from designer.core.jsonpath import normalized_path
from designer.core.render import PLACEHOLDER_RE, body_kind

__all__ = ["PLACE_NAMES", "Candidate", "Place", "apply_candidate", "apply_value", "find_candidates"]

Place = Literal["query", "path", "json", "form", "header"]
PLACE_NAMES: dict[Place, str] = {
    "query": "query",
    "path": "URL path",
    "json": "JSON body",
    "form": "form body",
    "header": "headers",
}
#: Headers whose value is never a search term (content negotiation, browser bookkeeping).
_NOISE_HEADERS = {
    "accept",
    "accept-language",
    "accept-encoding",
    "cache-control",
    "connection",
    "content-type",
    "cookie",
    "dnt",
    "host",
    "origin",
    "pragma",
    "priority",
    "range",
    "referer",
    "upgrade-insecure-requests",
    "user-agent",
}
_URL_PARTS = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)([^?#]*)(\??[^#]*)(.*)$", re.DOTALL)
_STEM = re.compile(r"^(.+)\.([A-Za-z0-9]{1,5})$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Candidate:
    """A value found in the request, with every location (in human words) where it occurs."""

    value: str
    place: Place
    locations: tuple[str, ...]
    hint: str = ""

    @property
    def label(self) -> str:
        return f"{self.value}   — {', '.join(self.locations)}"


def _split_url(url: str) -> tuple[str, str, str, str] | None:
    """(scheme://authority, path, ?query, rest) as written, so edits keep every other byte."""
    match = _URL_PARTS.match(url)
    return None if match is None else (match.group(1), match.group(2), match.group(3), match.group(4))


def _usable(value: str) -> bool:
    return bool(value.strip()) and not any(name in PLACEHOLDERS for name in PLACEHOLDER_RE.findall(value))


def _json_strings(node: Any, location: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(node, str):
        yield location, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _json_strings(value, [*location, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _json_strings(value, [*location, index])


def _query_pairs(query: str) -> Iterator[tuple[str, str]]:
    for piece in query.split("&"):
        name, equals, value = piece.partition("=")
        if equals:
            yield unquote_plus(name), unquote_plus(value)


def _path_values(request: Request) -> Iterator[tuple[str, str]]:
    parts = _split_url(request.url)
    if parts is None:
        return
    segments = parts[1].split("/")
    for number, segment in enumerate(segments[1:], start=1):
        decoded = unquote(segment)
        yield decoded, f"path segment {number}"
        stem = _STEM.match(decoded)
        if stem:
            yield stem.group(1), f"path segment {number} (before .{stem.group(2)})"


def _places(request: Request) -> Iterator[tuple[str, Place, str]]:
    for value, where in _path_values(request):
        yield value, "path", where
    parts = _split_url(request.url)
    if parts is not None and parts[2]:
        for name, value in _query_pairs(parts[2][1:]):
            yield value, "query", f"query parameter {name}"
    for param in request.query:
        yield param.value, "query", f"query parameter {param.name}"
    for header in request.headers:
        lowered = header.name.lower()
        if lowered not in _NOISE_HEADERS and not lowered.startswith("sec-"):
            yield header.value, "header", f"header {header.name}"
    body = request.body
    if isinstance(body, JsonBody):
        for location, value in _json_strings(body.template, []):
            yield value, "json", f"JSON body {normalized_path(location)}"
    elif isinstance(body, FormBody):
        for field in body.fields:
            yield field.value, "form", f"form field {field.name}"
    elif isinstance(body, RawBody) and body_kind(body.content_type) == "form":
        for name, value in _query_pairs(body.text):
            yield value, "form", f"form field {name}"


def find_candidates(request: Request) -> tuple[Candidate, ...]:
    """Every value that could become a placeholder, grouped by (value, place), in request order."""
    found: dict[tuple[str, Place], list[str]] = {}
    for value, place, where in _places(request):
        if _usable(value):
            locations = found.setdefault((value, place), [])
            if where not in locations:
                locations.append(where)
    return tuple(
        Candidate(
            value, place, tuple(locations), "looks like a currency code" if _CURRENCY.match(value) else ""
        )
        for (value, place), locations in found.items()
    )


# -- applying a choice ----------------------------------------------------------------------


def _replace_pairs(text: str, value: str, token: str) -> str:
    pieces = []
    for piece in text.split("&"):
        name, equals, raw = piece.partition("=")
        pieces.append(f"{name}={token}" if equals and unquote_plus(raw) == value else piece)
    return "&".join(pieces)


def _replace_path(path: str, value: str, token: str) -> str:
    segments = path.split("/")
    for index, segment in enumerate(segments):
        decoded = unquote(segment)
        stem = _STEM.match(decoded)
        if index and decoded == value:
            segments[index] = token
        elif index and stem and stem.group(1) == value:
            segments[index] = f"{token}.{stem.group(2)}"
    return "/".join(segments)


def _replace_json(node: Any, value: str, token: str) -> Any:
    if isinstance(node, str):
        return token if node == value else node
    if isinstance(node, dict):
        return {key: _replace_json(item, value, token) for key, item in node.items()}
    if isinstance(node, list):
        return [_replace_json(item, value, token) for item in node]
    return node


def _rows(rows: list[Param] | list[Header], value: str, token: str) -> list[Any]:
    return [row.model_copy(update={"value": token}) if row.value == value else row for row in rows]


def _with_url(request: Request, edit: Callable[[str, str, str, str], str]) -> Request:
    parts = _split_url(request.url)
    if parts is None:
        return request
    return request.model_copy(update={"url": edit(*parts)})


def apply_candidate(request: Request, candidate: Candidate, placeholder: str) -> Request:
    """``request`` with ``candidate``'s value replaced by ``{placeholder}`` at all its locations."""
    if placeholder not in PLACEHOLDERS:
        raise ValueError(f"{placeholder!r} is not a placeholder ({', '.join(PLACEHOLDERS)})")
    token = "{" + placeholder + "}"
    value = candidate.value
    if candidate.place == "path":
        return _with_url(
            request, lambda base, path, query, rest: base + _replace_path(path, value, token) + query + rest
        )
    if candidate.place == "query":
        request = _with_url(
            request,
            lambda base, path, query, rest: (
                base + path + (f"?{_replace_pairs(query[1:], value, token)}" if query else "") + rest
            ),
        )
        return request.model_copy(update={"query": _rows(request.query, value, token)})
    if candidate.place == "header":
        return request.model_copy(update={"headers": _rows(request.headers, value, token)})
    body = request.body
    if candidate.place == "json" and isinstance(body, JsonBody):
        body = JsonBody(template=_replace_json(body.template, value, token))
    elif candidate.place == "form" and isinstance(body, FormBody):
        body = FormBody(fields=_rows(body.fields, value, token))
    elif candidate.place == "form" and isinstance(body, RawBody):
        body = body.model_copy(update={"text": _replace_pairs(body.text, value, token)})
    return request.model_copy(update={"body": body})


def apply_value(request: Request, value: str, placeholder: str) -> tuple[Request, list[Candidate]]:
    """Replace ``value`` wherever it is a candidate (every place); returns the candidates used."""
    used = [candidate for candidate in find_candidates(request) if candidate.value == value]
    for candidate in used:
        request = apply_candidate(request, candidate, placeholder)
    return request, used
