"""The sliced parse (json_slices) gives exactly what loads_exact gives, on any input.

Compared on value (with exact types and key order), notes (in order) and errors (class,
message, position, line and column; limit errors by code and text). The reference is written
here from the standard library alone, so the tests do not compare the code with itself. Tiny
tunings make short texts take every path: walking, batches, failed batches, depth checks.
"""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from designer.core.cooperative import run_steps, run_to_end
from designer.core.decode import decode_body, decode_body_async
from designer.core.json_slices import WalkTuning, iter_loads_exact
from designer.core.jsonio import (
    DUPLICATE_CHECK_LIMIT,
    MAX_DEPTH,
    JsonLimitError,
    NonStandardNumber,
    ParseNotes,
    loads_exact,
)

TINY = (
    WalkTuning(slice_chars=1, batch_chars=1, small_child=1_000_000, walk_depth=8, small_members=1),
    WalkTuning(slice_chars=1, batch_chars=8, small_child=40, large_child=80, walk_depth=3),
    WalkTuning(
        slice_chars=7, batch_chars=3, max_batch_chars=12, small_child=10, walk_depth=2, small_members=2
    ),
    WalkTuning(slice_chars=1, walk_depth=1),
    WalkTuning(slice_chars=1, batch_chars=2, small_child=4, walk_depth=8, duplicate_check_limit=0),
)


# ----------------------------------------------------------------------------- the reference


def _reference(text: str | bytes, *, check_duplicates: bool) -> tuple[Any, ParseNotes]:
    """json.loads with Decimal fractions, noted constants/duplicates, and the depth limit."""
    notes = ParseNotes()

    def constant(literal: str) -> NonStandardNumber:
        notes.non_standard_constants.append(literal)
        return NonStandardNumber(literal)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                notes.duplicate_keys.append(key)
            seen.add(key)
        return dict(items)

    try:
        value = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=constant,
            object_pairs_hook=pairs if check_duplicates else None,
        )
    except RecursionError:
        raise JsonLimitError("too deep", code="too_deep") from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:
        if "digits" in str(error):
            raise JsonLimitError("number too long", code="number_too_long") from None
        raise
    if _depth(value) > MAX_DEPTH:
        raise JsonLimitError("too deep", code="too_deep")
    return ("ok", _canon(value)), notes


def _depth(value: Any) -> int:
    """Levels of containers (a scalar is 0, ``[]`` is 1), counted level by level."""
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        children = (c for v in level for c in (v.values() if isinstance(v, dict) else v))
        level = [c for c in children if isinstance(c, dict | list)]
    return depth


def _canon(value: Any) -> Any:
    """The value with its exact types and key order (1, 1.0, True and Decimal('1.00') differ)."""
    if isinstance(value, dict):
        return ("object", tuple((k, _canon(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_canon(v) for v in value))
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    return (type(value).__name__, repr(value))


def _outcome(parse: Any) -> tuple[Any, ...]:
    try:
        result, notes = parse()
    except json.JSONDecodeError as error:
        return ("error", error.msg, error.pos, error.lineno, error.colno)
    except JsonLimitError as error:
        return ("limit", error.code)
    except (ValueError, RecursionError) as error:  # a UnicodeDecodeError of a bytes input
        return ("other", type(error).__name__, str(error))
    return (*result, notes.non_standard_constants, notes.duplicate_keys)


def _expected(text: str | bytes, check: bool) -> tuple[Any, ...]:
    return _outcome(lambda: _reference(text, check_duplicates=check))


def _sliced(text: str | bytes, tuning: WalkTuning, *, check: bool | None = None) -> tuple[Any, ...]:
    def parse() -> tuple[Any, ParseNotes]:
        notes = ParseNotes()
        value = run_to_end(iter_loads_exact(text, notes, check_duplicates=check, tuning=tuning))
        return ("ok", _canon(value)), notes

    return _outcome(parse)


def _exact(text: str | bytes) -> tuple[Any, ...]:
    def parse() -> tuple[Any, ParseNotes]:
        notes = ParseNotes()
        return ("ok", _canon(loads_exact(text, notes))), notes

    return _outcome(parse)


def _assert_same_everywhere(text: str | bytes) -> None:
    assert _exact(text) == _expected(text, check=len(text) <= DUPLICATE_CHECK_LIMIT)
    for tuning in TINY:
        check = tuning.duplicate_check_limit >= len(text)
        assert _sliced(text, tuning) == _expected(text, check), tuning


def synthetic_records_text(count: int) -> str:
    """A merchant's answer of ``count`` customers (~300 bytes each), compact as APIs send it."""
    records = []
    for i in range(count):
        records.append(
            f'{{"customerNo":{9_007_199_254_740_993 + i},"first_name":"Åse","last_name":"Ærø {i}",'
            f'"phone numbers":["+45 {20_000_000 + i}"],"addresses":[{{"default":false,"street":"Vej {i}",'
            f'"zip":8000,"country":"DK"}},{{"default":true,"street":"Gade {i}","zip":8000,"country":"DK"}}],'
            f'"account":{{"id":"GC-{i:07d}","balance":{i}.{i % 100:02d}}},"note":null}}'
        )
    return '{"customers":[' + ",".join(records) + "]}"


# ----------------------------------------------------------------------------- generated texts

_keys = st.sampled_from(["id", "name", "a b", "é", 'k"q', "", "customerNo", "\\u00e9", "x"])
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.text(alphabet=st.sampled_from('ab ,:[]{}"\\/\u00e9\u2028\n'), max_size=8),
    st.sampled_from(["NaN", "Infinity", "-Infinity"]).map(lambda c: ("__constant__", c)),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.lists(st.tuples(_keys, inner), max_size=5).map(lambda pairs: ("__object__", pairs)),
    ),
    max_leaves=40,
)
_separators = st.sampled_from([(",", ":"), (", ", ": "), (",\n  ", " :\t"), ("\r\n,", ":\n")])


