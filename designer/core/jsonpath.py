"""JSONPath for the designer and the runtime: one parser, compiled once, never raising on data.

Both sides parse with jsonpath-ng's *extended* parser (filters need it, pitfall H008), so a path
the designer accepts is a path the runtime runs the same way. Parsed paths are cached and, where
the path is simple, evaluated by plain dict/list access (:mod:`designer.core.jsonpath_compile`).

Quoted names accept the string escapes of RFC 9535 (``\\n``, ``\\t``, ``\\u00e6``...): jsonpath-ng
alone reads ``'\\n'`` as the letter ``n``, so they are decoded before parsing. That keeps the
paths this module writes (:func:`normalized_path`) in exact RFC 9535 normalized form.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonpath_ng.ext.parser import parse as _ext_parse
from jsonpath_ng.jsonpath import Child, JSONPath, Wildcard

from designer.core.errors import ConfigError
from designer.core.jsonpath_compile import (
    Location,
    NotNative,
    compile_locate,
    compile_values,
    datum_location,
    singular_keys,
)

__all__ = [
    "CompiledPath",
    "Location",
    "PathError",
    "RecordNodes",
    "RecordsCandidate",
    "Suggestion",
    "compile_path",
    "describe_type",
    "find_records",
    "normalized_path",
    "path_problem",
    "record_path_candidates",
    "suggest_mapping",
]


class PathError(ConfigError):
    """A JSONPath that does not parse. ``position`` is the 0-based offset when known."""

    code = "path"

    def __init__(self, message: str, *, expression: str, position: int | None = None) -> None:
        super().__init__(message)
        self.expression = expression
        self.position = position


# ----------------------------------------------------------------------------- parsing

_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "/": "/"}
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")


def _decode_escape(expr: str, i: int, quote: str) -> tuple[str, int]:
    """Rewrite the escape at ``expr[i]`` (a backslash) into what jsonpath-ng's lexer reads.

    jsonpath-ng keeps any character after a backslash literally and accepts raw characters
    inside quotes, so an RFC escape becomes its raw character, except a quote or a backslash,
    which stay escaped.
    """
    nxt = expr[i + 1] if i + 1 < len(expr) else ""
    if nxt in _ESCAPES:
        return _ESCAPES[nxt], i + 2
    if nxt == "u" and _HEX4.fullmatch(expr, i + 2, i + 6):
        code = int(expr[i + 2 : i + 6], 16)
        end = i + 6
        low = expr[i + 8 : i + 12] if expr.startswith("\\u", end) else ""
        if 0xD800 <= code < 0xDC00 and _HEX4.fullmatch(low) and 0xDC00 <= int(low, 16) < 0xE000:
            code = 0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00)
            end += 6
        char = chr(code)
        return ("\\" + char if char in (quote, "\\") else char), end
    return expr[i : i + 2], i + 2


def _decode_rfc_escapes(expr: str) -> str:
    """Decode RFC 9535 escapes inside quoted names; the rest of the text is left as it is."""
    if "\\" not in expr:
        return expr
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(expr):
        char = expr[i]
        if quote:
            if char == "\\":
                text, i = _decode_escape(expr, i, quote) if quote != "`" else (expr[i : i + 2], i + 2)
                out.append(text)
                continue
            if char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
        out.append(char)
        i += 1
    return "".join(out)


_POSITION = re.compile(r"(?:line (\d+), col (\d+)|at (\d+):(\d+))")
_UNEXPECTED_CHAR = re.compile(r"Unexpected character: (.)")
_NEAR_TOKEN = re.compile(r"near token (.*) \((.+)\)$")


def _explain(expr: str, error: Exception) -> PathError:
    raw = str(error).strip()
    position: int | None = None
    match = _POSITION.search(raw)
    if match:
        line = int(match.group(1) or match.group(3))
        col = int(match.group(2) or match.group(4))
        lines = expr.split("\n")
        position = sum(len(text) + 1 for text in lines[: line - 1]) + col
    where = f" at position {position + 1}" if position is not None else ""
    char = _UNEXPECTED_CHAR.search(raw)
    token = _NEAR_TOKEN.search(raw)
    if char:
        message = f"unexpected character {char.group(1)!r}{where}"
        if not char.group(1).isascii() and char.group(1).isalnum():
            message += "; names with letters other than a-z must be quoted, e.g. $['Bopæl']"
    elif "end of string" in raw or "Unexpected EOF" in raw:
        message = "the path ends too early (an unclosed bracket, quote or filter?)"
    elif token:
        message = f"unexpected {token.group(1)!r}{where}"
        if token.group(2) == "ID":
            message += "; a name with spaces or symbols must be quoted, e.g. $['first name']"
    else:
        message = raw or type(error).__name__
    return PathError(f"invalid JSONPath {_shown(expr)}: {message}", expression=expr, position=position)


#: Longer text is refused before parsing: the parser would take seconds, and no record is that deep.
MAX_PATH_LENGTH = 65_536
#: ``|`` and ``&`` (deprecated in jsonpath-ng) bind so that each one can double the results
#: (``$.a | $.b`` reads as ``$.(a | $).b``); a few dozen of them would never finish.
MAX_SET_OPERATORS = 8


def _parse(expr: str) -> tuple[JSONPath, tuple[str, ...]]:
    if not expr.strip():
        raise PathError("the path is empty; use $ for the whole record", expression=expr)
    if len(expr) > MAX_PATH_LENGTH:
        raise PathError(
            f"the path is {len(expr)} characters long; at most {MAX_PATH_LENGTH} are supported",
            expression=expr[:200],
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            tree = _ext_parse(_decode_rfc_escapes(expr))
        except RecursionError:
            raise PathError(f"invalid JSONPath {_shown(expr)}: nested too deeply", expression=expr) from None
        except Exception as error:  # jsonpath-ng raises assorted types for bad input
            raise _explain(expr, error) from None
    if _set_operators(tree) > MAX_SET_OPERATORS:
        raise PathError(
            f"invalid JSONPath {_shown(expr)}: more than {MAX_SET_OPERATORS} | or & operators "
            "(deprecated, and each one multiplies the work); use a filter such as [?(@.a || @.b)]",
            expression=expr,
        )
    notes = tuple(dict.fromkeys(str(w.message) for w in caught))
    return tree, notes


def _shown(expr: str) -> str:
    return repr(expr if len(expr) <= 80 else expr[:79] + "…")


def _set_operators(tree: JSONPath) -> int:
    """How many ``|``/``&`` nodes the parse tree holds (walked without recursion)."""
    count = 0
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list | tuple):
            stack.extend(node)
        elif isinstance(node, JSONPath):
            count += type(node).__name__ in ("_Union", "_Intersect", "Union", "Intersect")
            stack.extend(v for v in vars(node).values() if isinstance(v, JSONPath | list | tuple))
    return count


# ----------------------------------------------------------------------------- compiled paths


@dataclass(frozen=True, eq=False)
class CompiledPath:
    """A parsed path. Evaluation never raises: a path that cannot apply selects nothing."""

    expression: str
    tree: JSONPath
    #: Deprecation notes jsonpath-ng gave while parsing (the path still works).
    notes: tuple[str, ...]
    #: True when evaluated by plain dict/list access rather than jsonpath-ng ``find``.
    native: bool
    #: The names/indexes of a path that selects at most one node, else None.
    keys: Location | None
    _values: Callable[[list[Any]], list[Any]]
    _locate: Callable[[list[tuple[Location, Any]]], list[tuple[Location, Any]]] | None
    #: For ``X[*]``/``X.*`` paths: X itself, to tell a record list from one record (H041).
    wildcard_parent: CompiledPath | None = None

    def values(self, data: Any) -> list[Any]:
        """The selected values, in jsonpath-ng order."""
        try:
            return self._values([data])
        except Exception:  # jsonpath-ng internals can raise on odd data (H041)
            return []

    def locate(self, data: Any) -> list[tuple[Location, Any]]:
        """The selected nodes with their locations (indexes non-negative)."""
        try:
            if self._locate is not None:
                return self._locate([((), data)])
            return [(datum_location(d, data), d.value) for d in self.tree.find(data)]
        except Exception:
            return []

    def explain_miss(self, data: Any, *, root: str = "the record") -> str | None:
        """Why a single-node path found nothing, when the reason is a type mismatch (H007).

        A missing member is normal for optional fields and is not explained.
        """
        if self.keys is None:
            return None
        node = data
        for depth, key in enumerate(self.keys):
            where = root if depth == 0 else normalized_path(self.keys[:depth])
            if isinstance(key, int):
                if not isinstance(node, list):
                    return f"{where} is {describe_type(node)}, expected a list"
                if not -len(node) <= key < len(node):
                    return None
            elif not isinstance(node, dict):
                return f"{where} is {describe_type(node)}, expected an object"
            elif key not in node:
                return None
            node = node[key]
        return None


def _build(expr: str) -> CompiledPath:
    tree, notes = _parse(expr)
    values: Callable[[list[Any]], list[Any]]
    locate: Callable[[list[tuple[Location, Any]]], list[tuple[Location, Any]]] | None
    try:
        values, locate, native = compile_values(tree), compile_locate(tree), True
    except NotNative:

        def values(nodes: list[Any]) -> list[Any]:
            return [d.value for d in tree.find(nodes[0])]

        locate, native = None, False
    parent = None
    if native and isinstance(tree, Child) and isinstance(tree.right, Wildcard):
        left = tree.left
        parent = CompiledPath(
            f"{expr} (without its last [*])",
            left,
            (),
            True,
            singular_keys(left),
            compile_values(left),
            compile_locate(left),
        )
    return CompiledPath(expr, tree, notes, native, singular_keys(tree), values, locate, parent)


@lru_cache(maxsize=4096)
def compile_path(expr: str) -> CompiledPath:
    """Parse and compile ``expr`` once; raises :class:`PathError` with a readable message."""
    try:
        return _build(expr)
    except RecursionError:  # e.g. a thousand nested filters or `..`: refuse rather than crash
        raise PathError(f"invalid JSONPath {_shown(expr)}: nested too deeply", expression=expr) from None


def path_problem(expr: str) -> str | None:
    """The problem with ``expr`` for live validation while typing, or None when it is valid."""
    try:
        compile_path(expr)
    except PathError as error:
        return error.message
    return None


def describe_type(value: Any) -> str:
    """``a string``, ``an object``...: the JSON type of a value, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "a number"


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RecordNodes:
    """The records a records path selects, and how they were read.

    ``shape`` is ``"list"`` (elements of lists), ``"members"`` (members of an object keyed by
    ids), ``"single"`` (one object taken as one record), ``"single_refused"`` (one object while
    "a single object is one record" is off), ``"matched"`` (the nodes as selected) or
    ``"nothing"`` (the path matched no node at all).
    """

    records: list[Any]
    locations: list[Location] | None
    shape: str


