"""A JSON-RPC 2.0 search, modelled on Odoo's ``res.partner`` ``search_read`` over ``call_kw``.

``POST /web/dataset/call_kw/res.partner/search_read`` with a JSON-RPC body
``{"jsonrpc": "2.0", "method": "call", "params": {"model": "res.partner", "method": "search_read",
"args": [DOMAIN], "kwargs": {"fields": [...], "limit": N}}, "id": 1}`` and the session cookie
``session_id``. The answer is ``{"jsonrpc": "2.0", "id": 1, "result": [...]}``; no match is
``"result": []``. Like Odoo, errors come back with HTTP 200 and a JSON-RPC ``error`` object, a
missing or wrong session included ("Odoo Session Expired"). The domain is Odoo's prefix
notation (``"|"``, ``"&"``, ``"!"`` and ``[field, operator, value]`` leaves). ``ilike`` is
PostgreSQL ``ILIKE '%value%'``: case-insensitive, accent-sensitive (Odoo's ``unaccent`` is off by
default), and ``%``/``_`` inside the value are wildcards, as in Odoo. Empty fields read
``false``; ``country_id`` is an ``[id, name]`` pair; ``credit`` is a number.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from http.cookies import CookieError, SimpleCookie
from typing import Any

from designer.demo.apis._common import DemoApi, DemoRequest, DemoResponse, json_response, secret_equals
from designer.demo.data import CREDENTIALS, CUSTOMERS, DemoCustomer

FIELDS = (
    "id",
    "name",
    "display_name",
    "is_company",
    "ref",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "country_id",
    "country_code",
    "credit",
    "website",
    "type",
    "active",
)
Leaf = Callable[[dict[str, Any]], bool]


def _partner(customer: DemoCustomer) -> dict[str, Any]:
    address = customer.default_address
    return {
        "id": customer.odoo_id,
        "name": customer.display_name,
        "display_name": customer.display_name,
        "is_company": customer.company is not None,
        "ref": str(customer.number),
        "email": customer.email,
        "phone": customer.phone,
        "mobile": False,
        "street": address.street,
        "street2": False,
        "zip": address.postal_code,
        "city": address.city,
        "country_id": [address.country.odoo_id, address.country.name_en],
        "country_code": address.country_code,
        "credit": customer.balance if customer.balance is not None else Decimal(0),
        "website": False,
        "type": "contact",
        "active": True,
    }


# res.partner's _order is "complete_name ASC, id DESC"; names here are unique.
PARTNERS: tuple[dict[str, Any], ...] = tuple(
    sorted((_partner(c) for c in CUSTOMERS), key=lambda p: (str(p["name"]).casefold(), -int(p["id"])))
)


class RpcError(Exception):
    def __init__(self, name: str, message: str, code: int = 200, title: str = "Odoo Server Error") -> None:
        super().__init__(message)
        self.name, self.message, self.code, self.title = name, message, code, title


def _like(pattern: str, value: str, *, insensitive: bool) -> bool:
    """SQL LIKE: ``%`` any run, ``_`` one character, ``\\`` escapes (PostgreSQL's default).

    A two-pointer wildcard match, linear in practice: a hostile term full of ``%`` cannot make it
    backtrack exponentially the way a translated regular expression would.
    """
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            tokens.append(("lit", pattern[i + 1]))
            i += 2
            continue
        tokens.append(("any", "") if ch == "%" else ("one", "") if ch == "_" else ("lit", ch))
        i += 1
    chars = list(value)
    if insensitive:
        chars = [c.lower() for c in chars]
        tokens = [(kind, c.lower()) for kind, c in tokens]
    t = v = 0
    star_t, star_v = -1, 0
    while v < len(chars):
        kind, lit = tokens[t] if t < len(tokens) else ("end", "")
        if kind == "one" or (kind == "lit" and lit == chars[v]):
            t, v = t + 1, v + 1
        elif kind == "any":
            star_t, star_v, t = t, v, t + 1
        elif star_t >= 0:
            star_v += 1
            t, v = star_t + 1, star_v
        else:
            return False
    while t < len(tokens) and tokens[t][0] == "any":
        t += 1
    return t == len(tokens)


def _leaf(term: list[Any]) -> Leaf:
    if len(term) != 3 or not isinstance(term[0], str) or not isinstance(term[1], str):
        raise RpcError("builtins.ValueError", f"Invalid leaf {term!r}")
    field, op, value = term
    if field not in FIELDS:
        raise RpcError("builtins.ValueError", f"Invalid field res.partner.{field} in leaf {tuple(term)!r}")

    def text(record: dict[str, Any]) -> str | None:
        raw = record[field]
        if raw is False or raw is None:
            return None
        return str(raw[1]) if isinstance(raw, list) else str(raw)

    if op in ("ilike", "not ilike", "like", "not like", "=ilike", "=like"):
        if not isinstance(value, str):
            value = "" if value is False else str(value)
        pattern = value if op.startswith("=") else f"%{value}%"
        insensitive = "ilike" in op
        negate = op.startswith("not")
        if not value and not op.startswith("="):
            return lambda r: not negate  # Odoo: an empty ilike matches everything
        return lambda r: (
            (text(r) is not None and _like(pattern, text(r) or "", insensitive=insensitive)) != negate
        )
    if op in ("=", "!="):

        def equal(record: dict[str, Any]) -> bool:
            raw = record[field]
            actual = raw[0] if isinstance(raw, list) else raw
            return bool(actual == value or (isinstance(actual, (int, Decimal)) and str(actual) == str(value)))

        return equal if op == "=" else _negate(equal)
    if op in ("in", "not in"):
        if not isinstance(value, list):
            raise RpcError("builtins.ValueError", f"The value of operator {op!r} must be a list")
        return lambda r: (r[field] in value) == (op == "in")
    raise RpcError("builtins.ValueError", f"Invalid operator {op!r} in domain term {tuple(term)!r}")


def _either(a: Leaf, b: Leaf) -> Leaf:
    return lambda r: a(r) or b(r)


def _both(a: Leaf, b: Leaf) -> Leaf:
    return lambda r: a(r) and b(r)


def _negate(a: Leaf) -> Leaf:
    return lambda r: not a(r)


def _domain(domain: Any) -> Leaf:
    """Odoo's prefix notation: operators apply to the next terms; leftover terms are AND-ed."""
    if not isinstance(domain, list):
        raise RpcError("builtins.ValueError", f"Invalid domain {domain!r}")
    stack: list[Leaf] = []
    for item in reversed(domain):
        if item in ("|", "&"):
            if len(stack) < 2:
                raise RpcError("builtins.ValueError", f"Invalid domain {domain!r}")
            a, b = stack.pop(), stack.pop()
            stack.append(_either(a, b) if item == "|" else _both(a, b))
        elif item == "!":
            if not stack:
                raise RpcError("builtins.ValueError", f"Invalid domain {domain!r}")
            inner = stack.pop()
            stack.append(_negate(inner))
        elif isinstance(item, list):
            stack.append(_leaf(item))
        else:
            raise RpcError("builtins.ValueError", f"Invalid domain term {item!r}")
    return lambda r: all(leaf(r) for leaf in stack)


def _search_read(params: dict[str, Any]) -> list[dict[str, Any]]:
    if params.get("model") != "res.partner":
        raise RpcError("builtins.KeyError", repr(params.get("model")))
    if params.get("method") != "search_read":
        raise RpcError(
            "builtins.AttributeError",
            f"The method '{params.get('method')}' does not exist on the model 'res.partner'",
        )
    args = params.get("args") or []
    kwargs = params.get("kwargs") or {}
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        raise RpcError("builtins.TypeError", "args must be a list and kwargs an object")
    domain = kwargs.get("domain", args[0] if args else [])
    fields = kwargs.get("fields", args[1] if len(args) > 1 else None) or list(FIELDS)
    limit = kwargs.get("limit")
    offset = kwargs.get("offset", 0)
    unknown = [f for f in fields if f not in FIELDS] if isinstance(fields, list) else [fields]
    if unknown:
        raise RpcError("builtins.ValueError", f"Invalid field {unknown[0]!r} on model 'res.partner'")
    if not isinstance(offset, int) or (limit is not None and not isinstance(limit, int)):
        raise RpcError("builtins.TypeError", "limit and offset must be integers")
    matches = _domain(domain)
    rows = [p for p in PARTNERS if matches(p)][offset:]
    if limit:
        rows = rows[:limit]
    return [{"id": row["id"], **{f: row[f] for f in fields if f != "id"}} for row in rows]


def _rpc_error(request_id: Any, error: RpcError) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "error": {
            "code": error.code,
            "message": error.title,
            "data": {
                "name": error.name,
                "debug": f"Traceback (most recent call last):\n{error.name}: {error.message}\n",
                "message": error.message,
                "arguments": [error.message],
                "context": {},
            },
        },
    }


