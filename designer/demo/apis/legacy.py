"""An older on-premise ERP's hand-written JSON export, answered in ISO-8859-1.

Not one vendor's API but the shape such bridges commonly have (PHP/ASP scripts in front of a
Danish ERP database): ``GET /api/kunder.php?soeg=TERM&apikey=KEY``, the key as a query
parameter (403 ``{"fejl": ...}`` when missing or wrong), Danish field names including
``kunde.nr`` (a dot inside a key) and ``Bopæl`` (a non-ASCII key), phone numbers without the
country prefix, and ``saldo`` as text with a decimal comma and thousands dots (``"1.234,50"``).
The body is really encoded in Latin-1 and says so: ``Content-Type: application/json;
charset=ISO-8859-1``. Searching is case-insensitive and accent-sensitive over the customer
number (exact, with or without ``K-``), the name and the e-mail (contains) and the phone
(digits); no match is ``{"antal": 0, "kunder": []}``; a missing ``soeg`` is a 400.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from designer.demo.apis._common import (
    DemoApi,
    DemoRequest,
    DemoResponse,
    digits,
    fold_case,
    json_response,
    secret_equals,
)
from designer.demo.data import CREDENTIALS, CUSTOMERS, DemoCustomer

ROUTE = ["api", "kunder.php"]
CHARSET = "ISO-8859-1"
_PHONE_TERM = re.compile(r"\+?[\d\s-]{4,}")


def danish_amount(amount: Decimal) -> str:
    """``Decimal('-1234.5')`` → ``"-1.234,50"``: two decimals, dot thousands, comma decimals."""
    text = f"{abs(amount):,.2f}".replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"-{text}" if amount < 0 else text


def _record(customer: DemoCustomer) -> dict[str, Any]:
    address = customer.default_address
    created = customer.created[:10]
    return {
        "kunde.nr": f"K-{customer.number}",
        "navn": customer.display_name,
        "Bopæl": {
            "adresse": address.street,
            "postnr": address.postal_code,
            "by": address.city,
            "land": address.country.name_da,
            "landekode": address.country_code,
        },
        "telefon": customer.phone_national,
        "e-mail": customer.email,
        "saldo": danish_amount(customer.balance if customer.balance is not None else Decimal(0)),
        "valuta": customer.currency,
        "oprettet": f"{created[8:10]}-{created[5:7]}-{created[0:4]}",
    }


RECORDS: tuple[dict[str, Any], ...] = tuple(
    sorted((_record(c) for c in CUSTOMERS), key=lambda r: fold_case(str(r["navn"])))
)


def _answer(status: int, value: Any) -> DemoResponse:
    return json_response(status, value, charset=CHARSET)


def _matches(record: dict[str, Any], term: str) -> bool:
    needle = fold_case(term.strip())
    number = fold_case(str(record["kunde.nr"]))
    if needle in (number, number.removeprefix("k-")):
        return True
    if needle in fold_case(str(record["navn"])) or needle in fold_case(str(record["e-mail"])):
        return True
    if _PHONE_TERM.fullmatch(term.strip()):
        wanted = digits(term)
        if wanted.startswith("45") and len(wanted) == 10:
            wanted = wanted[2:]
        return wanted in digits(str(record["telefon"]))
    return False


def handle(request: DemoRequest) -> DemoResponse:
    if request.segments() != ROUTE:
        return _answer(404, {"fejl": "Siden findes ikke"})
    if not secret_equals(request.param("apikey"), CREDENTIALS["DEMO_LEGACY_API_KEY"]):
        return _answer(403, {"fejl": "Adgang nægtet: ugyldig eller manglende apikey"})
    term = request.param("soeg")
    if term is None or not term.strip():
        return _answer(400, {"fejl": "Parameteren 'soeg' mangler"})
    hits = [r for r in RECORDS if _matches(r, term)]
    return _answer(200, {"antal": len(hits), "kunder": hits})


API = DemoApi(
    name="legacy",
    prefix="/legacy",
    title="Legacy on-premise ERP export (ISO-8859-1, Danish keys, saldo with decimal comma, apikey in query)",
    search_path="/api/kunder.php?soeg=jensen&apikey=...",
    handle=handle,
)
