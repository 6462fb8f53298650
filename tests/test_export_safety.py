"""Export scanning finds secrets by value and by shape, and reports where they are; plan_export
decides what an export writes (references unless values are explicitly included)."""

from __future__ import annotations

import json

from designer.core.config import BearerAuth, Header, LookupConfig, Param, Request, SecretRef
from designer.core.export_safety import export_diff, plan_export, scan_text
from designer.core.model_types import MASK
from designer.core.project_io import config_from_text as load_config_text


def _config_text(**request: object) -> str:
    return json.dumps({"request": {"url": "https://api.example.com/c", "headers": [], **request}})


def test_known_secret_value_is_found_with_its_location() -> None:
    text = _config_text(headers=[{"name": "X-Key", "value": "s3cr3t-value"}])
    findings = scan_text(text, ["s3cr3t-value"])
    assert [(f.location, f.kind) for f in findings] == [("request.headers[0].value", "known_secret")]


def test_short_known_values_do_not_flag_everything() -> None:
    assert scan_text(_config_text(), ["a", "", "abc"]) == []


def test_token_shapes_are_found_without_knowing_the_value() -> None:
    text = _config_text(
        url="https://shop:hunter2@api.example.com/c",
        headers=[
            {"name": "Authorization", "value": "Bearer eyJhbGciOiJIUzI1NiJ9.abc"},
            {"name": "X-Auth", "value": "Basic c2hvcDpodW50ZXIy"},
            {"name": "X-Api-Key", "value": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"},
            {"name": "Accept", "value": "application/json"},
        ],
    )
    kinds = {(f.location, f.kind) for f in scan_text(text, [])}
    assert kinds == {
        ("request.url", "url_credentials"),
        ("request.headers[0].value", "bearer_token"),
        ("request.headers[1].value", "basic_credentials"),
        ("request.headers[2].value", "long_token"),
    }


def test_plain_config_has_no_findings() -> None:
    text = _config_text(headers=[{"name": "Accept", "value": "application/json"}])
    assert scan_text(text, ["not-in-there"]) == []


def test_export_diff_is_readable_and_empty_without_a_previous_export() -> None:
    assert export_diff(None, "a\n", previous_name="old", current_name="new") == ""
    diff = export_diff("a\nb\n", "a\nc\n", previous_name="old.json", current_name="new.json")
    assert diff.splitlines()[:2] == ["--- old.json", "+++ new.json"]
    assert "-b" in diff.splitlines()
    assert "+c" in diff.splitlines()


# -- plan_export: the whole export decision as values --------------------------------------------

TOKEN = "tok-8f2c9a1d-VALUE"


def _bearer_config(**request: object) -> LookupConfig:
    fields: dict[str, object] = {"url": "https://api.example.com/c", **request}
    return LookupConfig(request=Request(auth=BearerAuth(token=SecretRef(secret="T")), **fields))  # type: ignore[arg-type]


def test_export_writes_references_by_default() -> None:
    plan = plan_export(_bearer_config(), known_values={"T": TOKEN})
    assert TOKEN not in plan.text
    assert json.loads(plan.text)["request"]["auth"]["token"] == {"secret": "T", "value": None}
    assert plan.findings == () and plan.included == () and plan.missing == ()


def test_including_values_embeds_them_and_names_them_without_flagging_the_choice() -> None:
    plan = plan_export(_bearer_config(), known_values={"T": TOKEN}, include_secrets=True)
    assert json.loads(plan.text)["request"]["auth"]["token"] == {"secret": "T", "value": TOKEN}
    assert [(u.name, u.purpose) for u in plan.included] == [("T", "Bearer token")]
    assert plan.findings == ()  # the value the user chose to include is not a surprise
    assert load_config_text(plan.text).request.auth == BearerAuth(token=SecretRef(secret="T", value=TOKEN))


def test_a_secret_without_a_value_stays_a_reference_and_is_reported() -> None:
    plan = plan_export(_bearer_config(), known_values={}, include_secrets=True)
    assert [u.name for u in plan.missing] == ["T"]
    assert plan.included == ()
    assert json.loads(plan.text)["request"]["auth"]["token"]["value"] is None


def test_a_known_value_pasted_elsewhere_is_found_also_when_included_and_percent_encoded() -> None:
    secret = "p@ss word/42"
    config = _bearer_config(
        headers=[Header(name="X-Key", value=secret)],
        query=[Param(name="key", value="p%40ss%20word%2F42")],
    )
    plan = plan_export(config, known_values={"T": secret}, include_secrets=True)
    assert {(f.location, f.kind) for f in plan.findings} == {
        ("request.headers[0].value", "known_secret"),
        ("request.query[0].value", "known_secret"),
    }
    assert all(secret not in f.message for f in plan.findings)


def test_diff_against_the_previous_export_masks_known_values() -> None:
    previous = plan_export(_bearer_config(), known_values={"T": TOKEN}, include_secrets=True).text
    current = plan_export(
        _bearer_config(url="https://api.example.com/v2"), known_values={"T": TOKEN}, previous=previous
    )
    assert TOKEN in previous
    assert TOKEN not in current.diff
    assert MASK in current.diff
    assert '-    "url": "https://api.example.com/c",' in current.diff.splitlines()
    assert '+    "url": "https://api.example.com/v2",' in current.diff.splitlines()
    assert not current.unchanged
    again = plan_export(
        _bearer_config(), known_values={}, previous=plan_export(_bearer_config(), known_values={}).text
    )
    assert again.unchanged and again.diff == ""


def test_values_embedded_in_the_previous_export_are_masked_even_when_unknown_now() -> None:
    old_config = LookupConfig(
        request=Request(url="https://api.example.com/c", auth=BearerAuth(token=SecretRef(secret="OLD")))
    )
    previous = plan_export(old_config, known_values={"OLD": "old-token-4711"}, include_secrets=True).text
    plan = plan_export(_bearer_config(), known_values={}, previous=previous)
    assert "old-token-4711" in previous
    assert "old-token-4711" not in plan.diff
    assert f'-        "value": "{MASK}"' in plan.diff.splitlines()
