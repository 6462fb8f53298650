"""The demo merchant server over real HTTP: each API's auth, search semantics, shapes and errors."""

from __future__ import annotations

import argparse
import base64
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from designer.demo import DEFAULT_PORT, SAMPLE_BASE_URL, DemoServer, rebase_sample_url
from designer.demo.apis._common import fold_accents
from designer.demo.apis.businesscentral import COMPANY_ID
from designer.demo.apis.legacy import danish_amount
from designer.demo.cli import add_arguments as add_demo_server_arguments
from designer.demo.cli import run as run_demo_server
from designer.demo.data import CREDENTIALS, CUSTOMERS, ECONOMIC_APP_SECRET_TOKEN, WOO_CONSUMER_KEY

HOSTILE_TERMS = [
    'O\'Brien & Søn "x"\r\nX-Evil: 1',
    "../admin",
    "%",
    "_",
    "&",
    "a+b@c.dk",
    "'",
    "\\",
    "$",
    "(",
    "*",
    "\x00",
    "",
    " ",
    "ø" * 300,
]


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running
        assert running.errors == [], "a demo API crashed (answered 500)"


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


# ---------------------------------------------------------------- server lifecycle


def test_port_zero_picks_a_free_loopback_port_and_stop_releases_it() -> None:
    first, second = DemoServer(), DemoServer()
    try:
        url1, url2 = first.start(), second.start()
        assert url1.startswith("http://127.0.0.1:") and url2.startswith("http://127.0.0.1:")
        assert first.port not in (second.port, 0)
        assert httpx.get(url1 + "/", timeout=5).status_code == 200
    finally:
        first.stop()
        second.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url1 + "/", timeout=5)


def test_binds_loopback_only(server: DemoServer) -> None:
    assert server.bound_address == ("127.0.0.1", server.port)
    assert server.base_url == f"http://127.0.0.1:{server.port}"
    other = socket.gethostbyname(socket.gethostname())
    if not other.startswith("127."):  # where the machine has another address, it must not answer there
        with socket.socket() as sock:
            sock.settimeout(2)
            assert sock.connect_ex((other, server.port)) != 0


def test_port_in_use_is_a_clear_oserror(server: DemoServer) -> None:
    with pytest.raises(OSError):
        DemoServer(port=server.port).start()


def test_index_lists_every_api(server: DemoServer, http: httpx.Client) -> None:
    listing = http.get(server.base_url + "/").json()
    names = {a["name"] for a in listing["apis"]}
    assert names == {"woocommerce", "businesscentral", "hubspot", "odoo", "shopify", "economic", "legacy"}
    assert http.get(server.base_url + "/nothing-here").status_code == 404


def test_parallel_requests_are_served(server: DemoServer) -> None:
    url = server.url("legacy") + "/api/kunder.php"
    params = {"soeg": "jensen", "apikey": CREDENTIALS["DEMO_LEGACY_API_KEY"]}

    def call(_: int) -> int:
        return httpx.get(url, params=params, timeout=10).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(call, range(24))) == {200}


def test_data_set_shapes() -> None:
    assert len(CUSTOMERS) >= 8
    assert all(sum(a.default for a in c.addresses) == 1 for c in CUSTOMERS)
    assert any(c.shopify_id > 2**53 for c in CUSTOMERS)
    assert any(c.addresses[0].default is False for c in CUSTOMERS), "a default address that is not first"
    assert all(c.email.endswith("example.com") for c in CUSTOMERS)
    text = " ".join(c.person_name + (c.company or "") for c in CUSTOMERS)
    assert all(ch in text for ch in "øåÆÅöÖÉ")
    for c in CUSTOMERS:  # the Latin-1 API must be able to encode every customer
        c.display_name.encode("latin-1")
        c.default_address.city.encode("latin-1")
    assert danish_amount(Decimal("1234.50")) == "1.234,50"
    assert danish_amount(Decimal("-250.75")) == "-250,75"
    assert danish_amount(Decimal("9876543.21")) == "9.876.543,21"
    assert fold_accents("Søren Æbelø Åse Émilie") == "soren aebelo ase emilie"


