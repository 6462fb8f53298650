"""The live preview's engine: the core's interpretation of the response, in event-loop chunks.

Every config or response change restarts the computation after a short debounce. The start
(status and body rules, record selection, the first few hundred records) runs at once; the
rest is mapped a slice at a time from a zero-interval timer, each turn bounded to a few
milliseconds, so typing in a path stays smooth over 10 000 records. A newer change stops the
timer, so an older computation never reports. The Customer list's JSON is then written in
chunks the same way.

The cyclic garbage collector is held off from the first change until the run is mapped
(:class:`designer.gui.collector.CollectorHold`; the core's ``map_records`` pauses it only
inside each step): mapping creates no reference cycles, but its hundreds of thousands of
surviving objects would otherwise trigger full collections over the whole parsed response in
the middle of a run (100 ms at 10 000 records, over half a second at 200 000), which is
exactly the stutter this module exists to avoid. A run over :data:`FREEZE_AFTER_RECORDS`
records or more, or over a big response, releases its hold as big: its results, like the
response, are then skipped by later collections (see that module for the policy and the
figures). The JSON is written with the collector on (see ``_finish``).

All meaning comes from the core: :class:`designer.core.runtime.Interpretation` is what
:func:`~designer.core.runtime.interpret` (and so ``lookup-designer run``) is built on, so the
preview is the runtime's answer, not a re-implementation of its rules.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from designer.core.customer import Customer, customers_to_json
from designer.core.errors import HttpStatusError, ResponseFormatError
from designer.core.runtime import Interpretation, LookupResult
from designer.gui.collector import BIG_BODY_BYTES, CollectorHold
from designer.gui.document import Document
from designer.gui.reaper import discard

__all__ = ["JsonListWriter", "LivePreview", "PreviewRun", "join_json_lists"]

DEBOUNCE_MS = 150
FIRST_RECORDS = 300  # mapped synchronously (unless slow paths use up FIRST_SECONDS first)
FIRST_SLICE = 50
FIRST_SECONDS = 0.004
SLICE = 100  # records per step inside a timer turn (slow filter paths: ~3 ms)
TURN_SECONDS = 0.0025  # a timer turn stops stepping after this long (a paint fits beside it)
JSON_SLICE = 200  # customers serialised per step (about 2 ms)
FREEZE_AFTER_RECORDS = 5_000  # smaller runs leave nothing worth freezing


def join_json_lists(parts: list[str]) -> str:
    """Join indented JSON array texts (``customers_to_json`` of consecutive chunks) into one.

    ``json.dumps(..., indent=2)`` writes ``[\\n  a,\\n  b\\n]``, so the items of each chunk sit
    between its first two and last two characters; tests check the result equals serialising
    the whole list at once, byte for byte.
    """
    writer = JsonListWriter()
    for part in parts:
        writer.add(part)
    return writer.text()


class JsonListWriter:
    """:func:`join_json_lists` a part at a time, counting the result's lines and UTF-8 bytes.

    At 57 000 customers the output is 19 MB: joining it takes ~25 ms and counting it ~17 ms,
    too long for one event-loop turn. A part at a time the counting is free, and the text is
    joined only when someone needs all of it (:meth:`text`); the JSON view needs only its start
    (:meth:`head`). The counts are exactly those of :meth:`text` (tests check them).
    """

    def __init__(self) -> None:
        self._items: list[str] = []
        self._newlines = 0
        self._bytes = 0
        self._text: str | None = None

    def add(self, part: str) -> None:
        if part != "[]":
            item = part[2:-2]
            self._items.append(item)
            self._newlines += item.count("\n")
            self._bytes += len(item.encode("utf-8", "surrogatepass"))
            self._text = None

    def text(self) -> str:
        if self._text is None:
            self._text = "[\n" + ",\n".join(self._items) + "\n]" if self._items else "[]"
        return self._text

    def head(self, chars: int) -> str:
        """The start of :meth:`text`: at least ``chars`` characters of it, or all of it."""
        if self._text is not None or not self._items:
            return self.text()
        taken, length = 0, 2
        while taken < len(self._items) and length < chars:
            length += len(self._items[taken]) + 2
            taken += 1
        if taken == len(self._items):
            return self.text()
        return "[\n" + ",\n".join(self._items[:taken]) + ",\n"

    @property
    def lines(self) -> int:
        """Lines of :meth:`text`: the items' own, one per separator, and the two brackets'."""
        items = len(self._items)
        return self._newlines + items + 2 if items else 1

    @property
    def utf8_size(self) -> int:
        items = len(self._items)
        return self._bytes + 2 * items + 2 if items else 2


@dataclass
class PreviewRun:
    """One computation: its interpretation while it runs, then its result and JSON output."""

    generation: int
    interpretation: Interpretation | None
    #: Why there is nothing to interpret (no response, the request itself failed).
    unavailable: str | None = None
    result: LookupResult | None = None
    #: The Customer list's JSON output, once it is completely written.
    json: JsonListWriter | None = None

    @property
    def json_text(self) -> str | None:
        """The JSON output (joined on first use), or None while it is being written."""
        return self.json.text() if self.json is not None else None

    @property
    def mapped(self) -> int:
        return len(self.interpretation.results) if self.interpretation is not None else 0

    @property
    def total(self) -> int:
        return self.interpretation.total if self.interpretation is not None else 0


class LivePreview(QObject):
    started = Signal()  # a new run began; its first records are mapped
    progressed = Signal(int)  # records mapped so far in the current run
    finished = Signal()  # the current run's result is complete
    jsonReady = Signal()  # the current run's JSON output is written

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.run = PreviewRun(0, None, "No response yet — press Send")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.update_now)
        self._worker = QTimer(self)
        self._worker.setInterval(0)
        self._worker.timeout.connect(self._on_worker_timeout)
        self._json = JsonListWriter()
        self._json_written = 0  # customers serialised so far
        self._customers: tuple[Customer, ...] = ()
        self._collector = CollectorHold()
        self.destroyed.connect(lambda *_args, collector=self._collector: collector.release())
        document.configChanged.connect(self.schedule)
        document.responseChanged.connect(self.schedule)

    @property
    def busy(self) -> bool:
        """A change is waiting for its debounce, or a run is still mapping or writing JSON."""
        return self._debounce.isActive() or self._worker.isActive()

    def schedule(self) -> None:
        """Something changed: stop the current run now, start a new one after the debounce."""
        self._worker.stop()
        self._collector.hold()
        self._debounce.start()

    def update_now(self) -> None:
        """Start a new run immediately (the debounce elapsed, or a caller wants it now)."""
        self._debounce.stop()
        self._worker.stop()
        self._collector.hold()
        generation = self.run.generation + 1
        # Freeing 10 000 results takes milliseconds the synchronous part cannot spare, and
        # 57 000 take ~90 ms: the reaper frees them a little per turn (designer.gui.reaper).
        discard(self.run)
        self._customers = ()
        self._json = JsonListWriter()
        self._json_written = 0
        state = self._document.response
        if state is None:
            self.run = PreviewRun(generation, None, "No response yet — press Send")
        elif state.error is not None and not isinstance(state.error, HttpStatusError | ResponseFormatError):
            # The exchange itself failed (refused, timeout, secrets...): nothing to interpret.
            self.run = PreviewRun(generation, None, state.error.message)
        else:
            # A saved raw response has its own status line: the CLI's --response-file uses it too.
            envelope = state.exchange if state.exchange is not None else state.saved
            status = envelope.status if envelope is not None else None
            interpretation = Interpretation(
                self._document.config.response, state.decoded, status=status, exchange=state.exchange
            )
            deadline = time.perf_counter() + FIRST_SECONDS
            while len(interpretation.results) < FIRST_RECORDS and not interpretation.done:
                interpretation.step(FIRST_SLICE)
                if time.perf_counter() > deadline:
                    break
            self.run = PreviewRun(generation, interpretation)
        self.started.emit()
        if self.run.interpretation is None or self.run.interpretation.done:
            self._finish()
        else:
            self._worker.start()

    def _finish(self) -> None:
        run = self.run
        if run.interpretation is not None:
            run.result = run.interpretation.result()
        # The mapped results are what stays alive; writing the JSON creates little that lasts
        # but many short-lived reference cycles (the json module's indenting encoder), which
        # the collector must be free to take as they come.
        self._collector.release(self._big_result(run))
        self.finished.emit()
        if run.result is not None and run.result.error is None:
            self._customers = run.result.customers
            self._worker.start()

    def _big_result(self, run: PreviewRun) -> bool:
        """The run's results or its response are big enough to be frozen (designer.gui.collector)."""
        if run.total >= FREEZE_AFTER_RECORDS:
            return True
        state = self._document.response
        body = state.body if state is not None else None
        return body is not None and len(body) >= BIG_BODY_BYTES

    def _on_worker_timeout(self) -> None:
        # Each turn does one kind of work, bounded to a few milliseconds: map records, assemble
        # the result, serialise customers, report.
        run = self.run
        deadline = time.perf_counter() + TURN_SECONDS
        interpretation = run.interpretation
        if run.result is None and interpretation is not None:
            if interpretation.done:
                self._worker.stop()
                self._finish()
                return
            while not interpretation.done and time.perf_counter() < deadline:
                interpretation.step(SLICE)
            self.progressed.emit(run.mapped)
            return
        customers = self._customers
        if self._json_written < len(customers):
            while self._json_written < len(customers) and time.perf_counter() < deadline:
                start = self._json_written
                self._json.add(customers_to_json(list(customers[start : start + JSON_SLICE])))
                self._json_written = min(start + JSON_SLICE, len(customers))
            return
        run.json, self._json = self._json, JsonListWriter()
        self._worker.stop()
        self.jsonReady.emit()
