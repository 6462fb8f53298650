"""Raw text view: first paint of 10 MB and 50 MB pretty-printed bodies (offscreen Qt).

    .venv/bin/python benchmarks/bench_raw_view.py [--quick] [--sizes 10,50] [--runs 5]

``--sizes`` is in MB of pretty-printed JSON here (``--quick``: 10 MB only). The body is the
synthetic customer response pretty-printed (``indent=2``), as some merchant APIs send it; it is
parsed beforehand (not timed), as the window parses it before showing it. Timed: the app's
:class:`~designer.gui.raw_view.RawView`, already shown, from ``show_body`` until its text view
has painted, both as pretty-printed JSON (the default) and as received.

Baseline (for scale; the target is absolute, <= 200 ms at any size): a bare QPlainTextEdit
showing the 100-record response pretty-printed (about 70 KB) with ``setPlainText``, timed the
same way in the same run.
"""

from __future__ import annotations

import gc
import statistics
import sys
from functools import partial

from benchlib import Row, arguments, print_table, qt_app
from PySide6.QtWidgets import QPlainTextEdit
from qtbench import PaintProbe, time_until_painted
from synthetic import response_text

from designer.core.decode import DecodedBody, decode_body
from designer.core.jsonio import dumps_exact, loads_exact
from designer.gui.raw_view import RawView

MB = 1_000_000
TARGET = 0.200
SIZES_MB = (10, 50)


def pretty_body(megabytes: float) -> bytes:
    """The synthetic response pretty-printed, with as many records as make about ``megabytes``."""
    sample = dumps_exact(loads_exact(response_text(1000)), indent=2).encode("utf-8")
    records = max(1, int(megabytes * MB / (len(sample) / 1000)))
    return dumps_exact(loads_exact(response_text(records)), indent=2).encode("utf-8")


def baseline(runs: int) -> float:
    text = dumps_exact(loads_exact(response_text(100)), indent=2)
    edit = QPlainTextEdit()
    edit.setReadOnly(True)
    edit.resize(700, 700)
    edit.show()
    probe = PaintProbe(edit.viewport())
    times = []
    for _ in range(runs):
        time_until_painted(edit.viewport(), edit.clear, probe)
        gc.collect()
        times.append(time_until_painted(edit.viewport(), partial(edit.setPlainText, text), probe))
    edit.close()
    edit.deleteLater()
    return statistics.median(times)


def first_paint(view: RawView, probe: PaintProbe, decoded: DecodedBody, runs: int) -> float:
    times = []
    for _ in range(runs):
        time_until_painted(view.text_edit.viewport(), partial(view.show_body, None), probe)
        gc.collect()
        times.append(time_until_painted(view.text_edit.viewport(), partial(view.show_body, decoded), probe))
    return statistics.median(times)


def main() -> None:
    args = arguments(__doc__.splitlines()[0], sizes=SIZES_MB)
    explicit = any(arg.startswith("--sizes") for arg in sys.argv[1:])
    sizes = SIZES_MB[:1] if args.quick and not explicit else args.sizes
    qt_app()
    base = baseline(args.runs)
    view = RawView()
    view.resize(700, 700)
    view.show()
    probe = PaintProbe(view.text_edit.viewport())
    rows: list[Row] = []
    for megabytes in sizes:
        body = pretty_body(megabytes)
        decoded = decode_body(body, "application/json")
        assert decoded.ok, decoded.error
        label = f"{len(body) / MB:.0f} MB"
        for mode, pretty in (("pretty-printed", True), ("as received", False)):
            view.pretty_check.setChecked(pretty)
            seconds = first_paint(view, probe, decoded, args.runs)
            rows.append(Row(f"raw view first paint, {mode}", label, seconds, base, TARGET, kind="absolute"))
        print(f"  measured {label}", flush=True)
        view.show_body(None)
        del body, decoded
        gc.collect()
    view.close()
    print_table("Raw view first paint (baseline: bare QPlainTextEdit with the 100-record body, ~70 KB)", rows)


if __name__ == "__main__":
    main()
