"""An ERP's OData v4 endpoint, modelled on Microsoft Dynamics 365 Business Central API v2.0.

``GET /v2.0/{tenant}/{environment}/api/v2.0/companies({companyId})/customers?$filter=...``
with an OAuth ``Authorization: Bearer`` token. The answer wraps the list:
``{"@odata.context": ..., "value": [...]}``; no match is ``"value": []``. Searching is whatever
the ``$filter`` says: ``contains``/``startswith``/``endswith``/``eq`` compare ordinally, so they are
case- and accent-sensitive (``Jensen`` matches, ``jensen`` does not); ``tolower`` is refused. A
malformed filter (a search term with an unescaped ``'``) is a 400 with OData's error body.
``balanceDue`` is a decimal number; ``number`` is the customer number as a string.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from designer.demo.apis._common import (
    DemoApi,
    DemoRequest,
    DemoResponse,
    bearer_token,
    correlation_id,
    json_response,
    secret_equals,
)
from designer.demo.apis._odata import ODataError, compile_filter
from designer.demo.data import CREDENTIALS, CUSTOMERS, DemoCustomer

COMPANY_ID = "3f2a7c1e-8d4b-4a6f-9c2e-1b5d7e9f0a12"
_COMPANY = re.compile(r"companies\((?P<id>[^)]*)\)")
_ENTITY = re.compile(r"customers(?:\((?P<id>[^)]*)\))?")
_CONTENT_TYPE = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false"
PROPERTIES: dict[str, type] = {
    "id": str,
    "number": str,
    "displayName": str,
    "type": str,
    "addressLine1": str,
    "addressLine2": str,
    "city": str,
    "state": str,
    "country": str,
    "postalCode": str,
    "phoneNumber": str,
    "email": str,
    "website": str,
    "salespersonCode": str,
    "balanceDue": Decimal,
    "creditLimit": Decimal,
    "taxLiable": bool,
    "currencyCode": str,
    "blocked": str,
    "lastModifiedDateTime": str,
}
MAX_PARENTHESES = 100


def _record(customer: DemoCustomer) -> dict[str, Any]:
    address = customer.default_address
    return {
        "@odata.etag": f'W/"JzE5OzE{customer.number}MDAwMDAwMDAwMDAxOzAwOyc="',
        "id": customer.bc_id,
        "number": str(customer.number),
        "displayName": customer.display_name,
        "type": "Company" if customer.company else "Person",
        "addressLine1": address.street,
        "addressLine2": "",
        "city": address.city,
        "state": "",
        "country": address.country_code,
        "postalCode": address.postal_code,
        "phoneNumber": customer.phone,
        "email": customer.email,
        "website": "",
        "salespersonCode": "",
        "balanceDue": customer.balance if customer.balance is not None else Decimal(0),
        "creditLimit": Decimal(0),
        "taxLiable": customer.company is not None,
        "taxAreaId": "00000000-0000-0000-0000-000000000000",
        "taxAreaDisplayName": "",
        "taxRegistrationNumber": "",
        "currencyId": "00000000-0000-0000-0000-000000000000",
        "currencyCode": customer.currency,
        "paymentTermsId": "00000000-0000-0000-0000-000000000000",
        "shipmentMethodId": "00000000-0000-0000-0000-000000000000",
        "paymentMethodId": "00000000-0000-0000-0000-000000000000",
        "blocked": " ",
        "lastModifiedDateTime": customer.created,
    }


RECORDS: tuple[dict[str, Any], ...] = tuple(
    _record(c) for c in sorted(CUSTOMERS, key=lambda c: str(c.number))
)


def _error(status: int, code: str, message: str, headers: tuple[tuple[str, str], ...] = ()) -> DemoResponse:
    body = {"error": {"code": code, "message": f"{message}  CorrelationId:  {correlation_id()}."}}
    return json_response(status, body, headers=headers)


def _unauthorized() -> DemoResponse:
    challenge = (
        'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", '
        'resource_id="https://api.businesscentral.dynamics.com"'
    )
    return _error(
        401,
        "Authentication_InvalidCredentials",
        "The server has rejected the client credentials.",
        headers=(("WWW-Authenticate", challenge),),
    )


def _int_option(value: str, name: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise ODataError(
            f"Invalid value '{value}' for $'{name[1:]}' query option found. "
            f"The ${name[1:]} query option requires a non-negative integer value."
        )
    return int(value)


def _query(request: DemoRequest, context: str) -> DemoResponse:
    records = list(RECORDS)
    top: int | None = None
    skip = 0
    select: list[str] | None = None
    count = False
    try:
        for name, value in request.query_params():
            if name == "$filter":
                if value.count("(") > MAX_PARENTHESES:
                    raise ODataError(f"The node count limit of '{MAX_PARENTHESES}' has been exceeded.")
                predicate = compile_filter(value, PROPERTIES)
                records = [r for r in records if predicate(r)]
            elif name == "$top":
                top = _int_option(value, name)
            elif name == "$skip":
                skip = _int_option(value, name)
            elif name == "$select":
                select = [p.strip() for p in value.split(",") if p.strip()]
                unknown = [p for p in select if p not in PROPERTIES and p != "taxAreaId"]
                if unknown:
                    raise ODataError(
                        f"Could not find a property named '{unknown[0]}' on type 'Microsoft.NAV.customer'."
                    )
            elif name == "$count":
                count = value == "true"
            elif name.startswith("$"):
                raise ODataError(f"The query parameter '{name}' is not supported.")
    except ODataError as error:
        return _error(400, "BadRequest", str(error))
    total = len(records)
    records = records[skip:]
    if top is not None:
        records = records[:top]
    if select is not None:
        records = [{"@odata.etag": r["@odata.etag"], **{k: r[k] for k in select}} for r in records]
    body: dict[str, Any] = {"@odata.context": context}
    if count:
        body["@odata.count"] = total
    body["value"] = records
    return json_response(200, body, content_type=_CONTENT_TYPE, headers=(("OData-Version", "4.0"),))


def handle(request: DemoRequest) -> DemoResponse:
    segments = request.segments()
    # v2.0 / {tenant} / {environment} / api / v2.0 / companies({id}) / customers[({id})]
    shape_ok = len(segments) == 7 and segments[0] == "v2.0" and segments[3:5] == ["api", "v2.0"]
    if not shape_ok or request.method not in ("GET", "HEAD"):
        return _error(404, "BadRequest_NotFound", "No HTTP resource was found that matches the request URI.")
    if not secret_equals(bearer_token(request), CREDENTIALS["DEMO_BC_ACCESS_TOKEN"]):
        return _unauthorized()
    company = _COMPANY.fullmatch(segments[5])
    entity = _ENTITY.fullmatch(segments[6])
    if company is None or entity is None:
        return _error(404, "BadRequest_NotFound", "No HTTP resource was found that matches the request URI.")
    if company.group("id") != COMPANY_ID:
        return _error(404, "BadRequest_NotFound", "Resource not found for the segment 'companies'.")
    api_root = f"{request.base_url}/v2.0/{segments[1]}/{segments[2]}/api/v2.0"
    if entity.group("id") is None:
        return _query(request, f"{api_root}/$metadata#companies({COMPANY_ID})/customers")
    record = next((r for r in RECORDS if r["id"] == entity.group("id")), None)
    if record is None:
        return _error(
            404,
            "BadRequest_NotFound",
            f"The entity does not exist. Identification fields and values: Id='{entity.group('id')}'",
        )
    body = {"@odata.context": f"{api_root}/$metadata#companies({COMPANY_ID})/customers/$entity", **record}
    return json_response(200, body, content_type=_CONTENT_TYPE, headers=(("OData-Version", "4.0"),))


API = DemoApi(
    name="businesscentral",
    prefix="/businesscentral",
    title="Business Central-style OData v4 ERP endpoint ($filter, Bearer token, value wrapper)",
    search_path=(
        f"/v2.0/nordic-demo/production/api/v2.0/companies({COMPANY_ID})/customers"
        "?$filter=contains(displayName,'Jensen')"
    ),
    handle=handle,
)
