"""Sending a rendered request with httpx and reading the answer within limits.

The body is streamed and counted as it arrives, so a 200 MB answer or one that never ends is
cut off at the configured size or total time instead of filling memory. Redirects are followed
(httpx does not by default, H017) up to the configured limit and reported hop by hop. Every
failure becomes a :class:`~designer.core.errors.FetchError` subclass with a sentence a
consultant understands; nothing in a message or in the returned :class:`Exchange` holds a
secret, because only the masked request is ever stored.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Sequence

import httpx

from designer.core.config import Timeouts, Transport
from designer.core.errors import (
    ConnectionRefusedError_,
    FetchError,
    InvalidUrlError,
    NameNotResolvedError,
    ProtocolError,
    TimeoutError_,
    TlsError,
    TooLargeError,
    TooManyRedirectsError,
)
from designer.core.model_types import Exchange, RenderedRequest, mask_bytes, mask_text

__all__ = ["USER_AGENT", "build_client", "fetch", "format_bytes"]

USER_AGENT = "lookup-designer/0.1 (Ka-ching customer lookup)"
_DNS_HINTS = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "temporary failure in name resolution",
    "no address associated",
    "name does not resolve",
    "errno -2",
    "errno -3",
    "errno -5",
    "errno 8",
    "errno 11001",
)
_REFUSED_HINTS = ("connection refused", "errno 111", "errno 61", "errno 10061", "actively refused")


def format_bytes(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _verify(transport: Transport) -> ssl.SSLContext | bool:
    if not transport.verify_tls:
        return False
    if transport.ca_bundle:
        try:
            return ssl.create_default_context(cafile=transport.ca_bundle)
        except (OSError, ssl.SSLError) as error:
            raise TlsError(
                f"the CA bundle {transport.ca_bundle!r} cannot be used: "
                f"{getattr(error, 'strerror', None) or error}"
            ) from None
    return True


def build_client(transport: Transport, timeouts: Timeouts) -> httpx.AsyncClient:
    """An httpx client with the project's TLS, proxy, redirect and timeout settings."""
    return httpx.AsyncClient(
        verify=_verify(transport),
        proxy=transport.proxy or None,
        trust_env=transport.proxy is None and transport.use_system_proxy,
        follow_redirects=transport.follow_redirects,
        max_redirects=transport.max_redirects,
        timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
        headers={"User-Agent": USER_AGENT},
    )


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except Exception:
        return url


def _explain(error: Exception, shown_url: str, timeouts: Timeouts, exchange: Exchange) -> FetchError:
    """Turn an httpx/OS error into a typed FetchError in plain words (no secrets: masked URL)."""
    chain = _causes(error)
    text = " | ".join(str(e) for e in chain).lower()
    host = _host(shown_url)
    if isinstance(error, httpx.TooManyRedirects):
        return TooManyRedirectsError(
            f"too many redirects from {shown_url} (more than the configured limit)", exchange=exchange
        )
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return InvalidUrlError(f"the URL {shown_url!r} cannot be requested: {error}", exchange=exchange)
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or "certificate verify failed" in text:
        reason = next((getattr(e, "verify_message", "") for e in chain if hasattr(e, "verify_message")), "")
        return TlsError(
            f"the TLS certificate of {host} was not accepted ({reason or 'verification failed'}); "
            "on a corporate network set the CA bundle, or turn verification off for this project",
            exchange=exchange,
        )
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return TlsError(f"the TLS handshake with {host} failed: {chain[-1]}", exchange=exchange)
    if isinstance(error, httpx.ConnectTimeout):
        return TimeoutError_(
            f"timed out connecting to {host} after {timeouts.connect:g} s (connect timeout)",
            exchange=exchange,
        )
    if isinstance(error, httpx.TimeoutException):
        return TimeoutError_(
            f"timed out waiting for {host}: no data for {timeouts.read:g} s (read timeout)", exchange=exchange
        )
    if isinstance(error, httpx.ConnectError | OSError):
        if any(hint in text for hint in _DNS_HINTS):
            return NameNotResolvedError(
                f"the host name {host!r} could not be resolved (DNS): check the URL or the network",
                exchange=exchange,
            )
        if any(hint in text for hint in _REFUSED_HINTS):
            return ConnectionRefusedError_(
                f"{host} refused the connection: nothing listens on that port (is the server running?)",
                exchange=exchange,
            )
        return FetchError(f"cannot connect to {host}: {chain[-1]}", exchange=exchange)
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.LocalProtocolError):
        received = f" after {format_bytes(exchange.size)}" if exchange.size else ""
        return ProtocolError(
            f"the connection to {host} broke off{received}: the server closed it before the response "
            f"was complete ({chain[0]})",
            exchange=exchange,
        )
    return FetchError(f"the request to {host} failed: {type(error).__name__}: {error}", exchange=exchange)


