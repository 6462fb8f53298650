"""The config contract: what the designer exports and the runtime executes.

Versioned (``format`` + ``version``), described by a JSON Schema generated from these models,
and free of secrets by default: credentials are :class:`SecretRef` references resolved at run
time. The same file is the project the designer saves (the project adds only test inputs).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from designer.core.customer import CUSTOMER_FIELDS
from designer.core.errors import elide
from designer.core.jsonio import MAX_NUMBER_DIGITS, is_writable_number

FORMAT_NAME: Literal["kaching-customer-lookup"] = "kaching-customer-lookup"
FORMAT_VERSION = 1
PLACEHOLDERS: tuple[str, ...] = ("search_term", "currency_code")

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
_MAX_TEMPLATE_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")


def _exact_json(value: Any, depth: int = 0) -> Any:
    """A JSON value with numbers kept exact: fractions as Decimal (floats converted by repr)."""
    if depth > _MAX_TEMPLATE_DEPTH:
        raise ValueError(f"the JSON template is nested more than {_MAX_TEMPLATE_DEPTH} levels deep")
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        if not is_writable_number(number):  # 1e999999999 would be written out as a billion zeros
            raise ValueError(f"{value} has more than {MAX_NUMBER_DIGITS} digits written out")
        return number
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise ValueError("JSON object keys must be strings")
        return {key: _exact_json(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_exact_json(item, depth + 1) for item in value]
    raise ValueError(f"{type(value).__name__} is not a JSON value")


#: Any JSON value, numbers exact (the pydantic ``JsonValue`` would refuse Decimal).
ExactJson = Annotated[Any, PlainValidator(_exact_json), WithJsonSchema({"description": "any JSON value"})]


class _Model(BaseModel):
    # Unknown keys are errors: a typo in a hand-edited config must not be silently ignored.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class SecretRef(_Model):
    """A credential value by reference: resolved from the keyring or the environment at run time.

    ``value`` is only ever set when the user explicitly chose to embed the secret on export.
    """

    secret: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$")]
    value: str | None = Field(default=None, description="Embedded secret; only on explicit request.")


class Param(_Model):
    """A query parameter, header or form field; name and value may contain placeholders."""

    name: str
    value: str = ""
    enabled: bool = True


class Header(Param):
    """A header. Header values cannot carry arbitrary text, hence the explicit encoding rule."""

    encoding: Literal["reject", "percent"] = Field(
        default="reject",
        description="How placeholder values with non-ASCII text are put in this header: "
        "'reject' refuses them with a clear error, 'percent' percent-encodes them as UTF-8.",
    )


class NoBody(_Model):
    type: Literal["none"] = "none"


class JsonBody(_Model):
    """A JSON structure whose string leaves may contain placeholders; values become JSON strings."""

    type: Literal["json"] = "json"
    template: ExactJson = Field(default_factory=dict)


class FormBody(_Model):
    type: Literal["form"] = "form"
    fields: list[Param] = Field(default_factory=list)


class RawBody(_Model):
    """Raw text; placeholder values are escaped according to the content type (JSON, form, XML)."""

    type: Literal["raw"] = "raw"
    text: str = ""
    content_type: str = "text/plain; charset=utf-8"


Body = Annotated[NoBody | JsonBody | FormBody | RawBody, Field(discriminator="type")]


class NoAuth(_Model):
    type: Literal["none"] = "none"


class BasicAuth(_Model):
    type: Literal["basic"] = "basic"
    username: str
    password: SecretRef


class BearerAuth(_Model):
    type: Literal["bearer"] = "bearer"
    token: SecretRef


class ApiKeyAuth(_Model):
    type: Literal["api_key"] = "api_key"
    location: Literal["header", "query"] = "header"
    name: Annotated[str, Field(min_length=1)]
    value: SecretRef
    prefix: str = Field(default="", description="Text before the key, e.g. 'ApiKey '.")


Auth = Annotated[NoAuth | BasicAuth | BearerAuth | ApiKeyAuth, Field(discriminator="type")]


class Timeouts(_Model):
    """Seconds. ``total`` bounds the whole exchange including a slow-dripping body."""

    connect: Annotated[float, Field(gt=0, le=600)] = 5.0
    read: Annotated[float, Field(gt=0, le=600)] = 15.0
    total: Annotated[float, Field(gt=0, le=3600)] = 30.0


class Transport(_Model):
    verify_tls: bool = True
    ca_bundle: str | None = Field(default=None, description="Path to a PEM CA bundle.")
    proxy: str | None = Field(
        default=None, description="Proxy URL for this project; overrides the system proxy settings."
    )
    use_system_proxy: bool = Field(
        default=True,
        description="Without a project proxy: true honours the system proxy settings (HTTP(S)_PROXY, "
        "NO_PROXY, the OS settings), false connects directly.",
    )
    follow_redirects: bool = True
    max_redirects: Annotated[int, Field(ge=0, le=30)] = 5
    max_response_bytes: Annotated[int, Field(gt=0)] = 20 * 1024 * 1024


class Request(_Model):
    method: HttpMethod = "GET"
    url: str = "https://api.example.com/customers"
    query: list[Param] = Field(default_factory=list)
    headers: list[Header] = Field(default_factory=list)
    body: Body = Field(default_factory=NoBody)
    auth: Auth = Field(default_factory=NoAuth)
    timeouts: Timeouts = Field(default_factory=Timeouts)
    transport: Transport = Field(default_factory=Transport)

    @field_validator("method", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class Transform(_Model):
    """One named step applied to a field's value, in order."""

    name: Literal["trim", "upper", "lower", "to_string", "parse_number", "first_non_empty"]
    decimal_separator: Literal["auto", "comma", "point"] = Field(
        default="auto",
        description="parse_number only: 'comma' reads 1.234,50; 'point' reads 1,234.50; "
        "'auto' decides by the last separator present.",
    )


