"""decode_body: from response bytes to a JSON document, every way a body can fail explained.

Bodies come from the real pitfall cases in ../shared/pitfalls/cases where one exists.
"""

from __future__ import annotations

import codecs
from decimal import Decimal

import pytest
from pitfall_cases import case_responses

from designer.core.decode import KNOWN_XSSI_PREFIXES, decode_body, excerpt
from designer.core.jsonio import NonStandardNumber

CUSTOMERS_K1 = b'{"customers":[{"id":"K1","name":"Ada Jensen"}]}'


def test_h015_declared_latin1_is_decoded_before_parsing() -> None:
    (saved,) = case_responses("H015.http")
    decoded = decode_body(saved.body, saved.content_type)
    assert decoded.ok and decoded.charset == "iso-8859-1"
    (customer,) = decoded.document["customers"]
    assert (customer["name"], customer["city"]) == ("Søren Æbelø", "Århus")
    assert '"Søren Æbelø"' in decoded.text


def test_h015_the_same_bytes_without_a_charset_are_an_error_naming_the_offset() -> None:
    (saved,) = case_responses("H015.http")
    decoded = decode_body(saved.body, "application/json")
    assert decoded.error is not None and decoded.error.code == "encoding"
    offset = saved.body.index(b"\xf8")
    assert "byte(s) f8" in str(decoded.error) and f"offset {offset}" in str(decoded.error)
    assert "no charset declared" in str(decoded.error)
    assert "S\ufffdren" in decoded.text  # still shown, never guessed


def test_h016_utf8_bom_is_dropped() -> None:
    (saved,) = case_responses("H016.http")
    decoded = decode_body(saved.body, saved.content_type)
    assert decoded.ok and decoded.document["customers"][0]["name"] == "Ada Jensen"
    assert not decoded.text.startswith("\ufeff") and decoded.text.startswith("{")


