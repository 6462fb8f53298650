"""The Customer model exactly as Ka-ching defines it, and its serialisation for the POS."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from designer.core.customer import CUSTOMER_FIELDS, Balance, Customer, customers_to_json
from designer.core.jsonio import loads_exact

OPTIONAL_TEXT = (
    "name",
    "street",
    "city",
    "postal_code",
    "country",
    "country_code",
    "phone",
    "email",
    "additional_info",
)


def strict_loads(text: str) -> Any:
    def refuse(literal: str) -> None:
        raise ValueError(literal)

    return json.loads(text, parse_constant=refuse, parse_float=Decimal)


def test_identifier_is_required_and_non_empty() -> None:
    with pytest.raises(ValidationError, match="identifier"):
        Customer.model_validate({})
    with pytest.raises(ValidationError, match="at least 1 character"):
        Customer(identifier="")
    assert Customer(identifier="K1").identifier == "K1"


@pytest.mark.parametrize("value", [1001, 10.5, None, ["K1"]])
def test_identifier_must_be_a_string(value: Any) -> None:
    # Numbers are converted to exact text by the mapping engine, never silently here.
    with pytest.raises(ValidationError):
        Customer.model_validate({"identifier": value})


def test_every_field_ka_ching_defines_and_nothing_else() -> None:
    assert set(Customer.model_fields) == {"identifier", *OPTIONAL_TEXT, "balance"}
    assert ("identifier", *OPTIONAL_TEXT, "balance.identifier", "balance.balance") == CUSTOMER_FIELDS
    with pytest.raises(ValidationError, match="Extra inputs"):
        Customer.model_validate({"identifier": "K1", "vat_number": "DK1"})


@pytest.mark.parametrize("field", OPTIONAL_TEXT)
def test_optional_fields_are_strings(field: str) -> None:
    assert getattr(Customer.model_validate({"identifier": "K1", field: "x"}), field) == "x"
    with pytest.raises(ValidationError):
        Customer.model_validate({"identifier": "K1", field: 8000})


def test_balance_needs_identifier_and_number() -> None:
    assert Balance(identifier="GC-1", balance=Decimal("10")).balance == Decimal("10")
    with pytest.raises(ValidationError, match="identifier"):
        Balance.model_validate({"balance": Decimal("1")})
    with pytest.raises(ValidationError, match="balance"):
        Balance.model_validate({"identifier": "GC-1"})
    with pytest.raises(ValidationError):
        Balance(identifier="", balance=Decimal("1"))
    with pytest.raises(ValidationError):
        Balance.model_validate({"identifier": "GC-1", "balance": "12.50"})


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_balance_must_be_finite(amount: str) -> None:
    with pytest.raises(ValidationError, match="finite"):
        Balance(identifier="GC-1", balance=Decimal(amount))


def test_absent_fields_are_omitted_and_order_is_kaching_s() -> None:
    customers = [
        Customer(identifier="K1"),
        Customer(
            identifier="K2",
            email="b@example.com",
            name="Bo",
            balance=Balance(identifier="K2", balance=Decimal("0")),
        ),
    ]
    assert customers_to_json(customers, indent=None) == (
        '[{"identifier":"K1"},'
        '{"identifier":"K2","name":"Bo","email":"b@example.com","balance":{"identifier":"K2","balance":0}}]'
    )
    assert customers_to_json([], indent=None) == "[]"


def test_big_ids_stay_exact_text() -> None:
    text = customers_to_json([Customer(identifier="12345678901234567890")])
    assert '"identifier": "12345678901234567890"' in text and "e19" not in text.lower()


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        ("1234.50", "1234.50"),
        ("0.10000000000000000555", "0.10000000000000000555"),
        ("-250.75", "-250.75"),
        ("15000.00", "15000.00"),
        ("1E+3", "1000"),
        ("1.5E-7", "0.00000015"),
        ("123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"),
    ],
)
def test_decimal_balances_keep_every_digit_as_json_numbers(amount: str, written: str) -> None:
    customer = Customer(identifier="K1", balance=Balance(identifier="K1", balance=Decimal(amount)))
    text = customers_to_json([customer], indent=None)
    assert text == f'[{{"identifier":"K1","balance":{{"identifier":"K1","balance":{written}}}}}]'
    parsed = strict_loads(text)
    assert parsed[0]["balance"]["balance"] == Decimal(amount)  # a number, not a string
    assert loads_exact(text)[0]["balance"]["balance"] == Decimal(amount)


def test_ascii_output_is_the_same_data() -> None:
    customers = [Customer(identifier="K1", name="Søren Æbelø", city="Århus \u2028")]
    escaped = customers_to_json(customers, ensure_ascii=True)
    assert escaped.isascii()
    assert json.loads(escaped) == json.loads(customers_to_json(customers))


@pytest.mark.parametrize("name", ["identifier", *OPTIONAL_TEXT])
def test_no_text_field_holds_a_lone_surrogate(name: str) -> None:
    # A "\ud800" escape in a response is not Unicode: no field may carry it to the POS (the
    # mapping engine omits the field with a diagnostic), not only the required identifier.
    values = {"identifier": "K1", name: "bad \ud800 text"}
    with pytest.raises(ValidationError) as caught:
        Customer.model_validate(values)
    assert [e["loc"] for e in caught.value.errors()] == [(name,)]
    with pytest.raises(ValidationError):
        Balance.model_validate({"identifier": "\udfff", "balance": Decimal(1)})
    # Paired surrogates (one character outside the BMP, as text) are ordinary text.
    assert Customer.model_validate({"identifier": "K1", name: "ok \U0001f600"}).to_json_value()[name]
