"""The cURL importer: shell words, curl's option rules, the config it builds, what it warns about.

Expected values are curl's own behaviour, checked with curl 7.88 against a recording server
while writing these tests (e.g. ``--data-urlencode`` writes a space as ``+``; ``-G`` drops
``--url-query``; ``-b a=1 -b b=2`` sends ``Cookie: a=1;b=2``). The pitfall rows H028-H033 send the
imported request over real HTTP to a server on 127.0.0.1.
"""

from __future__ import annotations

import base64
import shlex
from decimal import Decimal
from pathlib import Path

import pytest
from curl_wire import render, send
from http_servers import Reply, http_server
from hypothesis import given
from hypothesis import strategies as st
from shared_data import shared_path

from designer.core.config import (
    ApiKeyAuth,
    BasicAuth,
    BearerAuth,
    FormBody,
    JsonBody,
    LookupConfig,
    NoAuth,
    NoBody,
    Param,
    RawBody,
)
from designer.core.curl_args import parse_args
from designer.core.curl_candidates import apply_candidate, apply_value, find_candidates
from designer.core.curl_import import CurlImport, CurlImportError, build_config, import_curl, summary
from designer.core.curl_tokenize import Word, decode_ansi_c, detect_dialect, tokenize
from designer.core.model_types import Inputs
from designer.core.project_io import config_to_text, load_config, save_config


def words(text: str) -> list[str]:
    result = tokenize(text)
    assert len(result.commands) == 1, result
    return [w.text for w in result.commands[0]]


def codes(imported: CurlImport) -> set[str]:
    return {m.code for m in imported.warnings}


def headers(imported: CurlImport) -> dict[str, str]:
    return {h.name: h.value for h in imported.request.headers}


def wire(imported: CurlImport, inputs: Inputs | None = None) -> tuple[str, str, dict[str, str], bytes]:
    rendered = render(imported.request, imported.secrets, inputs)
    return rendered.method, rendered.url, dict(rendered.headers), rendered.body


# -- the shell ------------------------------------------------------------------------------


class TestTokenizer:
    def test_bash_quoting_rules(self) -> None:
        assert words("curl 'a b' \"c d\" e\\ f") == ["curl", "a b", "c d", "e f"]
        assert words("curl 'it'\\''s'") == ["curl", "it's"]
        # In double quotes a backslash escapes only $ ` " \ and newline.
        assert words('curl "a\\"b\\$c\\d\\\\e"') == ["curl", 'a"b$c\\d\\e']
        assert words("curl ''") == ["curl", ""]

    def test_ansi_c_strings_as_chrome_writes_them(self) -> None:
        assert words("curl $'O\\'Brien\\nline\\t\\x41\\u00e6\\101'") == ["curl", "O'Brien\nline\tAæA"]
        assert words("curl $'${not_expanded}'") == ["curl", "${not_expanded}"]
        assert decode_ansi_c("\\cA\\e") == ("\x01\x1b", True)

    def test_bytes_that_are_not_utf8_are_kept_exactly(self) -> None:
        result = tokenize("curl $'\\xe6\\x41'")
        text = result.commands[0][1].text
        assert text.encode("utf-8", "surrogateescape") == b"\xe6A"
        assert not result.problems  # the importer decides by where the bytes land

    def test_continuations_inside_and_outside_double_quotes(self) -> None:
        assert words('curl -d "\\\n{\\\n\\"a\\": 1\\\n}" \\\n  -X PUT') == [
            "curl",
            "-d",
            '{"a": 1}',
            "-X",
            "PUT",
        ]

    def test_backslash_with_trailing_spaces_is_a_noted_continuation(self) -> None:
        result = tokenize("curl a \\   \n  -k")
        assert [w.text for w in result.commands[0]] == ["curl", "a", "-k"]
        assert "backslash followed by spaces" in result.problems[0]

    def test_comments_and_operators(self) -> None:
        result = tokenize("# get it\ncurl http://x/?a=1&b=2 | jq . > out.json")
        assert [[w.text for w in c] for c in result.commands] == [
            ["curl", "http://x/?a=1"],
            ["b=2"],
            ["jq", ".", "out.json"],
        ]
        assert result.enders == ("&", "|", "")
        assert result.commands[2][2].redirect == ">"

    def test_expansions_are_kept_literally_and_recorded(self) -> None:
        result = tokenize('curl -H "X: $TOKEN ${B:-x}" $(date) `id`')
        texts = [(w.text, w.expansions) for w in result.commands[0][1:]]
        assert texts == [
            ("-H", ()),
            ("X: $TOKEN ${B:-x}", ("$TOKEN", "${B:-x}")),
            ("$(date)", ("$(date)",)),
            ("`id`", ("`id`",)),
        ]

    def test_unterminated_quote_is_a_problem_not_a_crash(self) -> None:
        result = tokenize("curl 'http://x")
        assert result.commands[0][1].text == "http://x"
        assert "never closed" in result.problems[0]

    def test_windows_cmd_as_chrome_copies_it(self) -> None:
        text = (
            'curl ^"https://x/a?b=1^&c=2^" ^\n  -H ^"accept: */*^" ^\n'
            '  --data-raw ^"{\\^"q\\^":\\^"ada\\^"}^"'
        )
        assert detect_dialect(text) == "cmd"
        result = tokenize(text)
        assert [w.text for w in result.commands[0]] == [
            "curl",
            "https://x/a?b=1&c=2",
            "-H",
            "accept: */*",
            "--data-raw",
            '{"q":"ada"}',
        ]

    def test_bash_continuation_wins_over_a_caret_in_a_body(self) -> None:
        text = "curl -d '^\"x' \\\n  http://x"
        assert detect_dialect(text) == "bash"
        assert detect_dialect("curl -d '^\n' http://x") == "bash"  # a caret inside bash quotes

    @given(st.lists(st.text(st.characters(exclude_characters="\x00\r"), max_size=12), min_size=1, max_size=6))
    def test_reads_back_what_shlex_quotes(self, args: list[str]) -> None:
        text = shlex.join(["curl", *args])
        result = tokenize(text)
        assert [w.text for c in result.commands for w in c] == ["curl", *args]