# ---------------------------------------------------------------- WooCommerce


def woo(server: DemoServer, http: httpx.Client, auth: Any = "ok", **params: Any) -> httpx.Response:
    if auth == "ok":
        auth = (WOO_CONSUMER_KEY, CREDENTIALS["DEMO_WOO_CONSUMER_SECRET"])
    return http.get(server.url("woocommerce") + "/wp-json/wc/v3/customers", params=params, auth=auth)


def test_woocommerce_search_top_level_list(server: DemoServer, http: httpx.Client) -> None:
    response = woo(server, http, search="jensen")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert [(c["id"], c["first_name"], c["last_name"]) for c in body] == [
        (1001, "Ada", "Jensen"),
        (1007, "Karen", "Jensen"),
        (1005, "Lars", "Jensen"),
    ]
    assert response.headers["X-WP-Total"] == "3"
    assert body[0]["billing"]["country"] == "DK" and body[0]["shipping"]["address_1"] == "Åboulevarden 3"


@pytest.mark.parametrize(
    ("term", "ids"),
    [
        ("SØREN", [1002]),
        ("soren", [1002]),
        ("aebelo", [1002]),
        ("Dupont-Moller", [1008]),
        ("emilie", [1008]),
        ("1004", [1004]),
        ("ada.jensen@example.com", [1001]),
        ("@example.com", [1001, 1003, 1004, 1008, 1007, 1006, 1002]),
        ("example.com", None),
        ("zzz", []),
        ("butik", []),
        ("20 30 40 50", []),  # phone is not searchable in WooCommerce
    ],
)
def test_woocommerce_search_semantics(
    server: DemoServer, http: httpx.Client, term: str, ids: list[int] | None
) -> None:
    body = woo(server, http, search=term).json()
    if ids is None:
        assert len(body) == 8
    else:
        assert [c["id"] for c in body] == ids


def test_woocommerce_role_and_pagination(server: DemoServer, http: httpx.Client) -> None:
    assert [c["id"] for c in woo(server, http, search="butik", role="all").json()] == [1]
    page = woo(server, http, per_page=3, page=2)
    assert len(page.json()) == 3 and page.headers["X-WP-TotalPages"] == "3"
    assert 'rel="next"' in page.headers["Link"]


def test_woocommerce_bad_params_are_rest_invalid_param(server: DemoServer, http: httpx.Client) -> None:
    response = woo(server, http, per_page=0)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rest_invalid_param" and "per_page" in body["data"]["params"]
    assert (
        woo(server, http, per_page="abc").json()["data"]["details"]["per_page"]["code"] == "rest_invalid_type"
    )