def _is_member_map(value: Any) -> bool:
    """An object keyed by ids whose members are all records (H003), not a record itself."""
    return isinstance(value, dict) and len(value) > 0 and all(isinstance(v, dict) for v in value.values())


class _Expansion:
    """Records being collected, with their locations only when asked for.

    Building a location tuple per record costs more than the rest of selecting the records
    (~40 ms for 57 000 of them) and only the designer's click mapping needs them.
    """

    def __init__(self, locate: bool) -> None:
        self.records: list[Any] = []
        self.locations: list[Location] | None = [] if locate else None

    def add(self, loc: Location, node: Any) -> None:
        self.records.append(node)
        if self.locations is not None:
            self.locations.append(loc)

    def add_children(self, loc: Location, node: list[Any] | dict[str, Any]) -> None:
        if isinstance(node, list):
            self.records.extend(node)
            if self.locations is not None:
                self.locations.extend((*loc, i) for i in range(len(node)))
        else:
            self.records.extend(node.values())
            if self.locations is not None:
                self.locations.extend((*loc, k) for k in node)


def _expand(
    nodes: list[tuple[Location, Any]], wildcard: bool, single_object_is_record: bool, out: _Expansion
) -> str:
    """Collect the records of the matched ``nodes`` into ``out``; returns the shape."""
    if not nodes:
        return "nothing"
    if wildcard:
        shapes: set[str] = set()
        for loc, node in nodes:
            if isinstance(node, list):
                out.add_children(loc, node)
                shapes.add("list")
            elif isinstance(node, dict) and node:
                if single_object_is_record and not _is_member_map(node):
                    out.add(loc, node)
                    shapes.add("single")
                else:
                    out.add_children(loc, node)
                    shapes.add("members")
        return shapes.pop() if len(shapes) == 1 else "list"
    if len(nodes) == 1:
        loc, node = nodes[0]
        if isinstance(node, list):
            out.add_children(loc, node)
            return "list"
        if isinstance(node, dict):
            if not single_object_is_record:
                return "single_refused"
            out.add(loc, node)
            return "single"
    for loc, node in nodes:
        out.add(loc, node)
    return "matched"