class TestArguments:
    def parse(self, text: str) -> list[tuple[str | None, str | None]]:
        parsed = parse_args([Word(t) for t in shlex.split(text)])
        return [
            (o.option.name if o.option else None, o.value.text if o.value else o.written)
            for o in parsed.occurrences
        ]

    def test_short_options_glued_and_clustered(self) -> None:
        assert self.parse("-XPOST -sSLk -d@f -H'X: 1' -sXPUT url") == [
            ("request", "POST"),
            ("silent", "-s"),
            ("show-error", "-S"),
            ("location", "-L"),
            ("insecure", "-k"),
            ("data", "@f"),
            ("header", "X: 1"),
            ("silent", "-s"),
            ("request", "PUT"),
            (None, "url"),
        ]

    def test_long_options_abbreviations_negation_and_end_of_options(self) -> None:
        assert self.parse("--insec --no-location -- -notanoption") == [
            ("insecure", "--insec"),
            ("location", "--no-location"),
            (None, "-notanoption"),
        ]
        parsed = parse_args([Word("--compress"), Word("--max-time=5"), Word("-d")])
        assert [p.code for p in parsed.problems] == ["ambiguous_option", "unknown_option", "missing_value"]
        assert "next word" in parsed.problems[1].message

    def test_an_ignored_option_still_takes_its_value(self) -> None:
        imported = import_curl("curl --trace-ascii log2.txt -o out.json http://x/")
        assert imported.request.url == "http://x/"
        assert "several_urls" not in codes(imported)


# -- curl's rules ---------------------------------------------------------------------------