def _redirect_chain(response: httpx.Response, secrets: frozenset[str]) -> tuple[str, ...]:
    hops: list[str] = []
    for hop in response.history:
        target = hop.headers.get("location", "")
        hops.append(f"{hop.status_code} {mask_text(str(hop.url), secrets)} → {mask_text(target, secrets)}")
    return tuple(hops)


async def _read_limited(response: httpx.Response, limit: int, chunks: list[bytes]) -> tuple[int, bool]:
    """Read the (decoded) body into ``chunks``; returns (size, complete)."""
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            return size, False
        chunks.append(chunk)
    return size, True


async def fetch(
    rendered: RenderedRequest,
    transport: Transport,
    timeouts: Timeouts,
    *,
    client: httpx.AsyncClient | None = None,
) -> Exchange:
    """Send ``rendered`` and read the answer; raises a FetchError subclass on failure.

    Any HTTP status is a successful exchange here; the runtime decides what a status means.
    ``client`` may be given to reuse connections (the window) or to inject a transport (tests).
    """
    masked = rendered.masked()
    started = time.perf_counter()
    exchange = Exchange(request=masked)
    own_client = client is None
    http = client if client is not None else build_client(transport, timeouts)
    try:
        async with asyncio.timeout(timeouts.total):
            return await _exchange(
                http, rendered, masked=masked, transport=transport, timeouts=timeouts, started=started
            )
    except TimeoutError:
        raise TimeoutError_(
            f"no complete answer from {_host(masked.url)} within {timeouts.total:g} s (total timeout)",
            exchange=_partial(exchange, started),
        ) from None
    except FetchError:
        raise
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ssl.SSLError) as error:
        raise _explain(error, masked.url, timeouts, _partial(exchange, started)) from None
    finally:
        if own_client:
            await http.aclose()


async def _exchange(
    http: httpx.AsyncClient,
    rendered: RenderedRequest,
    *,
    masked: RenderedRequest,
    transport: Transport,
    timeouts: Timeouts,
    started: float,
) -> Exchange:
    headers: Sequence[tuple[str, str]] = rendered.headers
    request = http.build_request(
        rendered.method, rendered.url, headers=list(headers), content=rendered.body or None
    )
    response = await http.send(request, stream=True)
    try:
        chunks: list[bytes] = []
        base = Exchange(
            request=masked,
            status=response.status_code,
            reason=response.reason_phrase,
            headers=tuple((k, mask_text(v, rendered.secrets)) for k, v in response.headers.multi_items()),
            redirects=_redirect_chain(response, rendered.secrets),
        )
        declared = response.headers.get("content-length", "")
        limit = transport.max_response_bytes
        if declared.isdigit() and int(declared) > limit and rendered.method != "HEAD":
            raise TooLargeError(
                f"the response is {format_bytes(int(declared))}, more than the limit of "
                f"{format_bytes(limit)} (Content-Length); raise the limit in the transport settings",
                exchange=_partial(base, started),
            )
        try:
            size, complete = await _read_limited(response, limit, chunks)
        except (httpx.HTTPError, OSError) as error:
            partial = _partial(base, started, b"".join(chunks))
            raise _explain(error, masked.url, timeouts, partial) from None
        body = b"".join(chunks)
        if not complete:
            raise TooLargeError(
                f"the response grew past the limit of {format_bytes(limit)} and was cut off; raise "
                "the limit in the transport settings if this is expected",
                exchange=_partial(base, started, body),
            )
        if rendered.secrets:
            # A server may echo a credential (error texts, Set-Cookie); the record never keeps it.
            body = mask_bytes(body, rendered.secrets)
        return _partial(base, started, body, size)
    finally:
        await response.aclose()


def _partial(base: Exchange, started: float, body: bytes = b"", size: int | None = None) -> Exchange:
    return Exchange(
        request=base.request,
        status=base.status,
        reason=base.reason,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        size=len(body) if size is None else size,
        headers=base.headers,
        body=body,
        text=base.text,
        redirects=base.redirects,
        notes=base.notes,
    )