@pytest.mark.parametrize(
    ("auth", "code", "message"),
    [
        (None, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
        (("ck_wrong", "x"), "woocommerce_rest_authentication_error", "Consumer key is invalid."),
        (
            (WOO_CONSUMER_KEY, "cs_wrong"),
            "woocommerce_rest_authentication_error",
            "Consumer secret is invalid.",
        ),
    ],
)
def test_woocommerce_auth_errors(
    server: DemoServer, http: httpx.Client, auth: Any, code: str, message: str
) -> None:
    response = woo(server, http, auth=auth, search="jensen")
    assert response.status_code == 401
    assert response.json() == {"code": code, "message": message, "data": {"status": 401}}


def test_woocommerce_single_and_unknown_route(server: DemoServer, http: httpx.Client) -> None:
    auth = (WOO_CONSUMER_KEY, CREDENTIALS["DEMO_WOO_CONSUMER_SECRET"])
    base = server.url("woocommerce") + "/wp-json/wc/v3/customers"
    assert http.get(f"{base}/1003", auth=auth).json()["first_name"] == "Åse"
    assert http.get(f"{base}/4242", auth=auth).json()["code"] == "woocommerce_rest_invalid_id"
    assert http.get(f"{base}/..%2Fadmin", auth=auth).json()["code"] == "rest_no_route"


# ---------------------------------------------------------------- Business Central (OData)


def bc(
    server: DemoServer, http: httpx.Client, token: str | None = "ok", company: str = COMPANY_ID, **params: str
) -> httpx.Response:
    headers = {}
    if token is not None:
        headers["Authorization"] = "Bearer " + (
            CREDENTIALS["DEMO_BC_ACCESS_TOKEN"] if token == "ok" else token
        )
    url = (
        f"{server.url('businesscentral')}/v2.0/nordic-demo/production/api/v2.0/companies({company})/customers"
    )
    return http.get(url, params=params, headers=headers)


@pytest.mark.parametrize(
    ("flt", "numbers"),
    [
        ("contains(displayName,'Jensen')", ["1001", "1005", "1007"]),
        ("contains(displayName,'jensen')", []),  # ordinal comparison: case-sensitive
        ("contains(email,'jensen')", ["1001", "1005", "1007"]),
        ("contains(displayName,'O''Brien')", ["1006"]),
        ("startswith(displayName,'Å') or number eq '1004'", ["1003", "1004"]),
        ("contains(displayName,'Møller') and balanceDue gt 1000", ["1008"]),
        ("not (country eq 'DK')", ["1003", "1004"]),
        ("contains(displayName,'Moller')", []),  # accent-sensitive
    ],
)
def test_businesscentral_filter(server: DemoServer, http: httpx.Client, flt: str, numbers: list[str]) -> None:
    response = bc(server, http, **{"$filter": flt})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["@odata.context"].endswith(f"$metadata#companies({COMPANY_ID})/customers")
    assert [v["number"] for v in body["value"]] == numbers


def test_businesscentral_balance_is_an_exact_decimal(server: DemoServer, http: httpx.Client) -> None:
    response = bc(server, http, **{"$filter": "number eq '1004'"})
    assert '"balanceDue":9876543.21' in response.text
    assert response.headers["OData-Version"] == "4.0"


@pytest.mark.parametrize(
    "flt",
    [
        "contains(displayName,'O'Brien')",
        "contains(tolower(displayName),'ada')",
        "nosuch eq 'x'",
        "contains(displayName,",
        "(" * 150 + "true" + ")" * 150,
        "displayName eq 'x' &&",
    ],
)
def test_businesscentral_bad_filter_is_400_odata_error(
    server: DemoServer, http: httpx.Client, flt: str
) -> None:
    response = bc(server, http, **{"$filter": flt})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "BadRequest" and "CorrelationId" in error["message"]


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_businesscentral_auth(server: DemoServer, http: httpx.Client, token: str | None) -> None:
    response = bc(server, http, token=token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "Authentication_InvalidCredentials"
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")


def test_businesscentral_paths(server: DemoServer, http: httpx.Client) -> None:
    assert bc(server, http, company="00000000-0000-0000-0000-000000000000").status_code == 404
    assert [len(bc(server, http, **{"$top": "2"}).json()["value"])] == [2]
    assert bc(server, http, **{"$top": "-1"}).status_code == 400
    assert bc(server, http, **{"$expand": "picture"}).status_code == 400


# ---------------------------------------------------------------- HubSpot


def hubspot(server: DemoServer, http: httpx.Client, body: Any, token: str | None = "ok") -> httpx.Response:
    headers = {}
    if token is not None:
        headers["Authorization"] = "Bearer " + (CREDENTIALS["DEMO_HUBSPOT_TOKEN"] if token == "ok" else token)
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return http.post(
        server.url("hubspot") + "/crm/v3/objects/contacts/search",
        content=content,
        headers={**headers, "Content-Type": "application/json"},
    )


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("jensen", ["501", "505", "507"]),
        ("JEN", ["501", "505", "507"]),
        ("søren", ["502"]),
        ("soren", ["502"]),
        ("søn", ["505"]),
        ("ada jensen", ["501"]),
        ("+45 20 30 40 50", ["501"]),
        ("20304050", ["501"]),
        ("ada.jensen@example.com", ["501"]),
        ("nobody", []),
    ],
)
def test_hubspot_query(server: DemoServer, http: httpx.Client, query: str, ids: list[str]) -> None:
    response = hubspot(server, http, {"query": query, "properties": ["firstname", "lastname", "phone"]})
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["results"]] == ids and body["total"] == len(ids)
    for result in body["results"]:
        assert set(result["properties"]) >= {"firstname", "lastname", "phone", "hs_object_id"}
        assert all(isinstance(v, str) for v in result["properties"].values())