class TestMethodAndData:
    @pytest.mark.parametrize(
        ("command", "method"),
        [
            ("curl http://x/", "GET"),
            ("curl -d a=1 http://x/", "POST"),
            ("curl -G -d a=1 http://x/", "GET"),
            ("curl -I http://x/", "HEAD"),
            ("curl -X PUT -G -d a=1 http://x/", "PUT"),
            ("curl -X DELETE http://x/", "DELETE"),
            ("curl --json '{}' http://x/", "POST"),
            ("curl -XPATCH -d a=1 http://x/", "PATCH"),
        ],
    )
    def test_method_rules(self, command: str, method: str) -> None:
        assert import_curl(command).request.method == method

    def test_data_joined_with_ampersand_json_pieces_without(self) -> None:
        assert wire(import_curl("curl -d a=1 --data-binary b=2 --data-raw @c http://x/"))[3] == b"a=1&b=2&@c"
        assert wire(import_curl("curl --json '{\"a\":' --json '1}' http://x/"))[3] == b'{"a":1}'
        assert wire(import_curl("curl -d '' -d a=1 http://x/"))[3] == b"&a=1"

    def test_get_moves_data_into_the_query(self) -> None:
        assert wire(import_curl("curl -G -d a=1 -d b=2 'http://x/p?z=0'"))[1] == "http://x/p?z=0&a=1&b=2"
        assert wire(import_curl("curl -G -d a=1 'http://x/p?z=0&'"))[1] == "http://x/p?z=0&a=1"
        imported = import_curl("curl -G -d a=1 --url-query b=2 http://x/")
        assert wire(imported)[1] == "http://x/?a=1" and "url_query_dropped" in codes(imported)

    def test_data_urlencode_forms(self) -> None:
        # Pieces without a name are no form fields: curl's bytes are kept (a space is +).
        body = wire(
            import_curl(
                "curl --data-urlencode '=a b' --data-urlencode 'n=x&y=z' --data-urlencode 'p q' http://x/"
            )
        )[3]
        assert body == b"a+b&n=x%26y%3Dz&p+q"
        form = import_curl("curl --data-urlencode 'n=a b/c' http://x/")
        assert isinstance(form.request.body, FormBody) and form.request.body.fields == [
            Param(name="n", value="a b/c")
        ]
        raw = import_curl("curl --data-urlencode 'n=a+b' -d 'k[]=1' http://x/")
        assert isinstance(raw.request.body, RawBody) and raw.request.body.text == "n=a%2Bb&k[]=1"

    def test_data_urlencode_name_at_file_reads_a_file(self) -> None:
        imported = import_curl("curl --data-urlencode 'user@example.com' http://x/")
        assert "reads_file" in codes(imported)
        assert "example.com" in imported.warnings[0].message

    def test_url_query(self) -> None:
        assert (
            wire(import_curl("curl --url-query 'q=a b' --url-query '+r=%20' http://x/"))[1]
            == "http://x/?q=a+b&r=%20"
        )

    def test_json_sets_content_type_and_accept_unless_given(self) -> None:
        _, _, sent, _ = wire(import_curl("curl --json '[1]' http://x/"))
        assert sent["Content-Type"] == "application/json" and sent["Accept"] == "application/json"
        _, _, sent, _ = wire(import_curl("curl --json '[1]' -H 'Accept: text/x' http://x/"))
        assert sent["Accept"] == "text/x"

    def test_unsupported_method_is_named(self) -> None:
        imported = import_curl("curl -X OPTIONS http://x/")
        assert imported.request.method == "GET"
        assert "OPTIONS" in imported.warnings[0].message
        assert "method_case" in codes(import_curl("curl -X post http://x/"))


class TestHeaders:
    def test_header_forms(self) -> None:
        imported = import_curl(
            "curl -H 'X-Sig: t=1: v1=abc' -H 'X-Empty;' -H 'Accept:' -H 'NoColon' -H 'X-T:   v  ' http://x/"
        )
        assert headers(imported) == {"X-Sig": "t=1: v1=abc", "X-Empty": "", "X-T": "v"}
        assert "header" in codes(imported)

    def test_user_agent_referer_cookie_range(self) -> None:
        imported = import_curl("curl -A UA -e 'http://r/;auto' -b a=1 -b b=2 -r 600 http://x/")
        assert headers(imported) == {
            "User-Agent": "UA",
            "Referer": "http://r/",
            "Cookie": "a=1;b=2",
            "Range": "bytes=600-",
        }

    def test_custom_header_replaces_curls_own(self) -> None:
        assert headers(import_curl("curl -A one -H 'User-Agent: two' http://x/"))["User-Agent"] == "two"

    def test_client_handled_headers_are_left_out_with_a_note(self) -> None:
        imported = import_curl("curl -H 'Content-Length: 0' -H 'Accept-Encoding: br' -X POST http://x/")
        assert headers(imported) == {}
        assert {m.code for m in imported.notes} >= {"header_dropped"}


