"""The config contract: what it can express, how it is versioned, and its JSON Schema."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from designer.core import config as contract
from designer.core import project_io
from designer.core.config import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ApiKeyAuth,
    BasicAuth,
    BearerAuth,
    FormBody,
    JsonBody,
    LookupConfig,
    NoAuth,
    NoBody,
    Param,
    RawBody,
    Request,
    ResponseSpec,
    SecretRef,
    Timeouts,
    Transform,
    json_schema,
)
from designer.core.errors import ConfigError
from designer.core.project_io import config_from_text, config_to_text, migrate

ROOT = Path(__file__).resolve().parent.parent


def document(**overrides: Any) -> dict[str, Any]:
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, **overrides}


def load(data: dict[str, Any]) -> LookupConfig:
    return config_from_text(json.dumps(data), "test.json")


# ------------------------------------------------------------------------------------ request


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "get", "Post"])
def test_methods(method: str) -> None:
    assert Request(method=method).method == method.upper()  # type: ignore[arg-type]


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"request\.method"):
        load(document(request={"method": "FETCH"}))


def test_query_parameters_are_ordered_and_may_repeat() -> None:
    request = Request(
        query=[Param(name="id", value="1"), Param(name="id", value="2"), Param(name="q", value="x")]
    )
    back = load(json.loads(config_to_text(LookupConfig(request=request))))
    assert [(p.name, p.value) for p in back.request.query] == [("id", "1"), ("id", "2"), ("q", "x")]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"type": "none"}, NoBody),
        ({"type": "json", "template": {"filter": {"name": "{search_term}"}, "n": 1.50}}, JsonBody),
        ({"type": "form", "fields": [{"name": "q", "value": "{search_term}"}]}, FormBody),
        ({"type": "raw", "text": "<q>{search_term}</q>", "content_type": "text/xml"}, RawBody),
    ],
)
def test_every_body_kind(body: dict[str, Any], kind: type) -> None:
    config = load(document(request={"method": "POST", "body": body}))
    assert isinstance(config.request.body, kind)


def test_json_template_numbers_stay_exact() -> None:
    text = json.dumps(document(request={"body": {"type": "json", "template": {}}}))
    text = text.replace("{}}", '{"n": 1.50, "big": 12345678901234567890}}')
    template = config_from_text(text).request.body.template  # type: ignore[union-attr]
    assert template == {"n": Decimal("1.50"), "big": 12345678901234567890}
    assert str(template["n"]) == "1.50"


@pytest.mark.parametrize(
    "auth",
    [
        {"type": "none"},
        {"type": "basic", "username": "shop", "password": {"secret": "SHOP_PASSWORD"}},
        {"type": "bearer", "token": {"secret": "SHOP_TOKEN"}},
        {"type": "api_key", "location": "header", "name": "X-Api-Key", "value": {"secret": "KEY"}},
        {
            "type": "api_key",
            "location": "query",
            "name": "apikey",
            "value": {"secret": "KEY"},
            "prefix": "k:",
        },
    ],
)
def test_credentials_are_references(auth: dict[str, Any]) -> None:
    config = load(document(request={"auth": auth}))
    assert isinstance(config.request.auth, NoAuth | BasicAuth | BearerAuth | ApiKeyAuth)
    assert all(ref.value is None for ref in config.secret_refs())
    assert len(config.secret_refs()) == (0 if auth["type"] == "none" else 1)


@pytest.mark.parametrize("name", ["", "1ABC", "has space", "a/b"])
def test_secret_reference_names_are_identifiers(name: str) -> None:
    with pytest.raises(ValidationError):
        SecretRef(secret=name)


def test_a_credential_as_plain_text_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"request\.auth\.token"):
        load(document(request={"auth": {"type": "bearer", "token": "abc123"}}))


@pytest.mark.parametrize("field", ["connect", "read", "total"])
@pytest.mark.parametrize("value", [0, -1, 100000])
def test_timeouts_are_bounded(field: str, value: float) -> None:
    with pytest.raises(ValidationError):
        Timeouts(**{field: value})


# ------------------------------------------------------------------------------------ response


def test_response_defaults() -> None:
    spec = ResponseSpec()
    assert spec.records_path == "$" and spec.single_object_is_record is True
    assert spec.no_match_statuses == [404] and spec.strip_prefix is None


def test_every_customer_field_can_be_mapped_and_others_are_refused() -> None:
    fields = {name: {"paths": ["$.x"]} for name in reversed(contract.CUSTOMER_FIELDS)}
    config = load(document(response={"fields": fields}))
    assert tuple(config.response.fields) == contract.CUSTOMER_FIELDS  # Ka-ching's order
    with pytest.raises(ConfigError, match=r"unknown Customer field.*fullname"):
        load(document(response={"fields": {"fullname": {"paths": ["$.n"]}}}))


def test_field_mapping_can_join_default_transform_and_pick_by_condition() -> None:
    mapping = {
        "name": {"paths": ["$.first_name", "$.last_name"], "combine": "join", "separator": " "},
        "street": {"paths": ["$.addresses[?(@.default == true)].address1"]},
        "country_code": {"paths": ["$.country"], "default": "DK", "transforms": [{"name": "upper"}]},
        "balance.balance": {
            "paths": ["$.saldo"],
            "transforms": [{"name": "trim"}, {"name": "parse_number", "decimal_separator": "comma"}],
        },
        "phone": {"paths": ["$.mobile", "$.phone"], "combine": "first"},
    }
    fields = load(document(response={"fields": mapping})).response.fields
    assert fields["name"].paths == ["$.first_name", "$.last_name"]
    assert fields["country_code"].default == "DK"
    assert [t.name for t in fields["balance.balance"].transforms] == ["trim", "parse_number"]
    assert fields["balance.balance"].transforms[1].decimal_separator == "comma"
    assert fields["phone"].combine == "first"


def test_transform_names_are_a_closed_list() -> None:
    names = {"trim", "upper", "lower", "to_string", "parse_number", "first_non_empty"}
    for name in names:
        Transform(name=name)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Transform(name="eval")  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [99, 600])
def test_no_match_statuses_are_http_statuses(status: int) -> None:
    with pytest.raises(ValidationError):
        ResponseSpec(no_match_statuses=[status])


def test_unknown_keys_are_errors_with_their_place() -> None:
    with pytest.raises(ConfigError) as caught:
        load(document(request={"urll": "https://x"}, response={"fields": {"identifier": {"path": "$.id"}}}))
    locations = [location for location, _ in caught.value.problems]
    assert locations == ["request.urll", "response.fields.identifier.path"]


def test_text_that_is_not_valid_unicode_is_refused_with_its_place() -> None:
    text = json.dumps(document(request={"headers": [{"name": "X", "value": "\\ud800"}]})).replace(
        "\\\\", "\\"
    )
    with pytest.raises(ConfigError, match="not valid Unicode") as caught:
        config_from_text(text)
    assert caught.value.location == "request.headers[0].value"
    with pytest.raises(ValidationError, match="not valid Unicode"):
        LookupConfig(name="bad \udc80")


# ------------------------------------------------------------------------------------ versions


def test_the_format_is_named_and_versioned() -> None:
    data = json.loads(config_to_text(LookupConfig()))
    assert (data["format"], data["version"]) == ("kaching-customer-lookup", 1)
    with pytest.raises(ConfigError, match="not a Customer Lookup config"):
        load({"format": "something-else", "version": 1})


def test_a_newer_version_is_refused_naming_both_versions() -> None:
    with pytest.raises(ConfigError) as caught:
        load(document(version=FORMAT_VERSION + 1, request={"some_future_key": True}))
    assert caught.value.code == "newer_version"
    assert f"format version {FORMAT_VERSION + 1}" in str(caught.value)
    assert f"reads up to version {FORMAT_VERSION}" in str(caught.value)
    with pytest.raises(ValidationError, match="update Customer Lookup Designer"):
        LookupConfig(version=FORMAT_VERSION + 1)


@pytest.mark.parametrize("version", ["1", 1.5, True, None, 0, -3])
def test_a_version_that_is_not_a_positive_whole_number_is_refused(version: Any) -> None:
    data = document(version=version)
    if version is None:
        del data["version"]
    with pytest.raises(ConfigError) as caught:
        load(data)
    assert caught.value.location == "version"


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """A pretend upgrade: version 1 called the config's name 'title'."""
    data = dict(data)
    if "title" in data:
        data["name"] = data.pop("title")
    return data


