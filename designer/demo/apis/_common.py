"""What every demo API shares: the request/response values, JSON output, auth and text folding.

APIs are plain functions from :class:`DemoRequest` to :class:`DemoResponse`, so they are easy to
read side by side; the HTTP server (stdlib) does all the protocol work.
"""

from __future__ import annotations

import base64
import hmac
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from designer.core.jsonio import dumps_exact


@dataclass(frozen=True)
class DemoRequest:
    """One request as an API sees it: the path *after* the API's prefix, still percent-encoded."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    base_url: str  # "http://127.0.0.1:8765" + the API prefix, for self links

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def query_params(self) -> list[tuple[str, str]]:
        """Query parameters in order, decoded like PHP/ASP.NET/werkzeug do (``+`` is a space)."""
        return parse_qsl(self.query, keep_blank_values=True, encoding="utf-8", errors="replace")

    def param(self, name: str) -> str | None:
        """The last value of a query parameter (PHP and most frameworks let the last one win)."""
        value = None
        for key, val in self.query_params():
            if key == name:
                value = val
        return value

    def segments(self) -> list[str]:
        """Decoded path segments. Decoding per segment keeps ``%2F`` inside its segment."""
        return [unquote(seg, errors="replace") for seg in self.path.split("/") if seg]


@dataclass(frozen=True)
class DemoResponse:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class DemoApi:
    """One hosted API: where it lives, what it imitates, and its handler."""

    name: str
    prefix: str  # "/woocommerce"; the API's own paths follow it
    title: str  # what kind of real system it imitates
    search_path: str  # an example request path (without prefix) shown by the CLI and README
    handle: Callable[[DemoRequest], DemoResponse]


def json_response(
    status: int,
    value: Any,
    *,
    headers: tuple[tuple[str, str], ...] = (),
    charset: str = "utf-8",
    content_type: str = "application/json",
) -> DemoResponse:
    """Serialise with exact numbers: Decimals keep their digits, big ints stay integer literals."""
    text = dumps_exact(value)
    return DemoResponse(status, text.encode(charset), f"{content_type}; charset={charset}", headers)


def correlation_id() -> str:
    return str(uuid.uuid4())


def secret_equals(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def bearer_token(request: DemoRequest) -> str | None:
    """The token of ``Authorization: Bearer <token>`` (scheme case-insensitive, RFC 6750)."""
    value = request.header("authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def basic_credentials(request: DemoRequest) -> tuple[str, str] | None:
    value = request.header("authorization") or ""
    scheme, _, encoded = value.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except ValueError:  # binascii.Error, UnicodeDecodeError, non-ASCII input: all ValueErrors
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def fold_case(text: str) -> str:
    """Case-insensitive but accent-sensitive comparison (PostgreSQL ILIKE, .NET OrdinalIgnoreCase)."""
    return unicodedata.normalize("NFC", text).casefold()


_EXPANSIONS = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "œ": "oe", "þ": "th"})


def fold_accents(text: str) -> str:
    """Case- and accent-insensitive key, approximating MySQL's utf8mb4_unicode_520_ci.

    Marks are dropped (é→e, å→a, ö→o); ø and æ, which Unicode does not decompose, are compared as
    o and ae as the Unicode Collation Algorithm's primary level does.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_EXPANSIONS)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)
