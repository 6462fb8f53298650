"""Responses and documents shared by the mapper and preview tests."""

from __future__ import annotations

from typing import Any

from designer.core.config import LookupConfig
from designer.core.decode import decode_body
from designer.core.jsonio import dumps_exact
from designer.core.model_types import Exchange, RenderedRequest
from designer.gui.document import Document, ResponseState

#: Three customers as a webshop might send them: split names, a nested address list whose
#: default is not always first, a balance as text with a decimal comma, one record without id.
CUSTOMERS: dict[str, Any] = {
    "customers": [
        {
            "id": 12345678901234567891,
            "first_name": "Ada",
            "last_name": "Jensen",
            "email": "ada@example.dk",
            "addresses": [
                {"default": False, "type": "billing", "city": "Køge", "cc": "dk"},
                {"default": True, "type": "shipping", "city": "Århus", "cc": "DK"},
            ],
            "account": {"id": "GC-1", "balance": "1.234,50"},
        },
        {
            "first_name": "Bo",
            "last_name": "Holm",
            "addresses": [{"default": True, "type": "billing", "city": "Odense", "cc": "DK"}],
            "account": {"id": "GC-2", "balance": "12,00"},
        },
        {
            "id": "K3",
            "first_name": "Søren",
            "last_name": "Ærø",
            "email": "soren@example.dk",
            "addresses": [
                {"default": True, "type": "shipping", "city": "Ribe", "cc": "DK"},
                {"default": False, "type": "billing", "city": "Ålborg", "cc": "DK"},
            ],
            "account": {"id": "GC-3", "balance": 7},
        },
    ]
}


def body(document: Any) -> bytes:
    return dumps_exact(document).encode("utf-8")


def response_state(
    document: Any = None,
    *,
    raw: bytes | None = None,
    status: int | None = None,
    content_type: str = "application/json",
    strip_prefix: str | None = None,
) -> ResponseState:
    """A response as the window holds it: with an exchange when ``status`` is given."""
    data = raw if raw is not None else body(CUSTOMERS if document is None else document)
    decoded = decode_body(data, content_type, strip_prefix)
    if status is None:
        return ResponseState(None, decoded, "pasted")
    request = RenderedRequest("GET", "http://127.0.0.1/customers", ())
    exchange = Exchange(request, status, "", 1.0, len(data), (("Content-Type", content_type),), data)
    return ResponseState(exchange, decoded, "request")


def document_with(document: Any = None, config: LookupConfig | None = None, **kwargs: Any) -> Document:
    doc = Document(config)
    doc.set_response(response_state(document, **kwargs))
    return doc


def many_customers(n: int) -> dict[str, Any]:
    """``n`` records; every seventh has no id (skipped), every fifth a bad country code."""
    records = []
    for i in range(n):
        record: dict[str, Any] = {
            "first": f"Kunde{i}",
            "last": "Ærø",
            "cc": "dk" if i % 5 == 0 else "DK",
            "addresses": [{"default": i % 2 == 0, "city": "Århus"}, {"default": i % 2 == 1, "city": "Køge"}],
        }
        if i % 7:
            record["no"] = 9_007_199_254_740_993 + i
        records.append(record)
    return {"customers": records}
