"""The demo merchant server: the standard library's threading HTTP server on 127.0.0.1.

Only the loopback interface is ever bound, so the demo cannot be reached from the network.
Port 0 picks a free port (tests); the command line and the samples default to
:data:`DEFAULT_PORT` so that the sample files' URLs work as shipped.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from designer.demo.apis import ALL_APIS
from designer.demo.apis._common import DemoApi, DemoRequest, DemoResponse

HOST = "127.0.0.1"
#: The port the sample projects' URLs use (``http://127.0.0.1:8765/...``).
DEFAULT_PORT = 8765
MAX_REQUEST_BODY = 1024 * 1024
#: The base URL written in the sample projects.
SAMPLE_BASE_URL = f"http://{HOST}:{DEFAULT_PORT}"


def rebase_sample_url(url: str, base_url: str) -> str:
    """A sample's URL pointed at a demo server on another port (tests, or 8765 being taken).

    URLs that do not start with :data:`SAMPLE_BASE_URL` are returned unchanged.
    """
    if url == SAMPLE_BASE_URL or url.startswith(SAMPLE_BASE_URL + "/"):
        return base_url.rstrip("/") + url[len(SAMPLE_BASE_URL) :]
    return url


@dataclass(frozen=True)
class LoggedRequest:
    """What arrived, for tests that check how a client encoded its request."""

    method: str
    target: str  # the raw request target: path and query exactly as sent
    headers: tuple[tuple[str, str], ...]
    body: bytes
    status: int


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections end on their own
    disable_nagle_algorithm = True  # headers and body go out in two writes; don't wait 40 ms for an ACK
    server_version = "DemoMerchant/1.0"
    sys_version = ""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: object) -> None:
        """Silence per-request logging on stderr; the server keeps its own log."""

    def _read_body(self) -> bytes | DemoResponse:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return _plain(411, "Length Required")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return _plain(400, "Bad Content-Length")
        if length < 0:
            return _plain(400, "Bad Content-Length")
        if length > MAX_REQUEST_BODY:
            return _plain(413, "Payload Too Large")
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        body = self._read_body()
        if isinstance(body, DemoResponse):
            self.close_connection = True
            self._send(body, b"")
            return
        path, _, query = self.path.partition("?")
        api = self.server.route(path)
        if api is None:
            response = self.server.index() if path in ("", "/") else _not_found(path)
        else:
            headers = {name.lower(): value for name, value in self.headers.items()}
            request = DemoRequest(
                method=self.command,
                path=path[len(api.prefix) :],
                query=query,
                headers=headers,
                body=body,
                base_url=self.server.base_url + api.prefix,
            )
            try:
                response = api.handle(request)
            except Exception as error:  # a demo bug must not kill the connection silently
                self.server.record_error(f"{api.name}: {type(error).__name__}: {error}")
                response = _plain(500, "Internal Server Error")
        self._send(response, body)

    def _send(self, response: DemoResponse, request_body: bytes) -> None:
        self.server.record(
            LoggedRequest(self.command, self.path, tuple(self.headers.items()), request_body, response.status)
        )
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)


def _plain(status: int, text: str) -> DemoResponse:
    return DemoResponse(status, text.encode(), "text/plain; charset=utf-8")


def _not_found(path: str) -> DemoResponse:
    body = {"error": "no demo API at this path", "path": path, "see": "/"}
    return DemoResponse(404, json.dumps(body).encode(), "application/json; charset=utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, apis: Sequence[DemoApi]) -> None:
        super().__init__((HOST, port), _Handler)
        self.api_list = tuple(sorted(apis, key=lambda a: len(a.prefix), reverse=True))
        self.base_url = f"http://{HOST}:{self.server_address[1]}"
        self._lock = threading.Lock()
        self.log: deque[LoggedRequest] = deque(maxlen=1000)
        self.errors: list[str] = []

    def route(self, path: str) -> DemoApi | None:
        for api in self.api_list:
            if path == api.prefix or path.startswith(api.prefix + "/"):
                return api
        return None

    def index(self) -> DemoResponse:
        listing = {
            "demo": "Customer Lookup Designer demo merchant server",
            "apis": [
                {"name": a.name, "imitates": a.title, "example": self.base_url + a.prefix + a.search_path}
                for a in sorted(self.api_list, key=lambda a: a.name)
            ],
        }
        return DemoResponse(
            200, json.dumps(listing, ensure_ascii=False, indent=2).encode(), "application/json; charset=utf-8"
        )

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.log.append(entry)

    def record_error(self, message: str) -> None:
        with self._lock:
            self.errors.append(message)


class DemoServer:
    """All demo APIs on one loopback port, served from a background thread.

    Usable as a context manager. ``start()`` returns the base URL (``http://127.0.0.1:PORT``);
    each API lives under its own prefix (``/woocommerce``, ``/odoo``, ...).
    """

    def __init__(self, port: int = 0, apis: Sequence[DemoApi] = ALL_APIS) -> None:
        if not 0 <= port <= 65535:
            raise ValueError(f"port must be between 0 and 65535, not {port}")
        self._port = port
        self._apis = tuple(apis)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def apis(self) -> tuple[DemoApi, ...]:
        return self._apis

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the demo server is not running")
        return self._server.base_url

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the demo server is not running")
        return int(self._server.server_address[1])

    @property
    def bound_address(self) -> tuple[str, int]:
        """The listening socket's address: always the loopback interface."""
        if self._server is None:
            raise RuntimeError("the demo server is not running")
        host, port = self._server.socket.getsockname()[:2]
        return str(host), int(port)

    def url(self, api_name: str) -> str:
        """The base URL of one API, e.g. ``http://127.0.0.1:PORT/woocommerce``."""
        api = next((a for a in self._apis if a.name == api_name), None)
        if api is None:
            raise KeyError(f"no demo API named {api_name!r}")
        return self.base_url + api.prefix

    @property
    def requests(self) -> list[LoggedRequest]:
        """The requests received so far (the last 1000), oldest first."""
        return list(self._server.log) if self._server else []

    @property
    def errors(self) -> list[str]:
        """Handler crashes (each answered with 500); empty unless a demo API has a bug."""
        return list(self._server.errors) if self._server else []

    def start(self) -> str:
        """Bind (raises ``OSError`` if the port is taken), serve in a daemon thread, return the URL."""
        if self._server is not None:
            return self._server.base_url
        self._server = _Server(self._port, self._apis)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"demo-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self._server.base_url

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
