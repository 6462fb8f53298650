"""Named transforms: pure, exact (Decimal, never float), with readable refusals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from designer.core.jsonio import NonStandardNumber
from designer.core.transforms import (
    TRANSFORM_NAMES,
    TransformError,
    apply_transform,
    first_non_empty,
    lower,
    parse_number,
    to_string,
    trim,
    upper,
)


def test_names_match_the_config_contract() -> None:
    from typing import get_args

    from designer.core.config import Transform

    assert set(get_args(Transform.model_fields["name"].annotation)) == set(TRANSFORM_NAMES)


def test_text_transforms() -> None:
    assert trim("  Ada Jensen \n") == "Ada Jensen"
    assert upper("dk") == "DK"
    assert lower("ADA@EXAMPLE.COM") == "ada@example.com"
    assert upper("æøå") == "ÆØÅ"
    for func in (trim, upper, lower):
        assert func(None) is None
        assert func(1001) == 1001


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1001, "1001"),
        (12345678901234567891, "12345678901234567891"),
        (Decimal("1234.50"), "1234.50"),
        (Decimal("1E+3"), "1000"),
        (True, "true"),
        (False, "false"),
        ("x", "x"),
        (None, None),
    ],
)
def test_to_string(value: Any, text: str | None) -> None:
    assert to_string(value) == text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"a": 1}, "an object is an object, expected a value"),
        ([1], "a list is a list, expected a value"),
        (NonStandardNumber("NaN"), "NaN is not a number"),
    ],
)
def test_to_string_refuses(value: Any, message: str) -> None:
    with pytest.raises(TransformError, match=message):
        to_string(value)


@pytest.mark.parametrize(
    ("text", "separator", "expected"),
    [
        ("1.234,50", "comma", "1234.50"),
        ("1.234,50", "auto", "1234.50"),
        ("1,234.50", "point", "1234.50"),
        ("1,234.50", "auto", "1234.50"),
        ("1 234,50", "comma", "1234.50"),
        ("1\u00a0234,50", "auto", "1234.50"),
        ("-12,5", "comma", "-12.5"),
        ("+7", "auto", "7"),
        ("12.50", "point", "12.50"),
        ("12.50", "auto", "12.50"),
        ("12,50", "auto", "12.50"),
        ("1,234,567", "auto", "1234567"),
        ("1.234.567", "auto", "1234567"),
        ("1.234.567,891", "comma", "1234567.891"),
        ("0.1000000000000000055511151231257827", "point", "0.1000000000000000055511151231257827"),
        ("1e3", "point", "1E+3"),
        ("  42  ", "auto", "42"),
    ],
)
def test_parse_number_is_exact(text: str, separator: Any, expected: str) -> None:
    result = parse_number(text, separator)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "separator", "message"),
    [
        ("abc", "auto", '"abc" is not a number'),
        ("12.50", "comma", '"12.50" is not a number with a decimal comma'),
        ("1,2,3.4", "point", "is not a number with a decimal point"),
        ("NaN", "auto", '"NaN" is not a number'),
        ("Infinity", "point", "is not a number"),
        ("1.2.3,4.5", "auto", "is not a number"),
        (True, "auto", "is a boolean, not a number"),
        ({"x": 1}, "auto", "an object is not a number"),
        (NonStandardNumber("NaN"), "auto", "NaN is not a number"),
        (Decimal("NaN"), "auto", "NaN is not a number"),
    ],
)
def test_parse_number_refuses_with_a_message(value: Any, separator: Any, message: str) -> None:
    with pytest.raises(TransformError, match=message.replace(".", r"\.").replace("(", r"\(")):
        parse_number(value, separator)


def test_parse_number_passes_numbers_and_null() -> None:
    assert parse_number(1001) == Decimal(1001)
    assert parse_number(Decimal("0.10")) == Decimal("0.10")
    assert parse_number(None) is None
    assert parse_number("  ") is None


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**12), max_value=10**12))
def test_hypothesis_parse_number_round_trips_formatted_amounts(amount: Decimal) -> None:
    point = f"{amount:,.2f}"  # 1,234.50
    comma = point.replace(",", "_").replace(".", ",").replace("_", ".")  # 1.234,50
    assert parse_number(point, "point") == amount
    assert parse_number(comma, "comma") == amount
    assert parse_number(point, "auto") == amount
    assert parse_number(comma, "auto") == amount
    assert not isinstance(parse_number(point, "point"), float)


def test_first_non_empty() -> None:
    assert first_non_empty([None, "", "  ", [], {}, "x", "y"]) == ["x"]
    assert first_non_empty([None, ""]) == []
    assert first_non_empty([0, "x"]) == [0]
    assert first_non_empty([False]) == [False]


def test_apply_transform() -> None:
    assert apply_transform("trim", [" a ", None]) == ["a", None]
    assert apply_transform("first_non_empty", ["", "b", "c"]) == ["b"]
    assert apply_transform("parse_number", ["1.234,50"], "comma") == [Decimal("1234.50")]
    with pytest.raises(TransformError, match="unknown transform"):
        apply_transform("reverse", ["x"])
