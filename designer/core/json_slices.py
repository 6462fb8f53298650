"""Parse a big JSON text a slice at a time, so an event loop keeps turning (issue 6).

``json.loads`` holds the interpreter lock for its whole run (a worker thread does not help):
about a second for 70 MB. :func:`iter_loads_exact` gives exactly what
:func:`~designer.core.jsonio.loads_exact` gives (value, notes, errors with their line and
column) but is a generator that yields after every slice of about ``slice_chars`` characters;
:func:`designer.core.cooperative.run_steps` drives it on an asyncio loop.

It is not a JSON parser of its own. It walks only the first levels of containers (the wrapper
object, the records array: at most ``walk_depth`` levels, and only while their children are
big) and lets the standard library's C scanner parse everything else, with the same hooks as
``loads_exact``. Consecutive small elements of an array are parsed as a batch: the scanner reads
``"[" + slice + "]"`` in one call, so keys are shared as in one ``json.loads`` and the per-call
cost is paid once per batch. A batch is accepted only when that probe parses completely and the
real text continues with a ``,`` right after the slice. That proves its elements are the array's
own: a cut inside a string or inside a nested value can never parse, because the one closing
``]`` cannot complete it, and the values before the cut are read from the same characters. Any
other outcome falls back to one element at a time on the real text, so every error is the
scanner's own message at its own position.

Knowing where each part of the text starts and ends also makes the depth limit cheap: a part
with ``k`` opening brackets nests at most ``k`` levels, so only a part that could be too deep is
walked (walking a whole parsed document level by level takes 0.5 s at 200 000 records).

One difference is inherent and documented: a text nested within a few levels of the
interpreter's recursion limit (about 1 000) *and* malformed after that point. There
``loads_exact`` reports "too deep" or the syntax error depending on how deep the caller's own
stack is; the walked levels give the scanner a few levels more room. Any text nested deeper
than :data:`~designer.core.jsonio.MAX_DEPTH` that is otherwise valid is "too deep" in both.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from designer.core.jsonio import (
    DUPLICATE_CHECK_LIMIT,
    MAX_DEPTH,
    JsonValue,
    ParseHooks,
    ParseNotes,
    checks_duplicates,
    deeper_than,
    loads_exact,
    too_deep,
    translate_limits,
)

__all__ = ["DEFAULT_TUNING", "WalkTuning", "iter_loads_exact", "walk_to_end"]

# The scanner's own whitespace (json.decoder.WHITESPACE): space, tab, CR, LF.
_WS = re.compile(r"[ \t\n\r]*", re.VERBOSE | re.MULTILINE | re.DOTALL)
_WHITESPACE = " \t\n\r"
# The C functions json.loads itself runs (the typing stubs do not list them).
_scanstring: Callable[[str, int, bool], tuple[str, int]] = vars(json.decoder)["scanstring"]
_ScanOnce = Callable[[str, int], tuple[Any, int]]
_DecodeError = json.JSONDecodeError


def _after_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match is not None else pos  # always a match: the pattern may be empty


def _scanner(hooks: ParseHooks) -> _ScanOnce:
    """The decoder's ``scan_once``: one JSON value at a position, read by the C scanner."""
    scan_once: _ScanOnce = vars(hooks.decoder())["scan_once"]
    return scan_once


@dataclass(frozen=True)
class WalkTuning:
    """How the text is cut up. Only speed depends on these; tests shrink them to reach every path."""

    #: Yield after about this many characters (about 1.5 ms of scanning).
    slice_chars: int = 128 * 1024
    #: The first batch of an array's small elements spans about this much text; it doubles while
    #: batches stay well under the depth budget and halves when one would not.
    batch_chars: int = 16 * 1024
    max_batch_chars: int = 256 * 1024
    #: A walked child smaller than this means its siblings are small too: parse them whole.
    small_child: int = 64 * 1024
    #: A sibling parsed whole that turned out this large: walk the next ones again.
    large_child: int = 1024 * 1024
    #: Containers deeper than this are always parsed whole.
    walk_depth: int = 8
    #: Objects keep walking their container members until this many were small.
    small_members: int = 8
    duplicate_check_limit: int = DUPLICATE_CHECK_LIMIT


DEFAULT_TUNING = WalkTuning()


def iter_loads_exact(
    text: str | bytes,
    notes: ParseNotes | None = None,
    *,
    check_duplicates: bool | None = None,
    tuning: WalkTuning = DEFAULT_TUNING,
) -> Generator[None, None, JsonValue]:
    """:func:`~designer.core.jsonio.loads_exact` as a generator: ``yield`` between slices.

    The parsed value is the generator's return value. A text no longer than one slice is parsed
    at once by ``loads_exact`` itself.
    """
    notes = notes if notes is not None else ParseNotes()
    check = (
        checks_duplicates(text, tuning.duplicate_check_limit)
        if check_duplicates is None
        else check_duplicates
    )
    if check and len(text) <= min(tuning.slice_chars, DUPLICATE_CHECK_LIMIT):
        return loads_exact(text, notes, check_duplicates=True)
    steps = _walk(text, notes, check, tuning)
    try:
        while True:
            translate_limits(text, lambda: next(steps))
            yield
    except StopIteration as done:
        value: JsonValue = done.value
        return value
    finally:
        steps.close()