def _write(value: Any, separators: tuple[str, str]) -> str:
    """JSON text for a generated value; objects may repeat keys, constants are unquoted."""
    item, colon = separators
    if isinstance(value, tuple) and value[0] == "__constant__":
        return str(value[1])
    if isinstance(value, tuple) and value[0] == "__object__":
        members = [json.dumps(k) + colon + _write(v, separators) for k, v in value[1]]
        return "{" + item.join(members) + "}"
    if isinstance(value, list):
        return "[" + item.join(_write(v, separators) for v in value) + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


_texts = st.builds(_write, _values, _separators)


@given(_texts)
def test_any_json_text_parses_exactly_as_loads_exact(text: str) -> None:
    _assert_same_everywhere(text)


@given(_texts, st.data())
def test_any_damaged_text_fails_with_the_same_error(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(text)))
    kind = data.draw(st.sampled_from(["cut", "insert", "delete", "replace"]))
    char = data.draw(st.sampled_from(list('[]{},:"\\ 0-.etn\x01')))
    if kind == "cut":
        damaged = text[:position]
    elif kind == "insert":
        damaged = text[:position] + char + text[position:]
    elif kind == "delete":
        damaged = text[:position] + text[position + 1 :]
    else:
        damaged = text[:position] + char + text[position + 1 :]
    _assert_same_everywhere(damaged)


@given(st.lists(_values, min_size=1, max_size=30), _separators, st.data())
def test_arrays_of_records_batch_and_still_parse_exactly(
    records: list[Any], separators: tuple[str, str], data: st.DataObject
) -> None:
    """The shape batches are made for: a wrapper object around an array of similar elements."""
    body = '{"meta":{"n":1},"customers":[' + separators[0].join(_write(r, separators) for r in records) + "]}"
    _assert_same_everywhere(body)
    cut = data.draw(st.integers(min_value=0, max_value=len(body)))
    _assert_same_everywhere(body[:cut] + body[cut + 1 :])


# ----------------------------------------------------------------------------- chosen texts

SYNTHETIC = synthetic_records_text(40)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "[]",
        "{}",
        " [ ] ",
        '{"a":1}x',
        "[1,]",
        '{"a":1,}',
        '{"a" 1}',
        '{"a":}',
        "[1 2]",
        '["a\\x"]',
        '["\x01"]',
        '["unterminated',
        "[NaN, -Infinity, Infinity]",
        "[-Inf]",
        "[1e, 2]",
        "[01]",
        '{"a":1,"a":2,"b":{"a":3,"a":4}}',
        '[{"a":1,"a":2},{"a":1,"a":2},{"b":[{"c":1,"c":2}]}]',
        '{"\\ud800": "\\udfff"}',
        "\ufeff[1]",
        "[" * 3 + "]" * 3,
        "[" + "9" * 4301 + "]",
        '{"customers":[{"n":1},{"n":' + "9" * 4400 + "}]}",
        SYNTHETIC,
        SYNTHETIC[:-3],
        SYNTHETIC.replace('"zip":', '"zip"', 1),
        SYNTHETIC.replace("},{", "} {", 7),
    ],
)
def test_chosen_texts_parse_exactly_as_loads_exact(text: str) -> None:
    _assert_same_everywhere(text)


