"""Turn jsonpath-ng parse trees into plain Python access over dicts and lists.

jsonpath-ng's ``find`` wraps every visited node in a ``DatumInContext`` and is 60-120x slower
than a hand-written dict loop; a live preview over 10 000 records cannot afford that per field.
Simple paths (names, indexes, wildcards, slices, recursive descent over those) are therefore
translated into closures over lists of nodes. Filters that do not look at ``$`` run through
jsonpath-ng on the raw node (context-free, so the result is the same); everything else falls back
to ``find`` for the whole path. The semantics are those of jsonpath-ng 1.16 ``find``, order
included: ``tests/test_jsonpath.py`` compares both on a corpus and on hypothesis-generated data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jsonpath_ng.ext import filter as ext_filter
from jsonpath_ng.ext import iterable as ext_iterable
from jsonpath_ng.jsonpath import (
    Child,
    DatumInContext,
    Descendants,
    Fields,
    Index,
    JSONPath,
    Root,
    Slice,
    This,
    Wildcard,
)

Location = tuple[str | int, ...]
#: A step maps the nodes reached so far to the nodes reached after it.
Step = Callable[[list[Any]], list[Any]]
#: The same, carrying each node's location (for ``locate``).
LocStep = Callable[[list[tuple[Location, Any]]], list[tuple[Location, Any]]]

_SEQ = (list, tuple)


class NotNative(Exception):
    """The tree holds a node whose meaning depends on context; use jsonpath-ng ``find``."""


# ----------------------------------------------------------------------------- value steps


def _identity(nodes: list[Any]) -> list[Any]:
    return nodes


def _name_step(name: str) -> Step:
    def step(nodes: list[Any]) -> list[Any]:
        return [node[name] for node in nodes if isinstance(node, dict) and name in node]

    return step


def _names_step(names: tuple[str, ...]) -> Step:
    def step(nodes: list[Any]) -> list[Any]:
        return [node[n] for node in nodes if isinstance(node, dict) for n in names if n in node]

    return step


def _index_step(indices: tuple[int, ...]) -> Step:
    def step(nodes: list[Any]) -> list[Any]:
        out: list[Any] = []
        for node in nodes:
            if isinstance(node, _SEQ):
                size = len(node)
                out.extend(node[i] for i in indices if -size <= i < size)
        return out

    return step


def _wildcard_step(nodes: list[Any]) -> list[Any]:
    out: list[Any] = []
    for node in nodes:
        if isinstance(node, _SEQ):
            out.extend(node)
        elif isinstance(node, dict):
            out.extend(node.values())
    return out


def _slice_step(start: int | None, end: int | None, step_: int | None) -> Step:
    def step(nodes: list[Any]) -> list[Any]:
        if step_ == 0:
            return []
        out: list[Any] = []
        for node in nodes:
            if isinstance(node, _SEQ):
                out.extend(node[start:end:step_])
        return out

    return step


def _descendants_step(left: Step, right: Step) -> Step:
    def step(nodes: list[Any]) -> list[Any]:
        out: list[Any] = []
        for top in left(nodes):
            # Pre-order, children in their natural order: the order jsonpath-ng walks in.
            stack = [top]
            while stack:
                node = stack.pop()
                out.extend(right([node]))
                if isinstance(node, list):
                    stack.extend(reversed(node))
                elif isinstance(node, dict):
                    stack.extend(reversed(node.values()))
        return out

    return step


def _opaque_step(tree: JSONPath) -> Step:
    def step(nodes: list[Any]) -> list[Any]:
        out: list[Any] = []
        for node in nodes:
            out.extend(datum.value for datum in _as_list(tree.find(node)))
        return out

    return step


def _chain(first: Step, second: Step) -> Step:
    if first is _identity:
        return second
    if second is _identity:
        return first

    def step(nodes: list[Any]) -> list[Any]:
        return second(first(nodes))

    return step


def _sequence(steps: list[Step]) -> Step:
    """The steps one after the other, in a loop: a path of 500 names is no 500-deep call chain."""
    steps = [s for s in steps if s is not _identity]
    if len(steps) <= 2:
        return _chain(steps[0], steps[1]) if len(steps) == 2 else (steps[0] if steps else _identity)

    def step(nodes: list[Any]) -> list[Any]:
        for one in steps:
            nodes = one(nodes)
        return nodes

    return step


def _as_list(found: Any) -> list[DatumInContext]:
    # Some jsonpath-ng nodes (sorting) return a bare datum instead of a list.
    return found if isinstance(found, list) else [found]


# ----------------------------------------------------------------------------- located steps


def _loc_name(names: tuple[str, ...]) -> LocStep:
    def step(nodes: list[tuple[Location, Any]]) -> list[tuple[Location, Any]]:
        return [
            ((*loc, n), node[n]) for loc, node in nodes if isinstance(node, dict) for n in names if n in node
        ]

    return step


def _loc_index(indices: tuple[int, ...]) -> LocStep:
    def step(nodes: list[tuple[Location, Any]]) -> list[tuple[Location, Any]]:
        out: list[tuple[Location, Any]] = []
        for loc, node in nodes:
            if isinstance(node, _SEQ):
                size = len(node)
                out.extend(((*loc, i % size), node[i]) for i in indices if -size <= i < size)
        return out

    return step


def _loc_wildcard(nodes: list[tuple[Location, Any]]) -> list[tuple[Location, Any]]:
    out: list[tuple[Location, Any]] = []
    for loc, node in nodes:
        if isinstance(node, _SEQ):
            out.extend(((*loc, i), child) for i, child in enumerate(node))
        elif isinstance(node, dict):
            out.extend(((*loc, k), child) for k, child in node.items())
    return out


def _loc_slice(start: int | None, end: int | None, step_: int | None) -> LocStep:
    def step(nodes: list[tuple[Location, Any]]) -> list[tuple[Location, Any]]:
        if step_ == 0:
            return []
        out: list[tuple[Location, Any]] = []
        for loc, node in nodes:
            if isinstance(node, _SEQ):
                out.extend(((*loc, i), node[i]) for i in range(len(node))[start:end:step_])
        return out

    return step


def _loc_descendants(left: LocStep, right: LocStep) -> LocStep:
    def step(nodes: list[tuple[Location, Any]]) -> list[tuple[Location, Any]]:
        out: list[tuple[Location, Any]] = []
        for top_loc, top in left(nodes):
            # A location is kept as a (parent link, key) pair and written out only for the nodes
            # ``right`` selects: a whole tuple per visited node would cost nodes x depth.
            stack: list[tuple[_Link, Any]] = [(None, top)]
            while stack:
                link, node = stack.pop()
                found = right([((), node)])
                if found:
                    loc = top_loc + _unlink(link)
                    out.extend(((*loc, *sub), value) for sub, value in found)
                if isinstance(node, list):
                    stack.extend(((link, i), c) for i, c in reversed(list(enumerate(node))))
                elif isinstance(node, dict):
                    stack.extend(((link, k), c) for k, c in reversed(node.items()))
        return out

    return step


_Link = tuple[Any, str | int] | None


def _unlink(link: _Link) -> Location:
    keys: list[str | int] = []
    while link is not None:
        link, key = link
        keys.append(key)
    keys.reverse()
    return tuple(keys)


def _loc_opaque(tree: JSONPath) -> LocStep:
    def step(nodes: list[tuple[Location, Any]]) -> list[tuple[Location, Any]]:
        out: list[tuple[Location, Any]] = []
        for loc, node in nodes:
            for datum in _as_list(tree.find(node)):
                out.append(((*loc, *datum_location(datum, node)), datum.value))
        return out

    return step


def _loc_chain(first: LocStep, second: LocStep) -> LocStep:
    def step(nodes: list[tuple[Location, Any]]) -> list[tuple[Location, Any]]:
        return second(first(nodes))

    return step


def _loc_identity(nodes: list[tuple[Location, Any]]) -> list[tuple[Location, Any]]:
    return nodes


def _loc_sequence(steps: list[LocStep]) -> LocStep:
    steps = [s for s in steps if s is not _loc_identity]
    if len(steps) <= 2:
        return _loc_chain(steps[0], steps[1]) if len(steps) == 2 else (steps[0] if steps else _loc_identity)

    def step(nodes: list[tuple[Location, Any]]) -> list[tuple[Location, Any]]:
        for one in steps:
            nodes = one(nodes)
        return nodes

    return step


def _child_steps(tree: JSONPath) -> list[JSONPath]:
    """The parts of ``a.b.c`` (jsonpath-ng nests it as ``Child(Child(a, b), c)``), in order."""
    parts: list[JSONPath] = []
    node = tree
    while type(node) is Child:
        parts.append(node.right)
        node = node.left
    parts.append(node)
    parts.reverse()
    return parts


# ----------------------------------------------------------------------------- compiler

_FILTER_SAFE = (
    ext_filter.Filter,
    ext_filter.Expression,
    ext_filter.And,
    ext_filter.Or,
    Child,
    Fields,
    Index,
    Wildcard,
    Slice,
    This,
    Descendants,
    ext_iterable.Len,
)


def _context_free(tree: Any) -> bool:
    """True when evaluating ``tree`` on a bare node gives what it gives in context.

    ``$`` inside a filter, ``parent``, ``path`` and the like look up the enclosing nodes,
    which a bare node does not have; only a whitelist of node types is accepted.
    """
    stack = [tree]
    while stack:
        node = stack.pop()
        if type(node) not in _FILTER_SAFE:  # exact types: SortedThis subclasses This
            return False
        if getattr(node, "_deprecated_wildcard_use", False):
            return False
        if isinstance(node, ext_filter.Filter):
            stack.extend(node.expressions)
        elif isinstance(node, ext_filter.Expression):
            stack.append(node.target)
            if isinstance(node.value, JSONPath):
                stack.append(node.value)
        elif isinstance(node, ext_filter.And | ext_filter.Or):
            stack.extend(node.operands)
        elif isinstance(node, Child | Descendants):
            stack.extend((node.left, node.right))
    return True


def compile_values(tree: JSONPath, *, first: bool = True) -> Step:
    """A step equivalent to ``tree.find`` (values only); raises NotNative if there is none."""
    if type(tree) is Root:
        if first:
            return _identity
        raise NotNative("$ inside the path")
    if type(tree) is This:
        return _identity
    if type(tree) is Child:
        head, *rest = _child_steps(tree)
        return _sequence([compile_values(head, first=first), *(compile_values(p, first=False) for p in rest)])
    if type(tree) is Descendants:
        return _descendants_step(
            compile_values(tree.left, first=first), compile_values(tree.right, first=False)
        )
    if type(tree) is Fields and not tree._deprecated_wildcard_use:
        names = tuple(tree.fields)
        return _name_step(names[0]) if len(names) == 1 else _names_step(names)
    if type(tree) is Index:
        return _index_step(tuple(tree.indices))
    if type(tree) is Wildcard:
        return _wildcard_step
    if type(tree) is Slice and not tree._deprecated_wildcard_use:
        return _slice_step(tree.start, tree.end, tree.step)
    if type(tree) is ext_filter.Filter and _context_free(tree):
        return _opaque_step(tree)
    raise NotNative(type(tree).__name__)


def compile_locate(tree: JSONPath, *, first: bool = True) -> LocStep:
    """Like :func:`compile_values`, keeping each node's location (indexes made non-negative)."""
    if type(tree) is Root:
        if first:
            return _loc_identity
        raise NotNative("$ inside the path")
    if type(tree) is This:
        return _loc_identity
    if type(tree) is Child:
        head, *rest = _child_steps(tree)
        return _loc_sequence(
            [compile_locate(head, first=first), *(compile_locate(p, first=False) for p in rest)]
        )
    if type(tree) is Descendants:
        return _loc_descendants(
            compile_locate(tree.left, first=first), compile_locate(tree.right, first=False)
        )
    if type(tree) is Fields and not tree._deprecated_wildcard_use:
        return _loc_name(tuple(tree.fields))
    if type(tree) is Index:
        return _loc_index(tuple(tree.indices))
    if type(tree) is Wildcard:
        return _loc_wildcard
    if type(tree) is Slice and not tree._deprecated_wildcard_use:
        return _loc_slice(tree.start, tree.end, tree.step)
    if type(tree) is ext_filter.Filter and _context_free(tree):
        return _loc_opaque(tree)
    raise NotNative(type(tree).__name__)


