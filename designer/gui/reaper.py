"""Frees big object graphs a few milliseconds per event-loop turn instead of all at once.

Dropping the last reference to a replaced 20 MB response frees its whole parsed document in
one go (~50 ms at 57 000 records), and a live-preview run or a lookup result over it ~90 ms:
long enough to freeze the window in the middle of the next Send (issue 6). Whoever replaces
such data hands it to :func:`discard` instead; the reaper keeps it until nothing else refers
to it, then takes it apart: a container or object that only the reaper still holds has its
members put on the reaper's own stack before it is dropped, so each drop frees one small
object, and a turn stops after :data:`TURN_SECONDS`.

Nothing is changed in place (containers are only read), so handing over data that is still
in use elsewhere is harmless: it is simply freed by its last user if that is not the reaper.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer

__all__ = ["Reaper", "discard"]

TURN_SECONDS = 0.002
WAIT_SECONDS = 30.0  # data still used elsewhere after this long is left to its other users
_CHECK_EVERY = 32  # objects dropped between two looks at the clock
_POLL_MS = 50  # how often to look again at handed-over data that is still in use


def _members(item: Any) -> list[Any] | None:
    """What ``item`` refers to that may be big (None: nothing worth taking apart)."""
    if isinstance(item, list | tuple):
        return list(item) if item else None
    if isinstance(item, dict):
        return list(item.values()) if item else None
    if isinstance(item, str | bytes | int | float | type) or item is None:
        return None
    fields = getattr(item, "__dict__", None)
    return list(fields.values()) if isinstance(fields, dict) and fields else None


class Reaper(QObject):
    """One per application; see :func:`discard`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._waiting: dict[int, tuple[Any, float]] = {}  # id -> (object, handed over at)
        self._stack: list[Any] = []
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def busy(self) -> bool:
        return bool(self._waiting or self._stack)

    def discard(self, item: Any) -> None:
        """Take over ``item``; it is freed in small steps once no one else refers to it."""
        if item is not None and id(item) not in self._waiting:
            self._waiting[id(item)] = (item, time.monotonic())
            self._timer.setInterval(0)
            self._timer.start()

    def run_until_idle(self) -> None:
        """Free everything handed over that is no longer used elsewhere, now (tests, shutdown)."""
        while self._adopt_unused() or self._stack:
            self._take_apart(deadline=None)

    def _on_timer_timeout(self) -> None:
        self._adopt_unused()
        self._take_apart(deadline=time.perf_counter() + TURN_SECONDS)
        if self._stack:
            self._timer.setInterval(0)
        elif self._waiting:
            self._timer.setInterval(_POLL_MS)
        else:
            self._timer.stop()

    def _adopt_unused(self) -> bool:
        """Move handed-over data that only the reaper still holds onto the stack."""
        adopted = False
        now = time.monotonic()
        for key in list(self._waiting):
            item, since = self._waiting[key]
            # References: the waiting table's tuple, ``item`` here, getrefcount's argument.
            if sys.getrefcount(item) <= 3 or now - since > WAIT_SECONDS:
                del self._waiting[key]
                self._stack.append(item)
                adopted = True
            del item
        return adopted

    def _take_apart(self, deadline: float | None) -> None:
        stack = self._stack
        count = 0
        while stack:
            item = stack.pop()
            # References: ``item`` here and getrefcount's argument; more means it is still in use.
            if sys.getrefcount(item) == 2:
                members = _members(item)
                if members:
                    stack.extend(members)
                    del members
            del item  # frees it now if nothing else holds it: its members live on in the stack
            count += 1
            if deadline is not None and count % _CHECK_EVERY == 0 and time.perf_counter() > deadline:
                return


_REAPER: Reaper | None = None


def reaper() -> Reaper:
    """The application's reaper (created on first use, owned by the QCoreApplication)."""
    global _REAPER  # noqa: PLW0603  (one per process, like the application it belongs to)
    if _REAPER is None:
        _REAPER = Reaper(QCoreApplication.instance())
        _REAPER.destroyed.connect(_forget)
    return _REAPER


def _forget(*_args: object) -> None:
    global _REAPER  # noqa: PLW0603
    _REAPER = None


def discard(item: Any) -> None:
    """Hand ``item`` (a replaced response, preview run or lookup result) to the reaper."""
    if item is not None and QCoreApplication.instance() is not None:
        reaper().discard(item)
