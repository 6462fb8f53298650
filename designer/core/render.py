"""Turning a request template and the POS inputs into the exact request to send.

Placeholder values are never pasted as text: each is encoded for where it lands, so no search
term can change the path, add a query parameter, break the JSON body or inject a header.

* path: every character outside ``A-Z a-z 0-9 - _ ~`` is percent-encoded, dots included, so
  ``..`` or ``/`` in a term stays inside its segment (httpx removes literal dot segments);
* query: values keep only unreserved characters, so ``+ & = #`` and spaces arrive intact
  (``+4520304050`` is sent as ``%2B4520304050``); the template's own query string is kept and
  the parameter table is appended to it (httpx >= 0.28 would drop it if given ``params=``);
* JSON body: the template is a JSON structure; a string leaf that is exactly one placeholder
  becomes that value, other leaves get the value inserted, and serialisation escapes it;
* form body: names and values url-encoded; raw body: escaped by its content type (in raw JSON a
  placeholder inside quotes is escaped, one outside quotes becomes a whole JSON string);
* headers: CR, LF, NUL and other control characters are refused naming the header; non-ASCII is
  refused too unless the header's ``encoding`` is ``percent`` (UTF-8 percent-encoding); leading
  and trailing blanks are trimmed (RFC 9110 field values have none).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import SplitResult, quote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from designer.core.config import (
    PLACEHOLDERS,
    ApiKeyAuth,
    BasicAuth,
    BearerAuth,
    FormBody,
    Header,
    JsonBody,
    Param,
    RawBody,
    Request,
)
from designer.core.errors import DesignerError, InvalidUrlError, RenderError, elide
from designer.core.jsonio import dumps_exact
from designer.core.model_types import Inputs, RenderedRequest
from designer.core.secrets import SecretResolver
from designer.core.urls import address_problem, mask_userinfo

__all__ = [
    "PLACEHOLDER_RE",
    "body_kind",
    "encode_path_value",
    "encode_query_value",
    "find_placeholders",
    "render_request",
    "unknown_placeholders",
    "url_problem",
]

#: ``{name}`` where name looks like an identifier; unknown names are left as literal text.
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

_UNRESERVED = "-._~"
# Literal template text in a query value may keep the readable sub-delimiters; only the
# characters that would change the query's structure are encoded.
_QUERY_LITERAL_SAFE = "-._~!$'()*,;:@/?"
_HEADER_PERCENT_SAFE = "-_.!~*'()"  # as JavaScript's encodeURIComponent
_TOKEN_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # RFC 9110 field-name
_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def find_placeholders(text: str) -> list[str]:
    """Every ``{name}`` in ``text``, known or not, in order."""
    return PLACEHOLDER_RE.findall(text)


def unknown_placeholders(text: str) -> list[str]:
    """Names in braces that are not placeholders (likely typos such as ``{search-term}``)."""
    return [name for name in find_placeholders(text) if name not in PLACEHOLDERS]


def encode_path_value(value: str) -> str:
    """Percent-encode a value for one path segment; ``.`` too, so ``..`` is never a dot segment."""
    return quote(value, safe="-_~").replace(".", "%2E")


def encode_query_value(value: str) -> str:
    """Percent-encode a value for a query name or value: only unreserved characters stay."""
    return quote(value, safe=_UNRESERVED)


def _substitute(
    text: str, inputs: Inputs, encode: Callable[[str], str], literal: Callable[[str], str]
) -> str:
    """Replace known placeholders with ``encode(value)``; other text goes through ``literal``."""
    values = {"search_term": inputs.search_term, "currency_code": inputs.currency_code}
    out: list[str] = []
    last = 0
    for match in PLACEHOLDER_RE.finditer(text):
        name = match.group(1)
        if name not in values:
            continue
        out.append(literal(text[last : match.start()]))
        out.append(encode(values[name]))
        last = match.end()
    out.append(literal(text[last:]))
    return "".join(out)


def _same(text: str) -> str:
    return text


def _exact_placeholder(text: str, inputs: Inputs) -> str | None:
    match = PLACEHOLDER_RE.fullmatch(text)
    if match and match.group(1) in PLACEHOLDERS:
        return inputs.search_term if match.group(1) == "search_term" else inputs.currency_code
    return None


# -- URL ------------------------------------------------------------------------------------


def _url_parts(template: str) -> SplitResult:
    """The parts of the URL template; raises InvalidUrlError/RenderError for one no input can fix."""
    subject = f"the URL {elide(mask_userinfo(template))!r}"
    try:
        parts = urlsplit(template)
    except ValueError as error:
        raise InvalidUrlError(f"{subject} is not valid: {error}") from None
    if any(name in PLACEHOLDERS for name in find_placeholders(parts.netloc)):
        raise RenderError("placeholders cannot be used in the host part of the URL")
    problem = address_problem(parts, ("http", "https"), subject)
    if problem is not None:
        raise InvalidUrlError(problem)
    return parts


def url_problem(url: str) -> str | None:
    """Why a request with this URL template would be refused before sending, or None.

    The very check :func:`render_request` makes, for ``validate`` and the window's URL field.
    """
    try:
        _url_parts(url.strip())
    except DesignerError as error:
        return error.message
    return None


def _render_url(request: Request, inputs: Inputs, extra_query: list[tuple[str, str]]) -> str:
    template = request.url.strip()
    parts = _url_parts(template)
    path = _substitute(parts.path, inputs, encode_path_value, _same) or "/"
    pieces = [_substitute(parts.query, inputs, encode_query_value, _same)] if parts.query else []
    for param in request.query:
        if not param.enabled or _blank(param, "query parameter"):
            continue
        name = _substitute(param.name, inputs, encode_query_value, _query_literal)
        value = _substitute(param.value, inputs, encode_query_value, _query_literal)
        pieces.append(f"{name}={value}")
    pieces.extend(f"{encode_query_value(k)}={encode_query_value(v)}" for k, v in extra_query)
    query = "&".join(pieces)
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{query}" if query else "")


def _query_literal(text: str) -> str:
    return quote(text, safe=_QUERY_LITERAL_SAFE)


def _blank(param: Param, what: str) -> bool:
    """True for an empty table row (skipped); a value without a name is a mistake."""
    if param.name.strip():
        return False
    if param.value:
        raise RenderError(f"a {what} has the value {elide(param.value)!r} but no name")
    return True


# -- headers --------------------------------------------------------------------------------


def _check_header_text(name: str, text: str, origin: str) -> None:
    bad = _CONTROL_RE.search(text)
    if bad:
        char = {"\r": "a carriage return (CR)", "\n": "a line feed (LF)", "\x00": "a NUL character"}.get(
            bad.group(), f"the control character U+{ord(bad.group()):04X}"
        )
        raise RenderError(f"header {elide(name)!r} cannot be sent: {origin} contains {char}")
    if not text.isascii():
        raise RenderError(
            f"header {elide(name)!r} cannot carry the non-ASCII text in {origin}; "
            "set the header's encoding to 'percent' to send it percent-encoded (UTF-8)"
        )


def _render_header(header: Header, inputs: Inputs) -> tuple[str, str]:
    name = header.name.strip()
    if not _TOKEN_RE.match(name):
        raise RenderError(
            f"{elide(name)!r} is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"
        )

    def encode(value: str) -> str:
        if header.encoding == "percent":
            return quote(value, safe=_HEADER_PERCENT_SAFE)
        _check_header_text(name, value, "the placeholder value")
        return value

    def literal(text: str) -> str:
        _check_header_text(name, text, "its text")
        return text

    # RFC 9110 5.5: a field value has no leading or trailing whitespace (receivers drop it, and
    # httpx refuses to send it), so it is trimmed here where the preview shows it.
    return name, _substitute(header.value, inputs, encode, literal).strip(" \t")


def _secret_header(name: str, value: str, what: str) -> tuple[str, str]:
    # Never echo a secret in the message: only which credential is unusable.
    if _CONTROL_RE.search(value) or not value.isascii():
        raise RenderError(
            f"the {what} cannot be sent in header {name!r}: it contains a line break, control "
            "character or non-ASCII text"
        )
    return name, value.strip(" \t")


# -- body -----------------------------------------------------------------------------------


def body_kind(content_type: str) -> str:
    """ "json", "form", "xml" or "text": how placeholder values are escaped in a raw body."""
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in ("application/json", "text/json") or mime.endswith("+json"):
        return "json"
    if mime == "application/x-www-form-urlencoded":
        return "form"
    if mime in ("application/xml", "text/xml") or mime.endswith("+xml"):
        return "xml"
    return "text"


def _charset(content_type: str) -> str:
    match = re.search(r";\s*charset\s*=\s*\"?([^\";\s]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else "utf-8"


def _xml_value(value: str) -> str:
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value):
        raise RenderError("the placeholder value contains control characters that XML cannot carry")
    return xml_escape(value, {'"': "&quot;", "'": "&apos;"})


_RAW_ENCODERS: dict[str, Callable[[str], str]] = {
    "form": encode_query_value,
    "xml": _xml_value,
    "text": _same,
}
#: A JSON string literal (to skip) or a placeholder; used to tell where each placeholder stands.
_JSON_STRING_OR_PLACEHOLDER = re.compile(r'"(?:[^"\\]|\\.)*"?|' + PLACEHOLDER_RE.pattern)


def _raw_json(text: str, inputs: Inputs) -> str:
    """Placeholders in raw JSON text: escaped inside a string, a whole JSON string elsewhere.

    Only escaping would let ``{"id": {search_term}}`` take the term ``1, "admin": true`` as two
    members; outside quotes the value therefore becomes a complete, quoted JSON string.
    """
    out: list[str] = []
    last = 0
    for match in _JSON_STRING_OR_PLACEHOLDER.finditer(text):
        if match.group(0).startswith('"'):
            inner = match.group(0)
            out.append(text[last : match.start()])
            out.append(_substitute(inner, inputs, lambda v: json.dumps(v, ensure_ascii=False)[1:-1], _same))
        else:
            value = _exact_placeholder(match.group(0), inputs)
            out.append(text[last : match.start()])
            out.append(match.group(0) if value is None else json.dumps(value, ensure_ascii=False))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _json_template(node: Any, inputs: Inputs) -> Any:
    if isinstance(node, str):
        exact = _exact_placeholder(node, inputs)
        return exact if exact is not None else _substitute(node, inputs, _same, _same)
    if isinstance(node, dict):
        return {_json_template(k, inputs): _json_template(v, inputs) for k, v in node.items()}
    if isinstance(node, list):
        return [_json_template(item, inputs) for item in node]
    return node


def _render_body(request: Request, inputs: Inputs) -> tuple[bytes, str | None]:
    body = request.body
    if isinstance(body, JsonBody):
        text = dumps_exact(_json_template(body.template, inputs))
        return text.encode("utf-8"), "application/json"
    if isinstance(body, FormBody):
        pairs = []
        for field in body.fields:
            if not field.enabled or _blank(field, "form field"):
                continue
            name = encode_query_value(_substitute(field.name, inputs, _same, _same))
            pairs.append(f"{name}={encode_query_value(_substitute(field.value, inputs, _same, _same))}")
        return "&".join(pairs).encode("ascii"), "application/x-www-form-urlencoded"
    if isinstance(body, RawBody):
        kind = body_kind(body.content_type)
        if kind == "json":
            text = _raw_json(body.text, inputs)
        else:
            text = _substitute(body.text, inputs, _RAW_ENCODERS[kind], _same)
        charset = _charset(body.content_type)
        try:
            return text.encode(charset), body.content_type
        except LookupError:
            raise RenderError(
                f"the body's content type names an unknown charset {elide(charset)!r}"
            ) from None
        except UnicodeEncodeError as error:
            raise RenderError(
                f"the body cannot be written in {elide(charset)}: {error.object[error.start : error.end]!r} "
                "has no representation in it"
            ) from None
    return b"", None


# -- the request ----------------------------------------------------------------------------


def render_request(request: Request, inputs: Inputs, secrets: SecretResolver) -> RenderedRequest:
    """The request exactly as it will be sent for ``inputs``; raises RenderError/SecretError.

    ``secrets`` of the result holds every credential value (and its Basic-auth encoding) so that
    ``masked()`` can hide them wherever the request is shown or stored.
    """
    _check_inputs(inputs)
    try:
        return _render(request, inputs, secrets)
    except UnicodeEncodeError as error:
        # Text that is not valid Unicode (an unpaired surrogate) cannot be encoded anywhere.
        raise RenderError(
            f"the request cannot be built: its text holds {error.object[error.start : error.end]!r}, "
            "which is not valid Unicode"
        ) from None


def _check_inputs(inputs: Inputs) -> None:
    for what, value in (("search term", inputs.search_term), ("currency code", inputs.currency_code)):
        bad = _SURROGATE.search(value)
        if bad:
            raise RenderError(
                f"the {what} is not valid text: it holds U+{ord(bad.group()):04X}, which is what bytes "
                "that are not UTF-8 become (e.g. on a command line in another encoding)"
            )


def _render(request: Request, inputs: Inputs, secrets: SecretResolver) -> RenderedRequest:
    secret_values: set[str] = set()
    headers: list[tuple[str, str]] = []
    extra_query: list[tuple[str, str]] = []
    for header in request.headers:
        if header.enabled and not _blank(header, "header"):
            headers.append(_render_header(header, inputs))

    auth = request.auth
    if isinstance(auth, BasicAuth):
        password = secrets.resolve(auth.password)
        if ":" in auth.username:
            raise RenderError("a Basic auth user name cannot contain ':'")
        token = base64.b64encode(f"{auth.username}:{password}".encode()).decode("ascii")
        secret_values.update({password, token})
        headers.append(("Authorization", f"Basic {token}"))
    elif isinstance(auth, BearerAuth):
        token = secrets.resolve(auth.token)
        secret_values.add(token)
        headers.append(_secret_header("Authorization", f"Bearer {token}", "bearer token"))
    elif isinstance(auth, ApiKeyAuth):
        key = secrets.resolve(auth.value)
        secret_values.add(key)
        if auth.location == "header":
            if not _TOKEN_RE.match(auth.name):
                raise RenderError(f"{elide(auth.name)!r} is not a valid header name for the API key")
            headers.append(_secret_header(auth.name, f"{auth.prefix}{key}", "API key"))
        else:
            extra_query.append((auth.name, f"{auth.prefix}{key}"))

    url = _render_url(request, inputs, extra_query)
    body, content_type = _render_body(request, inputs)
    if content_type is not None and not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", content_type))
    return RenderedRequest(
        method=request.method,
        url=url,
        headers=tuple(headers),
        body=body,
        secrets=frozenset(s for s in secret_values if s),
    )
