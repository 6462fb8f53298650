"""The window's policy for the cyclic collector: nested holds, freeze after big work, unfreeze after small."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from designer.gui.collector import CollectorHold, held


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    assert gc.isenabled() and not held()
    yield
    gc.unfreeze()
    gc.enable()


def test_holds_nest_and_the_last_release_switches_the_collector_back_on() -> None:
    runner, preview = CollectorHold(), CollectorHold()
    runner.hold()
    preview.hold()
    preview.hold()  # a second hold by the same owner is the same hold
    assert not gc.isenabled() and held()
    preview.release()
    assert not gc.isenabled()
    runner.release()
    runner.release()  # releasing twice is harmless
    assert gc.isenabled() and not held()


def test_a_big_result_is_frozen_when_the_last_hold_ends_and_a_small_one_unfreezes_it() -> None:
    gc.unfreeze()
    first, second = CollectorHold(), CollectorHold()
    first.hold()
    second.hold()
    kept = [[i] for i in range(1000)]  # survivors of the bulk work
    first.release(True)
    assert gc.get_freeze_count() == 0  # not while someone still holds the collector
    second.release(None)
    assert gc.get_freeze_count() > len(kept)
    assert gc.isenabled()
    cancelled = CollectorHold()
    cancelled.hold()
    cancelled.release()
    assert gc.get_freeze_count() > 0  # cancelled work (no news) changes nothing
    small = CollectorHold()
    small.hold()
    small.release(False)
    assert gc.get_freeze_count() == 0


def test_the_collector_stays_off_after_the_holds_when_it_was_off_before() -> None:
    gc.disable()
    hold = CollectorHold()
    hold.hold()
    hold.release(False)
    assert not gc.isenabled()
