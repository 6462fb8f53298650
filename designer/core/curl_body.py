"""Stage two, the body: which config body carries curl's body without changing what it means.

* JSON (the content type says JSON and the text parses without loss: no duplicate keys, no
  NaN, numbers kept exact with :func:`~designer.core.jsonio.loads_exact`) becomes a JSON
  template, the representation in which a placeholder value is always a proper JSON string.
  Whitespace between JSON tokens carries no meaning (RFC 8259 §2); the template is sent compact,
  and a note says so when the command's text was formatted differently.
* A form body becomes form fields only when rendering them gives back curl's bytes, apart from
  a space written ``+`` (curl's ``--data-urlencode``) instead of ``%20``, which a form decoder reads
  identically. Anything else (``item[]=1``, ``json_data={...}``, a JSON text labelled as a form)
  stays raw text, byte for byte, because a server may read it literally.
* Everything else is raw text with curl's content type; the text is decoded with the declared
  charset so that rendering writes exactly the bytes curl sends.
"""

from __future__ import annotations

import json
import re
from email.message import Message
from urllib.parse import unquote_plus

from designer.core.config import Body, FormBody, JsonBody, Param, RawBody
from designer.core.curl_messages import Messages
from designer.core.errors import json_error_text
from designer.core.jsonio import ParseNotes, dumps_exact, loads_exact
from designer.core.render import body_kind, encode_query_value

__all__ = ["FORM_TYPE", "JSON_TYPE", "body_from_curl", "form_fields"]

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _canonical(raw: str) -> str:
    """Form-encoded text with escapes upper-cased and ``+`` written ``%20``: what rendering writes."""
    return _PERCENT.sub(lambda m: "%" + m.group(1).upper(), raw).replace("+", "%20")


def _decode(raw: str) -> str | None:
    if _BAD_PERCENT.search(raw):
        return None
    try:
        return unquote_plus(raw, errors="strict")
    except UnicodeDecodeError:
        return None


def form_fields(text: str) -> list[Param] | None:
    """``name=value&...`` as fields, or None when rendering them would change the bytes' meaning."""
    fields: list[Param] = []
    for piece in text.split("&"):
        name_raw, equals, value_raw = piece.partition("=")
        name, value = _decode(name_raw), _decode(value_raw)
        if not equals or not name_raw or name is None or value is None:
            return None
        if encode_query_value(name) != _canonical(name_raw) or encode_query_value(value) != _canonical(
            value_raw
        ):
            return None
        fields.append(Param(name=name, value=value))
    return fields


def _declared_charset(content_type: str) -> str:
    message = Message()
    message["content-type"] = content_type
    return message.get_content_charset() or "utf-8"


def _json_body(text: str, messages: Messages, origin: str) -> JsonBody | None:
    notes = ParseNotes()
    try:
        template = loads_exact(text, notes)
        body = JsonBody(template=template)
    except (json.JSONDecodeError, RecursionError, ValueError) as error:
        where = f" ({json_error_text(error)})" if isinstance(error, json.JSONDecodeError) else ""
        messages.note(
            "body_not_json",
            origin,
            f"the body is labelled JSON but is not valid JSON{where}; it is kept as raw text, "
            "as curl sends it",
        )
        return None
    if notes.non_standard_constants or notes.duplicate_keys:
        messages.note(
            "body_not_json",
            origin,
            "the JSON body repeats a key or holds NaN/Infinity, which a JSON template cannot keep; it "
            "is kept as raw text, as curl sends it",
        )
        return None
    if dumps_exact(template) != text:
        messages.note(
            "json_formatting",
            origin,
            "the JSON body became a JSON template: it is sent compact, without the command's line "
            "breaks and indentation (they carry no meaning in JSON); every key and value is kept, "
            "numbers digit for digit",
        )
    return body


def _raw_body(text: str, content_type: str | None, messages: Messages, origin: str) -> RawBody:
    if content_type is None:
        messages.warn(
            "no_content_type",
            origin,
            "curl would send this body without a Content-Type (removed with 'Content-Type:'); the "
            "designer always labels a body, here as text/plain",
        )
        return RawBody(text=text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    data = text.encode("utf-8", "surrogateescape")
    charset = _declared_charset(content_type)
    try:
        decoded = data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        messages.warn(
            "body_charset",
            origin,
            f"the body's bytes are not valid {charset} (the charset its Content-Type declares); "
            "undecodable bytes were replaced",
        )
        decoded = data.decode("utf-8", "replace")
    return RawBody(text=decoded, content_type=content_type)


def body_from_curl(
    text: str, content_type: str | None, origin: str, messages: Messages, *, labelled_by_curl: bool = False
) -> Body:
    """The config body for curl's body ``text`` labelled ``content_type`` (None: no label).

    ``labelled_by_curl``: the content type is curl's own default for ``-d``, not the command's.
    """
    kind = body_kind(content_type or "")
    clean = not re.search(r"[\ud800-\udfff]", text)  # no undecodable bytes from $'\xHH'
    if kind == "json" and clean:
        body = _json_body(text, messages, origin)
        if body is not None:
            return body
    if kind == "form" and clean and _declared_charset(content_type or "") == "utf-8":
        if not text:
            return FormBody()
        fields = form_fields(text)
        if fields is not None:
            if "+" in text:
                messages.note(
                    "form_encoding",
                    origin,
                    "the form fields are sent with spaces written %20 instead of curl's + (the same "
                    "text for every form decoder)",
                )
            return FormBody(fields=fields)
        if labelled_by_curl and text.lstrip().startswith(("{", "[")):
            messages.note(
                "form_label",
                origin,
                f"the body looks like JSON, but curl labels it {FORM_TYPE} (no Content-Type was given "
                "for it); the import sends it the same way, add 'Content-Type: application/json' if "
                "the API expects JSON",
            )
    return _raw_body(text, content_type, messages, origin)
