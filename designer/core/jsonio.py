"""Lossless JSON: numbers keep every digit on the way in and on the way out.

Python's ``json`` keeps integers exact but turns fractions into floats and accepts NaN and
Infinity; both would silently change a merchant's balances. Here fractions parse to
``Decimal``, non-standard constants are reported, duplicate keys are noticed, and Decimals are
written back as JSON numbers with every digit.
"""

from __future__ import annotations

import gc
import json
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

JsonValue = Any  # dict[str, JsonValue] | list[JsonValue] | str | int | Decimal | bool | None


@dataclass
class ParseNotes:
    """Things a strict parser would have objected to, found while parsing leniently."""

    non_standard_constants: list[str] = field(default_factory=list)
    duplicate_keys: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        out: list[str] = []
        if self.non_standard_constants:
            names = ", ".join(sorted(set(self.non_standard_constants)))
            out.append(f"body is non-standard JSON: it contains {names} (treated as no value)")
        if self.duplicate_keys:
            names = ", ".join(repr(k) for k in sorted(set(self.duplicate_keys))[:5])
            out.append(f"body repeats object keys ({names}); the last occurrence is used")
        return out


class NonStandardNumber:
    """Stands in for NaN/Infinity so that no float NaN ever reaches a Customer."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal

    def __repr__(self) -> str:
        return self.literal

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NonStandardNumber) and other.literal == self.literal

    def __hash__(self) -> int:
        return hash(self.literal)


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Parsing allocates millions of containers; the cyclic collector would rescan them all
    # repeatedly for nothing (none of them can form cycles). Pausing it is 2-3x faster.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: The deepest nesting :func:`loads_exact` accepts. Python's parser fails somewhere near 1000
#: levels, minus however deep the caller's stack already is, so without a fixed limit a body could
#: parse in the CLI and fail in the window. 512 is far beyond any real API and leaves every
#: recursive consumer (the JSON writer, jsonpath-ng's ``..``, the tree view) room to work.
MAX_DEPTH = 512
#: The most digits a number may have when written out (Python refuses longer integers by default,
#: and ``1e999999999`` must not expand into a gigabyte of zeros). See :func:`is_writable_number`.
MAX_NUMBER_DIGITS = 4300
_LONG_INTEGER = re.compile(rf"(?<![\w.\"])-?\d{{{MAX_NUMBER_DIGITS + 1},}}")


class JsonLimitError(ValueError):
    """Text that is JSON but beyond what is read safely (too deep, a number with too many digits).

    ``code`` is ``too_deep`` or ``number_too_long``; ``str(error)`` is a sentence for the user.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


#: Duplicate keys are looked for in texts up to this many characters (bytes for ``bytes``); above
#: it, the last occurrence of a key is used without a note. Finding them needs a callback for
#: every object, which makes the parse 2-3x slower (about 16 ms per MB), and a body of customers
#: from a database export repeats no keys. The rule depends on the text alone, so the runtime,
#: the CLI and the window's preview note the same things for the same body. Project files are
#: always checked (``check_duplicates=True``): there a repeated key is an error.
DUPLICATE_CHECK_LIMIT = 1024 * 1024


class ParseHooks:
    """The scanner callbacks of :func:`loads_exact`: they note what a strict parser rejects.

    One implementation for the whole-text parse and the sliced one
    (:mod:`designer.core.json_slices`), so both note the same keys and constants in the same
    order. ``notes`` may be swapped between scanner calls (the sliced parse notes a batch aside
    until it is accepted).
    """

    __slots__ = ("check_duplicates", "notes")

    def __init__(self, notes: ParseNotes, *, check_duplicates: bool) -> None:
        self.notes = notes
        self.check_duplicates = check_duplicates

    def constant(self, literal: str) -> NonStandardNumber:
        self.notes.non_standard_constants.append(literal)
        return NonStandardNumber(literal)

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.notes.duplicate_keys.append(key)
                seen.add(key)
        return result

    def decoder(self) -> json.JSONDecoder:
        """A decoder whose ``scan_once`` parses one value exactly as :func:`loads_exact` does."""
        return json.JSONDecoder(
            parse_float=Decimal,
            parse_constant=self.constant,
            object_pairs_hook=self.pairs if self.check_duplicates else None,
        )


def checks_duplicates(text: str | bytes, limit: int = DUPLICATE_CHECK_LIMIT) -> bool:
    """Whether duplicate keys are looked for in ``text`` (see :data:`DUPLICATE_CHECK_LIMIT`)."""
    return len(text) <= limit


def loads_exact(
    text: str | bytes, notes: ParseNotes | None = None, *, check_duplicates: bool | None = None
) -> JsonValue:
    """Parse JSON with fractions as Decimal; NaN/Infinity become NonStandardNumber.

    Raises ``json.JSONDecodeError`` (with line and column) for malformed input and
    :class:`JsonLimitError` for nesting deeper than :data:`MAX_DEPTH` or an integer longer than
    :data:`MAX_NUMBER_DIGITS` digits; callers turn both into plain-language messages. Duplicate
    keys are noted for texts up to :data:`DUPLICATE_CHECK_LIMIT` unless ``check_duplicates``
    says otherwise. A big text is read by :func:`designer.core.json_slices.iter_loads_exact`
    (the same parse the window runs a slice at a time), which also finds out the depth without
    walking the whole document.
    """
    notes = notes if notes is not None else ParseNotes()
    check = checks_duplicates(text) if check_duplicates is None else check_duplicates
    if check and len(text) <= DUPLICATE_CHECK_LIMIT:
        return translate_limits(text, lambda: _loads_whole(text, notes))
    from designer.core.json_slices import walk_to_end  # noqa: PLC0415  (it builds on this module)

    return walk_to_end(text, notes, check_duplicates=check)