@pytest.mark.parametrize(
    "depth, tail",
    [(MAX_DEPTH, ""), (MAX_DEPTH + 1, ""), (MAX_DEPTH + 1, ","), (700, "x"), (4000, ""), (4000, ",")],
)
def test_depth_limit_is_the_same(depth: int, tail: str) -> None:
    """Exactly MAX_DEPTH levels parse; one more is too deep; far deeper fails the same way."""
    for opener, closer in (("[", "]"), ('{"k":', "}")):
        text = '{"customers":[' + opener * depth + "1" + tail + closer * depth + "]}"
        _assert_same_everywhere(text)
    deep_record = '{"customers":[' + ",".join(['{"id":1}'] * 50 + ["[" * depth + "]" * depth]) + "]}"
    _assert_same_everywhere(deep_record)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32"])
def test_bytes_are_read_as_json_loads_reads_them(encoding: str) -> None:
    text = '{"customers":[{"name":"Åse Ærø","n":1.50},{"name":"Bo","n":NaN}]}'
    _assert_same_everywhere(text.encode(encoding))
    _assert_same_everywhere(b'{"a": "\xff"}')


def test_a_big_text_is_parsed_in_many_slices_with_the_same_result() -> None:
    text = synthetic_records_text(4000)  # about 1.4 MB: above the duplicate-check limit
    assert len(text) > DUPLICATE_CHECK_LIMIT
    steps = iter_loads_exact(text)
    slices = 0
    while True:
        try:
            next(steps)
        except StopIteration as done:
            value = done.value
            break
        slices += 1
    assert slices >= len(text) // (256 * 1024)
    assert _canon(value) == _expected(text, check=False)[1]
    assert _exact(text) == _expected(text, check=False)


def test_big_texts_note_no_duplicates_unless_asked() -> None:
    """The documented rule: above DUPLICATE_CHECK_LIMIT only an explicit check notes repeats."""
    text = '{"a":1,"a":2,"customers":[' + ",".join(['{"id":1,"id":2}'] * 80_000) + "]}"
    assert len(text) > DUPLICATE_CHECK_LIMIT
    quiet = ParseNotes()
    assert loads_exact(text, quiet)["a"] == 2
    assert quiet.duplicate_keys == []
    checked = ParseNotes()
    loads_exact(text, checked, check_duplicates=True)
    assert sorted(set(checked.duplicate_keys)) == ["a", "id"]
    assert len(checked.duplicate_keys) == 80_001
    small = ParseNotes()
    loads_exact('{"a":1,"a":2}', small)
    assert small.duplicate_keys == ["a"]


# ----------------------------------------------------------------------------- the body decoder


_BODIES = [
    (synthetic_records_text(3000).encode(), "application/json"),
    (synthetic_records_text(3000).encode("utf-16"), "application/json"),
    (synthetic_records_text(3000).encode("latin-1"), "application/json; charset=ISO-8859-1"),
    (b"\n\n" + synthetic_records_text(3000).encode() + b"\n", "text/html"),
    (synthetic_records_text(3000).encode()[:-2], "application/json"),
    (synthetic_records_text(3000).encode().replace(b"Ada", b"\xffda", 1), "application/json"),
    (synthetic_records_text(3000).encode(), "application/json; charset=bogus"),
    (b")]}',\n" + synthetic_records_text(3000).encode(), "application/json"),
    (b"<html><title>Sign in</title>" + b" " * 300_000, "text/html"),
    (b" " * 300_000, "application/json"),
]


@pytest.mark.parametrize("body, content_type", _BODIES)
@pytest.mark.parametrize("strip_prefix", [None, ")]}',"])
def test_the_async_decoder_decodes_exactly_as_decode_body(
    body: bytes, content_type: str, strip_prefix: str | None
) -> None:
    expected = decode_body(body, content_type, strip_prefix)
    turns = 0

    async def decode() -> Any:
        nonlocal turns
        task = asyncio.ensure_future(decode_body_async(body, content_type, strip_prefix, turn_seconds=0))
        while not task.done():
            turns += 1
            await asyncio.sleep(0)
        return task.result()

    got = asyncio.run(decode())
    assert _canon(got.document) == _canon(expected.document)
    assert (got.text, got.charset, got.mime, got.notes) == (
        expected.text,
        expected.charset,
        expected.mime,
        expected.notes,
    )
    assert (got.detected_prefix, got.stripped_prefix) == (expected.detected_prefix, expected.stripped_prefix)
    assert (type(got.error), got.error and got.error.message, got.error and got.error.code) == (
        type(expected.error),
        expected.error and expected.error.message,
        expected.error and expected.error.code,
    )
    if expected.error is None or expected.error.code == "json":
        assert turns > 1  # the loop ran while the body was parsed


def test_cancelling_the_awaiting_task_stops_the_parse() -> None:
    text = synthetic_records_text(3000)
    closed: list[bool] = []

    def steps() -> Any:
        try:
            return (yield from iter_loads_exact(text))
        finally:
            closed.append(True)

    async def cancel_soon() -> None:
        task = asyncio.ensure_future(run_steps(steps(), turn_seconds=0))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_soon())
    assert closed == [True]