def singular_keys(tree: JSONPath) -> Location | None:
    """The keys of a path made only of single names and single indexes, else None.

    Such a path selects at most one node, so a miss can be explained step by step.
    """
    keys: list[str | int] = []
    stack: list[JSONPath] = [tree]
    first = True
    while stack:
        node = stack.pop()
        if type(node) is Child:
            stack.extend((node.right, node.left))
            continue
        if (type(node) is Root and first) or type(node) is This:
            pass
        elif type(node) is Fields and len(node.fields) == 1 and not node._deprecated_wildcard_use:
            keys.append(node.fields[0])
        elif type(node) is Index and len(node.indices) == 1:
            keys.append(node.indices[0])
        else:
            return None
        first = False
    return tuple(keys)


# ----------------------------------------------------------------------------- jsonpath-ng paths


def datum_location(datum: DatumInContext, start: Any) -> Location:
    """The location of a ``find`` result relative to the node ``find`` started from.

    jsonpath-ng records an index as written (``[-1]``), so indexes are resolved against the
    data to their non-negative position by walking from ``start``.
    """
    parts: list[str | int] = []
    node: DatumInContext | None = datum
    while node is not None:
        path = node.path
        if isinstance(path, Fields) and len(path.fields) == 1:
            parts.append(path.fields[0])
        elif isinstance(path, Index) and len(path.indices) == 1:
            parts.append(path.indices[0])
        node = node.context
    parts.reverse()
    resolved: list[str | int] = []
    current = start
    for raw in parts:
        part = raw % len(current) if isinstance(raw, int) and isinstance(current, _SEQ) and current else raw
        resolved.append(part)
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            current = None
    return tuple(resolved)