def test_hubspot_filter_groups_and_paging(server: DemoServer, http: httpx.Client) -> None:
    eq = {
        "filterGroups": [
            {"filters": [{"propertyName": "email", "operator": "EQ", "value": "KAREN.JENSEN@example.com"}]}
        ]
    }
    assert [r["id"] for r in hubspot(server, http, eq).json()["results"]] == ["507"]
    either = {
        "filterGroups": [
            {
                "filters": [
                    {"propertyName": "lastname", "operator": "CONTAINS_TOKEN", "value": "jen*"},
                    {"propertyName": "firstname", "operator": "EQ", "value": "ada"},
                ]
            },
            {"filters": [{"propertyName": "city", "operator": "EQ", "value": "Oslo"}]},
        ]
    }
    assert [r["id"] for r in hubspot(server, http, either).json()["results"]] == ["501", "503"]
    paged = hubspot(server, http, {"limit": 3}).json()
    assert paged["total"] == 8 and paged["paging"]["next"]["after"] == "3"
    assert hubspot(server, http, {"limit": 3, "after": "6"}).json().get("paging") is None


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"limit": 0}',
        b'{"after": "x"}',
        b"[1]",
        b'{"filterGroups": [{"filters": [{"propertyName": "email", "operator": "LIKE"}]}]}',
        b'{"filterGroups": [{"filters": [{"propertyName": "zip", "operator": "BETWEEN", "value": "1"}]}]}',
    ],
)
def test_hubspot_validation_errors(server: DemoServer, http: httpx.Client, body: bytes) -> None:
    response = hubspot(server, http, body)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("token", [None, "pat-na1-wrong"])
def test_hubspot_auth(server: DemoServer, http: httpx.Client, token: str | None) -> None:
    response = hubspot(server, http, {"query": "ada"}, token=token)
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == "error" and body["category"] == "INVALID_AUTHENTICATION"
    assert body["message"].startswith("Authentication credentials not found.")


def test_hubspot_wrong_method(server: DemoServer, http: httpx.Client) -> None:
    assert http.get(server.url("hubspot") + "/crm/v3/objects/contacts/search").status_code == 405


# ---------------------------------------------------------------- Odoo JSON-RPC


def odoo(
    server: DemoServer,
    http: httpx.Client,
    domain: Any,
    *,
    session: str | None = "ok",
    fields: list[str] | None = None,
    raw: bytes | None = None,
) -> httpx.Response:
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 7,
        "params": {
            "model": "res.partner",
            "method": "search_read",
            "args": [domain],
            "kwargs": {"fields": fields or ["name", "country_id", "credit", "ref"], "limit": 80},
        },
    }
    headers = {"Content-Type": "application/json"}
    if session is not None:
        headers["Cookie"] = "session_id=" + (
            CREDENTIALS["DEMO_ODOO_SESSION_ID"] if session == "ok" else session
        )
    return http.post(
        server.url("odoo") + "/web/dataset/call_kw/res.partner/search_read",
        content=raw if raw is not None else json.dumps(payload).encode(),
        headers=headers,
    )


def name_search(term: str) -> list[Any]:
    return ["|", ["name", "ilike", term], ["email", "ilike", term]]


