"""A webshop's REST customer search, modelled on WooCommerce REST API v3.

``GET /wp-json/wc/v3/customers?search=TERM`` with HTTP Basic auth (consumer key : consumer
secret). The answer is a top-level JSON list; no match is ``[]``. Names are split
(``first_name``/``last_name``), addresses are the ``billing`` and ``shipping`` objects, ids are
numbers. Searching follows WordPress's ``WP_User_Query``: the term is wrapped in ``*...*`` and
matched with SQL ``LIKE`` (``%`` and ``_`` escaped) against login, e-mail, nicename, URL and display
name; a term with ``@`` searches only the e-mail; a numeric term matches the login or the exact
user id. MySQL's default collation makes it case- and accent-insensitive. Phone numbers are
not searchable, as in WooCommerce. Only users with role ``customer`` are listed unless
``role=all``.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from designer.demo.apis._common import (
    DemoApi,
    DemoRequest,
    DemoResponse,
    basic_credentials,
    fold_accents,
    json_response,
    secret_equals,
)
from designer.demo.data import CREDENTIALS, CUSTOMERS, WOO_CONSUMER_KEY, DemoCustomer

ROUTE = ("wp-json", "wc", "v3", "customers")
_NUMERIC = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
ROLES = ("all", "administrator", "editor", "author", "contributor", "subscriber", "customer", "shop_manager")


@dataclass(frozen=True)
class _User:
    id: int
    login: str
    nicename: str
    display_name: str
    email: str
    role: str
    record: dict[str, Any]


def _error(status: int, code: str, message: str, **extra: Any) -> DemoResponse:
    return json_response(status, {"code": code, "message": message, "data": {"status": status, **extra}})


def _address(customer: DemoCustomer, *, billing: bool) -> dict[str, str]:
    address = customer.default_address if billing else customer.other_address
    out = {
        "first_name": customer.first_name if address else "",
        "last_name": customer.last_name if address else "",
        "company": (customer.company or "") if address else "",
        "address_1": address.street if address else "",
        "address_2": "",
        "city": address.city if address else "",
        "state": "",
        "postcode": address.postal_code if address else "",
        "country": address.country_code if address else "",
    }
    if billing:
        out["email"] = customer.email
    out["phone"] = customer.phone if billing else ""
    return out


def _customer_user(customer: DemoCustomer) -> _User:
    login = customer.email.split("@")[0]
    when = customer.created.rstrip("Z")
    avatar = hashlib.md5(customer.email.encode(), usedforsecurity=False).hexdigest()
    record: dict[str, Any] = {
        "id": customer.number,
        "date_created": when,
        "date_created_gmt": when,
        "date_modified": when,
        "date_modified_gmt": when,
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "role": "customer",
        "username": login,
        "billing": _address(customer, billing=True),
        "shipping": _address(customer, billing=False),
        "is_paying_customer": customer.balance is not None,
        "avatar_url": f"https://secure.gravatar.com/avatar/{avatar}?s=96&d=mm&r=g",
        "meta_data": [],
    }
    return _User(
        customer.number,
        login,
        login.replace(".", "-"),
        customer.person_name,
        customer.email,
        "customer",
        record,
    )


def _staff_user() -> _User:
    # A shop manager: a WordPress user, but not a customer, so the default search never lists it.
    record: dict[str, Any] = {
        "id": 1,
        "date_created": "2020-11-02T08:00:00",
        "date_created_gmt": "2020-11-02T08:00:00",
        "date_modified": "2020-11-02T08:00:00",
        "date_modified_gmt": "2020-11-02T08:00:00",
        "email": "butik@example.com",
        "first_name": "Jens",
        "last_name": "Butik",
        "role": "shop_manager",
        "username": "butiksadmin",
        "billing": {},
        "shipping": {},
        "is_paying_customer": False,
        "avatar_url": "https://secure.gravatar.com/avatar/0?s=96&d=mm&r=g",
        "meta_data": [],
    }
    return _User(1, "butiksadmin", "butiksadmin", "Jens Butik", "butik@example.com", "shop_manager", record)


USERS: tuple[_User, ...] = (_staff_user(), *(_customer_user(c) for c in CUSTOMERS))


def _matches(user: _User, term: str) -> bool:
    """WP_User_Query search with ``*term*``: the columns depend on what the term looks like."""
    needle = fold_accents(term)
    if "@" in term:
        return needle in fold_accents(user.email)
    if _is_php_numeric(term):
        return needle in fold_accents(user.login) or str(user.id) == term.strip()
    if term.startswith(("http://", "https://")):
        return False  # no user has a website
    columns = (user.login, user.email, user.nicename, user.display_name)
    return any(needle in fold_accents(col) for col in columns)


def _is_php_numeric(text: str) -> bool:
    return _NUMERIC.fullmatch(text) is not None


def _int_param(
    request: DemoRequest,
    name: str,
    *,
    default: int,
    low: int,
    high: int | None,
    problems: dict[str, dict[str, str]],
) -> int:
    raw = request.param(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        problems[name] = {"code": "rest_invalid_type", "message": f"{name} is not of type integer."}
        return default
    if value < low or (high is not None and value > high):
        bounds = f"between {low} (inclusive) and {high} (inclusive)" if high else f"greater than {low - 1}"
        problems[name] = {"code": "rest_out_of_bounds", "message": f"{name} must be {bounds}"}
    return value


def _list(request: DemoRequest) -> DemoResponse:
    problems: dict[str, dict[str, str]] = {}
    per_page = _int_param(request, "per_page", default=10, low=1, high=100, problems=problems)
    page = _int_param(request, "page", default=1, low=1, high=None, problems=problems)
    role = request.param("role") or "customer"
    if role not in ROLES:
        problems["role"] = {"code": "rest_not_in_enum", "message": f"role is not one of {', '.join(ROLES)}."}
    orderby = request.param("orderby") or "name"
    if orderby not in ("id", "include", "name", "registered_date"):
        problems["orderby"] = {
            "code": "rest_not_in_enum",
            "message": "orderby is not one of id, include, name, and registered_date.",
        }
    order = request.param("order") or "asc"
    if order not in ("asc", "desc"):
        problems["order"] = {"code": "rest_not_in_enum", "message": "order is not one of asc and desc."}
    if problems:
        return _error(
            400,
            "rest_invalid_param",
            f"Invalid parameter(s): {', '.join(problems)}",
            params={k: v["message"] for k, v in problems.items()},
            details={k: {**v, "data": None} for k, v in problems.items()},
        )

    users = [u for u in USERS if role in ("all", u.role)]
    email = request.param("email")
    search = (request.param("search") or "").strip()
    if email:
        users = [u for u in users if fold_accents(u.email) == fold_accents(email.strip())]
    elif search:
        users = [u for u in users if _matches(u, search)]

    def sort_key(user: _User) -> Any:
        if orderby == "id":
            return user.id
        if orderby == "registered_date":
            return user.record["date_created_gmt"]
        return fold_accents(user.display_name)

    users.sort(key=sort_key, reverse=order == "desc")
    total = len(users)
    pages = math.ceil(total / per_page)
    window = users[(page - 1) * per_page : page * per_page]
    base = request.base_url + "/" + "/".join(ROUTE)
    records = [
        {**u.record, "_links": {"self": [{"href": f"{base}/{u.id}"}], "collection": [{"href": base}]}}
        for u in window
    ]
    headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
    params = dict(request.query_params())
    if page < pages:
        headers.append(("Link", f'<{base}?{urlencode({**params, "page": page + 1})}>; rel="next"'))
    if page > 1:
        headers.append(
            ("Link", f'<{base}?{urlencode({**params, "page": min(page - 1, pages)})}>; rel="prev"')
        )
    return json_response(200, records, headers=tuple(headers))


def _auth_error(request: DemoRequest, single: bool) -> DemoResponse | None:
    credentials = basic_credentials(request)
    if credentials is None:
        message = "Sorry, you cannot view this resource." if single else "Sorry, you cannot list resources."
        return _error(401, "woocommerce_rest_cannot_view", message)
    key, secret = credentials
    if not secret_equals(key, WOO_CONSUMER_KEY):
        return _error(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
    if not secret_equals(secret, CREDENTIALS["DEMO_WOO_CONSUMER_SECRET"]):
        return _error(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
    return None


def handle(request: DemoRequest) -> DemoResponse:
    segments = request.segments()
    if request.method not in ("GET", "HEAD") or tuple(segments[:4]) != ROUTE or len(segments) > 5:
        return _error(404, "rest_no_route", "No route was found matching the URL and request method.")
    single = len(segments) == 5
    if single and not (segments[4].isascii() and segments[4].isdigit()):
        return _error(404, "rest_no_route", "No route was found matching the URL and request method.")
    denied = _auth_error(request, single)
    if denied is not None:
        return denied
    if not single:
        return _list(request)
    user = next((u for u in USERS if str(u.id) == segments[4] and u.role == "customer"), None)
    if user is None:
        return _error(404, "woocommerce_rest_invalid_id", "Invalid resource ID.")
    return json_response(200, user.record)


API = DemoApi(
    name="woocommerce",
    prefix="/woocommerce",
    title="WooCommerce-style webshop REST customer search (Basic auth, top-level list)",
    search_path="/wp-json/wc/v3/customers?search=jensen",
    handle=handle,
)
