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
import functools
import os
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

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
#: OpenSSL's words for "the other side answered in plain HTTP" (versions differ).
_PLAIN_HTTP_HINTS = ("wrong version number", "record layer failure", "packet length too long", "http request")
_REFUSED_HINTS = ("connection refused", "errno 111", "errno 61", "errno 10061", "actively refused")


def format_bytes(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@functools.lru_cache(maxsize=8)
def _default_tls_context(trust_env: bool, cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """httpx's default verifying context, made once per setting (loading the CAs takes ~20 ms).

    ``cert_file``/``cert_dir`` (SSL_CERT_FILE/SSL_CERT_DIR, which httpx honours with
    ``trust_env``) are part of the key so a changed environment gets a fresh context.
    """
    return httpx.create_ssl_context(verify=True, trust_env=trust_env)


def _verify(transport: Transport, trust_env: bool) -> ssl.SSLContext | bool:
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
    return _default_tls_context(trust_env, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


def build_client(transport: Transport, timeouts: Timeouts) -> httpx.AsyncClient:
    """An httpx client with the project's TLS, proxy, redirect and timeout settings."""
    trust_env = transport.proxy is None and transport.use_system_proxy
    return httpx.AsyncClient(
        verify=_verify(transport, trust_env),
        proxy=transport.proxy or None,
        trust_env=trust_env,
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
        hint = ""
        if any(marker in text for marker in _PLAIN_HTTP_HINTS):
            hint = "; the server does not speak TLS there: is the address http:// rather than https://?"
        return TlsError(f"the TLS handshake with {host} failed ({chain[-1]}){hint}", exchange=exchange)
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
    if isinstance(error, httpx.LocalProtocolError):
        return ProtocolError(
            f"the request to {host} could not be sent as valid HTTP ({error})", exchange=exchange
        )
    if isinstance(error, httpx.RemoteProtocolError) and exchange.status is None:
        return ProtocolError(
            f"{host} did not answer with valid HTTP ({chain[0]}): is it the right port, or does it "
            "need https://?",
            exchange=exchange,
        )
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError):
        received = f" after {format_bytes(exchange.size)}" if exchange.size else ""
        return ProtocolError(
            f"the connection to {host} broke off{received}: the server closed it before the response "
            f"was complete ({chain[0]})",
            exchange=exchange,
        )
    return FetchError(f"the request to {host} failed: {type(error).__name__}: {error}", exchange=exchange)


def _hop(response: httpx.Response, secrets: frozenset[str]) -> str:
    target = response.headers.get("location", "")
    return f"{response.status_code} {mask_text(str(response.url), secrets)} → {mask_text(target, secrets)}"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


@dataclass
class _Progress:
    """What has arrived so far; a failure at any point (the total timeout included) reports it."""

    response: httpx.Response | None = None
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    hops: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def exchange(self, masked: RenderedRequest, secrets: frozenset[str], started: float) -> Exchange:
        response = self.response
        body = b"".join(self.chunks)
        if secrets:
            # A server may echo a credential (error texts, Set-Cookie); the record never keeps it.
            body = mask_bytes(body, secrets)
        return Exchange(
            request=masked,
            status=response.status_code if response is not None else None,
            reason=response.reason_phrase if response is not None else "",
            elapsed_ms=(time.perf_counter() - started) * 1000,
            size=self.size,
            headers=(
                tuple((k, mask_text(v, secrets)) for k, v in response.headers.multi_items())
                if response is not None
                else ()
            ),
            body=body,
            redirects=tuple(self.hops),
            notes=tuple(self.notes),
        )


async def _read_limited(response: httpx.Response, limit: int, progress: _Progress) -> bool:
    """Read the (decoded) body into ``progress``; False when it grew past ``limit``."""
    async for chunk in response.aiter_bytes():
        progress.size += len(chunk)
        if progress.size > limit:
            return False
        progress.chunks.append(chunk)
    return True


def _masked_failure(failure: FetchError, secrets: frozenset[str]) -> FetchError:
    # Library messages may quote a URL, and a URL may carry an API key: never let one through.
    if secrets:
        failure.args = (mask_text(failure.message, secrets),)
    return failure


async def fetch(
    rendered: RenderedRequest,
    transport: Transport,
    timeouts: Timeouts,
    *,
    client: httpx.AsyncClient | None = None,
) -> Exchange:
    """Send ``rendered`` and read the answer; raises a FetchError subclass on failure.

    Any HTTP status is a successful exchange here; the runtime decides what a status means.
    ``client`` may be given to reuse connections (the window) or to inject a transport (tests);
    the project's timeouts, redirect rules and size limit apply whichever client sends.
    """
    masked = rendered.masked()
    started = time.perf_counter()
    progress = _Progress()
    own_client = client is None
    http = client if client is not None else build_client(transport, timeouts)
    try:
        async with asyncio.timeout(timeouts.total):
            await _exchange(
                http, rendered, masked=masked, transport=transport, timeouts=timeouts, progress=progress
            )
        return progress.exchange(masked, rendered.secrets, started)
    except TimeoutError:
        if progress.response is not None:
            what = f"the answer was still arriving after {format_bytes(progress.size)}"
        else:
            what = "no answer"
        raise _masked_failure(
            TimeoutError_(
                f"{what} from {_host(masked.url)} within {timeouts.total:g} s (total timeout); "
                "raise the total timeout if the server is just slow",
                exchange=progress.exchange(masked, rendered.secrets, started),
            ),
            rendered.secrets,
        ) from None
    except FetchError as failure:
        failure.exchange = progress.exchange(masked, rendered.secrets, started)
        raise _masked_failure(failure, rendered.secrets) from None
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ssl.SSLError) as error:
        partial = progress.exchange(masked, rendered.secrets, started)
        raise _masked_failure(_explain(error, masked.url, timeouts, partial), rendered.secrets) from None
    finally:
        if progress.response is not None:
            await progress.response.aclose()
        if own_client:
            await http.aclose()


async def _exchange(
    http: httpx.AsyncClient,
    rendered: RenderedRequest,
    *,
    masked: RenderedRequest,
    transport: Transport,
    timeouts: Timeouts,
    progress: _Progress,
) -> None:
    headers: Sequence[tuple[str, str]] = rendered.headers
    request = http.build_request(
        rendered.method,
        rendered.url,
        headers=list(headers),
        content=rendered.body or None,
        timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
    )
    response = progress.response = await http.send(request, stream=True, follow_redirects=False)
    # Redirects are followed here rather than by httpx: the project's limit applies whatever the
    # client, a redirect's own body is never read (it could be endless), and a credential header
    # is not carried to another host.
    while transport.follow_redirects and response.next_request is not None:
        progress.hops.append(_hop(response, rendered.secrets))
        if len(progress.hops) > transport.max_redirects:
            chain = "; ".join(progress.hops)
            raise TooManyRedirectsError(
                f"too many redirects from {masked.url}: more than the limit of {transport.max_redirects} "
                f"({chain})"
            )
        following = response.next_request
        _drop_credentials_across_origins(request, following, rendered.secrets, progress)
        await response.aclose()
        progress.response = None
        request = following
        response = progress.response = await http.send(request, stream=True, follow_redirects=False)
    declared = response.headers.get("content-length", "")
    limit = transport.max_response_bytes
    if declared.isdigit() and int(declared) > limit and rendered.method != "HEAD":
        raise TooLargeError(
            f"the response is {format_bytes(int(declared))}, more than the limit of "
            f"{format_bytes(limit)} (Content-Length); raise the limit in the transport settings"
        )
    try:
        complete = await _read_limited(response, limit, progress)
    except (httpx.HTTPError, OSError) as error:
        raise _explain(
            error, masked.url, timeouts, progress.exchange(masked, rendered.secrets, 0.0)
        ) from None
    if not complete:
        raise TooLargeError(
            f"the response grew past the limit of {format_bytes(limit)} and was cut off; raise "
            "the limit in the transport settings if this is expected"
        )


def _drop_credentials_across_origins(
    previous: httpx.Request, following: httpx.Request, secrets: frozenset[str], progress: _Progress
) -> None:
    """httpx drops Authorization on a cross-origin redirect; do the same for any secret header."""
    if _origin(previous.url) == _origin(following.url) or not secrets:
        return
    for raw_name, raw_value in list(following.headers.raw):
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        if name in following.headers and any(secret in value for secret in secrets):
            del following.headers[name]
            progress.notes.append(
                f"the {name} header (a credential) was not sent on to {following.url.host} "
                "after the redirect to another host"
            )
