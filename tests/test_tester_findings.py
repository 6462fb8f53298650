"""What a tester found by trying to break the core and the command line, one test (or a few) each.

Every finding is a kind of input, not one value: the tests try several members of each kind.
The promise for all of them: a clear one-line message, never a traceback, never a secret.
End-to-end cases talk to real servers on 127.0.0.1 (``http_servers``); nothing mocks httpx.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from http_servers import Arrived, Reply, closed_port_url, http_server

from designer.cli import _unknown_command, main
from designer.core.config import (
    BasicAuth,
    BearerAuth,
    FieldMapping,
    Header,
    LookupConfig,
    Param,
    RawBody,
    Request,
    ResponseSpec,
    SecretRef,
    Timeouts,
    Transform,
    Transport,
)
from designer.core.curl_import import import_curl
from designer.core.decode import decode_body
from designer.core.errors import (
    ConfigError,
    ConnectionRefusedError_,
    FetchError,
    NameNotResolvedError,
    ProxyError,
    TooManyRedirectsError,
    elide,
)
from designer.core.fetch import fetch, proxy_problem, socks_supported
from designer.core.lint import lint_config
from designer.core.mapping import map_document
from designer.core.model_types import Inputs, RenderedRequest
from designer.core.preflight import config_refusals
from designer.core.project_io import config_from_text, save_config
from designer.core.runtime import IDENTIFIER_NOT_MAPPED, interpret, lookup_sync
from designer.core.secrets import ChainResolver, MappingSource
from designer.core.transforms import TransformError, parse_number
from designer.demo.cli import port_number

PROXY_PASSWORD = "Pr0xyPa55"
TOKEN = "t0ken-of-the-shop"
RESOLVER = ChainResolver([MappingSource({"SHOP_TOKEN": TOKEN, "SHOP_PASSWORD": TOKEN})])
FAST = Timeouts(connect=2, read=2, total=5)
SPEC = ResponseSpec(
    records_path="$[*]",
    fields={"identifier": FieldMapping(paths=["$.id"]), "name": FieldMapping(paths=["$.name"])},
)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as caught:
        main(list(args))
    assert caught.value.code == 2
    return capsys.readouterr().err


def write(folder: Path, config: LookupConfig, name: str = "config.json") -> Path:
    path = folder / name
    save_config(config, path)
    return path


def config_with(
    url: str = "http://127.0.0.1:9/c?q={search_term}", spec: ResponseSpec = SPEC, **transport: Any
) -> LookupConfig:
    return LookupConfig(
        request=Request(url=url, transport=Transport.model_validate(transport)), response=spec
    )


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text and "Error:" not in text.replace("error:", "")


# -- 1. proxy settings ----------------------------------------------------------------------------

BAD_PROXIES = [
    ("not-a-proxy::", "is not a complete http:// or https:// address"),
    ("http://[::1", "is not valid: Invalid IPv6 URL"),
    (f"http://user:{PROXY_PASSWORD}@127.0.0.1:99999", "Port out of range"),
    ("ftp://proxy.example:21", "is not a complete http:// or https:// address"),
    ("http://", "is not a complete http:// or https:// address"),
]
if not socks_supported():
    BAD_PROXIES.append(("socks5://127.0.0.1:9", "SOCKS is not supported in this build"))


@pytest.mark.parametrize(("proxy", "said"), BAD_PROXIES)
def test_1_a_bad_proxy_is_refused_by_validate_and_by_run_before_sending(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], proxy: str, said: str
) -> None:
    with http_server(Reply(body=b'[{"id": 1}]')) as server:
        path = write(tmp_path, config_with(server.url + "/c?q={search_term}", proxy=proxy))
        code, out, err = cli(capsys, "validate", str(path))
        assert code == 1 and out == ""
        assert "request.transport.proxy: error: the proxy " in err and said in err
        code, out, err = cli(capsys, "run", str(path), "-s", "ada", "-q")
        assert (code, out) == (1, "")
        assert said in err and len(err.strip().splitlines()) == 1
        assert server.requests == []  # refused before sending
    no_traceback(err)
    assert PROXY_PASSWORD not in err


@pytest.mark.parametrize(("proxy", "said"), BAD_PROXIES)
def test_1_fetch_itself_refuses_a_bad_proxy_with_a_typed_error(proxy: str, said: str) -> None:
    # The window may call fetch with any transport: no ValueError, InvalidURL or ImportError.
    rendered = RenderedRequest("GET", "http://127.0.0.1:9/c", ())
    with pytest.raises(ProxyError) as caught:
        asyncio.run(fetch(rendered, Transport(proxy=proxy), FAST))
    assert said in caught.value.message and PROXY_PASSWORD not in caught.value.message
    assert proxy_problem(proxy) == caught.value.message


def test_1_good_proxies_pass_the_check() -> None:
    for proxy in (None, "", "  ", "http://proxy:3128", f"https://u:{PROXY_PASSWORD}@proxy.example:8443"):
        assert proxy_problem(proxy) is None


def test_1_any_exception_of_a_client_becomes_a_fetch_error() -> None:
    def explode(request: httpx.Request) -> httpx.Response:
        raise ValueError(f"something broke for {request.url.host}")

    async def go() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(explode)) as client:
            await fetch(RenderedRequest("GET", "http://shop.example/c", ()), Transport(), FAST, client=client)

    with pytest.raises(FetchError) as caught:
        asyncio.run(go())
    assert "the request to shop.example failed: ValueError: something broke" in caught.value.message


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def test_1_a_proxy_that_refuses_is_named_not_the_target_host(no_proxy_env: pytest.MonkeyPatch) -> None:
    closed = closed_port_url()
    proxy = closed.replace("http://", f"http://user:{PROXY_PASSWORD}@")
    result = lookup_sync(config_with("http://example.invalid/c?q={search_term}", proxy=proxy), Inputs("a"))
    assert isinstance(result.error, ConnectionRefusedError_)
    assert result.error.message.startswith(f"the proxy {closed} refused the connection")
    assert "example.invalid" not in result.error.message and PROXY_PASSWORD not in result.error.message
    # The same for the system proxy (HTTP_PROXY), which httpx routes this URL through.
    no_proxy_env.setenv("HTTP_PROXY", proxy)
    system = lookup_sync(config_with("http://example.invalid/c?q={search_term}"), Inputs("a"))
    assert isinstance(system.error, ConnectionRefusedError_)
    assert f"the proxy {closed} refused" in system.error.message
    assert PROXY_PASSWORD not in system.error.message


def test_1_a_proxy_name_that_does_not_resolve_is_named(no_proxy_env: pytest.MonkeyPatch) -> None:
    config = config_with("http://merchant.example/c?q={search_term}", proxy="http://proxy.invalid:3128")
    result = lookup_sync(config, Inputs("a"))
    assert isinstance(result.error, NameNotResolvedError)
    assert "the proxy's host name 'proxy.invalid' could not be resolved" in result.error.message


# -- 2. validate reports what run refuses -----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("not a url", "is not a complete http:// or https:// address"),
        ("ftp://127.0.0.1/x?q={search_term}", "is not a complete http:// or https:// address"),
        ("http://[::1/x?q={search_term}", "is not valid: Invalid IPv6 URL"),
        ("http://127.0.0.1:99999/x?q={search_term}", "Port out of range"),
        ("http://exa mple.com/x?q={search_term}", "holds a character no host name can have"),
        ("http:///x?q={search_term}", "is not a complete http:// or https:// address"),
    ],
)
def test_2_validate_refuses_every_url_run_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, said: str
) -> None:
    path = write(tmp_path, config_with(url))
    code, _, err = cli(capsys, "validate", str(path))
    assert code == 1 and "request.url: error: " in err and said in err
    code, out, run_err = cli(capsys, "run", str(path), "-s", "ada")
    assert (code, out) == (1, "") and said in run_err
    # One implementation: the lookup's own refusal is what validate lists as an error.
    config = config_with(url)
    errors = [p for p in lint_config(config) if p.severity == "error"]
    assert errors == config_refusals(config)


@pytest.mark.parametrize(
    ("request_fields", "said"),
    [
        (
            {"headers": [Header(name="X Search", value="{search_term}")]},
            "'X Search' is not a valid header name",
        ),
        ({"query": [Param(name="", value="orphan")]}, "has the value 'orphan' but no name"),
        ({"auth": BasicAuth(username="a:b", password=SecretRef(secret="P"))}, "cannot contain ':'"),
        ({"body": RawBody(text="x", content_type="text/plain; charset=nope")}, "unknown charset 'nope'"),
        ({"url": "http://{search_term}.example/c"}, "placeholders cannot be used in the host"),
    ],
)
def test_2_validate_refuses_what_the_renderer_refuses_for_any_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], request_fields: dict[str, Any], said: str
) -> None:
    fields = {"url": "http://127.0.0.1:9/c?q={search_term}", **request_fields}
    path = write(tmp_path, LookupConfig(request=Request(**fields), response=SPEC))
    code, _, err = cli(capsys, "validate", str(path))
    assert code == 1 and ": error: " in err and said in err
    code, out, run_err = cli(capsys, "run", str(path), "-s", "ada", "-q")
    assert (code, out) == (1, "") and said in run_err


# -- 3. an invalid field path makes the config unusable ---------------------------------------

INVALID_NAME = ResponseSpec(
    records_path="$[*]",
    fields={"identifier": FieldMapping(paths=["$.id"]), "name": FieldMapping(paths=["$.name.."])},
)


def test_3_run_refuses_an_invalid_field_path_before_sending(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with http_server(Reply(body=b'[{"id": 1, "name": "Ada"}]')) as server:
        path = write(tmp_path, config_with(server.url + "/c?q={search_term}", INVALID_NAME))
        code, out, err = cli(capsys, "run", str(path), "-s", "ada", "-q")
        assert server.requests == []
    assert (code, out) == (1, "")
    assert "response.fields.name.paths[0]: invalid JSONPath '$.name..'" in err  # even with -q
    body = tmp_path / "body.json"
    body.write_text('[{"id": 1, "name": "Ada"}]', encoding="utf-8")
    code, out, err = cli(capsys, "run", str(path), "--response-file", str(body), "-q")
    assert (code, out) == (1, "") and "response.fields.name.paths[0]" in err


def test_3_the_window_gets_the_same_diagnosis_from_the_core() -> None:
    decoded = decode_body(b'[{"id": 1, "name": "Ada"}]', "application/json")
    result = interpret(INVALID_NAME, decoded, status=200)
    assert isinstance(result.error, ConfigError) and result.customers == ()
    assert result.error.location == "response.fields.name.paths[0]"
    lookup = lookup_sync(config_with(spec=INVALID_NAME), Inputs("a"))
    assert lookup.error is not None and lookup.error.message == result.error.message


def test_3_an_unmapped_identifier_keeps_the_empty_list_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = ResponseSpec(records_path="$[*]", fields={"name": FieldMapping(paths=["$.name"])})
    body = tmp_path / "body.json"
    body.write_text('[{"id": 1, "name": "Ada"}]', encoding="utf-8")
    path = write(tmp_path, config_with(spec=spec))
    code, out, err = cli(capsys, "run", str(path), "--response-file", str(body), "-q", "--compact")
    assert (code, out) == (0, "[]\n")  # what the POS gets: an empty list, not an error
    assert err == f"note: {IDENTIFIER_NOT_MAPPED}\n"  # said even with -q


# -- 4. numeric curl options --------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--max-time", "-m", "--connect-timeout"])
@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("nan", "is not a number of seconds (ignored)"),
        ("NaN", "is not a number of seconds (ignored)"),
        ("inf", "is not a number of seconds (ignored)"),
        ("-inf", "is not a number of seconds (ignored)"),
        ("1e400", "is not a number of seconds (ignored)"),
        ("abc", "is not a number of seconds (ignored)"),
        ("-5", "is negative; curl refuses it (ignored)"),
        ("0", "0 means"),
        ("1e9", "is more than a lookup allows; stored as"),
    ],
)
def test_4_odd_timeouts_are_warnings_never_a_crash(option: str, value: str, said: str) -> None:
    imported = import_curl(f"curl {option} {value} http://x.test/")
    assert any(said in m.message for m in imported.warnings), imported.messages
    timeouts = imported.request.timeouts
    assert 0 < timeouts.connect <= timeouts.total <= 3600 and timeouts.read <= timeouts.total


@pytest.mark.parametrize("value", ["nan", "inf", "1e30", "1.5", "-2", "abc", "99999999999"])
def test_4_odd_redirect_counts_are_warnings_never_a_crash(value: str) -> None:
    imported = import_curl(f"curl -L --max-redirs {value} http://x.test/")
    assert any("is not a number of redirects" in m.message for m in imported.warnings)
    assert imported.request.transport.max_redirects == Transport().max_redirects


def test_4_out_of_range_redirect_counts_are_stored_within_bounds_with_a_warning() -> None:
    for value, stored in (("-1", 30), ("100", 30)):
        imported = import_curl(f"curl -L --max-redirs {value} http://x.test/")
        assert imported.request.transport.max_redirects == stored
        assert "max_redirs" in {m.code for m in imported.warnings}


def test_4_the_command_line_says_it_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command = tmp_path / "command.txt"
    command.write_text("curl --max-time nan --connect-timeout -5 'http://x.test/a?q=ab'", encoding="utf-8")
    out = tmp_path / "out.json"
    code, _, err = cli(capsys, "import-curl", str(command), "--search-term-from", "ab", "-o", str(out))
    assert code == 0, err
    assert "--max-time 'nan' is not a number of seconds (ignored)" in err
    assert "--connect-timeout '-5' is negative" in err
    no_traceback(err)


# -- 5. credentials in importer messages ------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        f"curl --proxy http://proxyuser:{PROXY_PASSWORD}@proxy:3128 http://x.test/a",
        f"curl -x socks5://u:{PROXY_PASSWORD}@p:1 --preproxy http://u:{PROXY_PASSWORD}@p:2 http://x.test/",
        f"curl -U proxyuser:{PROXY_PASSWORD} http://x.test/a",
        f"curl --proxy-user proxyuser:{PROXY_PASSWORD} --proxy-pass {PROXY_PASSWORD} http://x.test/a",
        f"curl --pass {PROXY_PASSWORD} --tlspassword {PROXY_PASSWORD} http://x.test/a",
        f"curl bob:{PROXY_PASSWORD}@x.test/a",
        f"curl http://bob:{PROXY_PASSWORD}@x.test/a http://al:{PROXY_PASSWORD}@y.test/",
        f"curl -u bob:{PROXY_PASSWORD} --digest http://x.test/a",
        f"curl -u bob:{PROXY_PASSWORD} -H 'Authorization: Bearer abcdefgh' http://x.test/a",
        f"curl --oauth2-bearer {PROXY_PASSWORD} -u a:{PROXY_PASSWORD} http://x.test/a",
        f"curl -H 'Authorization Bearer {PROXY_PASSWORD}' http://x.test/a",
        f"curl -H 'X-Api-Key: {PROXY_PASSWORD}' -H 'X-Other-Token: {PROXY_PASSWORD}' http://x.test/a",
        f"curl http://x.test/a?q=ab&apikey={PROXY_PASSWORD}&z=1",
        f"curl -u bob:{PROXY_PASSWORD} ftp://x.test/a",
    ],
)
def test_5_no_importer_message_shows_a_credential(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported = import_curl(command)
    assert imported.messages  # each of these says something about its credentials or options
    shown = "\n".join(f"{m.option} {m.message}" for m in imported.messages)
    assert PROXY_PASSWORD not in shown
    source = tmp_path / "command.txt"
    source.write_text(command, encoding="utf-8")
    code, out, err = cli(capsys, "import-curl", str(source), "-o", str(tmp_path / "c.json"))
    assert code == 0, err
    assert PROXY_PASSWORD not in out + err
    assert PROXY_PASSWORD not in (tmp_path / "c.json").read_text(encoding="utf-8")


def test_5_a_variable_is_no_secret_and_stays_readable() -> None:
    imported = import_curl('curl -H "Authorization: Bearer $DO_API_TOKEN" http://x.test/')
    assert any("$DO_API_TOKEN" in m.message for m in imported.warnings)


# -- 6. CLI numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "abc", "1.5", ""])
def test_6_demo_server_port_out_of_range_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], port: str
) -> None:
    err = usage_error(capsys, "demo-server", "--port", port)
    assert "argument --port:" in err
    no_traceback(err)


def test_6_port_numbers_in_range_are_taken() -> None:
    assert [port_number(p) for p in ("0", "8765", "65535")] == [0, 8765, 65535]


@pytest.mark.parametrize("seconds", ["nan", "inf", "-1", "1e9", "x"])
def test_6_quit_after_refuses_what_is_no_time(capsys: pytest.CaptureFixture[str], seconds: str) -> None:
    assert "argument --quit-after:" in usage_error(capsys, "--quit-after", seconds)


# -- 7. text that is not Unicode, in any field ------------------------------------------------

BAD_TEXT_BODY = b'[{"id": 1, "name": "Ada\\ud800", "city": "\\udfffX", "phone": "ok"}, {"id": "x\\ud800"}]'


@pytest.mark.parametrize(
    "spec",
    [
        ResponseSpec(
            records_path="$[*]",
            fields={
                name: FieldMapping(paths=[f"$.{key}"])
                for name, key in (
                    ("identifier", "id"),
                    ("name", "name"),
                    ("city", "city"),
                    ("phone", "phone"),
                )
            },
        ),
        ResponseSpec(  # transforms: the engine's general path rather than its generated code
            records_path="$[*]",
            fields={
                "identifier": FieldMapping(paths=["$.id"], transforms=[Transform(name="trim")]),
                "name": FieldMapping(paths=["$.name", "$.nothing"], combine="first"),
                "city": FieldMapping(paths=["$.city"], transforms=[Transform(name="upper")]),
                "phone": FieldMapping(paths=["$.phone"]),
            },
        ),
    ],
)
def test_7_every_text_field_refuses_a_lone_surrogate(spec: ResponseSpec) -> None:
    result = map_document(spec, decode_body(BAD_TEXT_BODY, "application/json").document)
    (customer,) = result.customers
    assert customer.to_json_value() == {"identifier": "1", "phone": "ok"}
    invalid = {(d.record, d.field) for d in result.diagnostics if d.code == "invalid_text"}
    assert invalid == {(0, "name"), (0, "city"), (1, "identifier")}


def test_7_run_output_never_holds_a_lone_surrogate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "body.json"
    body.write_bytes(BAD_TEXT_BODY)
    path = write(tmp_path, config_with())
    code, out, err = cli(capsys, "run", str(path), "--response-file", str(body))
    assert code == 0
    assert json.loads(out) == [{"identifier": "1"}]
    assert "\\ud800" not in out and "record 1 ([0]) name: the text holds an unpaired surrogate" in err


# -- 8. messages quote user input in bounded length -------------------------------------------


def test_8_a_huge_search_term_gives_a_short_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, config_with(closed_port_url() + "/c?q={search_term}"))
    code, out, err = cli(capsys, "run", str(path), "-s", "a" * 100_000, "-q")
    assert (code, out) == (1, "")
    assert len(err) < 600 and "characters)" in err


def test_8_long_texts_in_config_messages_are_cut() -> None:
    long_url = "ftp://" + "x" * 50_000
    (message,) = [p.message for p in lint_config(config_with(long_url)) if p.severity == "error"]
    assert len(message) < 400 and "(50006 characters)" in message
    assert elide("short") == "short" and elide("y" * 300) == "y" * 200 + "… (300 characters)"


def test_8_importer_messages_cut_very_long_words() -> None:
    imported = import_curl("curl -H '" + "z" * 100_000 + "' http://x.test/")
    assert imported.warnings and all(len(m.message) < 600 for m in imported.messages)


# -- 9. a credential left behind on a redirect is named ---------------------------------------


@pytest.mark.parametrize(
    "auth",
    [
        BearerAuth(token=SecretRef(secret="SHOP_TOKEN")),
        BasicAuth(username="shop", password=SecretRef(secret="SHOP_PASSWORD")),
    ],
)
def test_9_authorization_dropped_on_a_redirect_to_another_host_is_noted(auth: Any) -> None:
    with http_server(Reply(body=b'[{"id": 1}]')) as other:
        elsewhere = other.url.replace("127.0.0.1", "localhost") + "/elsewhere"
        with http_server({"/c": Reply(302, headers=[("Location", elsewhere)])}) as server:
            config = LookupConfig(
                request=Request(url=server.url + "/c?q={search_term}", auth=auth), response=SPEC
            )
            result = lookup_sync(config, Inputs("a"), secrets=RESOLVER)
            assert server.last.header("Authorization") is not None
        assert other.last.header("Authorization") is None
    assert result.error is None
    assert any(
        note.startswith("the Authorization header (a credential) was not sent on to localhost")
        and "another host" in note
        for note in result.notes
    ), result.notes
    assert not any(TOKEN in note for note in result.notes)


# -- 10. a response file within the project's size limit --------------------------------------


def test_10_a_response_file_over_the_limit_is_refused_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "big.json"
    body.write_text(json.dumps([{"id": i, "name": "x" * 40} for i in range(100)]), encoding="utf-8")
    path = write(tmp_path, config_with(max_response_bytes=2000))
    code, out, err = cli(capsys, "run", str(path), "--response-file", str(body))
    assert (code, out) == (2, "")
    assert "response size limit of 2.0 KB (2000 bytes)" in err and "max_response_bytes" in err
    assert "asks before loading" in err
    small = write(tmp_path, config_with(max_response_bytes=body.stat().st_size), "exact.json")
    assert cli(capsys, "run", str(small), "--response-file", str(body), "-q")[0] == 0


# -- 11. small ones ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['{"a": "unterminated', '{"a": "tab\there"}', '{"a": 1,}', "[1 2]"])
def test_11_json_errors_read_as_one_phrase(text: str) -> None:
    message = decode_body(text.encode(), "application/json").error
    assert message is not None and " at line 1 column " in message.message
    assert "at at" not in message.message
    with pytest.raises(ConfigError) as caught:
        config_from_text(text, "c.json")
    assert "at at" not in caught.value.message and " at line 1, column " in caught.value.message


def test_11_a_file_level_config_problem_has_no_placeholder_location() -> None:
    deep = '{"format": "kaching-customer-lookup", "version": 1, "name": ' + "[" * 1000 + "]" * 1000 + "}"
    for text in (deep, '{"name": "a", "name": "b"}'):
        with pytest.raises(ConfigError) as caught:
            config_from_text(text, "c.json")
        assert caught.value.location == "c.json"


def test_11_a_status_without_reason_and_a_redirect_count_within_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def loop(arrived: Arrived) -> Reply:
        if arrived.path == "/ok":
            return Reply(status=299, body=b'[{"id": 1}]')
        step = int(arrived.path.strip("/r") or 0)
        return Reply(302, headers=[("Location", f"/r{step + 1}")])

    with http_server(loop) as server:
        ok = write(tmp_path, config_with(server.url + "/ok?q={search_term}"), "ok.json")
        code, _, err = cli(capsys, "run", str(ok), "-s", "a")
        assert code == 0 and "HTTP 299 · " in err and "299  " not in err
        looping = write(tmp_path, config_with(server.url + "/r0?q={search_term}"), "loop.json")
        code, _, err = cli(capsys, "run", str(looping), "-s", "a")
        result = lookup_sync(config_with(server.url + "/r0?q={search_term}"), Inputs("a"))
    assert code == 1
    assert "after 5 redirect(s)" in err and "more than the limit of 5" in err
    assert isinstance(result.error, TooManyRedirectsError) and result.exchange is not None
    assert len(result.exchange.redirects) == 5 and "not followed: 302" in result.error.message


def test_11_a_mistyped_command_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(capsys, "valdiate", "c.json")
    assert "unknown command 'valdiate' (did you mean validate?)" in err
    assert "unknown command 'frobnicate';" in usage_error(capsys, "frobnicate", "c.json")
    existing = tmp_path / "valdiate"
    existing.write_text("{}", encoding="utf-8")
    assert _unknown_command([str(existing)]) is None  # a project file of that name opens
    assert _unknown_command(["myproject"]) is None  # a lone word not like a command: the window


@pytest.mark.parametrize("text", ["1,234", "1.234", "-12.500", "+999,000"])
def test_11_auto_refuses_an_ambiguous_number(text: str) -> None:
    with pytest.raises(TransformError, match=r"ambiguous number.*set the decimal separator"):
        parse_number(text, "auto")
    assert parse_number(text, "comma") != parse_number(text, "point")


def test_11_auto_still_reads_the_unambiguous_ones() -> None:
    cases = {"1,5": "1.5", "0,123": "0.123", "1234,567": "1234.567", "1.234,50": "1234.50", "12,34": "12.34"}
    for text, expected in cases.items():
        assert str(parse_number(text, "auto")) == expected


def test_11_the_preview_shows_the_ambiguity_as_a_problem() -> None:
    spec = ResponseSpec(
        records_path="$[*]",
        fields={
            "identifier": FieldMapping(paths=["$.id"]),
            "balance.identifier": FieldMapping(paths=["$.id"]),
            "balance.balance": FieldMapping(paths=["$.saldo"], transforms=[Transform(name="parse_number")]),
        },
    )
    result = map_document(spec, [{"id": "K1", "saldo": "1,234"}])
    (customer,) = result.customers
    assert customer.balance is None
    assert any("ambiguous number" in d.message and d.field == "balance.balance" for d in result.diagnostics)
