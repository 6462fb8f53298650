"""The JSONPath Compliance Test Suite (RFC 9535), read from ../shared/conformance/jsonpath-cts.

Two different questions:

* every normalized path in the suite (``result_paths``/``results_paths``) must select exactly
  its node through our ``compile_path``, and our generator must write that very path for the
  node's location: this is what the designer relies on, so it is asserted in full;
* how many selector cases jsonpath-ng passes is a property of the library, recorded in the test
  output (and guarded against regressions), not asserted to be 100%.
"""

from __future__ import annotations

import json
import warnings
from functools import cache
from typing import Any

import pytest
from jsonpath_ng.ext.parser import parse as raw_parse
from shared_data import shared_path

from designer.core.jsonpath import PathError, compile_path, normalized_path

#: Normalized paths of the suite that do not select their node. Empty: all of them do.
KNOWN_NORMALIZED_PATH_FAILURES: list[str] = []
#: Selector cases passing on jsonpath-ng 1.16 when this was written; a drop is a regression.
BASELINE_RAW_PASSES = 288 + 79
BASELINE_OUR_PASSES = 308 + 79


@cache
def cts_cases() -> list[dict[str, Any]]:
    data = json.loads(shared_path("conformance", "jsonpath-cts", "cts.json").read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = data["tests"]
    return cases


def canonical(value: Any) -> str:
    # JSON text distinguishes true from 1, which Python's == does not.
    return json.dumps(value, sort_keys=True)


def normalized_path_pairs() -> list[tuple[str, str, Any, Any]]:
    """(case name, normalized path, document, expected node) for every path in the suite."""
    pairs: list[tuple[str, str, Any, Any]] = []
    for case in cts_cases():
        if "result_paths" in case:
            groups = [zip(case["result_paths"], case["result"], strict=True)]
        else:
            groups = [
                zip(paths, values, strict=True)
                for paths, values in zip(case.get("results_paths", []), case.get("results", []), strict=True)
            ]
        for group in groups:
            pairs.extend((case["name"], path, case["document"], node) for path, node in group)
    return pairs


def test_every_normalized_path_selects_its_node_and_is_what_we_generate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pairs = normalized_path_pairs()
    failures: list[str] = []
    for name, path, document, node in pairs:
        try:
            compiled = compile_path(path)
        except PathError as error:
            failures.append(f"{name}: {path}: {error.message}")
            continue
        found = compiled.values(document)
        if len(found) != 1 or canonical(found[0]) != canonical(node):
            failures.append(f"{name}: {path}: selected {found!r}")
            continue
        located = compiled.locate(document)
        if len(located) != 1 or normalized_path(located[0][0]) != path:
            failures.append(f"{name}: {path}: generator wrote {[normalized_path(x) for x, _ in located]}")
    with capsys.disabled():
        passed = len(pairs) - len(failures)
        print(f"\nCTS normalized paths: {passed}/{len(pairs)} select their node and round-trip")
        for failure in failures:
            print("  FAIL", failure)
    assert len(pairs) > 700
    assert failures == KNOWN_NORMALIZED_PATH_FAILURES


def _selector_passes(case: dict[str, Any], evaluate: Any) -> bool:
    if case.get("invalid_selector"):
        try:
            evaluate(case["selector"], None)
        except Exception:
            return True
        return False
    try:
        got = evaluate(case["selector"], case["document"])
    except Exception:
        return False
    expected = [case["result"]] if "result" in case else case["results"]
    return any(canonical(got) == canonical(option) for option in expected)


def _raw(selector: str, document: Any) -> list[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = raw_parse(selector)
    return [] if document is None else [m.value for m in tree.find(document)]


def _ours(selector: str, document: Any) -> list[Any]:
    compiled = compile_path(selector)
    return [] if document is None else compiled.values(document)


@pytest.mark.parametrize(
    ("label", "evaluate", "baseline"),
    [
        ("jsonpath-ng 1.16 ext parser", _raw, BASELINE_RAW_PASSES),
        ("designer compile_path (RFC escapes decoded)", _ours, BASELINE_OUR_PASSES),
    ],
)
def test_record_cts_selector_pass_rate(
    label: str, evaluate: Any, baseline: int, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = cts_cases()
    valid = [c for c in cases if not c.get("invalid_selector")]
    invalid = [c for c in cases if c.get("invalid_selector")]
    valid_ok = [c["name"] for c in valid if _selector_passes(c, evaluate)]
    invalid_ok = [c["name"] for c in invalid if _selector_passes(c, evaluate)]
    total = len(valid_ok) + len(invalid_ok)
    with capsys.disabled():
        print(
            f"\nCTS selectors, {label}: {total}/{len(cases)} pass "
            f"(valid selectors giving the right nodes {len(valid_ok)}/{len(valid)}, "
            f"invalid selectors rejected {len(invalid_ok)}/{len(invalid)})"
        )
    assert total >= baseline, f"{label} passes fewer CTS cases than before: {total} < {baseline}"
