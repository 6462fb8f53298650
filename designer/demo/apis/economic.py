"""An accounting system's REST API, modelled on Visma e-conomic's REST API (``/customers``).

Two API-key headers are required: ``X-AppSecretToken`` (identifies the integration) and
``X-AgreementGrantToken`` (grants access to one company's agreement); missing or wrong ones give
401 with e-conomic's error body (``message``, ``errorCode``, ``developerHint``, ``logId``,
``httpStatusCode``, ``logTime``; the codes here are illustrative). ``GET /customers`` answers a
``collection`` wrapper with ``pagination`` (``skippages``/``pagesize``); ``filter`` uses
e-conomic's syntax, e.g. ``name$like:jensen$or:email$like:jensen``: ``$like`` is a
case-insensitive "contains" (``*`` is a wildcard), the special characters ``$ ( ) * , :`` must
be escaped with ``$`` or the filter is refused with 400. ``GET /customers/{customerNumber}``
answers the bare customer object or 404. Countries are Danish names (``Danmark``), never codes;
``balance`` is a decimal number.
"""

from __future__ import annotations

import fnmatch
import uuid
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from designer.demo.apis._common import (
    DemoApi,
    DemoRequest,
    DemoResponse,
    fold_case,
    json_response,
    secret_equals,
)
from designer.demo.data import CREDENTIALS, CUSTOMERS, ECONOMIC_APP_SECRET_TOKEN, DemoCustomer

FILTERABLE: dict[str, type] = {
    "customerNumber": int,
    "name": str,
    "email": str,
    "city": str,
    "zip": str,
    "country": str,
    "telephoneAndFaxNumber": str,
    "currency": str,
    "balance": Decimal,
}
_SPECIAL = "$()*,:"
_OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "like", "in", "nin")
_VAT_ZONE = {"DK": 1, "SE": 2, "NO": 3}


class FilterError(ValueError):
    pass


def _customer(customer: DemoCustomer, base: str) -> dict[str, Any]:
    address = customer.default_address
    me = f"{base}/customers/{customer.number}"
    return {
        "customerNumber": customer.number,
        "currency": customer.currency,
        "paymentTerms": {"paymentTermsNumber": 1, "self": f"{base}/payment-terms/1"},
        "customerGroup": {"customerGroupNumber": 1, "self": f"{base}/customer-groups/1"},
        "address": address.street,
        "balance": customer.balance if customer.balance is not None else Decimal("0.00"),
        "dueAmount": Decimal("0.00"),
        "city": address.city,
        "country": address.country.name_da,
        "email": customer.email,
        "name": customer.display_name,
        "zip": address.postal_code,
        "telephoneAndFaxNumber": customer.phone_national,
        "vatZone": {
            "vatZoneNumber": _VAT_ZONE[address.country_code],
            "self": f"{base}/vat-zones/{_VAT_ZONE[address.country_code]}",
        },
        "lastUpdated": customer.created,
        "contacts": f"{me}/contacts",
        "totals": {"self": f"{me}/totals"},
        "deliveryLocations": f"{me}/delivery-locations",
        "invoices": {
            "drafts": f"{me}/invoices/drafts",
            "booked": f"{me}/invoices/booked",
            "self": f"{me}/invoices",
        },
        "self": me,
    }


