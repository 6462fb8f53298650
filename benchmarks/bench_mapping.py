"""Mapping throughput: the engine vs a hand-written dict loop + pydantic, in the same run.

    .venv/bin/python benchmarks/bench_mapping.py [--quick] [--sizes 100,10000,200000] [--runs 5]

The median time of several runs per size and its ratio to the baseline, for simple paths
(names, indexes, a key with a space; target <= 1.3x) and for filter/recursive paths (target
<= 100x). The baseline builds the very same Customers by hand from the dicts and validates them
with pydantic (``Customer.model_validate``), knowing the data: no checks, no diagnostics, no
per-record results; its output is checked equal to the engine's before anything is timed. The
engine is timed as the runtime calls it: ``compile_spec(spec).map_document(document)`` (the
compiled spec is cached, as in a live preview), which also gives every record's field values.

Fair to the baseline: both run alternately with the cyclic garbage collector paused (the engine
pauses it itself; a baseline left with it running would be slower at 200 000 records for a
reason that has nothing to do with mapping), and neither is timed freeing its output. Times are
this process's CPU time (``time.process_time``), so a burst of other work on a shared machine
does not land on one side; a sample at 100 records is 200 calls in a row.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

from benchlib import Row, arguments, paired_median_times, print_table, records_label
from synthetic import SIMPLE_FIELDS, response_text

from designer.core.config import FieldMapping, ResponseSpec
from designer.core.customer import Customer
from designer.core.jsonio import loads_exact
from designer.core.mapping import compile_spec
from designer.core.model_types import MappingResult

#: Pure computation, timed as this process's CPU time: other work on the machine does not count.
CPU = time.process_time


def _spec(fields: dict[str, list[str]]) -> ResponseSpec:
    return ResponseSpec(
        records_path="$.customers[*]",
        fields={name: FieldMapping(paths=paths) for name, paths in fields.items()},
    )


SIMPLE = _spec(SIMPLE_FIELDS)
_DEFAULT = "$.addresses[?(@.default == true)]"
FILTERS = _spec(
    {
        "identifier": ["$.customerNo"],
        "name": ["$.first_name", "$.last_name"],
        "street": [f"{_DEFAULT}.street"],
        "city": [f"{_DEFAULT}.city"],
        "postal_code": [f"{_DEFAULT}.zip"],
        "country_code": [f"{_DEFAULT}.country"],
        "phone": ["$['phone numbers'][0]"],
        "email": ["$..['e-mail']"],
        "balance.identifier": ["$.account.id"],
        "balance.balance": ["$.account.balance"],
    }
)


Pick = Callable[[list[dict[str, Any]]], dict[str, Any]]


def _hand(records: list[dict[str, Any]], pick: Pick) -> list[Customer]:
    out = []
    for r in records:
        address = pick(r["addresses"])
        account = r["account"]
        out.append(
            Customer.model_validate(
                {
                    "identifier": str(r["customerNo"]),
                    "name": f"{r['first_name']} {r['last_name']}",
                    "street": address["street"],
                    "city": address["city"],
                    "postal_code": str(address["zip"]),
                    "country_code": address["country"],
                    "phone": r["phone numbers"][0],
                    "email": r["e-mail"],
                    "balance": {"identifier": account["id"], "balance": account["balance"]},
                }
            )
        )
    return out


def hand_simple(doc: dict[str, Any]) -> list[Customer]:
    return _hand(doc["customers"], lambda addresses: addresses[0])


def hand_filter(doc: dict[str, Any]) -> list[Customer]:
    return _hand(doc["customers"], lambda addresses: next(a for a in addresses if a["default"] is True))


def engine(spec: ResponseSpec) -> Callable[[Any], MappingResult]:
    """The whole result is returned (and so kept until the clock stops), not just its Customers."""

    def run(doc: Any) -> MappingResult:
        return compile_spec(spec).map_document(doc)

    return run


def main() -> None:
    args = arguments(__doc__.splitlines()[0], runs=11)
    rows: list[Row] = []
    for size in args.sizes:
        doc = loads_exact(response_text(size))
        runs = args.runs if size <= 10_000 else max(3, args.runs // 2)
        number = max(1, 20_000 // size)  # a sample is 50 ms or more: steadier than single calls
        for label, spec, baseline, target in (
            ("simple paths", SIMPLE, hand_simple, 1.3),
            ("filters, recursive descent", FILTERS, hand_filter, 100.0),
        ):
            mapped = engine(spec)
            if list(mapped(doc).customers) != baseline(doc):
                raise SystemExit(f"engine and baseline disagree for {label}")
            ours, base = paired_median_times(
                partial(mapped, doc), partial(baseline, doc), runs, collector=False, number=number, clock=CPU
            )
            rows.append(Row(f"mapping, {label}", records_label(size), ours, base, target))
            print(f"  measured {label} at {records_label(size)}", flush=True)
        del doc
    print_table("Mapping: engine vs hand-written loop + pydantic validation (same Customers)", rows)


if __name__ == "__main__":
    main()
