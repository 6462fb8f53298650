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
from collections.abc import Iterator
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


def loads_exact(text: str | bytes, notes: ParseNotes | None = None) -> JsonValue:
    """Parse JSON with fractions as Decimal; NaN/Infinity become NonStandardNumber.

    Raises ``json.JSONDecodeError`` (with line and column) for malformed input and
    ``RecursionError`` for absurd nesting; callers turn both into plain-language messages.
    """
    notes = notes if notes is not None else ParseNotes()

    def on_constant(literal: str) -> NonStandardNumber:
        notes.non_standard_constants.append(literal)
        return NonStandardNumber(literal)

    def on_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    notes.duplicate_keys.append(key)
                seen.add(key)
        return result

    with _gc_paused():
        return json.loads(text, parse_float=Decimal, parse_constant=on_constant, object_pairs_hook=on_pairs)


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

    text = json.dumps(
        value,
        default=default,
        ensure_ascii=ensure_ascii,
        allow_nan=False,
        indent=indent,
        sort_keys=sort_keys,
        separators=None if indent is not None else (",", ":"),
    )
    text = pattern.sub(lambda m: m.group(1), text)
    # Surrogates occur only inside JSON strings, where the escape means the same code point.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def format_decimal(value: Decimal) -> str:
    """Plain positional notation (no exponent), so ``1E+3`` reads as ``1000``."""
    text = format(value, "f")
    return text


def number_to_text(value: int | Decimal) -> str:
    """The exact decimal text of a JSON number, for ids: 12345678901234567890, never 1.23e19."""
    if isinstance(value, int):
        return str(value)
    return format_decimal(value)