def _error(status: int, code: str, message: str, hint: str) -> DemoResponse:
    return json_response(
        status,
        {
            "message": message,
            "errorCode": code,
            "developerHint": hint,
            "logId": uuid.uuid4().hex[:16],
            "httpStatusCode": status,
            "logTime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        },
    )


def _lex(text: str) -> list[tuple[str, str]]:
    """Characters as ("lit", c) / ("wild", "*") / ("list", c), and ("op", name) for ``$name:``."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "$":
            nxt = text[i + 1 : i + 2]
            if nxt and nxt in _SPECIAL:
                out.append(("lit", nxt))
                i += 2
                continue
            end = text.find(":", i)
            name = text[i + 1 : end] if end > 0 else ""
            if name not in (*_OPERATORS, "and", "or"):
                raise FilterError(f"Unknown filter operator at position {i}: escape '$' as '$$'.")
            out.append(("op", name))
            i = end + 1
            continue
        if ch == "*":
            out.append(("wild", ch))
        elif ch in "()":
            raise FilterError(f"Unescaped '{ch}' at position {i}: escape it as '${ch}'.")
        elif ch in ",:":
            out.append(("list", ch))
        else:
            out.append(("lit", ch))
        i += 1
    return out


def _condition(tokens: list[tuple[str, str]]) -> Any:
    ops = [n for n, t in enumerate(tokens) if t[0] == "op"]
    if len(ops) != 1 or ops[0] == 0:
        raise FilterError("Each condition must be 'field$operator:value'.")
    field = "".join(c for _, c in tokens[: ops[0]])
    op = tokens[ops[0]][1]
    value_tokens = tokens[ops[0] + 1 :]
    if field not in FILTERABLE:
        raise FilterError(f"The property '{field}' is not filterable.")
    kind = FILTERABLE[field]
    if op in ("in", "nin"):
        raw = "".join(c for _, c in value_tokens)
        if not (raw.startswith("[") and raw.endswith("]")):
            raise FilterError(f"${op}: expects a list like [a,b].")
        items = [_typed(kind, v) for v in raw[1:-1].split(",")]
        return lambda c: (c[field] in items) == (op == "in")
    if any(k == "list" for k, _ in value_tokens):
        raise FilterError("Unescaped ',' or ':' in a filter value: escape them as '$,' and '$:'.")
    if op == "like":
        if kind is not str:
            raise FilterError(f"$like: only applies to text properties, not '{field}'.")
        pattern = "".join("*" if k == "wild" else fnmatch_escape(c) for k, c in value_tokens)
        if not any(k == "wild" for k, _ in value_tokens):
            pattern = f"*{pattern}*"
        folded = fold_case(pattern)
        return lambda c: fnmatch.fnmatchcase(fold_case(c[field]), folded)
    if any(k == "wild" for k, _ in value_tokens):
        raise FilterError("'*' is only allowed with $like: escape it as '$*'.")
    value = _typed(kind, "".join(c for _, c in value_tokens))

    def compare(c: dict[str, Any]) -> bool:
        actual = c[field]
        a, b = (fold_case(actual), fold_case(value)) if kind is str else (actual, value)
        return {"eq": a == b, "ne": a != b, "gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op]

    return compare


def fnmatch_escape(ch: str) -> str:
    return f"[{ch}]" if ch in "*?[]" else ch


def _typed(kind: type, text: str) -> Any:
    try:
        if kind is int:
            return int(text)
        if kind is Decimal:
            return Decimal(text)
    except (ValueError, InvalidOperation):
        raise FilterError(f"'{text}' is not a valid {kind.__name__} value.") from None
    return text


def compile_filter(text: str) -> Any:
    """OR of AND-groups; ``$and:`` binds tighter than ``$or:``."""
    groups: list[list[list[tuple[str, str]]]] = [[[]]]
    for token in _lex(text):
        if token == ("op", "or"):
            groups.append([[]])
        elif token == ("op", "and"):
            groups[-1].append([])
        else:
            groups[-1][-1].append(token)
    compiled = [[_condition(cond) for cond in group] for group in groups]
    return lambda c: any(all(cond(c) for cond in group) for group in compiled)


def _list(request: DemoRequest) -> DemoResponse:
    records = [_customer(c, request.base_url) for c in sorted(CUSTOMERS, key=lambda c: c.number)]
    try:
        skip = int(request.param("skippages") or 0)
        size = int(request.param("pagesize") or 20)
    except ValueError:
        return _error(400, "E04300", "Validation error.", "skippages and pagesize must be integers.")
    if skip < 0 or not 1 <= size <= 1000:
        return _error(400, "E04300", "Validation error.", "pagesize must be between 1 and 1000.")
    total_all = len(records)
    text = request.param("filter")
    if text:
        try:
            matches = compile_filter(text)
        except FilterError as error:
            return _error(400, "E04400", "Invalid filter.", str(error))
        records = [r for r in records if matches(r)]
    page = records[skip * size : (skip + 1) * size]
    params = {k: v for k, v in request.query_params() if k not in ("skippages", "pagesize")}
    base = f"{request.base_url}/customers"

    def page_url(n: int) -> str:
        return f"{base}?{urlencode({'skippages': n, 'pagesize': size, **params})}"

    last = max(0, (len(records) - 1) // size)
    pagination: dict[str, Any] = {
        "maxPageSizeAllowed": 1000,
        "skipPages": skip,
        "pageSize": size,
        "results": len(records),
        "resultsWithoutFilter": total_all,
        "firstPage": page_url(0),
    }
    if skip < last:
        pagination["nextPage"] = page_url(skip + 1)
    pagination["lastPage"] = page_url(last)
    body = {
        "collection": page,
        "metaData": {"create": {"description": "Create a new customer.", "href": base, "httpMethod": "post"}},
        "pagination": pagination,
        "self": page_url(skip),
    }
    return json_response(200, body)


def handle(request: DemoRequest) -> DemoResponse:
    segments = request.segments()
    if not segments or segments[0] != "customers" or len(segments) > 2:
        return _error(404, "E00404", "Resource not found.", "There is no resource at this URL.")
    app = request.header("x-appsecrettoken")
    grant = request.header("x-agreementgranttoken")
    if not app or not grant:
        return _error(
            401,
            "E06010",
            "Unauthorized access (401).",
            "The request must carry both the X-AppSecretToken and the X-AgreementGrantToken header.",
        )
    if not secret_equals(app, ECONOMIC_APP_SECRET_TOKEN):
        return _error(401, "E06011", "Unauthorized access (401).", "The X-AppSecretToken is not valid.")
    if not secret_equals(grant, CREDENTIALS["DEMO_ECONOMIC_AGREEMENT_GRANT_TOKEN"]):
        return _error(401, "E06012", "Unauthorized access (401).", "The X-AgreementGrantToken is not valid.")
    if request.method not in ("GET", "HEAD"):
        return _error(405, "E00405", "Method not allowed.", "Only GET is available in the demo.")
    if len(segments) == 1:
        return _list(request)
    number = segments[1]
    if not (number.isascii() and number.isdigit()):
        return _error(
            400, "E04300", "Validation error.", f"customerNumber must be an integer, not '{number}'."
        )
    customer = next((c for c in CUSTOMERS if c.number == int(number)), None)
    if customer is None:
        return _error(404, "E06000", "Customer not found.", f"No customer has customerNumber {int(number)}.")
    return json_response(200, _customer(customer, request.base_url))


API = DemoApi(
    name="economic",
    prefix="/economic",
    title="e-conomic-style accounting REST API (two API-key headers, collection + pagination)",
    search_path="/customers?filter=name$like:jensen",
    handle=handle,
)
