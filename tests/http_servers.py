"""Real HTTP servers on 127.0.0.1 for tests: scripted replies and a record of what arrived.

One helper for every test that needs a server (core, CLI and GUI tests alike). Each server is
the standard library's ``ThreadingHTTPServer`` in a daemon thread. A reply is a plain value
(:class:`Reply`): status, headers, body bytes, or a chunked/streamed body, delays, a body that
never ends, a connection closed mid-body, raw garbage instead of HTTP. Routes map a path to a
reply, which is how redirect chains are scripted. What arrived is recorded as sent on the wire
(method, raw request target, headers, body), so a test asserts what the *server* decoded, not
what the client meant to send.

Anything that waits (a held answer, a delay, a never-ending body) waits on ``release``, which the
context manager sets at exit, so no handler outlives its test and teardown never hangs.
"""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = [
    "Arrived",
    "Reply",
    "Served",
    "closed_port_url",
    "http_server",
    "make_self_signed_cert",
    "silent_server",
]


@dataclass
class Reply:
    """What the server answers. Defaults: ``200`` with the JSON body ``[]``."""

    status: int = 200
    body: bytes = b"[]"
    content_type: str | None = "application/json"
    headers: Sequence[tuple[str, str]] = ()
    #: Send the body in these pieces with ``Transfer-Encoding: chunked`` (``body`` is ignored).
    chunks: Sequence[bytes] | None = None
    #: Seconds to wait before the status line; between chunks.
    delay: float = 0.0
    chunk_delay: float = 0.0
    #: Wait until the test ends, then close without a word (a request that never completes).
    hold: bool = False
    #: After the headers, send ``chunks`` (default 64 KB of spaces) over and over, until the client
    #: goes away or the test ends: a body that never ends.
    endless: bool = False
    #: Declare the full Content-Length but close the connection after this many body bytes.
    cut_after: int | None = None
    #: Declare this Content-Length instead of the real one (a server that lies about its size).
    content_length: int | None = None
    #: Write these bytes verbatim instead of an HTTP response, then close (a broken server).
    raw: bytes | None = None


@dataclass(frozen=True)
class Arrived:
    """One request as the server received it."""

    method: str
    target: str  # the raw request target, e.g. "/v1/customers?phone=%2B4520304050"
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    @property
    def path(self) -> str:
        """The path as the server decodes it (percent-escapes resolved)."""
        return unquote(urlsplit(self.target).path)

    @property
    def raw_path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        """The query as a server framework decodes it (``+`` is a space, ``%2B`` a plus)."""
        return parse_qs(urlsplit(self.target).query, keep_blank_values=True)


Script = Reply | Mapping[str, Reply] | Callable[[Arrived], Reply]
NO_ROUTE = Reply(status=404, body=b'{"error": "no such route in this test server"}')


@dataclass
class Served:
    url: str
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    requests: list[Arrived] = field(default_factory=list)
    #: Exceptions raised inside the server (a test helper bug, not the client's).
    errors: list[str] = field(default_factory=list)
    connections: int = 0

    @property
    def paths(self) -> list[str]:
        """Raw request targets in arrival order."""
        return [request.target for request in self.requests]

    @property
    def last(self) -> Arrived:
        assert self.requests, "no request reached the test server"
        return self.requests[-1]


def _choose(script: Script, arrived: Arrived) -> Reply:
    if isinstance(script, Reply):
        return script
    if isinstance(script, Mapping):
        return script.get(urlsplit(arrived.target).path, NO_ROUTE)
    return script(arrived)


class _Handler(BaseHTTPRequestHandler):
    """Answers by the script and records what arrived; subclassed per server with both set."""

    script: Script
    served: Served
    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle keep-alive connection cannot pin a handler thread forever

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        try:
            arrived = Arrived(self.command, self.path, tuple(self.headers.items()), self._read_body())
            self.served.requests.append(arrived)
            self.served.arrived.set()
            self._answer(_choose(self.script, arrived))
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client went away: that is the test's business
        except Exception as error:  # a helper bug must be visible, not a silent hang
            self.served.errors.append(f"{type(error).__name__}: {error}")
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

    def _answer(self, reply: Reply) -> None:
        if reply.hold:
            self.served.release.wait(60)
            self.close_connection = True
            return
        if reply.delay and self.served.release.wait(reply.delay):
            self.close_connection = True
            return
        if reply.raw is not None:
            self.wfile.write(reply.raw)
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_response(reply.status)
        if reply.content_type is not None:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.endless or reply.chunks is not None:
            self._send_chunked(reply)
            return
        declared = reply.content_length if reply.content_length is not None else len(reply.body)
        self.send_header("Content-Length", str(declared))
        if reply.cut_after is not None or declared != len(reply.body):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        body = reply.body if reply.cut_after is None else reply.body[: reply.cut_after]
        self.wfile.write(body)
        self.wfile.flush()

    def _send_chunked(self, reply: Reply) -> None:
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def pieces() -> Iterator[bytes]:
            if not reply.endless:
                yield from reply.chunks or ()
                return
            cycle = list(reply.chunks or [b" " * 65536])
            while not self.served.release.is_set():
                yield from cycle

        for piece in pieces():
            if not piece:
                continue
            self.wfile.write(f"{len(piece):X}\r\n".encode() + piece + b"\r\n")
            self.wfile.flush()
            if reply.chunk_delay and self.served.release.wait(reply.chunk_delay):
                self.close_connection = True
                return
        if reply.endless:
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _make_handler(script: Script, served: Served) -> type[BaseHTTPRequestHandler]:
    # staticmethod: a function stored on a class would otherwise be called with the handler.
    return type("Handler", (_Handler,), {"script": staticmethod(script), "served": served})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # teardown must not wait for a client that keeps a connection open

    def __init__(self, handler: type[BaseHTTPRequestHandler], served: Served) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.served = served

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.served.connections += 1
        return True

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | ssl.SSLError | TimeoutError):
            self.served.errors.append(f"{type(error).__name__}: {error}")


@contextmanager
def http_server(script: Script, *, tls: ssl.SSLContext | None = None) -> Iterator[Served]:
    """Serve ``script`` (one reply, routes by path, or a function of the request) on a free port.

    With ``tls`` (a server-side context) the server speaks HTTPS and ``url`` starts ``https://``.
    """
    served = Served(url="")
    server = _Server(_make_handler(script, served), served)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    scheme = "https" if tls is not None else "http"
    served.url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
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
    listener.settimeout(0.05)  # closing a socket does not wake a blocked accept(); polling does
    served = Served(url=f"http://127.0.0.1:{listener.getsockname()[1]}")
    connections: list[socket.socket] = []

    def accept() -> None:
        while not served.release.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connections.append(conn)
            served.connections += 1
            served.arrived.set()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.release.set()
        thread.join(5)
        listener.close()
        for conn in connections:
            conn.close()


def closed_port_url() -> str:
    """An http:// URL on 127.0.0.1 where nothing listens (connecting is refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def make_self_signed_cert(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for ``host`` (PEM cert, PEM key), made with ``cryptography``."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lookup-designer test server")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path
