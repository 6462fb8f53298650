"""The Customer object exactly as Ka-ching's POS expects it."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from designer.core.jsonio import dumps_exact

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
    name: str | None = None
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    country_code: str | None = None
    phone: str | None = None
    email: str | None = None
    additional_info: str | None = None
    balance: Balance | None = None

    def to_json_value(self) -> dict[str, Any]:
        """The POS representation: absent fields omitted, the balance kept as an exact Decimal."""
        return self.model_dump(exclude_none=True, mode="python")


def customers_to_json(
    customers: list[Customer], *, indent: int | None = 2, ensure_ascii: bool = False
) -> str:
    """Serialise a Customer list as the POS receives it, balances written as exact JSON numbers."""
    return dumps_exact([c.to_json_value() for c in customers], indent=indent, ensure_ascii=ensure_ascii)