@pytest.mark.parametrize(
    ("term", "names"),
    [
        ("JENSEN", ["Ada Jensen", "Jensen & Søn ApS", "Karen Jensen"]),
        ("Æbelø", ["Søren Æbelø"]),
        ("æbelø", ["Søren Æbelø"]),
        ("Dupont-Møller", ["Émilie Dupont-Møller"]),
        ("Dupont-Moller", []),  # accent-sensitive
        ("o'brien", ["Mette O'Brien"]),
        ("nobody", []),
    ],
)
def test_odoo_ilike(server: DemoServer, http: httpx.Client, term: str, names: list[str]) -> None:
    body = odoo(server, http, name_search(term)).json()
    assert body["jsonrpc"] == "2.0" and body["id"] == 7
    assert [p["name"] for p in body["result"]] == names


def test_odoo_shapes(server: DemoServer, http: httpx.Client) -> None:
    response = odoo(server, http, [["ref", "=", "1004"]])
    assert '"credit":9876543.21' in response.text
    (partner,) = response.json()["result"]
    assert partner["country_id"] == [203, "Sweden"] and partner["ref"] == "1004"
    street2 = odoo(server, http, [["ref", "=", "1004"]], fields=["street2"]).json()["result"][0]
    assert street2 == {"id": 10, "street2": False}


def test_odoo_percent_and_underscore_are_wildcards_like_in_odoo(
    server: DemoServer, http: httpx.Client
) -> None:
    assert len(odoo(server, http, name_search("%")).json()["result"]) == 8
    assert len(odoo(server, http, name_search("_")).json()["result"]) == 8
    started = time.monotonic()
    assert odoo(server, http, name_search("%" * 2000 + "qqq")).json()["result"] == []
    assert time.monotonic() - started < 5  # no exponential backtracking


@pytest.mark.parametrize("session", [None, "expired0000"])
def test_odoo_session_expired_is_http_200_with_jsonrpc_error(
    server: DemoServer, http: httpx.Client, session: str | None
) -> None:
    response = odoo(server, http, name_search("ada"), session=session)
    assert response.status_code == 200
    error = response.json()["error"]
    assert error["code"] == 100 and error["message"] == "Odoo Session Expired"
    assert error["data"]["name"] == "odoo.http.SessionExpiredException"
    assert "result" not in response.json()


def test_odoo_errors(server: DemoServer, http: httpx.Client) -> None:
    bad_field = odoo(server, http, [], fields=["password"]).json()["error"]
    assert bad_field["message"] == "Odoo Server Error" and bad_field["data"]["name"] == "builtins.ValueError"
    bad_domain = odoo(server, http, ["|", ["name", "ilike", "x"]]).json()["error"]
    assert bad_domain["data"]["name"] == "builtins.ValueError"
    bad_op = odoo(server, http, [["name", "~", "x"]]).json()["error"]
    assert "Invalid operator" in bad_op["data"]["message"]
    not_json = odoo(server, http, [], raw=b"{oops")
    assert not_json.status_code == 400 and not_json.headers["Content-Type"].startswith("text/html")


# ---------------------------------------------------------------- Shopify


def shopify(
    server: DemoServer, http: httpx.Client, tail: str, token: str | None = "ok", **params: str
) -> httpx.Response:
    headers = {}
    if token is not None:
        headers["X-Shopify-Access-Token"] = (
            CREDENTIALS["DEMO_SHOPIFY_ACCESS_TOKEN"] if token == "ok" else token
        )
    return http.get(
        server.url("shopify") + "/admin/api/2024-01/customers/" + tail, headers=headers, params=params
    )


def test_h019_shopify_id_above_2_53_is_an_exact_integer_literal(
    server: DemoServer, http: httpx.Client
) -> None:
    response = shopify(server, http, "9007199254740993.json")
    assert response.status_code == 200
    assert b'{"customer":{"id":9007199254740993,' in response.content
    customer = json.loads(response.content)["customer"]
    assert customer["id"] == 2**53 + 1 and customer["admin_graphql_api_id"].endswith("9007199254740993")
    assert customer["phone"] == "+4520304050"


