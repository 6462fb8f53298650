"""Helpers for the cURL tests: send a request the real runtime way, read curl's wire files, compare.

``send`` is the project's runtime path (``render_request`` + ``fetch``) against a recording server
of ``tests/http_servers.py``; secret references are resolved from the values the import found
(``MappingSource``), exactly as the window resolves values typed this session.

``differences`` compares what our client put on the wire with what curl did. It ignores, and
only ignores:

* ``User-Agent`` when the command sets none: curl sends ``curl/8.x``, httpx the designer's own;
* ``Host`` when the command sets none: the test sends to 127.0.0.1:PORT, not the command's host;
* ``Content-Length``: each client computes it from the body (which is compared); httpx also
  sends ``Content-Length: 0`` for a POST/PUT/PATCH without body, curl does not;
* ``Accept-Encoding``: curl sends none, or its own list with ``--compressed``; httpx always asks
  for what it decodes (gzip, deflate); the importer leaves a copied value to httpx on purpose;
* ``Connection: keep-alive`` on our side when curl sent no Connection header (httpx's default).

Header names compare case-insensitively (HTTP field names are); values without surrounding
blanks (not part of a field value, RFC 9110 §5.5); the order of different names is not
significant (RFC 9110 §5.3), the order of repeated names is. The request target compares byte
for byte (curl's wire files write an empty path as ``?key=..``; HTTP/1.1 requires ``/``). The body
compares byte for byte, except that a body imported as a JSON template compares as the same JSON
document (whitespace between tokens carries no meaning, RFC 8259 §2) and one imported as form
fields as the same decoded fields.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from http_servers import Arrived, Served

from designer.core.config import FormBody, JsonBody, Request
from designer.core.fetch import fetch
from designer.core.jsonio import dumps_exact, loads_exact
from designer.core.model_types import Inputs, RenderedRequest
from designer.core.render import render_request
from designer.core.secrets import ChainResolver, MappingSource

_AUTHORITY = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


@dataclass(frozen=True)
class WireRequest:
    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


def parse_wire(text: str) -> WireRequest:
    """A wire file: request line, headers, blank line, body (the file adds one final newline)."""
    head, _, body = text.partition("\n\n")
    body = body.removesuffix("\n")
    first, *lines = head.split("\n")
    method, target = first.split(" ")[0], first.split(" ")[1]
    headers = tuple(
        (name.strip(), value.strip()) for name, _, value in (line.partition(":") for line in lines)
    )
    return WireRequest(method, target, headers, body.encode("utf-8"))


def retarget(request: Request, server_url: str) -> Request:
    """The same request sent to the test server instead of the command's host."""
    return request.model_copy(update={"url": _AUTHORITY.sub(server_url, request.url, count=1)})


def render(request: Request, secrets: Mapping[str, str], inputs: Inputs | None = None) -> RenderedRequest:
    resolver = ChainResolver([MappingSource(dict(secrets))])
    return render_request(request, inputs or Inputs("", "DKK"), resolver)


def send(
    request: Request, secrets: Mapping[str, str], served: Served, inputs: Inputs | None = None
) -> Arrived:
    """Render and fetch ``request`` at ``served`` (the runtime path); what the server received."""
    target = retarget(request, served.url)
    rendered = render(target, secrets, inputs)
    before = len(served.requests)
    asyncio.run(fetch(rendered, target.transport, target.timeouts))
    assert len(served.requests) == before + 1, "the request did not reach the test server"
    return served.requests[-1]


def _fields(headers: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, value in headers:
        fields.setdefault(name.lower(), []).append(value.strip())
    return fields


def _same_body(request: Request, ours: bytes, theirs: bytes) -> bool:
    if isinstance(request.body, JsonBody):
        return dumps_exact(loads_exact(ours)) == dumps_exact(loads_exact(theirs))
    if isinstance(request.body, FormBody):
        return parse_qsl(ours.decode(), keep_blank_values=True) == parse_qsl(
            theirs.decode(), keep_blank_values=True
        )
    return ours == theirs


def differences(request: Request, arrived: Arrived, wire: WireRequest) -> list[str]:
    """What differs between our request on the wire and curl's, under the rules above."""
    sets = {h.name.lower() for h in request.headers}
    ignored = {"content-length", "accept-encoding"}
    ignored |= {name for name in ("user-agent", "host") if name not in sets}
    ours = {k: v for k, v in _fields(arrived.headers).items() if k not in ignored}
    theirs = {k: v for k, v in _fields(wire.headers).items() if k not in ignored}
    if "connection" not in theirs and ours.get("connection") == ["keep-alive"]:
        del ours["connection"]
    found: list[str] = []
    if arrived.method != wire.method:
        found.append(f"method {arrived.method} (curl: {wire.method})")
    target = wire.target if wire.target.startswith("/") else "/" + wire.target
    if arrived.target != target:
        found.append(f"target {arrived.target!r} (curl: {target!r})")
    if ours != theirs:
        extra = {k: v for k, v in ours.items() if theirs.get(k) != v}
        missing = {k: v for k, v in theirs.items() if ours.get(k) != v}
        found.append(f"headers: ours {extra}, curl's {missing}")
    if not _same_body(request, arrived.body, wire.body):
        found.append(f"body {arrived.body[:120]!r} (curl: {wire.body[:120]!r})")
    return found
