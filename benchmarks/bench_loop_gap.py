"""Event loop during Send: the longest gap between 10 ms timer ticks vs the idle gap (offscreen Qt).

    .venv/bin/python benchmarks/bench_loop_gap.py [--quick] [--megabytes 20] [--runs 5]

The real main window on its qasync loop, as ``lookup-designer`` runs it, with the HTTP stack
warmed up as ``lookup-designer`` warms it after start-up (``designer/gui/warmup.py``). A stdlib
HTTP server in a separate interpreter on 127.0.0.1 serves the synthetic customer response
(about 20 MB, a file with Content-Length); the window's Send streams it with httpx, parses it
(``decode_body_async``), maps every record (ten Customer fields) and shows it: raw text, tree,
mapper, live preview with its JSON output. A 10 ms QTimer records its ticks the whole time.

* idle: the longest gap with the window shown and nothing to do, measured in the same run
  before each Send (the baseline);
* Send: the longest gap from pressing Send until the live preview has written its JSON output,
  plus half a second after (deferred frees, collector runs). The first Send has no previous
  response; later ones also replace the previous 20 MB document, as a user's second Send does.

Target: longest gap during Send <= 2x the idle gap. The gaps above 30 ms of the median run are
printed under the table (offsets from Send) to show where time goes, and so is the number of
garbage objects the collector policy left frozen (``designer/gui/collector.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import Row, print_table, qt_app
from qtbench import TickProbe, isolate_user_folders
from synthetic import SIMPLE_FIELDS, response_bytes

from designer.core.config import FieldMapping, LookupConfig, ResponseSpec
from designer.gui.main_window import MainWindow
from designer.gui.warmup import warm_up

TARGET = 2.0
IDLE_SECONDS = 1.5
SETTLE_SECONDS = 0.5
BYTES_PER_RECORD = 350


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (used by run_all.py)")
    parser.add_argument("--megabytes", type=float, default=20.0, help="body size (default 20)")
    parser.add_argument("--runs", type=int, help="Sends measured (the median is shown)")
    args = parser.parse_args()
    args.runs = args.runs or (3 if args.quick else 5)
    return args


class FileServer:
    """``python -m http.server`` in its own interpreter (it must not share this one's lock)."""

    def __init__(self, folder: Path) -> None:
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-u",
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "--directory",
                str(folder),
                "0",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 41234 (...)"
        self.port = int(line.split(" port ")[1].split()[0])

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(10)


def lookup_config(url: str, max_bytes: int) -> LookupConfig:
    config = LookupConfig(
        name="Loop gap benchmark",
        response=ResponseSpec(
            records_path="$.customers[*]",
            fields={name: FieldMapping(paths=paths) for name, paths in SIMPLE_FIELDS.items()},
        ),
    )
    request = config.request
    transport = request.transport.model_copy(update={"max_response_bytes": max_bytes})
    timeouts = request.timeouts.model_copy(update={"read": 120.0, "total": 600.0})
    request = request.model_copy(update={"url": url, "transport": transport, "timeouts": timeouts})
    return config.model_copy(update={"request": request})


async def _until(condition: Any, timeout: float = 300.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("the window did not finish in time")
        await asyncio.sleep(0.02)


async def measure(window: MainWindow, runs: int, records: int) -> list[tuple[float, float, list[Any]]]:
    """(idle gap, Send gap, long gaps) per Send."""
    probe = TickProbe(10)
    live = window.preview_panel.live
    out = []
    for _ in range(runs):
        gc.collect()
        await asyncio.sleep(0.3)
        probe.start()
        await asyncio.sleep(IDLE_SECONDS)
        idle = probe.longest_gap()
        generation = live.run.generation
        probe.start()
        await asyncio.sleep(0.1)  # ticks before Send, so a stall right at Send counts too
        sent = time.perf_counter()
        window.send_action.trigger()
        await _until(
            lambda generation=generation: (
                live.run.generation > generation
                and live.run.json is not None
                and not window.runner.running
                and not live.busy
            )
        )
        await asyncio.sleep(SETTLE_SECONDS)
        probe.stop()
        mapped = window.preview_panel.live.run.mapped
        if mapped != records:
            raise RuntimeError(f"the preview mapped {mapped} records, not {records}")
        origin = probe.ticks[0] - sent if probe.ticks else 0.0
        long_gaps = [(start + origin, length) for start, length in probe.gaps_over(0.030)]
        out.append((idle, probe.longest_gap(), long_gaps))
        print(
            f"  Send: longest gap {probe.longest_gap() * 1000:.0f} ms (idle {idle * 1000:.1f} ms)", flush=True
        )
    return out


def frozen_garbage() -> int:
    """Unreachable objects among those the window froze (collected here, after the runs)."""
    gc.collect()  # what was never frozen
    gc.unfreeze()
    return gc.collect()


def main() -> None:
    args = _arguments()
    isolate_user_folders()
    records = int(args.megabytes * 1_000_000 / BYTES_PER_RECORD)
    body = response_bytes(records)
    app = qt_app()
    import qasync

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "customers.json").write_bytes(body)
        server = FileServer(Path(folder))
        try:
            url = f"http://127.0.0.1:{server.port}/customers.json"
            config = lookup_config(url, 4 * len(body))
            del body
            loop = qasync.QEventLoop(app)
            asyncio.set_event_loop(loop)
            window = MainWindow(config)
            window.show()
            warm_up()  # what lookup-designer does in the background once its window is complete
            try:
                results = loop.run_until_complete(measure(window, args.runs, records))
                loop.run_until_complete(window.shutdown())
                pinned = frozen_garbage()
            finally:
                window.hide()
                window.deleteLater()
                loop.close()
        finally:
            server.stop()
    idle = statistics.median(r[0] for r in results)
    gap = statistics.median(r[1] for r in results)
    first = results[0]
    size = f"{args.megabytes:g} MB, {records:,} records".replace(",", " ")
    rows = [
        Row("longest timer gap, Send (median)", size, gap, idle, TARGET),
        Row("longest timer gap, first Send", size, first[1], first[0], TARGET),
    ]
    print_table("Event loop during Send (10 ms timer; baseline: the idle gap in the same run)", rows)
    print(
        f"  garbage cycles that waited in the collector's permanent generation: {pinned} objects "
        f"after {len(results)} Sends (designer/gui/collector.py)"
    )
    median_run = sorted(results, key=lambda r: r[1])[len(results) // 2]
    if median_run[2]:
        shown = ", ".join(f"{start * 1000:.0f} ms: {length * 1000:.0f} ms" for start, length in median_run[2])
        print(f"  gaps over 30 ms in the median Send (start after Send: length): {shown}")


if __name__ == "__main__":
    main()