class TestWarnings:
    @pytest.mark.parametrize(
        ("command", "code", "named"),
        [
            ("curl -d @body.json http://x/", "reads_file", "body.json"),
            ("curl --data-binary @- http://x/ < in.txt", "reads_stdin", "in.txt"),
            ("curl -H @headers.txt http://x/", "reads_file", "headers.txt"),
            ("curl -b jar.txt http://x/", "cookie_jar", "jar.txt"),
            ("curl -c jar.txt http://x/", "cookie_jar", "jar.txt"),
            ("curl -T up.bin http://x/", "upload", "up.bin"),
            ("curl -F file=@a.png http://x/", "multipart", "-F"),
            ("curl -x http://proxy:3128 http://x/", "proxy", "proxy:3128"),
            ("curl --socks5 h:1080 http://x/", "proxy", "--socks5"),
            ("curl -E me.pem --key me.key http://x/", "client_cert", "me.pem"),
            ("curl --cacert ca.pem http://x/", "tls_trust", "ca.pem"),
            ("curl --resolve x:80:1.2.3.4 http://x/", "routing", "--resolve"),
            ("curl -K opts.txt http://x/", "config_file", "opts.txt"),
            ("curl http://x/ http://y/", "several_urls", "http://y/"),
            ("curl http://x/ --next http://y/", "next", "--next"),
            ('curl -H "Authorization: Bearer $TOKEN" http://x/', "env_var", "TOKEN"),
            ('curl -d "q=$(whoami)" http://x/', "command_substitution", "$(whoami)"),
            ("curl --frobnicate http://x/", "unknown_option", "--frobnicate"),
            ("curl --digest -u a:b http://x/", "auth_scheme", "Digest"),
            ("curl -k https://x/", "tls_off", "-k"),
            ("curl 'http://x/{a,b}'", "url_glob", "globbing"),
            ("curl “http://x/”", "typographic_quotes", "typographic"),
            ("curl http://x/?a=1&b=2", "unquoted_ampersand", "b=2"),
            ("curl http://x/ ; curl http://y/", "several_commands", "2 curl commands"),
            ("curl http://x/\n  -H 'X: 1'", "missing_continuation", "-H"),
        ],
    )
    def test_each_unrepresentable_thing_is_named(self, command: str, code: str, named: str) -> None:
        imported = import_curl(command)
        messages = [m for m in imported.warnings if m.code == code]
        assert messages, imported.messages
        assert any(named in m.message for m in messages), messages

    @pytest.mark.parametrize("text", ["", "   \n", "echo hello", "curl -H 'X: 1'", "curl -v"])
    def test_nothing_importable_raises_a_plain_error(self, text: str) -> None:
        with pytest.raises(CurlImportError) as caught:
            import_curl(text)
        assert caught.value.message

    @given(st.text(max_size=80))
    def test_never_crashes(self, text: str) -> None:
        try:
            imported = import_curl("curl http://x/ " + text)
        except CurlImportError:
            return
        summary(imported)

    def test_options_only_changing_output_are_listed_as_ignored(self) -> None:
        imported = import_curl("curl -sS -v -i --compressed -o out http://x/")
        assert not imported.warnings
        ignored = next(m for m in imported.notes if m.code == "ignored_options")
        assert "-v" in ignored.message and "--compressed" in ignored.message


class TestUrlAndQuery:
    def test_exact_query_becomes_table_rows_in_order_with_repeated_keys(self) -> None:
        imported = import_curl("curl 'http://x/p?key=one&key=two&a%5B%5D=%C3%A6'")
        assert imported.request.url == "http://x/p"
        assert [(p.name, p.value) for p in imported.request.query] == [
            ("key", "one"),
            ("key", "two"),
            ("a[]", "æ"),
        ]
        assert wire(imported)[1] == "http://x/p?key=one&key=two&a%5B%5D=%C3%A6"

    def test_query_the_table_cannot_reproduce_stays_in_the_url_up_to_its_last_such_parameter(self) -> None:
        imported = import_curl("curl 'http://x/p?a=1&b=x+y&c=2&d=%zz&e=5'")
        assert imported.request.url == "http://x/p?a=1&b=x+y&c=2&d=%zz"
        assert [(p.name, p.value) for p in imported.request.query] == [("e", "5")]
        assert wire(imported)[1] == "http://x/p?a=1&b=x+y&c=2&d=%zz&e=5"

    def test_scheme_added_fragment_dropped_user_info_becomes_basic(self) -> None:
        imported = import_curl("curl 'u%40x:p%3Aw@localhost:8080/a#top'")
        assert imported.request.url == "http://localhost:8080/a"
        assert isinstance(imported.request.auth, BasicAuth) and imported.request.auth.username == "u@x"
        assert dict(imported.secrets) == {"LOCALHOST_PASSWORD": "p:w"}
        assert {m.code for m in imported.notes} >= {"scheme_added", "fragment"}


