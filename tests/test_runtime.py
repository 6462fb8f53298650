"""The runtime entry point: render → fetch → decode → map, against real servers on 127.0.0.1.

Each pitfall about what a response *means* is run through :func:`lookup` with the case's real
bytes served by a test server, and through :func:`interpret` (the path of a saved response).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from http_servers import Reply, Served, http_server
from pitfall_cases import case_json, case_replies, case_responses

from designer.core.config import (
    FieldMapping,
    Header,
    LookupConfig,
    Request,
    ResponseSpec,
    Transform,
)
from designer.core.decode import DecodedBody, decode_body
from designer.core.errors import HttpStatusError, RenderError, ResponseFormatError
from designer.core.jsonio import loads_exact
from designer.core.model_types import Inputs
from designer.core.project_io import config_from_text, config_to_text
from designer.core.runtime import LookupResult, interpret, lookup, lookup_sync
from designer.core.secrets import ChainResolver, MappingSource

NO_SECRETS = ChainResolver([MappingSource({})])


def fields(**paths: str | list[str] | FieldMapping) -> dict[str, FieldMapping]:
    out = {}
    for name, value in paths.items():
        if isinstance(value, FieldMapping):
            out[name.replace("__", ".")] = value
        else:
            out[name.replace("__", ".")] = FieldMapping(paths=[value] if isinstance(value, str) else value)
    return out


K1_SPEC = ResponseSpec(records_path="$.customers[*]", fields=fields(identifier="$.id", name="$.name"))


def serve_and_look_up(
    reply: Reply | dict[str, Reply], response: ResponseSpec, term: str = "ada"
) -> LookupResult:
    with http_server(reply) as server:
        config = LookupConfig(request=Request(url=server.url + "/c"), response=response)
        return lookup_sync(config, Inputs(term), secrets=NO_SECRETS)


def strict_json(text: str) -> Any:
    """Parse as a strict parser would: NaN/Infinity refused."""

    def refuse(literal: str) -> None:
        raise ValueError(f"{literal} is not JSON")

    return json.loads(text, parse_constant=refuse)


def pairs(result: LookupResult) -> list[tuple[str, str | None]]:
    return [(c.identifier, c.name) for c in result.customers]


# ------------------------------------------------------------------------------------ no match


@pytest.fixture(scope="module")
def h042_server() -> Iterator[Served]:
    not_found, no_content = case_replies("H042.http")
    with http_server({"/a": not_found, "/b": no_content}) as server:
        yield server


@pytest.mark.parametrize("path", ["/a", "/b"])
def test_h042_configured_no_match_statuses_give_an_empty_list(h042_server: Served, path: str) -> None:
    response = ResponseSpec(
        records_path="$.customers[*]", no_match_statuses=[404, 204], fields=K1_SPEC.fields
    )
    config = LookupConfig(request=Request(url=h042_server.url + path), response=response)
    result = lookup_sync(config, Inputs("nobody"), secrets=NO_SECRETS)
    assert result.error is None and result.customers == ()
    assert result.output_json(indent=None) == "[]"
    status = 404 if path == "/a" else 204
    assert result.exchange is not None and result.exchange.status == status
    assert f"HTTP {status} means no match" in " ".join(result.notes)
    assert result.decoded is None  # the body of a no-match answer is not parsed


def test_h042_without_the_rule_404_is_an_error_with_advice(h042_server: Served) -> None:
    config = LookupConfig(
        request=Request(url=h042_server.url + "/a"),
        response=K1_SPEC.model_copy(update={"no_match_statuses": []}),
    )
    result = lookup_sync(config, Inputs("nobody"), secrets=NO_SECRETS)
    assert isinstance(result.error, HttpStatusError)
    assert "HTTP 404" in str(result.error) and "add 404 to the no-match statuses" in str(result.error)
    assert "No matches found!" in str(result.error)  # the start of the body


def test_h042_without_the_rule_204_says_so_and_is_no_json_error(h042_server: Served) -> None:
    config = LookupConfig(request=Request(url=h042_server.url + "/b"), response=K1_SPEC)
    result = lookup_sync(config, Inputs("nobody"), secrets=NO_SECRETS)
    assert isinstance(result.error, ResponseFormatError)
    assert "204 No Content" in str(result.error) and "no-match" in str(result.error)
    assert "JSON" not in str(result.error)


def test_h042_saved_responses_mean_the_same() -> None:
    spec = K1_SPEC.model_copy(update={"no_match_statuses": [404, 204]})
    for saved in case_responses("H042.http"):
        decoded = decode_body(saved.body, saved.content_type)
        result = interpret(spec, decoded, status=saved.status)
        assert result.error is None and result.customers == ()


def test_empty_list_and_null_are_no_match_too() -> None:
    assert serve_and_look_up(Reply(body=b'{"customers": []}'), K1_SPEC).customers == ()
    result = serve_and_look_up(Reply(body=b"null"), K1_SPEC)
    assert result.error is None and result.customers == ()


# ------------------------------------------------------------------------------------ shapes


def test_h041_single_object_is_one_record_and_a_list_is_several() -> None:
    data = case_json("H041.json")
    spec = ResponseSpec(records_path=data["list_path"], fields=fields(**data["field_paths"]))
    two = serve_and_look_up(Reply(body=json.dumps(data["response_two_hits"]).encode()), spec)
    assert pairs(two) == [("K1", "Ada Jensen"), ("K2", "Bo Holm")]
    one = serve_and_look_up(Reply(body=json.dumps(data["response_one_hit"]).encode()), spec)
    assert one.error is None and pairs(one) == [("K77", "Bo Holm")]


def test_h041_an_index_over_the_single_object_never_raises() -> None:
    data = case_json("H041.json")
    spec = ResponseSpec(records_path="$", fields=fields(identifier=data["also_try_field_path_from_root"]))
    for body in (data["response_one_hit"], data["response_two_hits"]):
        result = serve_and_look_up(Reply(body=json.dumps(body).encode()), spec)
        assert [c.identifier for c in result.customers] in ([], ["K77"], ["K1"])


def test_h023a_top_level_list() -> None:
    spec = ResponseSpec(records_path="$[*]", fields=fields(identifier="$.id", name="$.name"))
    result = serve_and_look_up(Reply(body=b'[{"id":"K1","name":"Ada Jensen"}]'), spec)
    assert result.error is None and pairs(result) == [("K1", "Ada Jensen")]


@pytest.mark.parametrize(("body", "kind"), [(b"true", "boolean"), (b"42", "number"), (b'"ok"', "string")])
def test_h023b_a_bare_scalar_is_explained_with_no_customers(body: bytes, kind: str) -> None:
    result = serve_and_look_up(Reply(body=body), K1_SPEC)
    assert result.customers == ()
    assert isinstance(result.error, ResponseFormatError)
    assert str(result.error) == f"body is a {kind}, no customer list"


def test_h024_wrong_content_type_still_maps_with_a_note() -> None:
    (reply,) = case_replies("H024.http")
    result = serve_and_look_up(reply, K1_SPEC)
    assert result.error is None and pairs(result) == [("K1", "Ada Jensen")]
    assert any("declared it as text/html" in note for note in result.notes)


def test_h025_html_page_is_an_error_not_zero_customers() -> None:
    (reply,) = case_replies("H025.http")
    result = serve_and_look_up(reply, K1_SPEC)
    assert isinstance(result.error, ResponseFormatError) and result.error.code == "html"
    assert "response is HTML, not JSON (title: Sign in)" in str(result.error)
    assert result.mapping is None and result.customers == ()
    assert result.exchange is not None and result.exchange.body == reply.body


def test_h026_prefix_detected_then_stripped_by_the_rule_in_the_exported_config() -> None:
    (reply,) = case_replies("H026.http")
    first = serve_and_look_up(reply, K1_SPEC)
    assert first.error is not None and first.error.code == "xssi_prefix"
    assert first.decoded is not None and first.decoded.detected_prefix == ")]}'"
    # The designer stores the detected rule; the exported file carries it to the runtime.
    with http_server(reply) as server:
        config = LookupConfig(
            request=Request(url=server.url + "/c"),
            response=K1_SPEC.model_copy(update={"strip_prefix": first.decoded.detected_prefix}),
        )
        exported = config_from_text(config_to_text(config))
        assert exported.response.strip_prefix == ")]}'"
        result = lookup_sync(exported, Inputs("ada"), secrets=NO_SECRETS)
    assert result.error is None and pairs(result) == [("K1", "Ada Jensen")]


# ------------------------------------------------------------------------------------ values


def test_h022_nan_is_flagged_the_balance_omitted_and_the_output_strict_json() -> None:
    body = b'{"customers":[{"id":"K1","balance":{"identifier":"GC-1","balance":NaN}}]}'
    spec = ResponseSpec(
        records_path="$.customers[*]",
        fields=fields(
            identifier="$.id",
            balance__identifier="$.balance.identifier",
            balance__balance="$.balance.balance",
        ),
    )
    result = serve_and_look_up(Reply(body=body), spec)
    assert result.error is None
    assert any("non-standard JSON" in note and "NaN" in note for note in result.notes)
    (customer,) = result.customers
    assert customer.balance is None
    assert result.mapping is not None
    assert any("NaN" in d.message and d.field == "balance.balance" for d in result.mapping.diagnostics)
    assert strict_json(result.output_json()) == [{"identifier": "K1"}]


def test_h019_big_numeric_id_is_exact() -> None:
    body = b'{"customers":[{"customerNo":12345678901234567891,"name":"Ada Jensen"}]}'
    spec = ResponseSpec(
        records_path="$.customers[*]", fields=fields(identifier="$.customerNo", name="$.name")
    )
    result = serve_and_look_up(Reply(body=body), spec)
    assert pairs(result) == [("12345678901234567891", "Ada Jensen")]
    assert '"identifier": "12345678901234567891"' in result.output_json()


def test_h039_numbers_for_text_fields_become_their_text() -> None:
    body = b'{"customers":[{"id":1001,"name":"Ada Jensen","zip":8000}]}'
    spec = ResponseSpec(
        records_path="$.customers[*]", fields=fields(identifier="$.id", name="$.name", postal_code="$.zip")
    )
    (customer,) = serve_and_look_up(Reply(body=body), spec).customers
    assert (customer.identifier, customer.postal_code) == ("1001", "8000")


def test_decimal_balances_keep_every_digit_in_the_output() -> None:
    body = '{"kunder":[{"nr":"K-1","saldo":"1.234,50"},{"nr":"K-2","saldo":0.10000000000000000555}]}'
    spec = ResponseSpec(
        records_path="$.kunder[*]",
        fields={
            **fields(identifier="$.nr", balance__identifier="$.nr"),
            "balance.balance": FieldMapping(
                paths=["$.saldo"], transforms=[Transform(name="parse_number", decimal_separator="comma")]
            ),
        },
    )
    result = serve_and_look_up(Reply(body=body.encode()), spec)
    balances = [c.balance.balance for c in result.customers if c.balance is not None]
    assert balances == [Decimal("1234.50"), Decimal("0.10000000000000000555")]
    text = result.output_json(indent=None)
    assert '"balance":1234.50}' in text and '"balance":0.10000000000000000555}' in text
    assert loads_exact(text)[1]["balance"]["balance"] == Decimal("0.10000000000000000555")


# ------------------------------------------------------------------------------------ the entry point


def test_a_render_problem_stops_before_anything_is_sent() -> None:
    with http_server(Reply()) as server:
        config = LookupConfig(
            request=Request(url=server.url + "/c", headers=[Header(name="X-Search", value="{search_term}")])
        )
        result = lookup_sync(config, Inputs("Søren"), secrets=NO_SECRETS)
        assert server.requests == []
    assert isinstance(result.error, RenderError) and "'X-Search'" in str(result.error)
    assert result.exchange is None


def test_lookup_records_the_exchange_as_sent() -> None:
    with http_server(Reply(body=b'{"customers":[{"id":"K1"}]}')) as server:
        config = LookupConfig(request=Request(url=server.url + "/c?q={search_term}"), response=K1_SPEC)
        result = lookup_sync(config, Inputs("a b"), secrets=NO_SECRETS)
    assert result.ok and result.exchange is not None
    assert result.exchange.request.url == server.url + "/c?q=a%20b"
    assert result.exchange.status == 200 and result.exchange.size == 27


def test_an_async_decoder_is_awaited() -> None:
    calls: list[bytes] = []

    async def decoder(body: bytes, content_type: str | None, prefix: str | None) -> DecodedBody:
        calls.append(body)
        await asyncio.sleep(0)
        return decode_body(body, content_type, prefix)

    with http_server(Reply(body=b'{"customers":[{"id":"K1"}]}')) as server:
        config = LookupConfig(request=Request(url=server.url + "/c"), response=K1_SPEC)
        result = asyncio.run(lookup(config, Inputs("ada"), secrets=NO_SECRETS, decoder=decoder))
    assert calls == [b'{"customers":[{"id":"K1"}]}'] and [c.identifier for c in result.customers] == ["K1"]


def test_production_host_is_announced() -> None:
    with http_server(Reply(body=b"[]")) as server:
        config = LookupConfig(request=Request(url=server.url + "/c"), production_hosts=["127.0.0.1"])
        result = lookup_sync(config, Inputs("ada"), secrets=NO_SECRETS)
    assert any(note.startswith("PRODUCTION: 127.0.0.1") for note in result.notes)


def test_interpret_without_a_status_takes_the_body_as_an_answer() -> None:
    decoded = decode_body(b'{"customers":[{"id":"K1","name":"Ada Jensen"}]}', None)
    assert pairs(interpret(K1_SPEC, decoded)) == [("K1", "Ada Jensen")]
    assert interpret(K1_SPEC, None, status=200).error is not None


def test_preview_and_runtime_give_the_same_list() -> None:
    # Interpreting the body the runtime received gives exactly the runtime's customers.
    body = b'{"customers":[{"id":1,"name":" Ada "},{"name":"no id"},{"id":12345678901234567891}]}'
    result = serve_and_look_up(Reply(body=body), K1_SPEC)
    assert result.exchange is not None
    again = interpret(K1_SPEC, decode_body(result.exchange.body, result.exchange.content_type), status=200)
    assert again.output_json() == result.output_json()
    assert [c.identifier for c in result.customers] == ["1", "12345678901234567891"]


def test_a_spec_holding_a_lone_surrogate_does_not_crash_interpret() -> None:
    spec = ResponseSpec(
        records_path="$[*]", fields=fields(identifier=FieldMapping(paths=["$.id"], default="\ud800"))
    )
    result = interpret(spec, decode_body(b'[{"id": "K1"}]', None))
    assert [c.identifier for c in result.customers] == ["K1"]
