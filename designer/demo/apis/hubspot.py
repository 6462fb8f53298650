"""A CRM's search endpoint, modelled on HubSpot CRM API v3 contacts search.

``POST /crm/v3/objects/contacts/search`` with ``Authorization: Bearer <private app token>`` and
a JSON body: ``query`` (free text over the default searchable properties), ``filterGroups``
(groups OR-ed, filters inside a group AND-ed), ``properties``, ``limit``, ``after``. The answer
is ``{"total": n, "results": [{"id": "...", "properties": {...}, ...}], "paging": ...}`` with
every property a string (names split into ``firstname``/``lastname``); no match is
``{"total": 0, "results": []}``. Matching is case-insensitive: a query word matches the start of
a word of a property (``jen`` finds Jensen), a phone query matches by its digits, a filter
``EQ`` compares whole values and ``CONTAINS_TOKEN`` whole words (``*`` as wildcard).
"""

from __future__ import annotations

import fnmatch
import json
import re
from typing import Any

from designer.demo.apis._common import (
    DemoApi,
    DemoRequest,
    DemoResponse,
    bearer_token,
    correlation_id,
    digits,
    fold_case,
    json_response,
    secret_equals,
)
from designer.demo.data import CREDENTIALS, CUSTOMERS, DemoCustomer

ROUTE = ["crm", "v3", "objects", "contacts", "search"]
DEFAULT_PROPERTIES = ("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname")
SEARCHABLE = ("firstname", "lastname", "email", "phone", "mobilephone", "company")
OPERATORS = (
    "EQ",
    "NEQ",
    "LT",
    "LTE",
    "GT",
    "GTE",
    "CONTAINS_TOKEN",
    "NOT_CONTAINS_TOKEN",
    "HAS_PROPERTY",
    "NOT_HAS_PROPERTY",
    "IN",
    "NOT_IN",
    "BETWEEN",
)
_WORD = re.compile(r"[^\W_]+")
_PHONE_QUERY = re.compile(r"\+?[\d\s().-]{6,}")


def _properties(customer: DemoCustomer) -> dict[str, str | None]:
    address = customer.default_address
    return {
        "address": address.street,
        "city": address.city,
        "company": customer.company,
        "country": address.country.name_en,
        "createdate": customer.created.replace("Z", ".000Z"),
        "email": customer.email,
        "firstname": customer.first_name,
        "hs_object_id": customer.hubspot_id,
        "lastmodifieddate": customer.created.replace("Z", ".000Z"),
        "lastname": customer.last_name,
        "mobilephone": None,
        "phone": customer.phone,
        "zip": address.postal_code,
    }


CONTACTS: tuple[dict[str, str | None], ...] = tuple(
    _properties(c) for c in sorted(CUSTOMERS, key=lambda c: int(c.hubspot_id))
)


class _BadRequest(ValueError):
    pass


def _error(status: int, category: str, message: str, **extra: Any) -> DemoResponse:
    body = {
        "status": "error",
        "message": message,
        "correlationId": correlation_id(),
        "category": category,
        **extra,
    }
    return json_response(status, body)


def _words(value: str | None) -> list[str]:
    return _WORD.findall(fold_case(value or ""))


def _query_matches(contact: dict[str, str | None], query: str) -> bool:
    if _PHONE_QUERY.fullmatch(query.strip()):
        wanted = digits(query)
        return any(digits(contact[p] or "").endswith(wanted) for p in ("phone", "mobilephone"))
    folded = fold_case(query.strip())
    if "@" in folded:
        return fold_case(contact["email"] or "").startswith(folded)
    words = [w for w in _WORD.findall(folded) if w]
    if not words:
        return False
    haystack = [w for prop in SEARCHABLE for w in _words(contact[prop])]
    return all(any(h.startswith(w) for h in haystack) for w in words)


