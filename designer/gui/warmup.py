"""After start-up, prepare in the background what the first Send would otherwise do on the spot.

The first request of a session imports httpcore and anyio's asyncio backend (httpx loads them
lazily) and loads the system's CA certificates for TLS: ~90 ms on the benchmark machine, in
two or three long event-loop turns right after the user pressed Send. ``lookup-designer``
starts :func:`start_warm_up` once the window is complete; a daemon thread does the same work
through the core's own ``build_client`` (its TLS context is cached per setting), so the first
Send finds it done. Nothing here changes what a request does.
"""

from __future__ import annotations

import contextlib
import threading

__all__ = ["start_warm_up", "warm_up"]


def warm_up() -> None:
    """Import the HTTP stack's lazy parts and load the default TLS context (idempotent)."""
    import anyio._backends._asyncio  # noqa: F401, PLC0415  (what httpcore's locks import first)
    import httpcore  # noqa: F401, PLC0415

    from designer.core.config import Timeouts, Transport  # noqa: PLC0415
    from designer.core.fetch import build_client  # noqa: PLC0415

    build_client(Transport(), Timeouts())  # never sends: the client is only built, then dropped


def start_warm_up() -> threading.Thread:
    """Run :func:`warm_up` in a daemon thread (a failure there only means a slower first Send)."""
    thread = threading.Thread(target=_warm_up_quietly, name="warm-up", daemon=True)
    thread.start()
    return thread


def _warm_up_quietly() -> None:
    # Only an optimisation: if anything fails here, the first Send does the work (and reports).
    with contextlib.suppress(Exception):
        warm_up()
