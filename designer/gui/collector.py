"""The cyclic garbage collector around big responses: held off during bulk work, survivors frozen.

Parsing and mapping a big response create hundreds of thousands of objects that live as long as
the response is shown and hold no reference cycles. CPython's cyclic collector cannot know
that: a young collection rescans everything allocated since the last one, and a full
collection rescans the whole heap. Measured with 57 000 records (a 20 MB body) on the
benchmark machine: a full collection takes ~150 ms while the parsed document is alive and
~570 ms once it is mapped. The core pauses the collector only inside each of its parse and
mapping steps; the window has to pause it across them. The longest event-loop stall during
such a Send (``benchmarks/bench_loop_gap.py``, idle ~10 ms): 340-570 ms with no policy here,
280-350 ms with the holds below but nothing frozen, ~20 ms with this module as it is.

The collector is process-wide, so this module is the window's only policy for it:

* bulk work takes a :class:`CollectorHold` (a Send from the body's arrival to the result shown,
  a live-preview run, reading a saved response); holds nest, and the collector is off while
  any is held;
* an owner whose work leaves a big result alive (a parsed body, thousands of mapped records)
  releases with ``big_result=True``; when the last hold is released after such work, every
  object alive is moved to the permanent generation (``gc.freeze()``, constant time) before the
  collector is switched back on. Reference counting still frees them as soon as the response
  is replaced (they hold no cycles), but no later collection rescans them;
* an owner whose work showed a small response releases with ``big_result=False``: when the
  last hold is released, what was frozen for an earlier big response is handed back to the
  collector (``gc.unfreeze()``), so garbage cycles frozen along with it are collected again.
  Cancelled work says nothing (``None``) and changes nothing.

Both decisions are constant-time (freeze and unfreeze take microseconds); counting the permanent
generation would walk it (~7 ms per million objects), the kind of stall this module prevents.

The price: garbage cycles that exist at a freeze wait in the permanent generation until that
unfreeze. Measured, a 20 MB Send leaves ~500 such objects (httpx connection internals, the json
module's indenting encoder used for the raw view); the live preview writes its JSON output
after releasing its hold, so the many encoder cycles of that phase are collected normally.
"""

from __future__ import annotations

import gc

__all__ = ["BIG_BODY_BYTES", "CollectorHold", "held"]

#: A body at least this big leaves a result worth freezing (~5 000 records of ~350 bytes).
BIG_BODY_BYTES = 2_000_000


class _Policy:
    """The process's one state: how many holds, and what the collector was before them."""

    def __init__(self) -> None:
        self.holds = 0
        self.was_enabled = True
        self.news: bool | None = None  # big_result of the releases since the collector went off
        self.frozen = False  # the permanent generation holds what we froze

    def acquire(self) -> None:
        if self.holds == 0:
            self.was_enabled = gc.isenabled()
            gc.disable()
        self.holds += 1

    def release(self, big_result: bool | None) -> None:
        self.holds -= 1
        if big_result is not None:
            self.news = big_result or bool(self.news)
        if self.holds > 0:
            return
        if self.news:
            gc.freeze()
            self.frozen = True
        elif self.news is False and self.frozen:
            gc.unfreeze()
            self.frozen = False
        self.news = None
        if self.was_enabled:
            gc.enable()


_POLICY = _Policy()


def held() -> bool:
    """True while some bulk work holds the collector off."""
    return _POLICY.holds > 0


class CollectorHold:
    """One owner's hold: ``hold()`` and ``release()`` may be called any number of times."""

    def __init__(self) -> None:
        self._active = False

    @property
    def active(self) -> bool:
        return self._active

    def hold(self) -> None:
        if not self._active:
            self._active = True
            _POLICY.acquire()

    def release(self, big_result: bool | None = None) -> None:
        """End the hold, saying whether the work left a big result (None: no news)."""
        if self._active:
            self._active = False
            _POLICY.release(big_result)
