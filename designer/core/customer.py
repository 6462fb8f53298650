"""The Customer object exactly as Ka-ching's POS expects it."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from designer.core.jsonio import dumps_exact

#: Text the POS can receive. Any string constraint makes pydantic-core read the text as Unicode,
#: so an unpaired surrogate (a ``"\ud800"`` escape in a response) is refused with
#: ``string_unicode`` in every field alike, not only in the required ones, and the mapping engine
#: (both its paths validate through this model) omits that one field with a diagnostic.
#: ``tests/test_customer.py`` keeps the rule honest for each field.
Text = Annotated[str, StringConstraints(min_length=0)]
NonEmptyStr = Annotated[str, StringConstraints(min_length=1)]

#: Customer fields in the order the POS documents them; balance parts are dotted.
CUSTOMER_FIELDS: tuple[str, ...] = (
    "identifier",
    "name",
    "street",
    "city",
    "postal_code",
    "country",
    "country_code",
    "phone",
    "email",
    "additional_info",
    "balance.identifier",
    "balance.balance",
)
REQUIRED_FIELDS: frozenset[str] = frozenset({"identifier"})
#: Fields whose value is a number rather than text.
NUMBER_FIELDS: frozenset[str] = frozenset({"balance.balance"})


class Balance(BaseModel):
    """A customer account or gift balance; both parts are required by Ka-ching."""

    model_config = ConfigDict(extra="forbid", strict=True)

    identifier: NonEmptyStr
    balance: Decimal

    @field_validator("balance")
    @classmethod
    def _finite(cls, value: Decimal) -> Decimal:
        # NaN and Infinity are not JSON numbers; the POS would reject the whole list.
        if not value.is_finite():
            raise ValueError("balance must be a finite number")
        return value


class Customer(BaseModel):
    """One entry of the list returned to the POS. Absent optional fields are omitted on output."""

    model_config = ConfigDict(extra="forbid", strict=True)

    identifier: NonEmptyStr
    name: Text | None = None
    street: Text | None = None
    city: Text | None = None
    postal_code: Text | None = None
    country: Text | None = None
    country_code: Text | None = None
    phone: Text | None = None
    email: Text | None = None
    additional_info: Text | None = None
    balance: Balance | None = None

    def to_json_value(self) -> dict[str, Any]:
        """The POS representation: absent fields omitted, the balance kept as an exact Decimal."""
        return self.model_dump(exclude_none=True, mode="python")


def customers_to_json(
    customers: list[Customer], *, indent: int | None = 2, ensure_ascii: bool = False
) -> str:
    """Serialise a Customer list as the POS receives it, balances written as exact JSON numbers."""
    return dumps_exact([c.to_json_value() for c in customers], indent=indent, ensure_ascii=ensure_ascii)