def test_a_bom_wins_over_a_declared_charset_with_a_note() -> None:
    decoded = decode_body(codecs.BOM_UTF8 + '{"n":"Ærø"}'.encode(), "application/json; charset=iso-8859-1")
    assert decoded.document == {"n": "Ærø"} and decoded.charset == "utf-8"
    assert any("byte-order mark" in note and "iso-8859-1" in note for note in decoded.notes)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_its_bom(encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    decoded = decode_body(bom + '{"n":"Åse"}'.encode(encoding), "application/json")
    assert decoded.document == {"n": "Åse"}


def test_an_unknown_charset_is_noted_and_read_as_utf8() -> None:
    decoded = decode_body('{"n":"ø"}'.encode(), 'application/json; charset="x-klingon"')
    assert decoded.document == {"n": "ø"}
    assert any("x-klingon" in note for note in decoded.notes)


def test_h024_json_served_as_html_is_parsed_by_content_with_a_note() -> None:
    (saved,) = case_responses("H024.http")
    decoded = decode_body(saved.body, saved.content_type)
    assert decoded.ok and decoded.document["customers"][0]["id"] == "K1"
    assert decoded.mime == "text/html"
    assert decoded.notes == (
        "the body is JSON but the server declared it as text/html; parsed by its content",
    )


def test_h025_html_sign_in_page_is_explained() -> None:
    (saved,) = case_responses("H025.http")
    decoded = decode_body(saved.body, saved.content_type)
    assert decoded.error is not None and decoded.error.code == "html"
    assert str(decoded.error).startswith("response is HTML, not JSON (title: Sign in)")
    assert decoded.document is None and decoded.text.startswith("<!DOCTYPE html>")


def test_html_served_as_json_is_still_recognised() -> None:
    decoded = decode_body(b"<html><head><title>502 Bad\n Gateway</title></head></html>", "application/json")
    assert decoded.error is not None and "(title: 502 Bad Gateway)" in str(decoded.error)


def test_xml_is_not_json() -> None:
    decoded = decode_body(b'<?xml version="1.0"?><customers/>', "application/xml")
    assert decoded.error is not None and decoded.error.code == "xml"


def test_h026_xssi_prefix_is_detected_when_not_configured() -> None:
    (saved,) = case_responses("H026.http")
    decoded = decode_body(saved.body, saved.content_type)
    assert decoded.error is not None and decoded.error.code == "xssi_prefix"
    assert decoded.detected_prefix == ")]}'" and decoded.stripped_prefix is None
    assert "strip prefix" in str(decoded.error)


def test_h026_configured_prefix_is_stripped_and_the_raw_text_kept() -> None:
    (saved,) = case_responses("H026.http")
    decoded = decode_body(saved.body, saved.content_type, ")]}'")
    assert decoded.ok and decoded.document["customers"][0]["id"] == "K1"
    assert decoded.stripped_prefix == ")]}'" and decoded.detected_prefix is None
    assert decoded.text.startswith(")]}'")  # the raw view shows what arrived
    assert any("anti-XSSI prefix" in note for note in decoded.notes)


@pytest.mark.parametrize("prefix", KNOWN_XSSI_PREFIXES)
def test_every_known_prefix_with_a_bom_in_front(prefix: str) -> None:
    body = codecs.BOM_UTF8 + prefix.encode() + b"\n" + CUSTOMERS_K1
    assert decode_body(body, "application/json").detected_prefix == prefix
    decoded = decode_body(body, "application/json", prefix)
    assert decoded.ok and decoded.document["customers"][0]["id"] == "K1"


def test_a_configured_prefix_that_is_absent_changes_nothing() -> None:
    decoded = decode_body(CUSTOMERS_K1, "application/json", ")]}'")
    assert decoded.ok and decoded.stripped_prefix is None


@pytest.mark.parametrize("body", [b"", b"  \r\n "])
def test_an_empty_body_is_not_json(body: bytes) -> None:
    decoded = decode_body(body, "application/json")
    assert decoded.error is not None and decoded.error.code == "empty"


def test_malformed_json_gives_the_place_the_content_type_and_the_first_bytes() -> None:
    decoded = decode_body(b'{"customers": [\n  {"id": "K1",}\n]}', "application/json; charset=utf-8")
    assert decoded.error is not None and decoded.error.code == "json"
    message = str(decoded.error)
    assert "(served as application/json)" in message and "line 2 column" in message
    assert 'it starts with: \'{"customers": [ {"id": "K1",} ]}\'' in message


def test_excerpt_is_one_line_and_cut() -> None:
    assert excerpt("a\n\tb   c") == "a b c"
    long = excerpt("x" * 500, limit=20)
    assert len(long) == 20 and long.endswith("…")


def test_h022_nan_is_noted_and_never_a_float() -> None:
    body = b'{"customers":[{"id":"K1","balance":{"identifier":"GC-1","balance":NaN}}]}'
    decoded = decode_body(body, "application/json")
    assert decoded.ok
    assert decoded.notes == ("body is non-standard JSON: it contains NaN (treated as no value)",)
    assert decoded.document["customers"][0]["balance"]["balance"] == NonStandardNumber("NaN")


def test_h019_numbers_stay_exact() -> None:
    body = b'{"customers":[{"customerNo":12345678901234567891,"saldo":1234.50,"tiny":1e-30}]}'
    record = decode_body(body, "application/json").document["customers"][0]
    assert record["customerNo"] == 12345678901234567891 and isinstance(record["customerNo"], int)
    assert record["saldo"] == Decimal("1234.50") and str(record["saldo"]) == "1234.50"
    assert record["tiny"] == Decimal("1e-30")


def test_duplicate_keys_are_noted() -> None:
    decoded = decode_body(b'{"id": "K1", "id": "K2"}', "application/json")
    assert decoded.document == {"id": "K2"}
    assert any("repeats object keys ('id')" in note for note in decoded.notes)


@pytest.mark.parametrize(
    "content_type", [None, "", "application/json", "application/vnd.api+json", "text/json"]
)
def test_json_content_types_give_no_note(content_type: str | None) -> None:
    decoded = decode_body(CUSTOMERS_K1, content_type)
    assert decoded.ok and decoded.notes == ()


def test_a_number_too_long_to_read_is_an_error_not_a_crash() -> None:
    decoded = decode_body(b'{"id": ' + b"9" * 5000 + b"}", "application/json")
    assert decoded.error is not None and "digits" in str(decoded.error)
