"""Export scanning finds secrets by value and by shape, and reports where they are."""

from __future__ import annotations

import json

from designer.core.export_safety import export_diff, scan_text


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