class TestCredentials:
    def test_basic_splits_at_the_first_colon(self) -> None:
        imported = import_curl("curl -u 'shop-admin:s3cr:et' https://api.example.com/")
        auth = imported.request.auth
        assert isinstance(auth, BasicAuth) and auth.username == "shop-admin"
        assert dict(imported.secrets) == {auth.password.secret: "s3cr:et"}
        assert (
            wire(imported)[2]["Authorization"] == "Basic " + base64.b64encode(b"shop-admin:s3cr:et").decode()
        )

    def test_basic_in_a_header_is_decoded(self) -> None:
        token = base64.b64encode(b"ck_1:cs_2").decode()
        imported = import_curl(f"curl -H 'Authorization: Basic {token}' https://shop.example.com/")
        auth = imported.request.auth
        assert isinstance(auth, BasicAuth) and auth.username == "ck_1"
        assert dict(imported.secrets) == {"SHOP_EXAMPLE_COM_PASSWORD": "cs_2"}

    def test_bearer_and_other_schemes(self) -> None:
        bearer = import_curl("curl -H 'Authorization: Bearer abc.def' https://api.example.com/")
        assert isinstance(bearer.request.auth, BearerAuth)
        assert dict(bearer.secrets) == {"API_EXAMPLE_COM_TOKEN": "abc.def"}
        token = import_curl("curl -H 'Authorization: Token t1' https://api.example.com/")
        assert isinstance(token.request.auth, ApiKeyAuth) and token.request.auth.prefix == "Token "
        assert wire(token)[2]["Authorization"] == "Token t1"

    @pytest.mark.parametrize("name", ["X-API-Key", "X-Shopify-Access-Token", "X-Auth-Token", "apikey"])
    def test_api_key_headers(self, name: str) -> None:
        imported = import_curl(f"curl -H '{name}: k-123' https://shop.example.com/")
        auth = imported.request.auth
        assert isinstance(auth, ApiKeyAuth) and auth.location == "header" and auth.name == name
        assert list(imported.secrets.values()) == ["k-123"]
        assert not imported.request.headers
        assert wire(imported)[2][name] == "k-123"

    @pytest.mark.parametrize("name", ["apikey", "api_key", "token", "access_token"])
    def test_api_key_query_parameters(self, name: str) -> None:
        imported = import_curl(f"curl 'https://x.example.com/c?{name}=k1&q=ada'")
        auth = imported.request.auth
        assert isinstance(auth, ApiKeyAuth) and auth.location == "query" and auth.name == name
        assert [(p.name, p.value) for p in imported.request.query] == [("q", "ada")]
        assert wire(imported)[1] == f"https://x.example.com/c?q=ada&{name}=k1"
        assert "moved_api_key" in {m.code for m in imported.notes}

    def test_session_cookie(self) -> None:
        imported = import_curl("curl -b 'session_id=abc' https://erp.example.com/")
        auth = imported.request.auth
        assert isinstance(auth, ApiKeyAuth) and auth.name == "Cookie" and auth.prefix == "session_id="
        assert wire(imported)[2]["Cookie"] == "session_id=abc"

    def test_environment_variable_becomes_the_reference_itself(self) -> None:
        imported = import_curl('curl -H "Authorization: Bearer $DO_API_TOKEN" https://api.example.com/')
        auth = imported.request.auth
        assert isinstance(auth, BearerAuth) and auth.token.secret == "DO_API_TOKEN"
        assert not imported.secrets
        assert imported.credentials[0].has_value is False
        assert any("DO_API_TOKEN" in m.message for m in imported.warnings)

    def test_one_credential_kept_the_others_named(self) -> None:
        imported = import_curl(
            "curl -u a:pw-1x -H 'X-API-Key: key-9z7' 'https://x.example.com/?token=tok-4q2'"
        )
        assert isinstance(imported.request.auth, BasicAuth)
        dropped = [m for m in imported.warnings if m.code == "credential_dropped"]
        assert [m.option for m in dropped] == ["-H", "the URL"]
        assert not any(v in str(m) for m in imported.messages for v in ("key-9z7", "tok-4q2", "pw-1x"))
        assert set(imported.secrets.values()) == {"pw-1x"}
        assert not imported.request.headers and not imported.request.query

    def test_saved_config_holds_references_not_values(self, tmp_path: Path) -> None:
        imported = import_curl(
            "curl -u admin:pa55-w0rd https://api.example.com/ -H 'X-Other: 1' --oauth2-bearer tok-9f8e7d"
        )
        path = tmp_path / "c.json"
        save_config(build_config(imported), path)
        text = path.read_text(encoding="utf-8")
        assert "tok-9f8e7d" not in text and "pa55-w0rd" not in text
        assert "API_EXAMPLE_COM_TOKEN" in text
        assert load_config(path).request == imported.request

    def test_no_password_is_asked_for(self) -> None:
        imported = import_curl("curl -u admin https://api.example.com/")
        assert "no_password" in codes(imported)
        assert imported.credentials[0].has_value is False


