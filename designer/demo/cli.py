"""``lookup-designer demo-server``: run the demo merchant APIs until Ctrl+C."""

from __future__ import annotations

import argparse
import sys
import threading

from designer.demo.samples import DEMO_SECRETS_FILE, samples_dir
from designer.demo.server import DEFAULT_PORT, DemoServer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"port on 127.0.0.1 (default {DEFAULT_PORT}, used by the samples; 0 picks a free port)",
    )


def port_number(text: str) -> int:
    """A TCP port for argparse: 0 (any free port) to 65535; anything else is a usage error."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535 (0 picks a free one), not {port}")
    return port


def run(args: argparse.Namespace, *, stop: threading.Event | None = None) -> int:
    """Serve until Ctrl+C (or until ``stop`` is set, for tests). Returns the exit status."""
    port: int = args.port
    server = DemoServer(port=port)
    try:
        base = server.start()
    except (OSError, ValueError, OverflowError) as error:
        hint = " (is another demo server running? try --port 0)" if isinstance(error, OSError) else ""
        print(
            f"lookup-designer demo-server: cannot listen on 127.0.0.1:{port}: {error}{hint}", file=sys.stderr
        )
        return 1
    print(f"Demo merchant server on {base}  (Ctrl+C stops it)")
    for api in server.apis:
        print(f"  {api.name:<16} {base}{api.prefix}{api.search_path}")
        print(f"  {'':<16} {api.title}")
    _print_samples_hint(port, server.port)
    sys.stdout.flush()
    waiter = stop or threading.Event()
    try:
        while not waiter.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.stop()
    return 0


def _print_samples_hint(requested: int, actual: int) -> None:
    """Where the sample projects are: in an installed app they are not in the working directory."""
    try:
        folder = samples_dir()
    except FileNotFoundError as error:
        print(f"Sample projects: not found ({error})")
        return
    print(f"Sample projects: {folder}")
    print(f"  their credentials: --secrets-file {folder / DEMO_SECRETS_FILE}")
    if requested != DEFAULT_PORT:
        print(f"Note: the samples expect port {DEFAULT_PORT}; edit their URL to use {actual}.")
