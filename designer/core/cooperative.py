"""Long work as step generators, run either at once or on an asyncio loop a few ms at a time.

Parsing and mapping a big response hold the interpreter lock, so a worker thread would not
keep a window responsive. Instead the work is written as a generator that yields between small
steps (see :func:`designer.core.json_slices.iter_loads_exact`); the CLI runs it to its end with
:func:`run_to_end`, the window awaits :func:`run_steps`, which gives the loop a turn whenever a
few milliseconds have passed. Both run the same steps, so they compute the same result.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Generator
from typing import TypeVar

__all__ = ["TURN_SECONDS", "run_steps", "run_to_end"]

T = TypeVar("T")

#: How long the steps may run before the loop gets a turn (a 60 Hz frame is 16 ms).
TURN_SECONDS = 0.004


def run_to_end(steps: Generator[None, None, T]) -> T:
    """Run every step now and return the generator's result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result: T = done.value
            return result


async def run_steps(steps: Generator[None, None, T], *, turn_seconds: float = TURN_SECONDS) -> T:
    """Run the steps, letting the event loop run whenever ``turn_seconds`` have passed.

    Cancelling the awaiting task closes the generator (its ``finally`` blocks run).
    """
    clock = time.perf_counter
    deadline = clock() + turn_seconds
    try:
        while True:
            try:
                next(steps)
            except StopIteration as done:
                result: T = done.value
                return result
            if clock() >= deadline:
                await asyncio.sleep(0)
                deadline = clock() + turn_seconds
    finally:
        steps.close()