def test_an_older_version_loads_through_the_migrations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contract, "FORMAT_VERSION", 2)
    monkeypatch.setitem(project_io.MIGRATIONS, 1, _v1_to_v2)
    config = load({"format": FORMAT_NAME, "version": 1, "title": "Old shop"})
    assert (config.version, config.name) == (2, "Old shop")
    assert json.loads(config_to_text(config))["version"] == 2  # saved in the current version
    with pytest.raises(ConfigError, match="format version 3, but this designer reads up to version 2"):
        load({"format": FORMAT_NAME, "version": 3})


def test_migrations_chain_one_step_at_a_time() -> None:
    steps = {1: lambda d: {**d, "a": 1}, 2: lambda d: {**d, "b": d["a"] + 1}}
    out = migrate({"format": FORMAT_NAME, "version": 1}, "f", target=3, migrations=steps)
    assert out == {"format": FORMAT_NAME, "version": 3, "a": 1, "b": 2}


def test_a_missing_or_failing_migration_is_explained() -> None:
    with pytest.raises(ConfigError, match="no migration from version 1"):
        migrate({"format": FORMAT_NAME, "version": 1}, "f", target=2, migrations={})
    with pytest.raises(ConfigError, match="cannot be upgraded from format version 1 to 2: KeyError"):
        migrate(
            {"format": FORMAT_NAME, "version": 1}, "f", target=2, migrations={1: lambda d: {"x": d["nope"]}}
        )


# ------------------------------------------------------------------------------------ schema


def test_the_json_schema_is_valid_and_describes_every_sample() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator = jsonschema.Draft202012Validator(schema)
    samples = sorted((ROOT / "samples").glob("*.json"))
    assert samples
    for sample in samples:
        errors = list(validator.iter_errors(json.loads(sample.read_text(encoding="utf-8"))))
        assert errors == [], f"{sample.name}: {errors[0].message}"
    assert list(validator.iter_errors(json.loads(config_to_text(LookupConfig())))) == []


def test_the_json_schema_refuses_what_the_model_refuses() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    bad = [
        document(request={"method": "FETCH"}),
        document(request={"urll": "x"}),
        document(request={"auth": {"type": "bearer", "token": "plain"}}),
        document(response={"no_match_statuses": [700]}),
        document(format="other"),
    ]
    for data in bad:
        assert list(validator.iter_errors(data)), data
        with pytest.raises(ConfigError):
            load(data)