class TestBody:
    def test_json_becomes_a_template_with_exact_numbers(self) -> None:
        imported = import_curl(
            "curl -H 'Content-Type: application/json' -d '{\"id\": 12345678901234567891, \"balance\": 1.10}' http://x/"
        )
        body = imported.request.body
        assert isinstance(body, JsonBody)
        assert body.template == {"id": 12345678901234567891, "balance": Decimal("1.10")}
        assert wire(imported)[3] == b'{"id":12345678901234567891,"balance":1.10}'
        assert "json_formatting" in {m.code for m in imported.notes}
        assert "Content-Type" not in headers(imported)  # the JSON template sends it

    def test_json_that_cannot_be_a_template_stays_exact_raw_text(self) -> None:
        for text in ('{"a":1,"a":2}', "{not json", '{"x": NaN}'):
            imported = import_curl(f"curl --json {shlex.quote(text)} http://x/")
            assert isinstance(imported.request.body, RawBody)
            assert wire(imported)[3] == text.encode()

    def test_form_fields_only_when_they_render_to_the_same_form(self) -> None:
        form = import_curl("curl -d 'a=1&b=x%20y' -d 'c=' http://x/")
        assert isinstance(form.request.body, FormBody)
        assert [(f.name, f.value) for f in form.request.body.fields] == [("a", "1"), ("b", "x y"), ("c", "")]
        for text in ("item[]=1", 'json_data={ "k": 1 }', "a=%zz", "noequals"):
            raw = import_curl(f"curl -d {shlex.quote(text)} http://x/")
            assert isinstance(raw.request.body, RawBody) and wire(raw)[3] == text.encode()

    def test_json_text_labelled_as_form_by_curl_is_sent_as_curl_sends_it(self) -> None:
        imported = import_curl("curl -d '{\"a\":1}' http://x/")
        assert isinstance(imported.request.body, RawBody)
        assert wire(imported)[2]["Content-Type"] == "application/x-www-form-urlencoded"
        assert "form_label" in {m.code for m in imported.notes}

    def test_latin1_body_keeps_its_bytes(self) -> None:
        imported = import_curl(
            "curl -H 'Content-Type: text/plain; charset=iso-8859-1' --data-binary $'S\\xf8ren' http://x/"
        )
        assert wire(imported)[3] == b"S\xf8ren"
        assert isinstance(imported.request.body, RawBody) and imported.request.body.text == "Søren"

    def test_bytes_that_are_not_utf8_outside_a_body_are_replaced_and_named(self, tmp_path: Path) -> None:
        imported = import_curl("curl -H $'X-Name: S\\xf8ren' --oauth2-bearer $'t\\xff' http://x/")
        assert {m.option for m in imported.warnings if m.code == "not_utf8"} == {
            "the header 'X-Name'",
            "the header 'Authorization'",
        }
        assert headers(imported)["X-Name"] == "S\ufffdren"
        save_config(build_config(imported), tmp_path / "c.json")  # nothing un-saveable got in

    def test_removed_content_type_is_a_warning(self) -> None:
        imported = import_curl("curl -H 'Content-Type:' -d abc http://x/")
        assert "no_content_type" in codes(imported)