def _session_ok(request: DemoRequest) -> bool:
    cookie = SimpleCookie()
    try:
        cookie.load(request.header("cookie") or "")
    except CookieError:
        return False
    morsel = cookie.get("session_id")
    return morsel is not None and secret_equals(morsel.value, CREDENTIALS["DEMO_ODOO_SESSION_ID"])


_BAD_REQUEST_PAGE = (
    b"<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n"
    b"<p>Invalid JSON data</p>\n"
)


def handle(request: DemoRequest) -> DemoResponse:
    segments = request.segments()
    if segments[:3] != ["web", "dataset", "call_kw"] or len(segments) > 5 or request.method != "POST":
        page = b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
        return DemoResponse(404, page, "text/html; charset=utf-8")
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return DemoResponse(400, _BAD_REQUEST_PAGE, "text/html; charset=utf-8")
    if not isinstance(payload, dict):
        return DemoResponse(400, _BAD_REQUEST_PAGE, "text/html; charset=utf-8")
    request_id = payload.get("id")
    if not _session_ok(request):
        expired = RpcError(
            "odoo.http.SessionExpiredException", "Session expired", code=100, title="Odoo Session Expired"
        )
        return json_response(200, _rpc_error(request_id, expired))
    params = payload.get("params")
    try:
        if payload.get("jsonrpc") != "2.0" or payload.get("method") != "call" or not isinstance(params, dict):
            raise RpcError("werkzeug.exceptions.BadRequest", "Invalid JSON-RPC request")
        result = _search_read(params)
    except RpcError as error:
        return json_response(200, _rpc_error(request_id, error))
    return json_response(200, {"jsonrpc": "2.0", "id": request_id, "result": result})


API = DemoApi(
    name="odoo",
    prefix="/odoo",
    title="Odoo-style JSON-RPC 2.0 res.partner search_read (session cookie)",
    search_path="/web/dataset/call_kw/res.partner/search_read  (POST JSON-RPC)",
    handle=handle,
)
