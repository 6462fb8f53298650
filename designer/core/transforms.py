"""The named value transforms a field mapping can apply, as pure functions.

Values are JSON values as :func:`designer.core.jsonio.loads_exact` produces them (str, int,
Decimal, bool, None, dict, list, NonStandardNumber). Numbers are never floats: ``parse_number``
returns an exact ``Decimal`` so a balance of ``1.234,50`` stays 1234.50 to the last digit.
A value a transform cannot handle raises :class:`TransformError` with a sentence for the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from designer.core.jsonio import MAX_NUMBER_DIGITS, NonStandardNumber, format_decimal, is_writable_number

__all__ = [
    "TRANSFORM_NAMES",
    "TransformError",
    "apply_transform",
    "first_non_empty",
    "is_empty",
    "lower",
    "parse_number",
    "show",
    "to_string",
    "trim",
    "upper",
]

DecimalSeparator = Literal["auto", "comma", "point"]
TRANSFORM_NAMES: tuple[str, ...] = ("trim", "upper", "lower", "to_string", "parse_number", "first_non_empty")


_SURROGATE = re.compile("[\ud800-\udfff]")


class TransformError(ValueError):
    """A value that a transform cannot convert; ``str(error)`` is the message for the user."""


def show(value: Any, limit: int = 40) -> str:
    """A short rendering of a value for messages: ``"abc"``, ``12.50``, ``an object``."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        # A lone surrogate is written as its escape: a message must always be printable.
        return '"' + _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, NonStandardNumber):
        return value.literal
    if isinstance(value, Decimal):
        # Scientific notation for a number too long to write out: 1E+999999999, not a billion zeros.
        return format_decimal(value) if not value.is_finite() or is_writable_number(value) else str(value)
    if isinstance(value, int) and not -_LARGEST_INT <= value <= _LARGEST_INT:
        return f"a number with more than {MAX_NUMBER_DIGITS} digits"
    return str(value)


def is_empty(value: Any) -> bool:
    """Nothing worth showing: null, an empty or blank string, an empty list or object."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not value
    return False


def trim(value: Any) -> Any:
    """Strip surrounding whitespace from text; other values pass unchanged."""
    return value.strip() if isinstance(value, str) else value


def upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def to_string(value: Any) -> Any:
    """Text for a JSON value: numbers in exact decimal notation, booleans as true/false.

    ``12345678901234567891`` stays ``"12345678901234567891"`` (H019); null stays null (nothing
    found); objects and lists are not values and are refused.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -_LARGEST_INT <= value <= _LARGEST_INT:
            raise TransformError(_too_many_digits())
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TransformError(f"{value} is not a number")
        if not is_writable_number(value):
            raise TransformError(_too_many_digits())
        return format_decimal(value)
    if isinstance(value, NonStandardNumber):
        raise TransformError(f"{value.literal} is not a number (non-standard JSON)")
    raise TransformError(
        f"{show(value)} is {'an object' if isinstance(value, dict) else 'a list'}, expected a value"
    )


_LARGEST_INT = 10**MAX_NUMBER_DIGITS - 1


def _too_many_digits() -> str:
    return f"the number has more than {MAX_NUMBER_DIGITS} digits written out; it cannot be used exactly"


_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _grouped(text: str, group: str, decimal: str) -> Decimal | None:
    """Read ``text`` with ``group`` as thousands separator (groups of three) and ``decimal``."""
    pattern = (
        rf"([+-]?)(\d{{1,3}}(?:{re.escape(group)}\d{{3}})+|\d+)"
        rf"(?:{re.escape(decimal)}(\d+))?"
    )
    match = re.fullmatch(pattern, text)
    if not match:
        return None
    sign, whole, fraction = match.groups()
    digits = whole.replace(group, "") + ("." + fraction if fraction else "")
    return Decimal(sign + digits)


def _auto_separator(text: str) -> tuple[str, str]:
    """(grouping, decimal) characters: the last of '.'/',' is the decimal separator unless it
    occurs more than once (then it groups thousands)."""
    last = max(text.rfind("."), text.rfind(","))
    if last < 0:
        return ",", "."
    char = text[last]
    other = "," if char == "." else "."
    if text.count(char) > 1:
        return char, other
    return other, char


