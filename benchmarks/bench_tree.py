"""JSON tree: first paint, memory, and expanding a 200 000-element array (offscreen Qt).

    .venv/bin/python benchmarks/bench_tree.py [--quick] [--sizes 100,10000,200000] [--runs 5]

A QTreeView configured as the Response panel configures its tree, over the app's own
:class:`~designer.gui.json_tree_model.JsonTreeModel`, shown in an offscreen window.

* first paint: from ``set_document`` (plus the panel's opening expands: the document, a
  one-member wrapper such as ``{"customers": [...]}``, the first record) until the view has
  painted; baseline the same at 100 records; target <= 2x.
* memory: the larger of the process's resident-set growth (Qt's C++ side included; it can
  read 0 when freed pages are reused) and the Python-heap growth (tracemalloc, a second pass),
  from before ``set_document`` until the first paint and the first group's expansion; target
  <= 15 MB + 10% of the parsed document's own size (every distinct Python object of the
  parsed document, ``sys.getsizeof``). Both growths are in the note.
* expand: expanding the records array (collapsed before) until painted, then its first,
  middle and last group; target <= 50 ms each; baseline for scale: expanding the 100-element
  array at 100 records.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tracemalloc
from functools import partial
from typing import Any

from benchlib import Row, arguments, print_table, qt_app, records_label, rss_bytes
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView
from qtbench import PaintProbe, time_until_painted
from synthetic import response_bytes

from designer.core.decode import decode_body
from designer.gui.json_tree_model import JsonTreeModel

MB = 1_000_000
FIRST_PAINT_TARGET = 2.0
EXPAND_TARGET = 0.050
MEMORY_FIXED = 15 * MB
MEMORY_SHARE = 0.10


def make_view() -> tuple[QTreeView, JsonTreeModel, PaintProbe]:
    """A tree set up as ``ResponsePanel._build_tree_side`` sets up its tree, shown."""
    model = JsonTreeModel()
    view = QTreeView()
    view.setModel(model)
    view.setUniformRowHeights(True)
    view.setAlternatingRowColors(True)
    view.setIndentation(14)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setDragEnabled(True)
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
    view.resize(600, 700)
    view.show()
    probe = PaintProbe(view.viewport())
    time_until_painted(view.viewport(), lambda: None, probe)
    return view, model, probe


def expand_start(view: QTreeView, model: JsonTreeModel) -> None:
    """What the Response panel opens on a new document (``ResponsePanel._expand_start``)."""
    target = model.index(0, 0)
    view.expand(target)
    if model.rowCount(target) == 1:
        target = model.index(0, 0, target)
        view.expand(target)
    if isinstance(model.value(target), list) and model.rowCount(target) > 0:
        first = model.index(0, 0, target)
        if not model.is_group(first):
            view.expand(first)


def records_index(model: JsonTreeModel) -> QModelIndex:
    return model.index_for_location(("customers",))


def deep_size(value: Any) -> int:
    """Bytes of every distinct object of a parsed document (shared keys counted once)."""
    seen: set[int] = set()
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return total


def first_paint(document: Any, runs: int) -> float:
    view, model, probe = make_view()
    times = []
    for _ in range(runs):
        model.clear()
        time_until_painted(view.viewport(), lambda: None, probe)
        gc.collect()

        def show() -> None:
            model.set_document(document)
            expand_start(view, model)

        times.append(time_until_painted(view.viewport(), show, probe))
    view.close()
    view.deleteLater()
    return statistics.median(times)


def _grow(document: Any, *, traced: bool) -> int:
    """Bytes the process (or, ``traced``, the Python heap) grows by showing the document."""
    view, model, probe = make_view()
    gc.collect()
    if traced:
        tracemalloc.start()
    before = rss_bytes()

    def show() -> None:
        model.set_document(document)
        expand_start(view, model)

    time_until_painted(view.viewport(), show, probe)
    records = records_index(model)
    if records.isValid() and model.rowCount(records) > 0:
        first = model.index(0, 0, records)
        time_until_painted(view.viewport(), lambda: view.expand(first), probe)
    grown = rss_bytes() - before
    if traced:
        grown = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    view.close()
    view.deleteLater()
    return grown


def memory(document: Any) -> tuple[int, int]:
    """(RSS growth, Python-heap growth) of showing the document and expanding a group."""
    grown = _grow(document, traced=False)
    gc.collect()
    heap = _grow(document, traced=True)
    gc.collect()
    return grown, heap


def expand_times(document: Any, runs: int) -> dict[str, float]:
    """Median seconds per expand action, each from a fresh model (no node made before)."""
    samples: dict[str, list[float]] = {}
    view, model, probe = make_view()
    for _ in range(runs):
        model.set_document(document)
        time_until_painted(view.viewport(), lambda: view.expand(model.index(0, 0)), probe)
        gc.collect()
        records = records_index(model)
        count = len(model.value(records))
        action = f"expand the {records_label(count).replace('records', 'element')} array"
        samples.setdefault(action, []).append(
            time_until_painted(view.viewport(), partial(view.expand, records), probe)
        )
        groups = model.rowCount(records)
        if not model.is_group(model.index(0, 0, records)):
            continue
        for label, row in (("first", 0), ("middle", groups // 2), ("last", groups - 1)):
            group = model.index(row, 0, records)
            view.scrollTo(group, QAbstractItemView.ScrollHint.PositionAtTop)
            time_until_painted(view.viewport(), lambda: None, probe)
            samples.setdefault(f"then expand its {label} group", []).append(
                time_until_painted(view.viewport(), partial(view.expand, group), probe)
            )
    view.close()
    view.deleteLater()
    return {action: statistics.median(values) for action, values in samples.items()}


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    qt_app()
    sizes = args.sizes if 100 in args.sizes else (100, *args.sizes)
    paint_rows: list[Row] = []
    memory_rows: list[Row] = []
    expand_rows: list[Row] = []
    baseline_paint: float | None = None
    baseline_expand: float | None = None
    for size in sizes:
        decoded = decode_body(response_bytes(size), "application/json")
        document = decoded.document
        del decoded
        gc.collect()
        paint = first_paint(document, args.runs)
        if size == 100:
            baseline_paint = paint
        paint_rows.append(
            Row("tree first paint", records_label(size), paint, baseline_paint, FIRST_PAINT_TARGET)
        )
        parsed = deep_size(document)
        grown, heap = memory(document)
        memory_rows.append(
            Row(
                "memory (RSS or heap growth)",
                records_label(size),
                max(grown, heap),
                parsed,
                MEMORY_FIXED + MEMORY_SHARE * parsed,
                unit="MB",
                kind="absolute",
                note=f"baseline = parsed document; RSS {grown / MB:+.2f} MB, Python heap {heap / MB:+.2f} MB",
            )
        )
        for action, seconds in expand_times(document, args.runs).items():
            if size == 100 and action.startswith("expand the"):
                baseline_expand = seconds
            expand_rows.append(
                Row(action, records_label(size), seconds, baseline_expand, EXPAND_TARGET, kind="absolute")
            )
        print(f"  measured {records_label(size)}", flush=True)
        del document
        gc.collect()
    print_table("Tree first paint (ratio to the 100-record time)", paint_rows)
    print_table("Tree memory (target 15 MB + 10% of the parsed document)", memory_rows)
    print_table("Tree expand (groups of 1 000; baseline: the 100-element array)", expand_rows)


if __name__ == "__main__":
    main()
