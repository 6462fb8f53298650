"""Copy as cURL: bash quoting, masking, and the round trip import(export(x)) == x.

``x`` is what ``render_request`` produces for a generated request and test inputs (unicode,
quotes, newlines and control characters in bodies, repeated query keys, header values with
colons, every body type, every credential type). The round trip compares the rendered requests:
method, URL, headers (per name, in order), body bytes. One documented exception: a *raw* body
whose text the importer recognises as JSON or as a form comes back as a JSON template or form
fields, so it compares as the same JSON document or the same fields.

The exported command is also run by the real bash and curl (when installed) against a
recording server on 127.0.0.1, and what curl sends is compared with what the runtime sends.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from decimal import Decimal
from typing import Any, get_args
from urllib.parse import parse_qsl, unquote

import pytest
from curl_wire import render
from http_servers import Arrived, Reply, http_server
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from designer.core.config import (
    ApiKeyAuth,
    Auth,
    BasicAuth,
    BearerAuth,
    Body,
    FormBody,
    Header,
    HttpMethod,
    JsonBody,
    NoAuth,
    NoBody,
    Param,
    RawBody,
    Request,
    SecretRef,
)
from designer.core.curl_credentials import is_key_header, is_key_param
from designer.core.curl_export import CurlExportError, shell_quote, to_curl
from designer.core.curl_import import import_curl
from designer.core.curl_tokenize import tokenize
from designer.core.errors import RenderError
from designer.core.fetch import fetch
from designer.core.jsonio import dumps_exact, loads_exact
from designer.core.model_types import MASK, Inputs, RenderedRequest

# -- quoting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("https://x.example.com/a", "https://x.example.com/a"),
        ("a b", "'a b'"),
        ("O'Brien", "'O'\\''Brien'"),
        ("line1\nline2", "'line1\nline2'"),
        ("tab\there", "$'tab\\there'"),
        ("cr\r\nlf 'q' \\", "$'cr\\r\\nlf \\'q\\' \\\\'"),
        ("\x1b[0m", "$'\\x1B[0m'"),
        ("a\u2028b", "$'a\\u2028b'"),
        ("$HOME `x` $(y)", "'$HOME `x` $(y)'"),
        ("", "''"),
        ("~user", "'~user'"),
    ],
)
def test_shell_quote(text: str, quoted: str) -> None:
    assert shell_quote(text) == quoted
    assert [w.text for w in tokenize(f"curl {quoted}").commands[0]] == ["curl", text]


def test_nul_cannot_be_exported() -> None:
    with pytest.raises(CurlExportError):
        to_curl(RenderedRequest("POST", "http://x/", (), b"a\x00b"))


def test_secrets_are_masked_unless_included() -> None:
    request = RenderedRequest(
        "POST",
        "https://x.example.com/c?apikey=k-77",
        (("Authorization", "Bearer t-99"),),
        b'{"token":"t-99"}',
        frozenset({"t-99", "k-77"}),
    )
    masked = to_curl(request)
    assert "t-99" not in masked and "k-77" not in masked and masked.count(MASK) == 3
    shown = to_curl(request, include_secrets=True, multiline=False)
    assert shown == (
        "curl 'https://x.example.com/c?apikey=k-77' -H 'Authorization: Bearer t-99' "
        '--data-raw \'{"token":"t-99"}\''
    )


@pytest.mark.parametrize(
    ("method", "body", "start"),
    [
        ("GET", b"", "curl http://x/"),
        ("HEAD", b"", "curl --head http://x/"),
        ("DELETE", b"", "curl -X DELETE http://x/"),
        ("POST", b"", "curl -X POST http://x/"),
        ("POST", b"a", "curl http://x/"),
        ("GET", b"a", "curl -X GET http://x/"),
    ],
)
def test_method_flags(method: str, body: bytes, start: str) -> None:
    command = to_curl(RenderedRequest(method, "http://x/", (), body), multiline=False)
    assert command.startswith(start)
    assert import_curl(command).request.method == method


def test_url_globs_are_switched_off_and_spaces_encoded() -> None:
    command = to_curl(RenderedRequest("GET", "http://x/a b/{id}[0]", ()), multiline=False)
    assert command == "curl -g 'http://x/a%20b/{id}[0]'"
    assert "url_glob" not in {m.code for m in import_curl(command).warnings}


# -- generated requests ---------------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20)
_ASCII = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20)
_TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SEGMENT = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), exclude_characters="/?#%\\"),
    min_size=1,
    max_size=8,
)


def _placeholder_or(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(text, st.sampled_from(["{search_term}", "{currency_code}", "x-{search_term}-y"]))


@st.composite
def _url(draw: st.DrawFn) -> str:
    segments = draw(st.lists(_placeholder_or(_SEGMENT), max_size=4))
    literal = draw(st.sampled_from(["", "?fixed=1", "?a=x+y&a=2", "?flag&b=%2F"]))
    scheme = draw(st.sampled_from(["http", "https"]))
    return f"{scheme}://api.example.com/" + "/".join(segments) + literal


def _name(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return text.filter(lambda n: bool(n.strip()) and not is_key_param(n.strip()))


_header_name = st.text(st.sampled_from(_TOKEN_CHARS), min_size=1, max_size=10).map(lambda n: f"X-H{n}")
_header_value = _ASCII.map(str.strip)
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.decimals(allow_nan=False, allow_infinity=False, places=4)
    | _placeholder_or(_TEXT),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_TEXT, children, max_size=3),
    max_leaves=8,
)


@st.composite
def _raw_body(draw: st.DrawFn) -> RawBody:
    content_type = draw(
        st.sampled_from(
            [
                "text/plain; charset=utf-8",
                "application/json",
                "application/xml",
                "application/x-www-form-urlencoded",
                "text/plain; charset=iso-8859-1",
                "",
            ]
        )
    )
    latin1 = st.text(st.characters(max_codepoint=0xFF, exclude_characters="\x00"), max_size=40)
    text = draw(latin1 if "8859" in content_type else _TEXT)
    return RawBody(text=text, content_type=content_type)


_body: st.SearchStrategy[Body] = st.one_of(
    st.just(NoBody()),
    st.builds(JsonBody, template=_json),
    st.builds(
        FormBody,
        fields=st.lists(st.builds(Param, name=_name(_TEXT), value=_placeholder_or(_TEXT)), max_size=4),
    ),
    _raw_body(),
)
# Secrets start with a marker so that "the secret appears in the command" cannot be a coincidence.
_secret = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=16).map(lambda s: f"sk_{s}")


@st.composite
def _auth(draw: st.DrawFn) -> tuple[Auth, dict[str, str]]:
    kind = draw(st.sampled_from(["none", "basic", "bearer", "header", "query", "authorization"]))
    value = draw(_secret)
    ref = SecretRef(secret="S")
    if kind == "basic":
        password = "pw_" + draw(_TEXT)
        user = draw(_TEXT.filter(lambda u: ":" not in u))
        return BasicAuth(username=user, password=ref), {"S": password}
    if kind == "bearer":
        return BearerAuth(token=ref), {"S": value}
    if kind == "header":
        name = draw(st.sampled_from(["X-API-Key", "X-Shopify-Access-Token", "apikey"]))
        return ApiKeyAuth(name=name, value=ref, prefix=draw(st.sampled_from(["", "ApiKey "]))), {"S": value}
    if kind == "query":
        name = draw(st.sampled_from(["apikey", "api_key", "access_token"]))
        return ApiKeyAuth(location="query", name=name, value=ref), {"S": "qk_" + draw(_TEXT)}
    if kind == "authorization":
        return ApiKeyAuth(name="Authorization", value=ref, prefix="Token "), {"S": value}
    return NoAuth(), {}


@st.composite
def rendered_requests(draw: st.DrawFn) -> tuple[RenderedRequest, Inputs, Body]:
    body = draw(_body)
    user_headers = draw(st.lists(st.builds(Header, name=_header_name, value=_header_value), max_size=4))
    if not isinstance(body, RawBody) and draw(st.booleans()):
        content_type = draw(st.sampled_from(["application/vnd.api+json", "text/plain", "application/xml"]))
        user_headers.insert(
            draw(st.integers(0, len(user_headers))), Header(name="Content-Type", value=content_type)
        )
    auth, secrets = draw(_auth())
    request = Request(
        method=draw(st.sampled_from(get_args(HttpMethod))),
        url=draw(_url()),
        query=draw(st.lists(st.builds(Param, name=_name(_TEXT), value=_placeholder_or(_TEXT)), max_size=4)),
        headers=user_headers,
        body=body,
        auth=auth,
    )
    term = draw(_TEXT.filter(lambda t: "{search_term}" not in t and "{currency_code}" not in t))
    inputs = Inputs(term, draw(st.from_regex(r"\A[A-Z]{3}\Z")))
    assume(all(not is_key_header(h.name) for h in user_headers))
    try:
        rendered = render(request, secrets, inputs)
    except RenderError:
        assume(False)
        raise
    return rendered, inputs, body


def _fields(headers: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, value in headers:
        fields.setdefault(name.lower(), []).append(value.strip())
    return fields


def _same_body(original: Body, imported: Body, ours: bytes, theirs: bytes) -> bool:
    if ours == theirs:
        return True
    if isinstance(original, RawBody) and isinstance(imported, JsonBody):
        return dumps_exact(loads_exact(ours)) == dumps_exact(loads_exact(theirs))
    if isinstance(original, RawBody) and isinstance(imported, FormBody):
        return parse_qsl(ours.decode(), keep_blank_values=True) == parse_qsl(
            theirs.decode(), keep_blank_values=True
        )
    return False


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rendered_requests())
def test_round_trip_import_of_export_renders_the_same_request(
    case: tuple[RenderedRequest, Inputs, Body],
) -> None:
    x, inputs, original = case
    command = to_curl(x, include_secrets=True)
    imported = import_curl(command)
    y = render(imported.request, imported.secrets, inputs)
    assert y.method == x.method
    assert y.url == x.url
    assert _fields(y.headers) == _fields(x.headers)
    assert _same_body(original, imported.request.body, y.body, x.body), (y.body, x.body)
    assert not {"several_urls", "unknown_option", "shell", "credential_dropped"} & {
        m.code for m in imported.warnings
    }
    assert not set(imported.secrets.values()) - set(x.secrets), "every secret found is one of x's"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rendered_requests())
def test_masked_export_never_shows_a_secret(case: tuple[RenderedRequest, Inputs, Body]) -> None:
    x, _, _ = case
    command = to_curl(x)
    assert not any(secret in command for secret in x.secrets)


# -- the real bash and curl -----------------------------------------------------------------

_CURL = shutil.which("curl")
_BASH = shutil.which("bash")


def _decoded_target(arrived: Arrived) -> str:
    return unquote(arrived.target)


def _compare_with_real_curl(x: RenderedRequest, served: Any) -> None:
    base = served.url
    x = RenderedRequest(x.method, base + x.url.split("api.example.com", 1)[1], x.headers, x.body, x.secrets)
    if x.method == "HEAD":
        x = RenderedRequest("GET", x.url, x.headers, x.body, x.secrets)  # curl's -X HEAD waits for a body
    command = to_curl(x, include_secrets=True) + " -s -o /dev/null --max-time 20"
    assert _BASH is not None
    done = subprocess.run([_BASH, "-c", command], capture_output=True, timeout=30, check=False)
    assert done.returncode == 0, (command, done.stderr)
    by_curl = served.requests[-1]
    asyncio.run(fetch(x, Request().transport, Request().timeouts))
    by_us = served.requests[-1]
    assert by_curl.method == by_us.method
    assert _decoded_target(by_curl) == _decoded_target(by_us), command
    ignore = {"user-agent", "accept-encoding", "connection", "content-length", "host"}
    ours = {k: v for k, v in _fields(by_us.headers).items() if k not in ignore}
    theirs = {k: v for k, v in _fields(by_curl.headers).items() if k not in ignore}
    assert ours == theirs, command
    assert by_curl.body == by_us.body, command


@pytest.mark.skipif(_CURL is None or _BASH is None, reason="needs the curl and bash programs")
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rendered_requests())
def test_real_curl_sends_what_the_runtime_sends(case: tuple[RenderedRequest, Inputs, Body]) -> None:
    x, _, _ = case
    with http_server(Reply()) as served:
        _compare_with_real_curl(x, served)


def test_exported_h029_request_runs_in_real_curl_if_present() -> None:
    """A fixed example (also when curl is missing: the command must still parse back)."""
    x = RenderedRequest(
        "POST",
        "http://api.example.com/v1/search?q=Jensen%20%26%20S%C3%B8n",
        (("X-Signature", "t=1: v1=abc"), ("Content-Type", "application/json")),
        b'{"note":"O\'Brien\\nline2","amount":1.10}',
    )
    imported = import_curl(to_curl(x))
    assert isinstance(imported.request.body, JsonBody)
    assert imported.request.body.template == {"note": "O'Brien\nline2", "amount": Decimal("1.10")}
    if _CURL is None or _BASH is None:
        pytest.skip("needs the curl and bash programs for the second half")
    with http_server(Reply()) as served:
        _compare_with_real_curl(x, served)