class TestTransportAndTimeouts:
    def test_timeouts(self) -> None:
        timeouts = import_curl("curl --max-time 8 --connect-timeout 2.5 http://x/").request.timeouts
        assert (timeouts.total, timeouts.connect, timeouts.read) == (8, 2.5, 8)
        assert import_curl("curl -m 0 http://x/").request.timeouts.total == 3600

    def test_redirects_followed_either_way_with_a_note_without_L(self) -> None:
        without = import_curl("curl http://x/")
        assert without.request.transport.follow_redirects
        assert "redirects" in {m.code for m in without.notes}
        with_l = import_curl("curl -L --max-redirs 3 http://x/")
        assert "redirects" not in {m.code for m in with_l.notes}
        assert with_l.request.transport.max_redirects == 3

    def test_insecure(self) -> None:
        assert import_curl("curl -k https://x/").request.transport.verify_tls is False
        assert import_curl("curl https://x/").request.transport.verify_tls is True


# -- candidates -----------------------------------------------------------------------------


class TestCandidates:
    COMMAND = (
        "curl 'https://shop.example.com/api/customers/ada.json?q=ada&currency=DKK' "
        '-H \'X-Search: ada\' -H \'User-Agent: ada\' --json \'{"filter":{"name":"ada"},"cur":"DKK"}\''
    )

    def test_every_place_is_listed_with_its_location(self) -> None:
        found = {(c.value, c.place): c.locations for c in import_curl(self.COMMAND).candidates}
        assert found[("ada", "path")] == ("path segment 3 (before .json)",)
        assert found[("ada", "query")] == ("query parameter q",)
        assert found[("ada", "header")] == ("header X-Search",)  # User-Agent is never a search term
        assert found[("ada", "json")] == ("JSON body $['filter']['name']",)
        assert found[("DKK", "json")] == ("JSON body $['cur']",)
        dkk = next(c for c in import_curl(self.COMMAND).candidates if c.value == "DKK")
        assert dkk.hint == "looks like a currency code"

    def test_applying_a_choice_changes_only_that_place(self) -> None:
        imported = import_curl(self.COMMAND)
        query = next(c for c in imported.candidates if c.value == "ada" and c.place == "query")
        request = apply_candidate(imported.request, query, "search_term")
        assert [(p.name, p.value) for p in request.query] == [("q", "{search_term}"), ("currency", "DKK")]
        assert request.url == imported.request.url and request.body == imported.request.body
        assert request.headers == imported.request.headers
        # A query kept in the URL (here because of the +) is edited in place.
        literal = import_curl("curl 'http://x/s?q=ada&f=a+b'")
        choice = next(c for c in literal.candidates if c.value == "ada")
        assert (
            apply_candidate(literal.request, choice, "search_term").url == "http://x/s?q={search_term}&f=a+b"
        )

    def test_apply_value_everywhere_then_hostile_values_are_encoded(self) -> None:
        imported = import_curl(self.COMMAND)
        request, used = apply_value(imported.request, "ada", "search_term")
        request, _ = apply_value(request, "DKK", "currency_code")
        assert {c.place for c in used} == {"path", "query", "header", "json"}
        assert not any(c.value == "ada" for c in find_candidates(request))
        term = 'O\'Brien & Søn "x"/..'
        rendered = render(request.model_copy(update={"headers": []}), imported.secrets, Inputs(term, "EUR"))
        assert rendered.url == (
            "https://shop.example.com/api/customers/O%27Brien%20%26%20S%C3%B8n%20%22x%22%2F%2E%2E.json"
            "?q=O%27Brien%20%26%20S%C3%B8n%20%22x%22%2F..&currency=EUR"
        )
        assert rendered.body.decode() == '{"filter":{"name":"O\'Brien & Søn \\"x\\"/.."},"cur":"EUR"}'

    def test_raw_form_body_candidates(self) -> None:
        imported = import_curl("curl -d 'k[]=1&q=ada' http://x/")
        candidate = next(c for c in imported.candidates if c.value == "ada")
        request = apply_candidate(imported.request, candidate, "search_term")
        assert isinstance(request.body, RawBody) and request.body.text == "k[]=1&q={search_term}"
        assert render(request, {}, Inputs("a&b")).body == b"k[]=1&q=a%26b"

    def test_build_config_sets_the_test_inputs(self) -> None:
        imported = import_curl(self.COMMAND)
        term = [c for c in imported.candidates if c.value == "ada" and c.place == "json"]
        config = build_config(imported, {"search_term": term}, name="Shop")
        assert config.test_inputs.search_term == "ada" and config.name == "Shop"
        assert (
            render(config.request, imported.secrets, Inputs("ada", "DKK")).body
            == render(imported.request, imported.secrets, Inputs("ada", "DKK")).body
        )
        kept = build_config(imported, base=LookupConfig(name="Mine"))
        assert kept.name == "Mine" and kept.request == imported.request


