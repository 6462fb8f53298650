"""Text for the raw view, produced a piece at a time so a 70 MB body never blocks the window.

Two jobs, both pure (no Qt) so they are tested exhaustively:

* :func:`iter_pretty_json` yields exactly ``dumps_exact(document, indent=2)`` in pieces. Big
  containers are framed here and their members serialised in batches by ``dumps_exact`` itself,
  so numbers keep every digit and the work done is proportional to the text taken, not to the
  document (``json.dumps`` with an indent is pure Python: ~5 s for 70 MB).
* :class:`ChunkedText` cuts any piece stream into display chunks that end at line breaks,
  normalises ``\\r\\n`` and ``\\r`` (Qt would show them as blank lines) and breaks lines longer
  than ``max_line`` characters, because laying out one multi-megabyte line freezes Qt's text
  views (minified JSON that did not parse, a base64 blob in a string).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from designer.core.jsonio import JsonValue, dumps_exact

__all__ = ["BATCH_WEIGHT", "ChunkedText", "iter_pretty_json", "iter_slices"]

#: Roughly how many JSON nodes one ``dumps_exact`` call serialises (a few ms of work).
BATCH_WEIGHT = 800
_STRING_WEIGHT_CHARS = 64  # a long string weighs like one node per 64 characters


def _weight(value: JsonValue, limit: int) -> int:
    """How much serialising ``value`` costs, counted up to just past ``limit`` (iterative: no recursion)."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        total += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            total += len(item) // _STRING_WEIGHT_CHARS
        if total > limit:
            return total
    return total


def _reindent(text: str, pad: str) -> str:
    # JSON text never holds a raw newline inside a string, so every "\n" is a line break.
    return pad + text.replace("\n", "\n" + pad) if pad else text


def iter_pretty_json(
    document: JsonValue, indent: int = 2, *, batch_weight: int = BATCH_WEIGHT
) -> Iterator[str]:
    """``dumps_exact(document, indent=indent)`` as a stream of pieces.

    Raises what ``dumps_exact`` raises (``ValueError`` for NaN, ``RecursionError`` for absurd
    nesting) when the piece that holds the problem is produced.
    """
    yield from _pieces(document, 0, indent, batch_weight)


def _pieces(value: JsonValue, level: int, indent: int, limit: int) -> Iterator[str]:
    if not isinstance(value, dict | list) or not value or _weight(value, limit) <= limit:
        yield _reindent(dumps_exact(value, indent=indent), " " * (indent * level))[indent * level :]
        return
    is_dict = isinstance(value, dict)
    opening, closing = ("{", "}") if is_dict else ("[", "]")
    inner_pad = " " * (indent * (level + 1))
    yield opening
    first = True
    batch: list[Any] = []
    weight = 0

    def flush() -> str:
        nonlocal first, weight
        text = dumps_exact(dict(batch) if is_dict else batch, indent=indent)
        # "[\n  a,\n  b\n]" -> the member lines, one level deep; move them to this depth.
        members = _reindent(text[2:-2], " " * (indent * level))
        piece = ("\n" if first else ",\n") + members
        first, weight = False, 0
        batch.clear()
        return piece

    entries: Iterable[Any] = value.items() if isinstance(value, dict) else value
    for entry in entries:
        item = entry[1] if is_dict else entry
        item_weight = _weight(item, limit)
        if item_weight > limit:
            if batch:
                yield flush()
            key = json.dumps(entry[0], ensure_ascii=False) + ": " if is_dict else ""
            yield ("\n" if first else ",\n") + inner_pad + key
            first = False
            yield from _pieces(item, level + 1, indent, limit)
            continue
        batch.append(entry)
        weight += item_weight
        if weight >= limit:
            yield flush()
    if batch:
        yield flush()
    yield "\n" + " " * (indent * level) + closing


def iter_slices(text: str, size: int = 256 * 1024) -> Iterator[str]:
    """A text in slices, so raw (non-JSON) bodies go through the same chunking as pretty ones."""
    for start in range(0, len(text), size):
        yield text[start : start + size]


class ChunkedText:
    """Pulls display chunks from a piece stream; each chunk (but the last) ends with a newline.

    Joining every chunk gives the stream's text with line breaks normalised to ``\\n`` and every
    line longer than ``max_line`` broken into ``max_line``-character lines. ``broke_lines``
    tells whether that happened, so the view can say so.
    """

    def __init__(self, pieces: Iterable[str], max_line: int = 2000) -> None:
        self._pieces = iter(pieces)
        self._max_line = max_line
        self._buffer = ""
        self._column = 0  # characters already emitted on the current (unfinished) line
        self._exhausted = False
        self.emitted = 0  # characters handed out so far
        self.broke_lines = False

    @property
    def done(self) -> bool:
        return self._exhausted and not self._buffer

    def next_chunk(self, size: int) -> str:
        """About ``size`` characters of display text ("" when everything was handed out)."""
        size = max(size, 1)
        parts = [self._buffer]
        have = len(self._buffer)
        # Read on past a final "\r": it may be the first half of "\r\n".
        while not self._exhausted and (have < size or parts[-1].endswith("\r")):
            piece = next(self._pieces, None)
            if piece is None:
                self._exhausted = True
                break
            if piece:
                parts.append(piece)
                have += len(piece)
        text = "".join(parts)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        keep = len(text)
        if not self._exhausted or keep > 2 * size:
            bound = min(keep, 2 * size)
            cut = text.rfind("\n", 0, bound)
            keep = cut + 1 if cut >= 0 else bound
        self._buffer = text[keep:]
        out = self._break_long_lines(text[:keep])
        self.emitted += len(out)
        return out

    def _break_long_lines(self, text: str) -> str:
        limit = self._max_line
        out: list[str] = []
        column = self._column  # the first line continues the last unfinished one
        for number, line in enumerate(text.split("\n")):
            if number:
                column = 0
            if column + len(line) <= limit:
                out.append(line)
                column += len(line)
                continue
            self.broke_lines = True
            head = limit - column  # >= 0: no display line is ever longer than the limit
            segments = [line[:head]]
            segments.extend(line[i : i + limit] for i in range(head, len(line), limit))
            out.append("\n".join(segments))
            column = len(segments[-1])
        self._column = column
        return "\n".join(out)