#: One separator followed by exactly three digits: ``1,234`` is 1234 or 1.234, nothing tells which.
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}([.,])\d{3}")


def _refuse_ambiguous(value: str, text: str) -> None:
    """``auto`` does not guess between a thousands separator and a decimal one.

    Read as the wrong one, ``1.234`` is off by a factor of a thousand, and in a balance that is
    worse than no balance: the field is left out with this reason, and one setting fixes it.
    """
    match = _AMBIGUOUS.fullmatch(text)
    if match is None:
        return
    mark = match.group(1)
    whole, fraction = text.replace(mark, ""), text.replace(mark, ".")
    kind = "comma" if mark == "," else "point"
    raise TransformError(
        f"{show(value)} is an ambiguous number: {whole} with {mark!r} grouping thousands, or "
        f"{fraction} with a decimal {kind}; set the decimal separator of parse_number (comma or point)"
    )


def _exact_number(number: Decimal) -> Decimal:
    if not number.is_finite():
        raise TransformError(f"{number} is not a number")
    if not is_writable_number(number):
        raise TransformError(_too_many_digits())
    return number


def parse_number(value: Any, decimal_separator: DecimalSeparator = "auto") -> Any:
    """An exact Decimal from a number or numeric text.

    ``comma`` reads ``1.234,50`` (``.`` or a space groups thousands); ``point`` reads
    ``1,234.50``; ``auto`` takes the last separator as the decimal one unless it appears more
    than once, so ``1.234,50`` and ``1,234.50`` both give 1234.50 and ``1,5`` gives 1.5. What
    ``auto`` cannot tell (``1,234``: one separator before three digits) is refused, not guessed.
    Grouping must be in threes, so ``12.50`` read with a decimal comma is refused rather than
    taken as 1250. Null passes through (nothing found).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise TransformError(f"{show(value)} is a boolean, not a number")
    if isinstance(value, int | Decimal):
        return _exact_number(Decimal(value))
    if isinstance(value, NonStandardNumber):
        raise TransformError(f"{value.literal} is not a number (non-standard JSON)")
    if not isinstance(value, str):
        raise TransformError(f"{show(value)} is not a number")
    text = _SPACES.sub("", value.strip())
    if not text:
        return None
    if decimal_separator == "auto":
        _refuse_ambiguous(value, text)
        group, decimal = _auto_separator(text)
    elif decimal_separator == "comma":
        group, decimal = ".", ","
    else:
        group, decimal = ",", "."
    result = _grouped(text, group, decimal)
    if result is None and decimal == "." and _PLAIN.fullmatch(text):
        try:
            result = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern only admits valid numbers
            result = None
    if result is None:
        hint = {"comma": " with a decimal comma", "point": " with a decimal point"}.get(decimal_separator, "")
        raise TransformError(f"{show(value)} is not a number{hint}")
    if not is_writable_number(result):
        raise TransformError(f"{show(value)}: {_too_many_digits()}")
    return result


def first_non_empty(values: Sequence[Any]) -> list[Any]:
    """The first value that is not empty (see :func:`is_empty`), as a list of at most one."""
    for value in values:
        if not is_empty(value):
            return [value]
    return []


_SIMPLE: dict[str, Callable[[Any], Any]] = {
    "trim": trim,
    "upper": upper,
    "lower": lower,
    "to_string": to_string,
}


def apply_transform(name: str, values: list[Any], decimal_separator: DecimalSeparator = "auto") -> list[Any]:
    """Apply one named transform to every value found by one path.

    ``first_non_empty`` reduces the values to the first non-empty one; the others work on each
    value. Unknown names raise TransformError (the config model already restricts them).
    """
    if name == "first_non_empty":
        return first_non_empty(values)
    if name == "parse_number":
        return [parse_number(v, decimal_separator) for v in values]
    func = _SIMPLE.get(name)
    if func is None:
        raise TransformError(f"unknown transform {name!r}; known: {', '.join(TRANSFORM_NAMES)}")
    return [func(v) for v in values]
