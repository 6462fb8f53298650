"""Fetching against real servers on 127.0.0.1: limits, redirects, charsets, and failures in words.

No timed assertions: a timeout test only checks that the right typed error comes back; the
servers wait on an event that the test's teardown sets, so nothing outlives a test.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from http_servers import Reply, Served, closed_port_url, http_server, make_self_signed_cert, silent_server
from pitfall_cases import case_replies

from designer.core.config import (
    ApiKeyAuth,
    BearerAuth,
    FieldMapping,
    LookupConfig,
    Request,
    ResponseSpec,
    SecretRef,
    Timeouts,
    Transport,
)
from designer.core.errors import (
    ConnectionRefusedError_,
    FetchError,
    HttpStatusError,
    NameNotResolvedError,
    ProtocolError,
    ResponseFormatError,
    TimeoutError_,
    TlsError,
    TooLargeError,
    TooManyRedirectsError,
)
from designer.core.fetch import fetch
from designer.core.model_types import Exchange, Inputs, RenderedRequest
from designer.core.runtime import LookupResult, lookup
from designer.core.secrets import ChainResolver, MappingSource

FAST = Timeouts(connect=2, read=2, total=5)
SECRET = "k3y-0f-the-sh0p"
RESOLVER = ChainResolver([MappingSource({"SHOP_KEY": SECRET})])


def get(
    url: str, transport: Transport | None = None, timeouts: Timeouts = FAST, **kwargs: object
) -> Exchange:
    rendered = RenderedRequest("GET", url, (), **kwargs)  # type: ignore[arg-type]
    return asyncio.run(fetch(rendered, transport or Transport(), timeouts))


def failure(url: str, transport: Transport | None = None, timeouts: Timeouts = FAST) -> FetchError:
    with pytest.raises(FetchError) as caught:
        get(url, transport, timeouts)
    return caught.value


def run_lookup(config: LookupConfig, term: str = "ada") -> LookupResult:
    return asyncio.run(lookup(config, Inputs(term), secrets=RESOLVER))


CUSTOMERS = ResponseSpec(
    records_path="$.customers[*]",
    fields={
        "identifier": FieldMapping(paths=["$.id"]),
        "name": FieldMapping(paths=["$.name"]),
        "city": FieldMapping(paths=["$.city"]),
    },
)


# ------------------------------------------------------------------------------------ success


def test_an_exchange_records_status_headers_size_and_body() -> None:
    reply = Reply(body=b'{"customers": []}', headers=[("X-Request-Id", "abc")])
    with http_server(reply) as server:
        exchange = get(server.url + "/c")
    assert (exchange.status, exchange.reason) == (200, "OK")
    assert exchange.header("x-request-id") == "abc" and exchange.content_type == "application/json"
    assert exchange.body == b'{"customers": []}' and exchange.size == len(exchange.body)
    assert exchange.redirects == () and exchange.elapsed_ms > 0
    assert exchange.request.url == server.url + "/c"


def test_a_chunked_body_is_read_whole() -> None:
    with http_server(Reply(chunks=[b'{"customers":', b" [", b"]}"])) as server:
        assert get(server.url).body == b'{"customers": []}'


def test_an_error_status_is_an_exchange_with_its_body() -> None:
    with http_server(Reply(status=503, body=b"maintenance until 14:00", content_type="text/plain")) as server:
        exchange = get(server.url)
    assert exchange.status == 503 and exchange.body == b"maintenance until 14:00"


# ------------------------------------------------------------------------------------ timeouts


def test_read_timeout_when_the_server_accepts_but_never_answers() -> None:
    with silent_server() as server:
        error = failure(server.url, timeouts=Timeouts(connect=2, read=0.3, total=10))
    assert isinstance(error, TimeoutError_)
    assert "read timeout" in str(error) and "0.3 s" in str(error)


def test_read_timeout_when_the_answer_is_late() -> None:
    with http_server(Reply(delay=30)) as server:
        error = failure(server.url, timeouts=Timeouts(connect=2, read=0.3, total=10))
    assert isinstance(error, TimeoutError_) and "read timeout" in str(error)


def test_total_timeout_cuts_a_slow_drip_and_keeps_what_arrived() -> None:
    drip = Reply(chunks=[b"[", *[b" "] * 1000, b"]"], chunk_delay=0.05)
    with http_server(drip) as server:
        error = failure(server.url, timeouts=Timeouts(connect=2, read=2, total=0.5))
    assert isinstance(error, TimeoutError_) and "total timeout" in str(error)
    assert error.exchange is not None and error.exchange.status == 200
    assert error.exchange.body.startswith(b"[") and "still arriving" in str(error)


@pytest.mark.skipif(sys.platform != "linux", reason="relies on Linux dropping SYNs on a full backlog")
def test_connect_timeout_when_the_connection_is_never_accepted() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):  # fill the accept queue so new connection attempts hang
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        error = failure(f"http://127.0.0.1:{port}/", timeouts=Timeouts(connect=0.3, read=5, total=10))
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
    assert isinstance(error, TimeoutError_) and "connect timeout" in str(error)


# ------------------------------------------------------------------------------------ size


def test_size_limit_is_enforced_while_streaming() -> None:
    with http_server(Reply(endless=True)) as server:
        error = failure(server.url, Transport(max_response_bytes=300_000))
    assert isinstance(error, TooLargeError)
    assert "limit of 293.0 KB" in str(error) and "cut off" in str(error)
    assert error.exchange is not None and error.exchange.status == 200
    assert len(error.exchange.body) <= 300_000


def test_size_limit_by_content_length_before_reading() -> None:
    with http_server(Reply(body=b"x" * 5000)) as server:
        error = failure(server.url, Transport(max_response_bytes=1000))
    assert isinstance(error, TooLargeError) and "Content-Length" in str(error) and "4.9 KB" in str(error)


def test_a_body_exactly_at_the_limit_is_fine_and_a_lying_length_is_still_capped() -> None:
    with http_server(Reply(body=b"x" * 1000)) as server:
        assert len(get(server.url, Transport(max_response_bytes=1000)).body) == 1000
    with http_server(Reply(chunks=[b"y" * 800, b"y" * 800])) as server:
        assert isinstance(failure(server.url, Transport(max_response_bytes=1000)), TooLargeError)


def test_the_default_limit_is_20_mb() -> None:
    assert Transport().max_response_bytes == 20 * 1024 * 1024


# ------------------------------------------------------------------------------------ redirects


def test_h017_redirect_is_followed_with_the_hop_reported_and_the_final_body_mapped() -> None:
    moved, final = case_replies("H017.http")
    routes = {"/v1/customers": moved, "/v1/customers/": final}
    moved.headers = [("Location", "/v1/customers/?q=ada"), *[h for h in moved.headers if h[0] != "Location"]]
    with http_server(routes) as server:
        config = LookupConfig(request=Request(url=server.url + "/v1/customers"), response=CUSTOMERS)
        result = run_lookup(config)
        assert server.paths == ["/v1/customers", "/v1/customers/?q=ada"]
    assert result.error is None
    assert [(c.identifier, c.name) for c in result.customers] == [("K1", "Ada Jensen")]
    assert result.exchange is not None
    assert result.exchange.redirects == (f"301 {server.url}/v1/customers → /v1/customers/?q=ada",)


def _chain(length: int) -> dict[str, Reply]:
    routes = {f"/r{i}": Reply(302, headers=[("Location", f"/r{i + 1}")], body=b"") for i in range(length)}
    routes[f"/r{length}"] = Reply(body=b"[]")
    return routes


def test_redirects_up_to_the_limit_are_followed() -> None:
    with http_server(_chain(3)) as server:
        exchange = get(server.url + "/r0", Transport(max_redirects=3))
    assert exchange.status == 200 and len(exchange.redirects) == 3


def test_one_redirect_too_many_is_an_error_with_the_chain() -> None:
    with http_server(_chain(3)) as server:
        error = failure(server.url + "/r0", Transport(max_redirects=2))
        assert server.paths == ["/r0", "/r1", "/r2"]  # the third hop is not requested
    assert isinstance(error, TooManyRedirectsError)
    assert "limit of 2" in str(error) and "/r2 → /r3" in str(error)


def test_redirects_not_followed_when_switched_off() -> None:
    with http_server(_chain(1)) as server:
        exchange = get(server.url + "/r0", Transport(follow_redirects=False))
        config = LookupConfig(
            request=Request(url=server.url + "/r0", transport=Transport(follow_redirects=False))
        )
        result = run_lookup(config)
    assert exchange.status == 302 and exchange.redirects == ()
    assert isinstance(result.error, HttpStatusError) and "redirect to /r1" in str(result.error)


def test_a_redirect_with_an_endless_body_is_not_read() -> None:
    routes = {"/a": Reply(302, headers=[("Location", "/b")], endless=True), "/b": Reply(body=b"[]")}
    with http_server(routes) as server:
        assert get(server.url + "/a", Transport(max_response_bytes=1000)).body == b"[]"


def test_an_injected_client_still_follows_the_projects_redirect_rules() -> None:
    with http_server(_chain(2)) as server:

        async def go() -> Exchange:
            async with httpx.AsyncClient(follow_redirects=False, max_redirects=0) as client:
                rendered = RenderedRequest("GET", server.url + "/r0", ())
                return await fetch(rendered, Transport(max_redirects=5), FAST, client=client)

        assert asyncio.run(go()).redirects != ()


def test_a_credential_header_is_not_carried_to_another_host() -> None:
    with http_server(Reply(body=b"[]")) as other:
        with http_server({"/c": Reply(302, headers=[("Location", other.url + "/elsewhere")])}) as server:
            auth = ApiKeyAuth(name="X-Api-Key", value=SecretRef(secret="SHOP_KEY"))
            result = run_lookup(LookupConfig(request=Request(url=server.url + "/c", auth=auth)))
            assert server.last.header("X-Api-Key") == SECRET
        assert other.last.header("X-Api-Key") is None
    assert result.error is None
    assert any("X-Api-Key" in note and "another port" in note for note in result.notes)


# ------------------------------------------------------------------------------------ charsets


def test_h015_declared_latin1_charset_is_honoured() -> None:
    (reply,) = case_replies("H015.http")
    with http_server(reply) as server:
        result = run_lookup(LookupConfig(request=Request(url=server.url + "/c"), response=CUSTOMERS))
    assert result.error is None
    (customer,) = result.customers
    assert (customer.name, customer.city) == ("Søren Æbelø", "Århus")
    assert result.decoded is not None and result.decoded.charset == "iso-8859-1"
    assert "Søren Æbelø" in result.decoded.text  # the raw view shows the same text


def test_h016_utf8_bom_is_tolerated() -> None:
    (reply,) = case_replies("H016.http")
    assert reply.body.startswith(b"\xef\xbb\xbf")
    with http_server(reply) as server:
        result = run_lookup(LookupConfig(request=Request(url=server.url + "/c"), response=CUSTOMERS))
    assert [(c.identifier, c.name) for c in result.customers] == [("K1", "Ada Jensen")]
    assert result.decoded is not None and not result.decoded.text.startswith("\ufeff")
    assert result.exchange is not None and result.exchange.body == reply.body  # raw bytes kept as sent


# ------------------------------------------------------------------------------------ failures


def test_name_not_resolved() -> None:
    error = failure("http://customers.example.invalid/v1/customers")
    assert isinstance(error, NameNotResolvedError)
    assert "'customers.example.invalid' could not be resolved" in str(error)


def test_connection_refused() -> None:
    error = failure(closed_port_url() + "/c")
    assert isinstance(error, ConnectionRefusedError_)
    assert "refused the connection" in str(error) and "is the server running?" in str(error)


def test_tls_to_a_plain_http_port() -> None:
    with http_server(Reply()) as server:
        error = failure(server.url.replace("http://", "https://"))
    assert isinstance(error, TlsError)
    assert "TLS handshake" in str(error) and "http:// rather than https://" in str(error)


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    pytest.importorskip("cryptography")
    return make_self_signed_cert(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def https_server(tls_files: tuple[Path, Path]) -> Iterator[Served]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls_files)
    with http_server(Reply(body=b'{"customers": []}'), tls=context) as server:
        yield server


def test_self_signed_certificate_is_refused_with_advice(https_server: Served) -> None:
    error = failure(https_server.url + "/c")
    assert isinstance(error, TlsError)
    assert "certificate of 127.0.0.1 was not accepted (self-signed certificate)" in str(error)
    assert "CA bundle" in str(error)


def test_self_signed_certificate_accepted_with_its_ca_bundle_or_verification_off(
    https_server: Served, tls_files: tuple[Path, Path]
) -> None:
    assert get(https_server.url, Transport(ca_bundle=str(tls_files[0]))).status == 200
    assert get(https_server.url, Transport(verify_tls=False)).status == 200
    config = LookupConfig(request=Request(url=https_server.url, transport=Transport(verify_tls=False)))
    result = run_lookup(config)
    assert any("verification is OFF" in note for note in result.notes)


def test_an_unusable_ca_bundle_is_a_tls_error(tmp_path: Path) -> None:
    error = failure("https://127.0.0.1:1/", Transport(ca_bundle=str(tmp_path / "missing.pem")))
    assert isinstance(error, TlsError) and "missing.pem" in str(error)


def test_connection_closed_mid_body_keeps_what_arrived() -> None:
    with http_server(Reply(body=b'{"customers": [' + b" " * 500 + b"]}", cut_after=100)) as server:
        error = failure(server.url)
    assert isinstance(error, ProtocolError) and "broke off after 100 B" in str(error)
    assert error.exchange is not None and len(error.exchange.body) == 100


def test_a_server_that_does_not_speak_http() -> None:
    with http_server(Reply(raw=b"SSH-2.0-OpenSSH_9.6\r\n")) as server:
        error = failure(server.url)
    assert isinstance(error, ProtocolError) and "did not answer with valid HTTP" in str(error)


def test_http_status_error_keeps_the_body() -> None:
    body = b'{"error": "Invalid API key", "hint": "see the admin panel"}'
    with http_server(Reply(status=401, body=body)) as server:
        result = run_lookup(LookupConfig(request=Request(url=server.url), response=CUSTOMERS))
    assert isinstance(result.error, HttpStatusError)
    assert "HTTP 401 Unauthorized" in str(result.error) and "credentials were refused" in str(result.error)
    assert "Invalid API key" in str(result.error)
    assert result.exchange is not None and result.exchange.body == body


def test_h024_h025_not_json_says_the_content_type_and_first_bytes() -> None:
    body = b"customer;name\nK1;Ada Jensen\n"
    with http_server(Reply(body=body, content_type="text/csv")) as server:
        result = run_lookup(LookupConfig(request=Request(url=server.url), response=CUSTOMERS))
    assert isinstance(result.error, ResponseFormatError)
    message = str(result.error)
    assert "not valid JSON" in message and "text/csv" in message and "customer;name K1;Ada Jensen" in message
    (sign_in,) = case_replies("H025.http")
    with http_server(sign_in) as server:
        result = run_lookup(LookupConfig(request=Request(url=server.url), response=CUSTOMERS))
    assert result.error is not None and "response is HTML, not JSON (title: Sign in)" in str(result.error)
    assert result.exchange is not None and result.exchange.body == sign_in.body


# ------------------------------------------------------------------------------------ no secrets


def _leaks(result: LookupResult) -> list[str]:
    texts = [str(result.error), *result.notes]
    if result.exchange is not None:
        texts += [repr(result.exchange.request), result.exchange.body.decode("latin-1")]
        texts += [v for _, v in result.exchange.headers] + list(result.exchange.redirects)
    return [text for text in texts if SECRET in text]


@pytest.mark.parametrize(
    "reply",
    [
        Reply(status=401, body=f'{{"error": "key {SECRET} is not valid"}}'.encode()),
        Reply(status=302, headers=[("Location", f"/login?key={SECRET}")]),
        Reply(headers=[("Set-Cookie", f"session={SECRET}")], body=f'{{"echo": "{SECRET}"}}'.encode()),
        Reply(body=f"<html><title>Bad key {SECRET}</title></html>".encode(), content_type="text/html"),
        Reply(body=b"x" * 50, cut_after=10),
        Reply(body=b"x" * 5000),
    ],
    ids=["status", "redirect", "echo", "html", "cut", "large"],
)
@pytest.mark.parametrize("location", ["query", "header"])
def test_messages_and_records_never_contain_the_secret(reply: Reply, location: str) -> None:
    if location == "query":
        auth: ApiKeyAuth | BearerAuth = ApiKeyAuth(
            location="query", name="key", value=SecretRef(secret="SHOP_KEY")
        )
    else:
        auth = BearerAuth(token=SecretRef(secret="SHOP_KEY"))
    transport = Transport(max_redirects=0, max_response_bytes=1000)
    with http_server(reply) as server:
        config = LookupConfig(request=Request(url=server.url + "/c", auth=auth, transport=transport))
        result = run_lookup(config)
        assert server.requests, "the request must have been sent"
    assert _leaks(result) == []


def test_a_failure_at_a_url_with_a_key_never_shows_the_key() -> None:
    auth = ApiKeyAuth(location="query", name="key", value=SecretRef(secret="SHOP_KEY"))
    for url in ["http://shop.example.invalid/c", closed_port_url() + "/c"]:
        result = run_lookup(LookupConfig(request=Request(url=url, auth=auth)))
        assert isinstance(result.error, FetchError)
        assert _leaks(result) == []
        assert result.exchange is not None and "key=" in result.exchange.request.url
