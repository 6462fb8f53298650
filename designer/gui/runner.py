"""Runs test requests as asyncio tasks on the qasync loop: latest request wins, cancel works.

The config is an immutable snapshot taken on the UI thread when Send is pressed; the work
(secret lookup, the core's ``runtime.lookup``) never touches a widget. Only the latest request
reports; a superseded one is cancelled silently, one the user cancelled reports ``cancelled``
at once (never an error), and a bug surfaces as ``failed`` so the window can show it instead of a
traceback in a log nobody reads (pitfall H037).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from designer.core.config import LookupConfig
from designer.core.model_types import Inputs
from designer.gui.collector import BIG_BODY_BYTES, CollectorHold
from designer.gui.reaper import discard
from designer.gui.session_secrets import SessionSecrets

LookupFunction = Callable[..., Awaitable[Any]]


def _core_lookup() -> LookupFunction:
    from designer.core.runtime import lookup  # noqa: PLC0415  (heavy imports after first paint)

    function: LookupFunction = lookup
    return function


async def decode_for_view(result: Any, config: LookupConfig) -> Any:
    """The decoded body the response panels show: the runtime's own if it kept it.

    A body the runtime did not need (a "no match" status) is decoded here, with the event loop
    running while it is parsed, as the runtime parses the bodies it needs.
    """
    decoded = getattr(result, "decoded", None)
    exchange = getattr(result, "exchange", None)
    if decoded is not None or exchange is None or not exchange.body:
        return decoded
    from designer.core.decode import decode_body_async  # noqa: PLC0415

    content_type = next((v for k, v in exchange.headers if k.lower() == "content-type"), None)
    return await decode_body_async(exchange.body, content_type, config.response.strip_prefix)


def _big_result(result: Any) -> bool | None:
    """Whether the response the panels were given is big (None: no response was given)."""
    if result is None:
        return None
    exchange = getattr(result, "exchange", None)
    body = getattr(exchange, "body", None) or b""
    return len(body) >= BIG_BODY_BYTES


class Runner(QObject):
    started = Signal()  # a request began (busy)
    finished = Signal(object, object)  # LookupResult, DecodedBody | None of the latest request
    failed = Signal(object)  # an unexpected exception from the latest request
    cancelled = Signal()  # the user cancelled the running request

    def __init__(
        self, secrets: SessionSecrets, lookup: LookupFunction | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._secrets = secrets
        self._lookup = lookup
        self._task: asyncio.Task[None] | None = None
        self._generation = 0

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def send(self, config: LookupConfig) -> None:
        """Start a request for ``config``'s test inputs; a running one is superseded."""
        self._generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
        loop = asyncio.get_event_loop()
        self._task = loop.create_task(self._run(self._generation, config))
        self.started.emit()

    def cancel(self) -> None:
        """Stop the running request; reports ``cancelled`` at once (even if it had not started)."""
        if self.running and self._task is not None:
            self._generation += 1  # whatever it still does, it no longer reports
            self._task.cancel()
            self.cancelled.emit()

    async def shutdown(self) -> None:
        """Cancel and wait: no task may outlive the window (pitfall H035)."""
        task = self._task
        self._generation += 1  # nothing reports any more
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await self._secrets.wait_idle()

    async def _run(self, generation: int, config: LookupConfig) -> None:
        # From the body's arrival until the panels have it, the collector must not rescan the
        # new document between parsing and mapping steps (see designer.gui.collector).
        collector = CollectorHold()
        result: Any = None

        async def decoder(body: bytes, content_type: str | None, strip_prefix: str | None) -> Any:
            from designer.core.decode import decode_body_async  # noqa: PLC0415

            collector.hold()
            await asyncio.sleep(0)  # the body was just joined: parse from the next turn on
            return await decode_body_async(body, content_type, strip_prefix)

        try:
            lookup = self._lookup or _core_lookup()
            inputs = Inputs(config.test_inputs.search_term, config.test_inputs.currency_code)
            resolver = await self._secrets.resolve_all(config.secret_refs())
            result = await lookup(config, inputs, secrets=resolver, decoder=decoder)
            collector.hold()  # a body the runtime did not need is decoded for the panels below
            decoded = await decode_for_view(result, config)
            # The runtime's last step assembled its result; the panels take theirs next turn.
            await asyncio.sleep(0)
        except Exception as error:  # a bug must reach the user, not only a log
            if generation == self._generation:
                self.failed.emit(error)
        else:
            if generation == self._generation:
                self.finished.emit(result, decoded)
        finally:
            collector.release(_big_result(result) if generation == self._generation else None)
            # The runtime's own mapping of a big response: freed a little per turn.
            discard(result)
            result = None