# -- pitfalls (real HTTP) -------------------------------------------------------------------


def _import_case(name: str) -> CurlImport:
    return import_curl(shared_path("pitfalls", "cases", name).read_text(encoding="utf-8"))


def test_h028_data_without_x_is_a_post_with_the_json_as_quoted() -> None:
    imported = _import_case("H028.sh")
    assert imported.request.method == "POST"
    assert imported.request.url == "https://api.example.com/v1/customers/search"
    assert isinstance(imported.request.body, JsonBody)
    assert imported.request.body.template == {"query": "ada@example.com", "currency": "DKK"}
    assert list(imported.request.body.template) == ["query", "currency"]
    with http_server(Reply()) as served:
        arrived = send(imported.request, imported.secrets, served)
    assert arrived.method == "POST" and arrived.target == "/v1/customers/search"
    assert arrived.header("Content-Type") == "application/json"
    assert arrived.header("Authorization") == "Bearer test_token_123"
    assert arrived.body == b'{"query":"ada@example.com","currency":"DKK"}'
    assert "test_token_123" not in config_to_text(build_config(imported))


def test_h029_get_moves_data_to_the_query_and_user_splits_at_the_first_colon() -> None:
    imported = _import_case("H029.sh")
    with http_server(Reply()) as served:
        arrived = send(imported.request, imported.secrets, served)
    assert arrived.method == "GET" and arrived.target == "/v1/customers?q=ada&limit=5"
    assert arrived.body == b"" and arrived.header("Content-Type") is None
    assert arrived.header("Authorization") == "Basic c2hvcC1hZG1pbjpzM2NyOmV0"
    auth = imported.request.auth
    assert isinstance(auth, BasicAuth) and auth.username == "shop-admin"
    assert dict(imported.secrets) == {auth.password.secret: "s3cr:et"}


def test_h030_data_urlencode_is_one_encoded_parameter() -> None:
    imported = import_curl("curl https://api.example.com/v1/search --data-urlencode 'q=Jensen & Søn'")
    assert isinstance(imported.request.body, FormBody)
    assert imported.request.body.fields == [Param(name="q", value="Jensen & Søn")]
    with http_server(Reply()) as served:
        arrived = send(imported.request, imported.secrets, served)
    assert arrived.method == "POST"
    assert arrived.header("Content-Type") == "application/x-www-form-urlencoded"
    assert arrived.body == b"q=Jensen%20%26%20S%C3%B8n"


def test_h031_chrome_ansi_c_string_body() -> None:
    imported = _import_case("H031.sh")
    expected = '{"name":"O\'Brien","note":"line1\\nline2","tpl":"${field}"}'
    with http_server(Reply()) as served:
        arrived = send(imported.request, imported.secrets, served)
    assert arrived.body.decode() == expected
    assert isinstance(imported.request.body, JsonBody)
    assert imported.request.body.template == {"name": "O'Brien", "note": "line1\nline2", "tpl": "${field}"}
    assert not {"env_var", "command_substitution"} & codes(imported)


def test_h033_header_values_with_colons() -> None:
    imported = import_curl(
        "curl https://api.example.com/v1/customers -H 'X-Signature: t=1700000000: v1=abc' "
        "-H 'Referer: https://shop.example.com/a'"
    )
    with http_server(Reply()) as served:
        arrived = send(imported.request, imported.secrets, served)
    assert arrived.header("X-Signature") == "t=1700000000: v1=abc"
    assert arrived.header("Referer") == "https://shop.example.com/a"


def test_import_never_writes_auth_as_plain_headers() -> None:
    imported = import_curl("curl -H 'Authorization: Bearer x' -H 'X-API-Key: y' http://x/")
    assert all(h.name.lower() not in ("authorization", "x-api-key") for h in imported.request.headers)
    assert not isinstance(imported.request.auth, NoAuth)
    assert isinstance(import_curl("curl http://x/").request.body, NoBody)