def walk_to_end(text: str | bytes, notes: ParseNotes, *, check_duplicates: bool) -> JsonValue:
    """The sliced parse run to its end at once (``loads_exact`` uses it for big texts)."""
    steps = iter_loads_exact(text, notes, check_duplicates=check_duplicates)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            value: JsonValue = done.value
            return value


def _as_text(data: str | bytes) -> str:
    """What ``json.loads`` makes of its argument before scanning, with the same errors."""
    if isinstance(data, str):
        if data.startswith("\ufeff"):
            raise _DecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", data, 0)
        return data
    return data.decode(json.detect_encoding(data), "surrogatepass")


class _Frame:
    """A container being walked: its items so far and how its children are read."""

    __slots__ = (
        "array",
        "batch_chars",
        "cooldown",
        "depth",
        "failures",
        "items",
        "key",
        "signature",
        "small",
        "start",
        "walk",
    )

    def __init__(self, array: bool, depth: int, start: int, tuning: WalkTuning) -> None:
        self.array = array
        self.depth = depth  # the document is depth 1, as in jsonio.deeper_than
        self.start = start
        self.items: list[Any] = []  # elements, or (key, value) pairs of an object
        self.key = ""
        self.walk = depth < tuning.walk_depth  # descend into container children
        self.small = 0  # children seen that were small
        self.signature = ""  # separator + start of the next element, to find batch ends
        self.batch_chars = tuning.batch_chars
        self.cooldown = 0  # elements to read one by one before the next batch
        self.failures = 0


