"""A small OData v4 ``$filter`` parser and evaluator, enough for the ERP imitation.

Supports comparisons (``eq ne gt ge lt le``), ``and``/``or``/``not``, parentheses, string
literals with ``''`` as the escaped quote, numbers, ``true``/``false``/``null`` and the string
functions ``contains``, ``startswith`` and ``endswith``. String comparison is ordinal, i.e.
case- and accent-sensitive, as the OData specification defines it. Errors carry the messages of
Microsoft's OData library, which Business Central passes through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Record = Mapping[str, Any]
Predicate = Callable[[Record], Any]

_TOKEN = re.compile(
    r"\s+|(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),])"
)
_COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
_STRING_FUNCTIONS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda a, b: b in a,
    "startswith": str.startswith,
    "endswith": str.endswith,
}
#: Standard OData functions that this ERP does not implement (Business Central rejects them).
_UNSUPPORTED = {"tolower", "toupper", "trim", "length", "indexof", "substring", "concat", "matchespattern"}


class ODataError(ValueError):
    """A filter the server refuses; the message is what the server says."""


@dataclass
class _Tok:
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ODataError(f"Syntax error at position {pos} in '{text}'.")
        kind = match.lastgroup
        if kind is not None:
            tokens.append(_Tok(kind, match.group(), pos))
        pos = match.end()
    tokens.append(_Tok("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str, properties: Mapping[str, type]) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.properties = properties

    def _peek(self) -> _Tok:
        return self.tokens[self.index]

    def _next(self) -> _Tok:
        tok = self.tokens[self.index]
        self.index += 1
        return tok

    def _syntax_error(self, tok: _Tok) -> ODataError:
        return ODataError(f"Syntax error at position {tok.pos} in '{self.text}'.")

    def _expect(self, text: str) -> None:
        tok = self._next()
        if tok.text != text:
            raise self._syntax_error(tok)

    def parse(self) -> Predicate:
        expr = self._or()
        if self._peek().kind != "end":
            raise self._syntax_error(self._peek())
        return expr

    def _or(self) -> Predicate:
        left = self._and()
        while self._peek().text == "or":
            self._next()
            right, first = self._and(), left
            left = _either(first, right)
        return left

    def _and(self) -> Predicate:
        left = self._not()
        while self._peek().text == "and":
            self._next()
            right, first = self._not(), left
            left = _both(first, right)
        return left

    def _not(self) -> Predicate:
        if self._peek().text == "not":
            self._next()
            inner = self._not()
            return lambda r: not inner(r)
        return self._comparison()

    def _comparison(self) -> Predicate:
        left = self._operand()
        if self._peek().text in _COMPARISONS:
            op = self._next().text
            right = self._operand()
            return lambda r: _compare(op, left(r), right(r))
        return left

    def _operand(self) -> Predicate:
        tok = self._next()
        if tok.text == "(":
            inner = self._or()
            self._expect(")")
            return inner
        if tok.kind == "str":
            value = tok.text[1:-1].replace("''", "'")
            return lambda r: value
        if tok.kind == "num":
            number = Decimal(tok.text)
            return lambda r: number
        if tok.kind == "name":
            if self._peek().text == "(":
                return self._function(tok)
            if tok.text in ("true", "false", "null"):
                constant = {"true": True, "false": False, "null": None}[tok.text]
                return lambda r: constant
            if tok.text not in self.properties:
                raise ODataError(
                    f"Could not find a property named '{tok.text}' on type 'Microsoft.NAV.customer'."
                )
            name = tok.text
            return lambda r: r.get(name)
        raise self._syntax_error(tok)

    def _function(self, tok: _Tok) -> Predicate:
        name = tok.text
        if name in _UNSUPPORTED:
            raise ODataError(f"The function '{name}' is not supported.")
        if name not in _STRING_FUNCTIONS:
            raise ODataError(f"An unknown function with name '{name}' was found.")
        self._expect("(")
        first = self._or()
        self._expect(",")
        second = self._or()
        self._expect(")")
        func = _STRING_FUNCTIONS[name]

        def call(record: Record) -> bool:
            a, b = first(record), second(record)
            if not isinstance(a, str) or not isinstance(b, str):
                return False
            return bool(func(a, b))

        return call


def _either(a: Predicate, b: Predicate) -> Predicate:
    return lambda r: bool(a(r)) or bool(b(r))


def _both(a: Predicate, b: Predicate) -> Predicate:
    return lambda r: bool(a(r)) and bool(b(r))


def _compare(op: str, a: Any, b: Any) -> bool:
    if op == "eq":
        return bool(a == b)
    if op == "ne":
        return bool(a != b)
    if a is None or b is None or isinstance(a, str) != isinstance(b, str):
        return False
    if op == "gt":
        return bool(a > b)
    if op == "ge":
        return bool(a >= b)
    if op == "lt":
        return bool(a < b)
    return bool(a <= b)


def compile_filter(text: str, properties: Mapping[str, type]) -> Predicate:
    """Parse a ``$filter`` value; raises :class:`ODataError` with the server's message."""
    return _Parser(text, properties).parse()