def test_shopify_default_address_is_flagged_not_first(server: DemoServer, http: httpx.Client) -> None:
    customer = shopify(server, http, "7110365364403.json").json()["customer"]
    assert [a["default"] for a in customer["addresses"]] == [False, True]
    assert customer["default_address"]["address1"] == "Storgata 5"


@pytest.mark.parametrize(
    "tail", ["123.json", "..%2Fadmin.json", "%2E%2E.json", "9007199254740992.json", "abc.json", "1001"]
)
def test_shopify_unknown_id_is_404_with_error_body(server: DemoServer, http: httpx.Client, tail: str) -> None:
    response = shopify(server, http, tail)
    assert response.status_code == 404
    assert response.json() == {"errors": "Not Found"}


@pytest.mark.parametrize("token", [None, "shpat_wrong"])
def test_shopify_auth(server: DemoServer, http: httpx.Client, token: str | None) -> None:
    response = shopify(server, http, "9007199254740993.json", token=token)
    assert response.status_code == 401
    assert response.json()["errors"].startswith("[API] Invalid API key or access token")


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("jensen", [7110365364405, 7110365364407, 9007199254740993]),
        ("soren", [7110365364402]),
        ("email:ase.braten@example.com", [7110365364403]),
        ("ada jensen", [9007199254740993]),
        ("country:Sweden", [7110365364404]),
        ("nobody", []),
    ],
)
def test_shopify_search_wrapped_list(
    server: DemoServer, http: httpx.Client, query: str, ids: list[int]
) -> None:
    body = shopify(server, http, "search.json", query=query).json()
    assert [c["id"] for c in body["customers"]] == ids


# ---------------------------------------------------------------- e-conomic


def economic(
    server: DemoServer,
    http: httpx.Client,
    tail: str = "",
    app: str | None = ECONOMIC_APP_SECRET_TOKEN,
    grant: str | None = "ok",
    **params: str,
) -> httpx.Response:
    headers = {}
    if app is not None:
        headers["X-AppSecretToken"] = app
    if grant is not None:
        headers["X-AgreementGrantToken"] = (
            CREDENTIALS["DEMO_ECONOMIC_AGREEMENT_GRANT_TOKEN"] if grant == "ok" else grant
        )
    return http.get(server.url("economic") + "/customers" + tail, headers=headers, params=params)


@pytest.mark.parametrize(
    ("flt", "numbers"),
    [
        ("name$like:jensen", [1001, 1005, 1007]),
        ("name$like:SØN", [1005]),
        ("name$like:ada$or:email$like:karen", [1001, 1007]),
        ("name$like:jensen$and:city$eq:vejle", [1005]),
        ("name$like:o'brien", [1006]),
        ("name$like:Dupont-Moller", []),
        ("customerNumber$gte:1007", [1007, 1008]),
        ("name$like:*sen", [1001, 1007]),
        ("name$like:jen*", [1005]),
        ("name$like:a$(", []),
        ("name$like:jensen & søn", [1005]),
        ("customerNumber$in:[1002,1004]", [1002, 1004]),
    ],
)
def test_economic_filter(server: DemoServer, http: httpx.Client, flt: str, numbers: list[int]) -> None:
    response = economic(server, http, filter=flt)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["customerNumber"] for c in body["collection"]] == numbers
    assert body["pagination"]["results"] == len(numbers) and body["pagination"]["resultsWithoutFilter"] == 8


