"""Run every benchmark (``bench_*.py``) and print all their tables.

    .venv/bin/python benchmarks/run_all.py          # quick: fewer runs, sizes up to 10 000 records
    .venv/bin/python benchmarks/run_all.py --full   # every size (200 000 records), more runs

Each script runs in its own interpreter (start-up and memory figures must not see the others'
state), one after the other, so they do not compete for the machine. The exit status is 1 when a
script failed to run; a missed target is reported in the tables (``MISSED``), not as a failure.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="every size and the full number of runs")
    parser.add_argument("only", nargs="*", help="run only these scripts (e.g. bench_tree)")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        wanted = {name.removesuffix(".py") for name in args.only}
        scripts = [script for script in scripts if script.stem in wanted]
    failed: list[str] = []
    missed: list[str] = []
    for script in scripts:
        mode = "full" if args.full else "quick"
        print(f"\n=== {script.name} ({mode})", flush=True)
        started = time.perf_counter()
        command = [sys.executable, str(script)] + ([] if args.full else ["--quick"])
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        output = done.stdout
        print(output, end="" if output.endswith("\n") else "\n", flush=True)
        if done.returncode != 0:
            failed.append(script.name)
            print(done.stderr[-3000:], file=sys.stderr, flush=True)
        elif "MISSED" in output:
            missed.append(script.name)
        print(f"--- {script.name}: {time.perf_counter() - started:.0f} s", flush=True)
    print()
    print(f"{len(scripts)} benchmarks; targets missed in: {', '.join(missed) or 'none'}")
    if failed:
        print(f"failed to run: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
