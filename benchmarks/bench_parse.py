"""JSON parse time: the app's exact parse vs the fastest parse in the process, in the same run.

    .venv/bin/python benchmarks/bench_parse.py [--quick] [--sizes 100,10000,200000] [--runs 5]

The app's parse is ``decode_body(body, "application/json")``, what the runtime runs on a
response: bytes to text (declared charset, BOM), the anti-XSSI and HTML checks, then
``loads_exact`` (numbers with a fraction as exact ``Decimal``, ids above 2^53 exact,
NaN/Infinity noted, duplicate keys noted in bodies up to 1 MB, the depth limit; big bodies in
slices, see ``designer/core/json_slices.py``). Baselines, each with the cyclic garbage collector
paused like the app pauses it: ``orjson.loads`` (the fastest parser available; it reads
fractions as floats, and is not a dependency of the app) and ``json.loads`` (the standard
library's C scanner, floats too). Sizes: the synthetic responses of 100 / 10 000 / 200 000
records, and a pretty-printed body of about 70 MB (``--quick``: the first two, no 70 MB).
Runs alternate between the app and a baseline; times are this process's CPU time
(``time.process_time``), the median of several runs.

A last row per size compares ``json.loads`` itself with orjson: the standard library's C
scanner is the only exact-capable parser on the app's stack (pydantic's JSON parser reads
fractions as floats too), so that ratio is the floor under any exact parse here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from benchlib import Row, arguments, paired_median_times, print_table, records_label
from synthetic import response_text

from designer.core.decode import decode_body
from designer.core.jsonio import dumps_exact, loads_exact

orjson: Any
try:
    import orjson
except ImportError:  # pragma: no cover - the bench extra installs it
    orjson = None

TARGET = 1.2
#: Pure computation, timed as this process's CPU time: other work on the machine does not count.
CPU = time.process_time
PRETTY_BYTES = 70_000_000


def pretty_body(target_bytes: int) -> tuple[bytes, int]:
    """A pretty-printed (indent 2) response of about ``target_bytes``, and its record count."""

    def pretty(count: int) -> bytes:
        return dumps_exact(loads_exact(response_text(count)), indent=2).encode("utf-8")

    count = max(1, target_bytes * 1000 // len(pretty(1000)))
    return pretty(count), count


def _size(body: bytes) -> str:
    return f"{len(body) / 1e6:.1f} MB" if len(body) >= 1e6 else f"{len(body) / 1e3:.0f} kB"


def app_parse(body: bytes) -> Any:
    decoded = decode_body(body, "application/json")
    if not decoded.ok:
        raise SystemExit(f"the app could not parse the benchmark body: {decoded.error}")
    return decoded.document


def check_exact(document: Any, body: bytes) -> None:
    """The app's document is the standard parse, with every number exact (checked, not timed)."""
    reference = json.loads(body, parse_float=Decimal)
    if document != reference:
        raise SystemExit("the app's document differs from json.loads(parse_float=Decimal)")
    first = document["customers"][0]
    if type(first["account"]["balance"]) is not Decimal or first["customerNo"] <= 2**53:
        raise SystemExit("the benchmark body lost its exact numbers")


def measure(label: str, size: str, body: bytes, runs: int) -> list[Row]:
    number = max(1, 2_000_000 // len(body))  # a sample is a few milliseconds at least

    def parse() -> Any:
        return app_parse(body)

    baselines: list[tuple[str, Callable[[], Any]]] = [("json.loads", lambda: json.loads(body))]
    if orjson is not None:
        baselines.insert(0, ("orjson", lambda: orjson.loads(body)))
    rows: list[Row] = []
    for name, baseline in baselines:
        ours, base = paired_median_times(parse, baseline, runs, collector=False, number=number, clock=CPU)
        rows.append(Row(f"{label} vs {name}", size, ours, base, TARGET))
    if orjson is not None:
        floor, fastest = paired_median_times(
            lambda: json.loads(body),
            lambda: orjson.loads(body),
            runs,
            collector=False,
            number=number,
            clock=CPU,
        )
        note = "the floor under any exact parse on the stack"
        rows.append(Row("json.loads vs orjson", size, floor, fastest, TARGET, kind="scale", note=note))
    return rows


def main() -> None:
    args = arguments(__doc__.splitlines()[0], runs=7)
    if orjson is None:
        print("orjson is not installed (pip install -e '.[bench]'): json.loads is the fastest here")
    rows: list[Row] = []
    for count in args.sizes:
        body = response_text(count).encode("utf-8")
        check_exact(app_parse(body), body)
        runs = args.runs if count <= 10_000 else max(3, args.runs // 2)
        rows += measure("parse", f"{records_label(count)} ({_size(body)})", body, runs)
        print(f"  measured {records_label(count)}", flush=True)
        del body
    if not args.quick:
        body, count = pretty_body(PRETTY_BYTES)
        check_exact(app_parse(body), body)
        label = f"{records_label(count)}, pretty ({_size(body)})"
        rows += measure("parse", label, body, max(3, args.runs // 2))
        print("  measured the ~70 MB pretty-printed body", flush=True)
    title = "JSON parse: the app's exact parse (decode_body) vs the fastest parse, collector paused"
    print_table(title, rows)


if __name__ == "__main__":
    main()