@pytest.mark.parametrize(
    "flt",
    [
        "name$like:a(b",
        "name$like:a,b",
        "name$like:a:b",
        "nosuch$eq:1",
        "name$xx:1",
        "name",
        "customerNumber$eq:abc",
        "name$like:50$",
    ],
)
def test_economic_bad_filter_is_400(server: DemoServer, http: httpx.Client, flt: str) -> None:
    response = economic(server, http, filter=flt)
    assert response.status_code == 400
    body = response.json()
    assert body["httpStatusCode"] == 400 and body["errorCode"] and body["developerHint"] and body["logId"]


def test_economic_single_object_and_404(server: DemoServer, http: httpx.Client) -> None:
    single = economic(server, http, "/1002")
    assert single.status_code == 200
    assert single.json()["name"] == "Søren Æbelø" and single.json()["country"] == "Danmark"
    assert '"balance":-250.75' in single.text
    missing = economic(server, http, "/9999")
    assert missing.status_code == 404 and missing.json()["message"] == "Customer not found."
    assert economic(server, http, "/..%2Fadmin").status_code == 400


def test_economic_pagination(server: DemoServer, http: httpx.Client) -> None:
    body = economic(server, http, pagesize="3", skippages="1").json()
    assert [c["customerNumber"] for c in body["collection"]] == [1004, 1005, 1006]
    assert "skippages=2" in body["pagination"]["nextPage"]


@pytest.mark.parametrize(("app", "grant"), [(None, "ok"), ("demo", None), ("wrong", "ok"), ("demo", "wrong")])
def test_economic_auth(server: DemoServer, http: httpx.Client, app: str | None, grant: str | None) -> None:
    response = economic(server, http, app=app, grant=grant)
    assert response.status_code == 401
    body = response.json()
    assert body["httpStatusCode"] == 401 and body["message"] == "Unauthorized access (401)."


# ---------------------------------------------------------------- legacy (ISO-8859-1)


def legacy(
    server: DemoServer, http: httpx.Client, apikey: str | None = "ok", **params: str
) -> httpx.Response:
    if apikey is not None:
        params["apikey"] = CREDENTIALS["DEMO_LEGACY_API_KEY"] if apikey == "ok" else apikey
    return http.get(server.url("legacy") + "/api/kunder.php", params=params)


def test_h015_legacy_answers_in_declared_latin1(server: DemoServer, http: httpx.Client) -> None:
    response = legacy(server, http, soeg="Æbelø")
    assert response.headers["Content-Type"] == "application/json; charset=ISO-8859-1"
    assert b"\xc6bel\xf8" in response.content  # "Æbelø" as Latin-1 bytes
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    body = json.loads(response.content.decode("latin-1"))
    (kunde,) = body["kunder"]
    assert (
        kunde["kunde.nr"] == "K-1002" and kunde["saldo"] == "-250,75" and kunde["Bopæl"]["by"] == "Odense C"
    )


@pytest.mark.parametrize(
    ("term", "numbers"),
    [
        ("jensen", ["K-1001", "K-1005", "K-1007"]),
        ("1004", ["K-1004"]),
        ("k-1004", ["K-1004"]),
        ("20 30 40 50", ["K-1001"]),
        ("+45 20 30 40 50", ["K-1001"]),
        ("Moller", []),
        ("møller", ["K-1008"]),
        ("nobody", []),
    ],
)
def test_legacy_search(server: DemoServer, http: httpx.Client, term: str, numbers: list[str]) -> None:
    body = json.loads(legacy(server, http, soeg=term).content.decode("latin-1"))
    assert [k["kunde.nr"] for k in body["kunder"]] == numbers and body["antal"] == len(numbers)


def test_h011_plus_in_query_must_be_percent_encoded(server: DemoServer, http: httpx.Client) -> None:
    key = CREDENTIALS["DEMO_LEGACY_API_KEY"]
    base = server.url("legacy") + "/api/kunder.php"
    encoded = http.get(f"{base}?soeg=%2B4520304050&apikey={key}")
    assert [k["kunde.nr"] for k in json.loads(encoded.content.decode("latin-1"))["kunder"]] == ["K-1001"]
    # Written raw, '+' arrives as a space (as in PHP): "+4520304050" becomes " 4520304050".
    raw = http.get(f"{base}?soeg=+4520304050&apikey={key}")
    assert raw.status_code == 200
    assert server.requests[-1].target.endswith(f"?soeg=+4520304050&apikey={key}")


