"""Real HTTP servers on 127.0.0.1 for GUI tests: slow, silent, HTML error page, fixed JSON.

Each runs in a daemon thread; a server that "hangs" waits on an Event that the context manager
sets at exit, so no handler outlives the test.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"[]"
    content_type: str = "application/json"
    hold: bool = False  # wait (until the test ends) before answering


@dataclass
class Served:
    url: str
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    paths: list[str] = field(default_factory=list)


@contextmanager
def http_server(reply: Reply) -> Iterator[Served]:
    served = Served(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            served.paths.append(self.path)
            served.arrived.set()
            if reply.hold:
                served.release.wait(60)
                if served.release.is_set():
                    return
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_POST = do_GET

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    served.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def silent_server() -> Iterator[Served]:
    """Accepts TCP connections and never says a word (a server that never answers)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    served = Served(url=f"http://127.0.0.1:{listener.getsockname()[1]}")
    connections: list[socket.socket] = []

    def accept() -> None:
        while not served.release.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            connections.append(conn)
            served.arrived.set()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.release.set()
        listener.close()
        for conn in connections:
            conn.close()
        thread.join(5)