def find_records(
    path: CompiledPath, document: Any, *, single_object_is_record: bool = True, locate: bool = False
) -> RecordNodes:
    """Apply a records path the way the mapping engine does.

    A path that selects one list means its elements (``$`` on a top-level list, or
    ``$.customers``); ``X[*]`` over an object that is itself a record (one hit returned as a bare
    object, H041) gives that object, while over an object keyed by ids (H003) it gives the
    members. ``locate`` adds each record's location, for the designer's click mapping.
    """
    parent = path.wildcard_parent
    target = parent if parent is not None else path
    if locate or parent is not None:
        nodes = target.locate(document)
    else:
        nodes = [((), v) for v in target.values(document)]
    out = _Expansion(locate)
    shape = _expand(nodes, parent is not None, single_object_is_record, out)
    return RecordNodes(out.records, out.locations, shape)


# ----------------------------------------------------------------------------- normalized paths

_CONTROL_NAMES = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quote_name(name: str) -> str:
    out: list[str] = ["'"]
    for char in name:
        if char in ("'", "\\"):
            out.append("\\" + char)
        elif char < " ":
            out.append(_CONTROL_NAMES.get(char) or f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append("'")
    return "".join(out)


def normalized_path(location: Sequence[str | int]) -> str:
    """The RFC 9535 normalized path (section 2.7) of the node at ``location``.

    ``$['a'][0]['b c']``: every name quoted, so dots, spaces, ``$``, ``*`` or non-ASCII letters
    in a name can never be read as syntax (pitfalls H001, H002). ``compile_path`` reads it back.
    """
    parts = ["$"]
    for key in location:
        if isinstance(key, bool) or not isinstance(key, int | str):
            raise TypeError(f"a location holds names and indexes, not {key!r}")
        if isinstance(key, int):
            if key < 0:
                raise ValueError(f"normalized paths use non-negative indexes, not {key}")
            parts.append(f"[{key}]")
        else:
            parts.append(f"[{_quote_name(key)}]")
    return "".join(parts)


# ----------------------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    """Where a clicked node's records are and how to reach the node from its record."""

    records_path: str
    field_path: str


@dataclass(frozen=True)
class RecordsCandidate:
    """One possible record list for a clicked node, for the user to choose from."""

    records_path: str
    field_path: str
    count: int
    kind: str  # "list", "object members" or "single object"


def _generalize(location: Sequence[str | int]) -> str:
    """The path of every sibling record: each index on the way becomes a wildcard."""
    return "".join(
        [normalized_path(())] + ["[*]" if isinstance(k, int) else normalized_path((k,))[1:] for k in location]
    )


def _relative(location: Sequence[str | int]) -> str:
    return normalized_path(location)


def _node_at(document: Any, location: Sequence[str | int]) -> Any:
    node = document
    for key in location:
        node = node[key]
    return node


def record_path_candidates(document: Any, location: Sequence[str | int]) -> list[RecordsCandidate]:
    """Every enclosing list or object that could hold the clicked node's record, outermost first.

    The document itself as one record always comes last, so the GUI can always offer it.
    """
    location = tuple(location)
    found: list[RecordsCandidate] = []
    for depth in range(len(location)):
        container = _node_at(document, location[:depth])
        key = location[depth]
        # A wrapper such as {"data": {...}} is also an object of objects; one member whose
        # name has no digit is read as a wrapper, not as a map keyed by ids.
        member_map = _is_member_map(container) and (
            len(container) > 1 or any(ch.isdigit() for ch in str(key))
        )
        if not (isinstance(key, int) and isinstance(container, list)) and not member_map:
            continue
        records_path = _generalize(location[:depth]) + "[*]"
        count = len(find_records(compile_path(records_path), document).records)
        kind = "list" if isinstance(container, list) else "object members"
        found.append(RecordsCandidate(records_path, _relative(location[depth + 1 :]), count, kind))
    found.append(RecordsCandidate("$", _relative(location), 1, "single object"))
    return found


def suggest_mapping(
    document: Any, location: Sequence[str | int], *, records_path: str | None = None
) -> Suggestion:
    """The records path and record-relative field path for a click on the node at ``location``.

    With ``records_path`` (the one already configured) the field path is written relative to
    the record that contains the node, if any does. Otherwise the outermost enclosing list is
    the record list (nested lists such as addresses belong to a record); without one, the
    document is the record (``$``). Objects keyed by ids are offered by
    :func:`record_path_candidates` rather than guessed.
    """
    location = tuple(location)
    if records_path is not None:
        try:
            found = find_records(compile_path(records_path), document, locate=True)
        except PathError:
            found = RecordNodes([], [], "nothing")
        best: Location | None = None
        for record_loc in found.locations or ():
            if location[: len(record_loc)] == record_loc and (best is None or len(record_loc) > len(best)):
                best = record_loc
        if best is not None:
            return Suggestion(records_path, _relative(location[len(best) :]))
    for candidate in record_path_candidates(document, location):
        if candidate.kind != "object members":
            return Suggestion(candidate.records_path, candidate.field_path)
    raise AssertionError("unreachable: the document itself is always a candidate")