@pytest.mark.parametrize("apikey", [None, "wrong"])
def test_legacy_auth_and_missing_term(server: DemoServer, http: httpx.Client, apikey: str | None) -> None:
    denied = legacy(server, http, apikey=apikey, soeg="ada")
    assert denied.status_code == 403
    assert json.loads(denied.content.decode("latin-1"))["fejl"].startswith("Adgang nægtet")
    missing = legacy(server, http)
    assert missing.status_code == 400 and b"soeg" in missing.content


# ---------------------------------------------------------------- hostile terms everywhere


@pytest.mark.parametrize("term", HOSTILE_TERMS)
def test_hostile_terms_never_crash_any_api(server: DemoServer, http: httpx.Client, term: str) -> None:
    """Each term goes where the sample puts it; the answer is the real system's 200/400/404, never 500."""
    path_term = quote(term, safe="")
    assert woo(server, http, search=term).status_code == 200
    assert bc(server, http, **{"$filter": f"contains(displayName,'{term}')"}).status_code in (200, 400)
    assert hubspot(server, http, {"query": term}).status_code == 200
    assert odoo(server, http, name_search(term)).status_code == 200
    assert shopify(server, http, f"{path_term}.json").status_code == 404
    assert economic(server, http, filter=f"name$like:{term}").status_code in (200, 400)
    assert legacy(server, http, soeg=term).status_code in (200, 400)
    assert server.errors == []


def test_unknown_methods_and_paths(server: DemoServer, http: httpx.Client) -> None:
    for api in server.apis:
        response = http.request("DELETE", server.url(api.name) + "/no/such/path")
        assert response.status_code in (404, 405), api.name
    assert server.errors == []


# ---------------------------------------------------------------- command line


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_demo_server_arguments(parser)
    return parser.parse_args(argv)


def test_cli_defaults_to_the_samples_port() -> None:
    assert _parse([]).port == DEFAULT_PORT == 8765
    assert SAMPLE_BASE_URL == "http://127.0.0.1:8765"
    rebased = rebase_sample_url("http://127.0.0.1:8765/odoo/x?y=1", "http://127.0.0.1:5000")
    assert rebased == "http://127.0.0.1:5000/odoo/x?y=1"
    assert (
        rebase_sample_url("https://shop.example.com/x", "http://127.0.0.1:5000")
        == "https://shop.example.com/x"
    )


def test_cli_prints_base_url_and_every_api_then_stops() -> None:
    stop = threading.Event()
    out = io.StringIO()
    result: list[int] = []

    def run() -> None:
        with redirect_stdout(out):
            result.append(run_demo_server(_parse(["--port", "0"]), stop=stop))

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 10
    while "legacy" not in out.getvalue() and time.monotonic() < deadline:
        thread.join(0.05)
    text = out.getvalue()
    stop.set()
    thread.join(10)
    assert result == [0]
    assert "http://127.0.0.1:" in text
    for name in ("woocommerce", "businesscentral", "hubspot", "odoo", "shopify", "economic", "legacy"):
        assert name in text
    assert "/wp-json/wc/v3/customers" in text


def test_cli_port_in_use_fails_clearly(server: DemoServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_demo_server(_parse(["--port", str(server.port)])) == 1
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err


def test_basic_auth_helper_rejects_garbage(server: DemoServer, http: httpx.Client) -> None:
    url = server.url("woocommerce") + "/wp-json/wc/v3/customers"
    for header in [b"Basic !!!", b"Basic " + base64.b64encode(b"no-colon"), "Basic æ".encode(), b"Bearer x"]:
        response = http.get(url, headers=[(b"Authorization", header)])
        assert response.status_code == 401
