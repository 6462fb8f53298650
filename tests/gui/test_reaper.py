"""The reaper: frees handed-over data in small steps once unused elsewhere, and never changes it."""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass, field
from typing import Any

from pytestqt.qtbot import QtBot

from designer.gui.reaper import Reaper


class Marker:
    """Something a weak reference can watch, deep inside the handed-over data."""


@dataclass
class Run:
    results: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)


def _data() -> tuple[Run, weakref.ref[Marker]]:
    marker = Marker()
    records = [{"id": i, "tags": [f"t{i}"], "nested": {"list": [i, (i, str(i))]}} for i in range(5000)]
    records[4321]["nested"]["marker"] = marker
    return Run(records, {"tuple": tuple(records[:10])}), weakref.ref(marker)


def test_data_no_one_else_uses_is_freed_a_step_at_a_time(qtbot: QtBot) -> None:
    reaper = Reaper()
    run, marker = _data()
    reaper.discard(run)
    del run
    assert marker() is not None and reaper.busy
    qtbot.waitUntil(lambda: not reaper.busy, timeout=10_000)
    assert marker() is None


def test_data_still_used_elsewhere_is_left_intact_until_its_last_user_lets_go(qtbot: QtBot) -> None:
    reaper = Reaper()
    run, marker = _data()
    shared = marker()
    before = copy.deepcopy(run, {id(shared): shared})  # equal, with the very same marker in it
    del shared
    reaper.discard(run)
    reaper.discard(run.results)  # the same data handed over twice, through two owners
    reaper.run_until_idle()
    qtbot.wait(100)
    assert run == before  # nothing was taken out of containers someone still uses
    assert marker() is not None and reaper.busy  # still waiting for the other user
    del run, before
    qtbot.waitUntil(lambda: marker() is None, timeout=10_000)
    qtbot.waitUntil(lambda: not reaper.busy, timeout=10_000)


def test_run_until_idle_frees_everything_unused_now() -> None:
    reaper = Reaper()
    run, marker = _data()
    reaper.discard(run)
    del run
    reaper.run_until_idle()
    assert marker() is None and not reaper.busy