class FieldMapping(_Model):
    """Where one Customer field comes from, relative to the record.

    One path is the common case. Several paths are combined: ``join`` concatenates the non-empty
    values with ``separator`` (first + last name); ``first`` takes the first non-empty one.
    A nested element picked by condition is a JSONPath filter, e.g.
    ``$.addresses[?(@.default == true)].street``.
    """

    paths: list[str] = Field(default_factory=list)
    combine: Literal["join", "first"] = "join"
    separator: str = " "
    default: str | None = Field(default=None, description="Used when the paths find nothing.")
    transforms: list[Transform] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.paths and self.default is None


class ResponseSpec(_Model):
    records_path: str = "$"
    single_object_is_record: bool = Field(
        default=True, description="A response that is one object (not a list) is one record."
    )
    no_match_statuses: list[Annotated[int, Field(ge=100, le=599)]] = Field(default_factory=lambda: [404])
    strip_prefix: str | None = Field(
        default=None, description="Anti-XSSI prefix such as )]}' removed before parsing."
    )
    fields: dict[str, FieldMapping] = Field(default_factory=dict)

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, FieldMapping]) -> dict[str, FieldMapping]:
        unknown = [name for name in value if name not in CUSTOMER_FIELDS]
        if unknown:
            raise ValueError(
                f"unknown Customer field(s) {elide(', '.join(unknown))}; known: {', '.join(CUSTOMER_FIELDS)}"
            )
        # Keep Ka-ching's field order so files diff cleanly whatever order they were edited in.
        return {name: value[name] for name in CUSTOMER_FIELDS if name in value}


def find_lone_surrogate(node: Any, where: str = "", depth: int = 0) -> str | None:
    """The location (``request.headers[0].value``) of the first text holding an unpaired surrogate.

    None when there is none; ``""`` when ``node`` itself is such a text.
    """
    if isinstance(node, str):
        return where if _SURROGATE.search(node) else None
    if depth > _MAX_TEMPLATE_DEPTH + 8:
        return None  # the template depth check reports this document
    if isinstance(node, dict):
        for key, value in node.items():
            inner = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                return inner
            found = find_lone_surrogate(value, inner, depth + 1)
            if found is not None:
                return found
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            found = find_lone_surrogate(value, f"{where}[{index}]", depth + 1)
            if found is not None:
                return found
    return None


class TestInputs(_Model):
    """The designer's test search; harmless in an export (the runtime ignores it)."""

    __test__ = False  # not a pytest test class
    search_term: str = ""
    currency_code: str = "DKK"


class LookupConfig(_Model):
    format: Literal["kaching-customer-lookup"] = FORMAT_NAME
    version: int = FORMAT_VERSION
    name: str = "Untitled lookup"
    request: Request = Field(default_factory=Request)
    response: ResponseSpec = Field(default_factory=ResponseSpec)
    test_inputs: TestInputs = Field(default_factory=TestInputs)
    production_hosts: list[str] = Field(
        default_factory=list, description="Hosts marked as production; test searches warn loudly."
    )

    @model_validator(mode="before")
    @classmethod
    def _valid_unicode(cls, data: Any) -> Any:
        # A "\\ud800" escape in a file yields text no UTF-8 writer or JSON encoder accepts; refuse
        # it here, where its place can be named, instead of failing later while saving or mapping.
        where = find_lone_surrogate(data, "")
        if where is not None:
            raise ValueError(
                f"the text at {where or 'the top level'} is not valid Unicode (an unpaired surrogate)"
            )
        return data

    @model_validator(mode="after")
    def _supported_version(self) -> LookupConfig:
        if self.version > FORMAT_VERSION:
            raise ValueError(
                f"this file is format version {self.version}, but this designer reads up to "
                f"version {FORMAT_VERSION}; update Customer Lookup Designer to open it"
            )
        if self.version < 1:
            raise ValueError(f"version {self.version} is not a valid format version")
        return self

    def secret_refs(self) -> list[SecretRef]:
        """Every credential reference in the config, in a stable order."""
        auth = self.request.auth
        if isinstance(auth, BasicAuth):
            return [auth.password]
        if isinstance(auth, BearerAuth):
            return [auth.token]
        if isinstance(auth, ApiKeyAuth):
            return [auth.value]
        return []


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the config contract, as shipped in ``resources/config.schema.json``."""
    schema = LookupConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"urn:{FORMAT_NAME}:v{FORMAT_VERSION}"
    return schema