class _Walker:
    """The state of one sliced parse; :meth:`run` is the generator."""

    def __init__(self, text: str, notes: ParseNotes, check: bool, tuning: WalkTuning) -> None:
        self.text = text
        self.length = len(text)
        self.notes = notes
        self.tuning = tuning
        self.hooks = ParseHooks(notes, check_duplicates=check)
        self.scan_once = _scanner(self.hooks)
        self.scratch = ParseNotes()
        self.probe_hooks = ParseHooks(self.scratch, check_duplicates=check)
        self.probe_once = _scanner(self.probe_hooks)
        self.memo: dict[str, str] = {}
        self.too_deep = False

    # -- reading one thing -------------------------------------------------------------------------
    def scan(self, pos: int) -> tuple[Any, int]:
        """One value at ``pos`` of the real text, as ``raw_decode`` reads it."""
        try:
            result: tuple[Any, int] = self.scan_once(self.text, pos)
        except StopIteration as stop:
            raise _DecodeError("Expecting value", self.text, stop.value) from None
        return result

    def skip(self, pos: int) -> int:
        if pos < self.length and self.text[pos] in _WHITESPACE:
            return _after_ws(self.text, pos)
        return pos

    def check_depth(self, value: Any, start: int, end: int, depth: int) -> None:
        """Note whether a container parsed whole under a level-``depth`` frame nests too deep."""
        budget = MAX_DEPTH - depth
        if (end - start) // 2 <= budget:  # k levels need at least 2k characters
            return
        text = self.text
        if text.count("[", start, end) + text.count("{", start, end) <= budget:
            return
        if deeper_than(value, budget):
            self.too_deep = True

    def key(self, pos: int) -> tuple[str, int]:
        """An object member's name and the position of its value (after the ``:``)."""
        text = self.text
        if pos >= self.length or text[pos] != '"':
            raise _DecodeError("Expecting property name enclosed in double quotes", text, pos)
        key, pos = _scanstring(text, pos + 1, True)
        key = self.memo.setdefault(key, key)
        pos = self.skip(pos)
        if pos >= self.length or text[pos] != ":":
            raise _DecodeError("Expecting ':' delimiter", text, pos)
        return key, self.skip(pos + 1)

    # -- batches -----------------------------------------------------------------------------------
    def learn_signature(self, frame: _Frame, value_end: int, next_start: int) -> None:
        """How this array's elements are separated: ``,`` + ``{"customerNo":`` for instance."""
        text = self.text
        head = text[next_start : next_start + 1]
        if head == "{":
            quote = self.skip(next_start + 1)
            if quote < self.length and text[quote] == '"':
                try:
                    _key, after = _scanstring(text, quote + 1, True)
                except _DecodeError:
                    return
                colon = self.skip(after)
                if colon < self.length and text[colon] == ":":
                    head = text[next_start : colon + 1]
        frame.signature = text[value_end:next_start] + head

    def batch(self, frame: _Frame, pos: int) -> int:
        """Parse the elements from ``pos`` to a cut as one array; the cut, or -1 if not taken."""
        text = self.text
        cut = text.find(frame.signature, pos + frame.batch_chars)
        if cut < 0:
            frame.cooldown = 1 << 30  # no element boundary further on: read the rest one by one
            return -1
        budget = MAX_DEPTH - frame.depth
        opens = text.count("[", pos, cut) + text.count("{", pos, cut)
        if opens > budget:  # the batch could nest too deep: smaller batches prove it cannot
            frame.batch_chars = max(frame.batch_chars // 2, 64)
            return -1
        after = self.skip(cut)
        if after >= self.length or text[after] != ",":
            return -1
        probe = "[" + text[pos:cut] + "]"
        scratch = self.scratch
        scratch.non_standard_constants.clear()
        scratch.duplicate_keys.clear()
        try:
            values, end = self.probe_once(probe, 0)
        except (StopIteration, ValueError, RecursionError):
            values, end = None, -1
        if end != len(probe):  # not complete values of this array: read them one by one
            frame.failures += 1
            frame.cooldown = 4 << min(frame.failures, 8)
            return -1
        frame.items.extend(values)
        self.notes.non_standard_constants.extend(scratch.non_standard_constants)
        self.notes.duplicate_keys.extend(scratch.duplicate_keys)
        if opens * 4 < budget:
            frame.batch_chars = min(frame.batch_chars * 2, self.tuning.max_batch_chars)
        return cut

    # -- the walk ----------------------------------------------------------------------------------
    def finish(self, frame: _Frame) -> Any:
        if frame.array:
            return frame.items
        if self.hooks.check_duplicates:
            return self.hooks.pairs(frame.items)
        return dict(frame.items)

    def adopt(self, frame: _Frame, value: Any) -> None:
        frame.items.append((frame.key, value) if not frame.array else value)

    def run(self) -> Generator[None, None, JsonValue]:
        text, length = self.text, self.length
        pos = _after_ws(text, 0)
        if pos >= length or text[pos] not in "[{":
            value, end = self.scan(pos)
            self.expect_end(end)
            return value
        stack = [_Frame(text[pos] == "[", 1, pos, self.tuning)]
        pos += 1
        mark = pos
        opened = True  # just after an opening bracket (else just after a value)
        while True:
            frame = stack[-1]
            value_end = pos
            pos = self.skip(pos)
            if pos < length and text[pos] == ("]" if frame.array else "}"):
                pos += 1
                stack.pop()
                value = self.finish(frame)
                if not stack:
                    self.expect_end(pos)
                    if self.too_deep:
                        raise too_deep()
                    return value
                self.adopt_walked(stack[-1], frame, value, pos)
                opened = False
                continue
            if not opened:
                pos = self.separator(frame, value_end, pos)
            pos, child = self.member(frame, pos)
            opened = child is not None
            if child is not None:
                stack.append(child)
            if pos - mark >= self.tuning.slice_chars:
                mark = pos
                yield

    def adopt_walked(self, parent: _Frame, child: _Frame, value: Any, end: int) -> None:
        """A walked child is complete; a small one means its siblings are parsed whole."""
        self.adopt(parent, value)
        if end - child.start < self.tuning.small_child:
            parent.small += 1
            if parent.array or parent.small >= self.tuning.small_members:
                parent.walk = False

    def separator(self, frame: _Frame, value_end: int, pos: int) -> int:
        """The ``,`` after a value (at ``pos``); the position of the next member."""
        text = self.text
        if pos >= self.length or text[pos] != ",":
            raise _DecodeError("Expecting ',' delimiter", text, pos)
        pos = self.skip(pos + 1)
        if frame.array and not frame.walk and not frame.signature and pos < self.length:
            self.learn_signature(frame, value_end, pos)
        return pos

    def member(self, frame: _Frame, pos: int) -> tuple[int, _Frame | None]:
        """Read the next element or member at ``pos``: (position after it, a frame to walk or None)."""
        if not frame.array:
            frame.key, pos = self.key(pos)
        char = self.text[pos] if pos < self.length else ""
        container = char != "" and char in "[{"
        if container and frame.walk:
            return pos + 1, _Frame(char == "[", frame.depth + 1, pos, self.tuning)
        if frame.array and frame.signature and not frame.walk:
            if frame.cooldown > 0:
                frame.cooldown -= 1
            else:
                cut = self.batch(frame, pos)
                if cut >= 0:
                    return cut, None
        value, end = self.scan(pos)
        if container:
            self.check_depth(value, pos, end, frame.depth)
            if end - pos > self.tuning.large_child:
                frame.walk = frame.depth < self.tuning.walk_depth
                frame.small = 0
        elif frame.array:
            frame.small += 1
            frame.walk = False
        self.adopt(frame, value)
        return end, None

    def expect_end(self, end: int) -> None:
        end = _after_ws(self.text, end)
        if end != self.length:
            raise _DecodeError("Extra data", self.text, end)


def _walk(
    data: str | bytes, notes: ParseNotes, check: bool, tuning: WalkTuning
) -> Generator[None, None, JsonValue]:
    """The walk with the cyclic collector paused until it ends, as ``loads_exact`` pauses it.

    Paused across the yields too: re-enabled in between, it would rescan the growing document
    again and again (full collections of hundreds of milliseconds at 70 MB). Whoever keeps the
    document may then ``gc.freeze()`` it before enabling the collector (the window does).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return (yield from _Walker(_as_text(data), notes, check, tuning).run())
    finally:
        if enabled:
            gc.enable()
