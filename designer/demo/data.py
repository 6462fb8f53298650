"""The demo merchant's customers: one fictional Nordic data set that every demo API serves.

Each API shows these customers in its own system's shape and with its own ids, the way one
merchant's customers look different in the webshop, the ERP and the CRM. Everything here is
invented: names use æ ø å ä ö é on purpose, e-mail addresses are under example.com, phone
numbers are made up. One Shopify id is above 2**53 so that any float conversion shows.

The sample projects' expected Customer lists in ``samples/expected`` were written by hand from
this table; change a customer here and those files must be re-checked by hand too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name_en: str
    name_da: str  # how Danish systems (e-conomic, the legacy ERP) spell it
    odoo_id: int  # res.country id in the Odoo imitation


COUNTRIES: dict[str, Country] = {
    "DK": Country("DK", "Denmark", "Danmark", 59),
    "NO": Country("NO", "Norway", "Norge", 165),
    "SE": Country("SE", "Sweden", "Sverige", 203),
}


@dataclass(frozen=True)
class Address:
    kind: Literal["billing", "shipping"]
    default: bool  # the customer's default (billing) address; exactly one per customer
    street: str
    postal_code: str
    city: str
    country_code: str
    shopify_id: int

    @property
    def country(self) -> Country:
        return COUNTRIES[self.country_code]


@dataclass(frozen=True)
class DemoCustomer:
    number: int  # the merchant's customer number (ERP/accounting); WooCommerce user id
    first_name: str
    last_name: str
    company: str | None
    email: str
    phone: str  # as typed into the ERP: "+45 20 30 40 50"
    addresses: tuple[Address, ...]
    balance: Decimal | None  # customer account balance in ``currency``
    currency: str
    shopify_id: int
    hubspot_id: str
    odoo_id: int
    bc_id: str  # Business Central GUID
    created: str  # ISO 8601 UTC

    @property
    def person_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self) -> str:
        """The name ERPs show: the company for business customers, else the person."""
        return self.company or self.person_name

    @property
    def default_address(self) -> Address:
        return next(a for a in self.addresses if a.default)

    @property
    def other_address(self) -> Address | None:
        return next((a for a in self.addresses if not a.default), None)

    @property
    def phone_e164(self) -> str:
        return "+" + "".join(ch for ch in self.phone if ch.isdigit())

    @property
    def phone_national(self) -> str:
        """The phone without the country prefix, as Danish systems store it: '20 30 40 50'."""
        return self.phone.split(" ", 1)[1]


CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer(
        number=1001,
        first_name="Ada",
        last_name="Jensen",
        company=None,
        email="ada.jensen@example.com",
        phone="+45 20 30 40 50",
        addresses=(
            Address("billing", True, "Vestergade 12, 2. th", "8000", "Aarhus C", "DK", 9007199254741001),
            Address("shipping", False, "Åboulevarden 3", "8000", "Aarhus C", "DK", 9007199254741002),
        ),
        balance=Decimal("1234.50"),
        currency="DKK",
        shopify_id=9007199254740993,  # 2**53 + 1: a float turns it into ...992
        hubspot_id="501",
        odoo_id=7,
        bc_id="5d115c9c-44e3-ea11-bb43-000d3a2feca1",
        created="2021-03-04T09:15:00Z",
    ),
    DemoCustomer(
        number=1002,
        first_name="Søren",
        last_name="Æbelø",
        company=None,
        email="soren.aebelo@example.com",
        phone="+45 31 41 59 26",
        addresses=(Address("billing", True, "Kongensgade 7", "5000", "Odense C", "DK", 7110365300021),),
        balance=Decimal("-250.75"),
        currency="DKK",
        shopify_id=7110365364402,
        hubspot_id="502",
        odoo_id=8,
        bc_id="6e226dad-55f4-ea11-bb43-000d3a2feca2",
        created="2021-05-17T12:00:00Z",
    ),
    DemoCustomer(
        number=1003,
        first_name="Åse",
        last_name="Bråten",
        company=None,
        email="ase.braten@example.com",
        phone="+47 912 34 567",
        addresses=(
            # The default address is deliberately not the first one.
            Address("shipping", False, "Markveien 35B", "0554", "Oslo", "NO", 7110365300031),
            Address("billing", True, "Storgata 5", "0155", "Oslo", "NO", 7110365300032),
        ),
        balance=Decimal("0.00"),
        currency="NOK",
        shopify_id=7110365364403,
        hubspot_id="503",
        odoo_id=9,
        bc_id="7f337ebe-6605-eb11-bb43-000d3a2feca3",
        created="2021-08-30T07:45:00Z",
    ),
    DemoCustomer(
        number=1004,
        first_name="Björn",
        last_name="Öberg",
        company=None,
        email="bjorn.oberg@example.com",
        phone="+46 70 123 45 67",
        addresses=(
            Address("billing", True, "Drottninggatan 21", "111 51", "Stockholm", "SE", 7110365300041),
        ),
        balance=Decimal("9876543.21"),
        currency="SEK",
        shopify_id=7110365364404,
        hubspot_id="504",
        odoo_id=10,
        bc_id="8a448fcf-7716-eb11-bb43-000d3a2feca4",
        created="2022-01-11T15:30:00Z",
    ),
    DemoCustomer(
        number=1005,
        first_name="Lars",
        last_name="Jensen",
        company="Jensen & Søn ApS",
        email="kontakt@jensen-og-son.example.com",
        phone="+45 70 10 20 30",
        addresses=(
            Address("billing", True, "Industrivej 4", "7100", "Vejle", "DK", 7110365300051),
            Address("shipping", False, "Havnegade 40", "7100", "Vejle", "DK", 7110365300052),
        ),
        balance=Decimal("15000.00"),
        currency="DKK",
        shopify_id=7110365364405,
        hubspot_id="505",
        odoo_id=11,
        bc_id="9b55a0e0-8827-eb11-bb43-000d3a2feca5",
        created="2022-04-02T10:00:00Z",
    ),
    DemoCustomer(
        number=1006,
        first_name="Mette",
        last_name="O'Brien",
        company=None,
        email="mette.obrien@example.com",
        phone="+45 26 11 22 33",
        addresses=(Address("billing", True, "Nørrebrogade 88", "2200", "København N", "DK", 7110365300061),),
        balance=Decimal("42.00"),
        currency="DKK",
        shopify_id=7110365364406,
        hubspot_id="506",
        odoo_id=12,
        bc_id="ac66b1f1-9938-eb11-bb43-000d3a2feca6",
        created="2022-09-19T18:20:00Z",
    ),
    DemoCustomer(
        number=1007,
        first_name="Karen",
        last_name="Jensen",
        company=None,
        email="karen.jensen@example.com",
        phone="+45 98 12 34 56",
        addresses=(Address("billing", True, "Boulevarden 1", "9000", "Aalborg", "DK", 7110365300071),),
        balance=None,
        currency="DKK",
        shopify_id=7110365364407,
        hubspot_id="507",
        odoo_id=13,
        bc_id="bd77c202-aa49-eb11-bb43-000d3a2feca7",
        created="2023-02-27T08:05:00Z",
    ),
    DemoCustomer(
        number=1008,
        first_name="Émilie",
        last_name="Dupont-Møller",
        company=None,
        email="emilie.dupont@example.com",
        phone="+45 33 12 34 56",
        addresses=(
            Address("billing", True, "Gammel Kongevej 150", "1850", "Frederiksberg C", "DK", 7110365300081),
        ),
        balance=Decimal("1999.99"),
        currency="DKK",
        shopify_id=7110365364408,
        hubspot_id="508",
        odoo_id=14,
        bc_id="ce88d313-bb5a-eb11-bb43-000d3a2feca8",
        created="2023-11-06T13:40:00Z",
    ),
)

#: The demo credentials. ``samples/demo.secrets.env`` holds the same values under the same names
#: (a test keeps the two in step); the samples reference them by name, as they would real secrets.
CREDENTIALS: dict[str, str] = {
    "DEMO_WOO_CONSUMER_SECRET": "cs_demo_0b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e",
    "DEMO_BC_ACCESS_TOKEN": "bc_demo_token_9c1e5a7f3b2d4e6f8a0b1c2d3e4f5a6b",
    "DEMO_HUBSPOT_TOKEN": "pat-eu1-d3m0c0de-1111-2222-3333-444455556666",
    "DEMO_ODOO_SESSION_ID": "d3m0f6b0c1e2d3a5b7c9e8f0a1b2c3d4e5f6a7b8c9",
    "DEMO_SHOPIFY_ACCESS_TOKEN": "shpat_d3m00123456789abcdef0123456789",
    "DEMO_ECONOMIC_AGREEMENT_GRANT_TOKEN": "demo-agreement-grant-7f3a1c9e5b",
    "DEMO_LEGACY_API_KEY": "legacy-demo-key-2718281828",
}

#: e-conomic's app secret token for its public demo app; it is documented openly, so the
#: e-conomic sample may carry it as a plain header (the config holds one secret per request).
ECONOMIC_APP_SECRET_TOKEN = "demo"

#: WooCommerce: the consumer key is the Basic-auth user name; only the secret is secret.
WOO_CONSUMER_KEY = "ck_demo_5f1c2a9e7b3d5f60a8c4e2b1d9f7a6c3e5b8d0f2"


def by_number(number: int) -> DemoCustomer | None:
    return next((c for c in CUSTOMERS if c.number == number), None)
