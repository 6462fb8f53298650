"""An id lookup by path segment, modelled on the Shopify Admin REST API's customer resource.

``GET /admin/api/2024-01/customers/{id}.json`` with the ``X-Shopify-Access-Token`` header
answers one customer wrapped as ``{"customer": {...}}``, or 404 ``{"errors": "Not Found"}``
when no customer has that id (also for ids that are not numbers, e.g. ``..%2Fadmin``). Ids are
64-bit integers written as raw JSON numbers, one of them above 2**53. Addresses are a nested
``addresses`` list in which one entry has ``"default": true`` (not always the first), plus a
``default_address`` copy. ``GET /admin/api/2024-01/customers/search.json?query=...`` searches
(words AND-ed, each a case- and accent-insensitive prefix of a name, e-mail, phone, company or
address word; ``field:value`` narrows to ``email``, ``phone``, ``first_name``, ``last_name``,
``country``) and answers ``{"customers": [...]}``, empty when nothing matches.
"""

from __future__ import annotations

import re
from typing import Any

from designer.demo.apis._common import (
    DemoApi,
    DemoRequest,
    DemoResponse,
    digits,
    fold_accents,
    json_response,
    secret_equals,
)
from designer.demo.data import CREDENTIALS, CUSTOMERS, Address, DemoCustomer

_VERSION = re.compile(r"\d{4}-\d{2}")
_ID_JSON = re.compile(r"(?P<id>[0-9]{1,20})\.json")
_WORD = re.compile(r"[^\W_]+")
FIELDS = ("email", "phone", "first_name", "last_name", "country")


def _address(customer: DemoCustomer, address: Address) -> dict[str, Any]:
    return {
        "id": address.shopify_id,
        "customer_id": customer.shopify_id,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "company": customer.company,
        "address1": address.street,
        "address2": "",
        "city": address.city,
        "province": "",
        "country": address.country.name_en,
        "zip": address.postal_code,
        "phone": "",
        "name": customer.person_name,
        "province_code": None,
        "country_code": address.country_code,
        "country_name": address.country.name_en,
        "default": address.default,
    }


def _customer(customer: DemoCustomer) -> dict[str, Any]:
    when = customer.created.replace("Z", "+00:00")
    return {
        "id": customer.shopify_id,
        "email": customer.email,
        "created_at": when,
        "updated_at": when,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "orders_count": 0,
        "state": "enabled",
        "total_spent": "0.00",
        "last_order_id": None,
        "note": None,
        "verified_email": True,
        "multipass_identifier": None,
        "tax_exempt": False,
        "tags": "",
        "last_order_name": None,
        "currency": customer.currency,
        "phone": customer.phone_e164,
        "addresses": [_address(customer, a) for a in customer.addresses],
        "tax_exemptions": [],
        "email_marketing_consent": {
            "state": "not_subscribed",
            "opt_in_level": "single_opt_in",
            "consent_updated_at": None,
        },
        "sms_marketing_consent": None,
        "admin_graphql_api_id": f"gid://shopify/Customer/{customer.shopify_id}",
        "default_address": _address(customer, customer.default_address),
    }


RECORDS: tuple[dict[str, Any], ...] = tuple(
    _customer(c) for c in sorted(CUSTOMERS, key=lambda c: c.shopify_id)
)


def _error(status: int, message: str) -> DemoResponse:
    return json_response(status, {"errors": message})


def _words(record: dict[str, Any]) -> list[str]:
    address = record["default_address"]
    texts = [
        record["first_name"],
        record["last_name"],
        record["email"],
        address["company"] or "",
        address["address1"],
        address["city"],
        address["country"],
    ]
    words = [w for t in texts for w in _WORD.findall(fold_accents(t))]
    return [*words, fold_accents(record["email"]), digits(record["phone"])]


def _term_matches(record: dict[str, Any], term: str) -> bool:
    field, sep, value = term.partition(":")
    if sep and field in FIELDS:
        if field == "phone":
            return bool(digits(value)) and digits(record["phone"]).endswith(digits(value))
        actual = record["default_address"]["country"] if field == "country" else record[field]
        return fold_accents(str(actual)) == fold_accents(value.strip('"'))
    needle = fold_accents(term.strip('"'))
    if not needle:
        return True
    if needle.lstrip("+").isascii() and needle.lstrip("+").isdigit():
        return digits(record["phone"]).endswith(needle.lstrip("+"))
    return any(word.startswith(needle) for word in _words(record))


def _search(request: DemoRequest) -> DemoResponse:
    query = request.param("query") or ""
    try:
        limit = int(request.param("limit") or 50)
    except ValueError:
        return _error(400, "limit: expected Integer")
    if not 1 <= limit <= 250:
        return _error(400, "limit: must be between 1 and 250")
    terms = query.split()
    hits = [r for r in RECORDS if all(_term_matches(r, t) for t in terms)]
    return json_response(200, {"customers": hits[:limit]})


def handle(request: DemoRequest) -> DemoResponse:
    segments = request.segments()
    if (
        len(segments) != 5
        or segments[:2] != ["admin", "api"]
        or not _VERSION.fullmatch(segments[2])
        or segments[3] != "customers"
    ):
        return _error(404, "Not Found")
    if not secret_equals(request.header("x-shopify-access-token"), CREDENTIALS["DEMO_SHOPIFY_ACCESS_TOKEN"]):
        return _error(401, "[API] Invalid API key or access token (unrecognized login or wrong password)")
    if request.method not in ("GET", "HEAD"):
        return _error(406, "Not Acceptable")
    if segments[4] == "search.json":
        return _search(request)
    match = _ID_JSON.fullmatch(segments[4])
    if match is None:
        return _error(404, "Not Found")
    wanted = int(match.group("id"))
    record = next((r for r in RECORDS if r["id"] == wanted), None)
    if record is None:
        return _error(404, "Not Found")
    return json_response(200, {"customer": record})


API = DemoApi(
    name="shopify",
    prefix="/shopify",
    title="Shopify-style customer lookup by id in the path (X-Shopify-Access-Token, 404 when unknown)",
    search_path="/admin/api/2024-01/customers/9007199254740993.json",
    handle=handle,
)
