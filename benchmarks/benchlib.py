"""What every benchmark script shares: paths, offscreen Qt, medians and the result table.

Each script measures its figures and a baseline in the same run and prints one table row per
figure: the measured value, the baseline, their ratio and the target, so a slower or faster
machine changes both columns and not the verdict.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (str(HERE), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = (100, 10_000, 200_000)
QUICK_SIZES = (100, 10_000)


def arguments(description: str, *, sizes: Iterable[int] = SIZES, runs: int = 5) -> argparse.Namespace:
    """``--quick`` (fewer runs, no 200 000-record size unless asked), ``--sizes``, ``--runs``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="fewer runs and sizes (used by run_all.py)")
    parser.add_argument("--sizes", help="comma-separated record counts")
    parser.add_argument("--runs", type=int, help="runs per figure (the median is shown)")
    args = parser.parse_args()
    default = tuple(sizes)
    if args.sizes:
        args.sizes = tuple(int(s) for s in args.sizes.split(","))
    elif args.quick:
        args.sizes = tuple(s for s in default if s <= 10_000) or default[:1]
    else:
        args.sizes = default
    args.runs = args.runs or (max(1, runs // 2) if args.quick else runs)
    return args


def median_time(func: Callable[[], Any], runs: int, *, setup: Callable[[], Any] | None = None) -> float:
    """The median wall time of ``func`` in seconds (a full collection before each run)."""
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_median_times(
    measured: Callable[[], Any],
    baseline: Callable[[], Any],
    runs: int,
    *,
    collector: bool = True,
    number: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[float, float]:
    """The median times of one call of ``measured`` and of ``baseline`` (seconds).

    They run alternately (A B, B A, A B...), so both see the same machine: on a shared two-core
    box a burst of other work shifts both medians rather than the ratio. Each sample is
    ``number`` calls in a row divided by ``number`` (steady throughput rather than one cold
    call, for work of a millisecond or less). Every result is kept until the clock has stopped,
    so neither side is timed freeing what it made. With ``collector=False`` both run with the
    cyclic garbage collector paused. ``clock`` is wall time unless told: ``time.process_time``
    (this process's CPU time) suits pure computation on a machine other work shares, since the
    time spent waiting for a core is not counted for either side.
    """
    times: tuple[list[float], list[float]] = ([], [])
    funcs = (measured, baseline)
    for run in range(runs):
        for which in (0, 1) if run % 2 == 0 else (1, 0):
            func = funcs[which]
            kept: list[Any] = []
            keep = kept.append
            gc.collect()
            if not collector:
                gc.disable()
            try:
                start = clock()
                for _ in range(number):
                    keep(func())
                times[which].append((clock() - start) / number)
            finally:
                gc.enable()
            del kept
    return statistics.median(times[0]), statistics.median(times[1])


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


@dataclass
class Row:
    figure: str
    size: str
    value: float
    baseline: float | None
    target: float
    unit: str = "ms"
    #: "ratio": value / baseline <= target; "absolute": value <= target (baseline shown for scale);
    #: "scale": no target of its own, printed to explain the others (e.g. a floor no code can beat).
    kind: str = "ratio"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline <= 0:
            return None
        return self.value / self.baseline

    @property
    def ok(self) -> bool:
        if self.kind == "scale":
            return True
        if self.kind == "absolute":
            return self.value <= self.target
        ratio = self.ratio
        return ratio is not None and ratio <= self.target


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value * 1000:.1f} ms" if value < 10 else f"{value * 1000:.0f} ms"
    if unit == "MB":
        return f"{value / 1e6:.1f} MB"
    return f"{value:.3g} {unit}"


def print_table(title: str, rows: list[Row]) -> bool:
    """Print the rows; True when every figure meets its target."""
    print(f"\n{title}")
    header = ("figure", "size", "measured", "baseline", "ratio", "target", "")
    lines = []
    for row in rows:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "—"
        if row.kind == "scale":
            target, verdict = "—", "for scale"
        else:
            target = f"≤ {row.target:g}x" if row.kind == "ratio" else f"≤ {_amount(row.target, row.unit)}"
            verdict = "ok" if row.ok else "MISSED"
        if row.note:
            verdict += f"  ({row.note})"
        lines.append(
            (
                row.figure,
                row.size,
                _amount(row.value, row.unit),
                _amount(row.baseline, row.unit),
                ratio,
                target,
                verdict,
            )
        )
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header) - 1)]
    for line in [header, *lines]:
        cells = [
            str(cell).ljust(width) if i < 2 else str(cell).rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=False))
        ]
        print("  " + "  ".join(cells) + "  " + str(line[-1]))
    sys.stdout.flush()
    return all(row.ok for row in rows)


def records_label(count: int) -> str:
    return f"{count:,} records".replace(",", " ")


def qt_app() -> Any:
    """The QApplication of this process (offscreen)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    return app


def process_events(app: Any, seconds: float = 0.0) -> None:
    """Let Qt handle pending events (and, for ``seconds``, whatever arrives)."""
    from PySide6.QtCore import QEventLoop

    deadline = time.perf_counter() + seconds
    while True:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        if time.perf_counter() >= deadline:
            return
        time.sleep(0.001)


def rss_bytes() -> int:
    """The resident set size of this process (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
