"""The live preview's engine: the core's interpretation of the response, in event-loop chunks.

Every config or response change restarts the computation after a short debounce. The start
(status and body rules, record selection, the first few hundred records) runs at once; the
rest is mapped a slice at a time from a zero-interval timer, each turn bounded to a few
milliseconds, so typing in a path stays smooth over 10 000 records. A newer change stops the
timer, so an older computation never reports. The Customer list's JSON is then written in
chunks the same way.

The cyclic garbage collector is held off from the first change until the run is written (the
core's ``map_records`` does the same per call): mapping creates no reference cycles, but its
hundreds of thousands of surviving objects would otherwise trigger full collections over the
whole parsed response in the middle of a run (100 ms at 10 000 records, over half a second at
200 000), which is exactly the stutter this module exists to avoid. After a large run the
surviving objects (the response and the results) are moved to the collector's permanent
generation (``gc.freeze``, constant time): they hold no cycles, reference counting still frees
them, and later collections no longer rescan them. Measured at 10 000 records, the longest
event-loop turn of a run drops from about 50 ms to about 20 ms.

All meaning comes from the core: :class:`designer.core.runtime.Interpretation` is what
:func:`~designer.core.runtime.interpret` (and so ``lookup-designer run``) is built on, so the
preview is the runtime's answer, not a re-implementation of its rules.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from designer.core.customer import Customer, customers_to_json
from designer.core.errors import HttpStatusError, ResponseFormatError
from designer.core.runtime import Interpretation, LookupResult
from designer.gui.document import Document

__all__ = ["LivePreview", "PreviewRun", "join_json_lists"]

DEBOUNCE_MS = 150
FIRST_RECORDS = 300  # mapped synchronously (unless slow paths use up FIRST_SECONDS first)
FIRST_SLICE = 50
FIRST_SECONDS = 0.004
SLICE = 100  # records per step inside a timer turn (slow filter paths: ~3 ms)
TURN_SECONDS = 0.006  # a timer turn stops stepping after this long (well under a frame)
JSON_SLICE = 200  # customers serialised per step (about 2 ms)
FREEZE_AFTER_RECORDS = 5_000  # smaller runs leave the collector as it is


class _CollectorPause:
    """Holds the cyclic GC off while a run is pending or in progress; restores it after."""

    def __init__(self) -> None:
        self._held = False
        self._was_enabled = False

    @property
    def held(self) -> bool:
        return self._held

    def hold(self) -> None:
        if not self._held:
            self._was_enabled = gc.isenabled()
            gc.disable()
            self._held = True

    def release(self, *, freeze: bool = False) -> None:
        if self._held:
            self._held = False
            if freeze:
                gc.freeze()
            if self._was_enabled:
                gc.enable()


def join_json_lists(parts: list[str]) -> str:
    """Join indented JSON array texts (``customers_to_json`` of consecutive chunks) into one.

    ``json.dumps(..., indent=2)`` writes ``[\\n  a,\\n  b\\n]``, so the items of each chunk sit
    between its first two and last two characters; tests check the result equals serialising
    the whole list at once, byte for byte.
    """
    items = [part[2:-2] for part in parts if part != "[]"]
    return "[\n" + ",\n".join(items) + "\n]" if items else "[]"


@dataclass
class PreviewRun:
    """One computation: its interpretation while it runs, then its result and JSON output."""

    generation: int
    interpretation: Interpretation | None
    #: Why there is nothing to interpret (no response, the request itself failed).
    unavailable: str | None = None
    result: LookupResult | None = None
    json_text: str | None = None

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
        self._json_parts: list[str] = []
        self._customers: tuple[Customer, ...] = ()
        #: The replaced run, freed on the next turn: deallocating 10 000 results takes a few
        #: milliseconds that the synchronous part of an update cannot spare.
        self._previous: PreviewRun | None = None
        self._collector = _CollectorPause()
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
        self._previous = self.run
        self._customers = ()
        self._json_parts = []
        state = self._document.response
        if state is None:
            self.run = PreviewRun(generation, None, "No response yet — press Send")
        elif state.error is not None and not isinstance(state.error, HttpStatusError | ResponseFormatError):
            # The exchange itself failed (refused, timeout, secrets...): nothing to interpret.
            self.run = PreviewRun(generation, None, state.error.message)
        else:
            status = state.exchange.status if state.exchange is not None else None
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
        self._previous = None
        run = self.run
        if run.interpretation is not None:
            run.result = run.interpretation.result()
        self.finished.emit()
        if run.result is not None and run.result.error is None:
            self._customers = run.result.customers
            self._worker.start()
        else:
            self._collector.release()

    def _on_worker_timeout(self) -> None:
        if self._previous is not None:
            self._previous = None
            return  # freeing the old run is this turn's work
        run = self.run
        deadline = time.perf_counter() + TURN_SECONDS
        interpretation = run.interpretation
        if run.result is None and interpretation is not None:
            while not interpretation.done and time.perf_counter() < deadline:
                interpretation.step(SLICE)
            self.progressed.emit(run.mapped)
            if interpretation.done:
                self._worker.stop()
                self._finish()
            return
        customers = self._customers
        while len(self._json_parts) * JSON_SLICE < len(customers) and time.perf_counter() < deadline:
            start = len(self._json_parts) * JSON_SLICE
            self._json_parts.append(customers_to_json(list(customers[start : start + JSON_SLICE])))
        if len(self._json_parts) * JSON_SLICE >= len(customers):
            self._worker.stop()
            run.json_text = join_json_lists(self._json_parts)
            self._json_parts = []
            self._collector.release(freeze=run.total >= FREEZE_AFTER_RECORDS)
            self.jsonReady.emit()
