"""Start-up: a fresh interpreter until the main window's first paint, vs a bare QMainWindow.

    .venv/bin/python benchmarks/bench_startup.py [--quick] [--runs 7]

Each run starts a new interpreter (offscreen Qt, settings in an empty temporary folder) and
measures, on the system's monotonic clock, from just before the process is spawned until the
first paint event reaches the window:

* the app: ``run_app`` as ``lookup-designer`` (no project) calls it, the window it creates;
* the baseline: ``QApplication`` + a bare ``QMainWindow`` of the same size, shown.

Target: the app's first paint <= 1.3x the bare window's. Also printed, for scale: when the app's
window was complete (every panel built, ``run_app``'s ``on_shown`` hook called).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from benchlib import ROOT, Row, print_table
from qtbench import isolate_user_folders

TARGET = 1.3

# Both children: an application-wide filter prints the time when the first paint event reaches
# the main window (the paint itself, a few ms for either window, is not counted).
_PRELUDE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
marks = {}
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if "paint" not in marks and event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            marks["paint"] = time.monotonic()
            print("PAINTED", marks["paint"], flush=True)
        return False
first_paint = FirstPaint()
app.installEventFilter(first_paint)
"""

APP_CHILD = (
    _PRELUDE
    + """
import argparse
from designer.gui.app import run_app
def on_shown(window):
    print("COMPLETE", time.monotonic(), flush=True)
    QTimer.singleShot(0, window.close)
sys.exit(run_app(argparse.Namespace(project=None, demo=False, quit_after=None), on_shown))
"""
)

BARE_CHILD = (
    _PRELUDE
    + """
window = QMainWindow()
window.setWindowTitle("Customer Lookup Designer")
window.resize(1400, 900)
window.show()
def quit_when_painted():
    if "paint" in marks:
        app.quit()
    else:
        QTimer.singleShot(5, quit_when_painted)
QTimer.singleShot(5, quit_when_painted)
app.exec()
"""
)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (used by run_all.py)")
    parser.add_argument("--runs", type=int, help="starts of each kind (the median is shown)")
    args = parser.parse_args()
    args.runs = args.runs or (5 if args.quick else 9)
    return args


def start(code: str) -> dict[str, float]:
    """Seconds from spawning a fresh interpreter running ``code`` to each mark it prints."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    begin = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"start-up child failed ({done.returncode}):\n{done.stderr[-2000:]}")
    marks = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in ("PAINTED", "COMPLETE"):
            marks[name] = float(value) - begin
    if "PAINTED" not in marks:
        raise RuntimeError(f"the child never painted:\n{done.stdout}\n{done.stderr[-2000:]}")
    return marks


def main() -> None:
    args = _arguments()
    isolate_user_folders()
    start(BARE_CHILD)  # warm the file cache: the first start of all reads every library from disk
    start(APP_CHILD)
    bare: list[float] = []
    app: list[float] = []
    complete: list[float] = []
    for _ in range(args.runs):  # interleaved, so a busy moment of the machine hits both
        bare.append(start(BARE_CHILD)["PAINTED"])
        marks = start(APP_CHILD)
        app.append(marks["PAINTED"])
        complete.append(marks.get("COMPLETE", float("nan")))
    base = statistics.median(bare)
    rows = [Row("start-up to first paint", "lookup-designer", statistics.median(app), base, TARGET)]
    print_table("Start-up in a fresh interpreter (baseline: a bare QMainWindow, same size)", rows)
    print(
        f"  for scale: the window was complete (every panel built) after "
        f"{statistics.median(complete) * 1000:.0f} ms (median); the bare window painted after "
        f"{base * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