def _loads_whole(text: str | bytes, notes: ParseNotes) -> JsonValue:
    hooks = ParseHooks(notes, check_duplicates=True)
    with _gc_paused():
        value = json.loads(
            text, parse_float=Decimal, parse_constant=hooks.constant, object_pairs_hook=hooks.pairs
        )
    if _container_count(text) > MAX_DEPTH and deeper_than(value, MAX_DEPTH):
        raise too_deep()
    return value


def translate_limits(text: str | bytes, parse: Callable[[], JsonValue]) -> JsonValue:
    """Run ``parse`` with the parser's own limits turned into :class:`JsonLimitError`."""
    try:
        return parse()
    except RecursionError:
        raise too_deep() from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:
        if "digits" not in str(error):  # int()'s limit is the only other ValueError of the scanner
            raise
        raise number_too_long(text) from None


def too_deep() -> JsonLimitError:
    return JsonLimitError(f"nested too deeply (more than {MAX_DEPTH} levels)", code="too_deep")


def number_too_long(text: str | bytes) -> JsonLimitError:
    where = ""
    if isinstance(text, str):
        match = _LONG_INTEGER.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            where = f" (at line {line} column {column})"
    return JsonLimitError(
        f"holds a number with more than {MAX_NUMBER_DIGITS} digits{where}, too long to read exactly",
        code="number_too_long",
    )


def _container_count(text: str | bytes) -> int:
    # An upper bound of the depth, counted at C speed: only text with that many brackets is walked.
    if isinstance(text, bytes):
        return text.count(b"[") + text.count(b"{")
    return text.count("[") + text.count("{")


_CONTAINERS = frozenset({dict, list})


def deeper_than(value: JsonValue, limit: int) -> bool:
    """Whether ``value`` nests more than ``limit`` levels, found level by level (no recursion)."""
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[Any] = []
        for node in level:
            children = node.values() if type(node) is dict else node
            below += [child for child in children if type(child) in _CONTAINERS]
        level = below
    return False


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps_exact(
    value: JsonValue, *, indent: int | None = None, sort_keys: bool = False, ensure_ascii: bool = False
) -> str:
    """Serialise to standard JSON, writing Decimals as numbers with all their digits.

    The text is always encodable as UTF-8: a lone surrogate (which JSON's ``\\ud800`` escape can
    produce on the way in) is written back as that escape instead of a raw character that would
    make saving or printing fail. ``ensure_ascii`` escapes every non-ASCII character, for outputs
    whose encoding is not UTF-8.
    """
    marker = secrets.token_hex(8)
    pattern = re.compile(rf'"{marker}:([^"]*)"')

    def default(obj: object) -> str:
        if isinstance(obj, Decimal):
            if not obj.is_finite():
                raise ValueError(f"{obj} is not a JSON number")
            return f"{marker}:{format_decimal(obj)}"
        if isinstance(obj, NonStandardNumber):
            raise ValueError(f"{obj.literal} is not a JSON number")
        raise TypeError(f"{type(obj).__name__} is not JSON serialisable")

    try:
        text = json.dumps(
            value,
            default=default,
            ensure_ascii=ensure_ascii,
            allow_nan=False,
            indent=indent,
            sort_keys=sort_keys,
            separators=None if indent is not None else (",", ":"),
        )
    except RecursionError:
        # Only for values built in code: parsed documents are at most MAX_DEPTH levels deep.
        raise ValueError("the value is nested too deeply to write as JSON") from None
    text = pattern.sub(lambda m: m.group(1), text)
    # Surrogates occur only inside JSON strings, where the escape means the same code point.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def is_writable_number(value: Decimal) -> bool:
    """Whether ``value`` can be written exactly in plain notation within :data:`MAX_NUMBER_DIGITS`.

    The exponent decides, not the digits given: ``1e999999999`` (11 characters in a body) would be
    a billion digits written out, ``1e-999999999`` likewise after the point. NaN and Infinity are
    never numbers. Digits that were actually sent are always fine.
    """
    return value.is_finite() and -MAX_NUMBER_DIGITS < value.adjusted() < MAX_NUMBER_DIGITS


def format_decimal(value: Decimal) -> str:
    """Plain positional notation (no exponent), so ``1E+3`` reads as ``1000``.

    Raises ValueError for a number :func:`is_writable_number` refuses; the mapping engine never
    lets one reach a Customer.
    """
    if value.is_finite() and not is_writable_number(value):
        raise ValueError(f"{value} has too many digits to write out (more than {MAX_NUMBER_DIGITS})")
    text = format(value, "f")
    return text


def number_to_text(value: int | Decimal) -> str:
    """The exact decimal text of a JSON number, for ids: 12345678901234567890, never 1.23e19."""
    if isinstance(value, int):
        return str(value)
    return format_decimal(value)