def _filter_matches(contact: dict[str, str | None], flt: dict[str, Any]) -> bool:
    name, raw_op = flt.get("propertyName"), flt.get("operator", "EQ")
    if not isinstance(name, str) or raw_op not in OPERATORS:
        raise _BadRequest(f"Invalid filter: operator {raw_op!r} / propertyName {name!r}")
    op = str(raw_op)
    actual = contact.get(name)
    if op in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        return (actual not in (None, "")) == (op == "HAS_PROPERTY")
    value = flt.get("value")
    values = flt.get("values")
    if op in ("IN", "NOT_IN"):
        if not isinstance(values, list):
            raise _BadRequest(f"The {op} operator requires 'values'")
        found = fold_case(actual or "") in [fold_case(str(v)) for v in values]
        return found == (op == "IN")
    if value is None:
        raise _BadRequest(f"The {op} operator requires a 'value'")
    wanted = fold_case(str(value))
    have = fold_case(actual or "")
    if op in ("EQ", "NEQ"):
        return (have == wanted) == (op == "EQ") if actual is not None else op == "NEQ"
    if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        tokens = [*_words(actual), have]
        hit = any(fnmatch.fnmatchcase(t, wanted) for t in tokens)
        return hit == (op == "CONTAINS_TOKEN")
    if op == "BETWEEN":
        high = flt.get("highValue")
        if high is None:
            raise _BadRequest("The BETWEEN operator requires a 'highValue'")
        return actual is not None and wanted <= have <= fold_case(str(high))
    compare = {"LT": have < wanted, "LTE": have <= wanted, "GT": have > wanted, "GTE": have >= wanted}
    return actual is not None and compare[op]


def _search(body: dict[str, Any], base_url: str) -> DemoResponse:
    groups = body.get("filterGroups") or []
    query = body.get("query")
    limit = body.get("limit", 10)
    after = body.get("after", "0")
    props = body.get("properties") or list(DEFAULT_PROPERTIES)
    if not isinstance(groups, list) or len(groups) > 5:
        raise _BadRequest("filterGroups must be a list of at most 5 groups")
    if sum(len(g.get("filters") or []) for g in groups if isinstance(g, dict)) > 18:
        raise _BadRequest("at most 18 filters are allowed across all filter groups")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 200:
        raise _BadRequest("limit must be an integer between 1 and 200")
    try:
        offset = int(after)
    except (TypeError, ValueError):
        raise _BadRequest(f"after must be a numeric paging cursor, not {after!r}") from None
    if query is not None and not isinstance(query, str):
        raise _BadRequest("query must be a string")
    if not isinstance(props, list) or not all(isinstance(p, str) for p in props):
        raise _BadRequest("properties must be a list of property names")

    hits = []
    for contact in CONTACTS:
        if query and not _query_matches(contact, query):
            continue
        if groups and not any(
            all(_filter_matches(contact, f) for f in (g.get("filters") or []) if isinstance(f, dict))
            for g in groups
            if isinstance(g, dict)
        ):
            continue
        hits.append(contact)
    page = hits[offset : offset + limit]
    wanted = [*props, *(p for p in ("createdate", "hs_object_id", "lastmodifieddate") if p not in props)]
    results = [
        {
            "id": c["hs_object_id"],
            "properties": {p: c.get(p) for p in sorted(wanted)},
            "createdAt": c["createdate"],
            "updatedAt": c["lastmodifieddate"],
            "archived": False,
        }
        for c in page
    ]
    out: dict[str, Any] = {"total": len(hits), "results": results}
    if offset + limit < len(hits):
        nxt = str(offset + limit)
        out["paging"] = {
            "next": {"after": nxt, "link": f"{base_url}/crm/v3/objects/contacts/search?after={nxt}"}
        }
    return json_response(200, out)


def handle(request: DemoRequest) -> DemoResponse:
    if request.segments() != ROUTE:
        return _error(404, "OBJECT_NOT_FOUND", "Resource not found")
    if request.method != "POST":
        return _error(405, "METHOD_NOT_ALLOWED", f"HTTP method {request.method} is not supported by this URL")
    if not secret_equals(bearer_token(request), CREDENTIALS["DEMO_HUBSPOT_TOKEN"]):
        return _error(
            401,
            "INVALID_AUTHENTICATION",
            "Authentication credentials not found. This API supports OAuth 2.0 authentication and "
            "you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
        )
    try:
        body = json.loads(request.body.decode("utf-8")) if request.body.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        detail = (
            f" on line {error.lineno}, column {error.colno}: {error.msg}"
            if isinstance(error, json.JSONDecodeError)
            else ": the body is not UTF-8"
        )
        return _error(400, "VALIDATION_ERROR", f"Invalid input JSON{detail}")
    if not isinstance(body, dict):
        return _error(400, "VALIDATION_ERROR", "Invalid input JSON: expected an object")
    try:
        return _search(body, request.base_url)
    except _BadRequest as error:
        return _error(400, "VALIDATION_ERROR", str(error))


API = DemoApi(
    name="hubspot",
    prefix="/hubspot",
    title="HubSpot-style CRM search (POST JSON body with query/filterGroups, Bearer token)",
    search_path='/crm/v3/objects/contacts/search  (POST {"query": "jensen"})',
    handle=handle,
)
