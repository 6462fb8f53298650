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
import importlib.util
import os
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from designer.core.config import Timeouts, Transport
from designer.core.errors import (
    ConnectionRefusedError_,
    FetchError,
    InvalidUrlError,
    NameNotResolvedError,
    ProtocolError,
    ProxyError,
    TimeoutError_,
    TlsError,
    TooLargeError,
    TooManyRedirectsError,
    elide,
)
from designer.core.model_types import Exchange, RenderedRequest, mask_bytes, mask_text
from designer.core.urls import address_problem, mask_userinfo, userinfo_secrets

__all__ = ["USER_AGENT", "build_client", "check_proxy", "fetch", "format_bytes", "proxy_problem"]

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


def socks_supported() -> bool:
    """Whether httpx can talk to SOCKS proxies here (it needs the optional ``socksio`` package)."""
    return importlib.util.find_spec("socksio") is not None


def _proxy_shown(proxy: str) -> str:
    return elide(mask_userinfo(proxy.strip()))


def proxy_problem(proxy: str | None) -> str | None:
    """Why ``proxy`` cannot be the project's proxy URL, or None; never quotes its password.

    :func:`build_client` refuses what this refuses, so ``validate`` and the window's Connection
    tab say before sending what a lookup would say.
    """
    text = (proxy or "").strip()
    if not text:
        return None
    subject = f"the proxy {_proxy_shown(text)!r}"
    try:
        parts = urlsplit(text)
    except ValueError as error:
        return f"{subject} is not valid: {error}"
    if parts.scheme.lower() in ("socks5", "socks5h"):
        if not socks_supported():
            return (
                f"{subject} is a SOCKS proxy, and SOCKS is not supported in this build "
                "(use an http:// or https:// proxy)"
            )
        return address_problem(parts, ("socks5", "socks5h"), subject)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return (
            f"{subject} is not a complete http:// or https:// address (scheme and host needed), "
            "e.g. http://proxy.example.com:3128"
        )
    return address_problem(parts, ("http", "https"), subject)


def check_proxy(transport: Transport) -> None:
    """Raise ProxyError when the project's proxy setting cannot be used (see :func:`proxy_problem`)."""
    problem = proxy_problem(transport.proxy)
    if problem is not None:
        raise ProxyError(problem)


def build_client(transport: Transport, timeouts: Timeouts) -> httpx.AsyncClient:
    """An httpx client with the project's TLS, proxy, redirect and timeout settings.

    Raises ProxyError for an unusable proxy setting and TlsError for an unusable CA bundle.
    """
    check_proxy(transport)
    trust_env = transport.proxy is None and transport.use_system_proxy
    return httpx.AsyncClient(
        verify=_verify(transport, trust_env),
        proxy=(transport.proxy or "").strip() or None,
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
        return httpx.URL(url).host or elide(url)
    except Exception:
        return elide(url)


def _origin_text(scheme: str, host: str, port: int | None) -> str:
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" + (f":{port}" if port is not None else "")


def _proxy_in_use(http: httpx.AsyncClient, transport: Transport, url: str, own_client: bool) -> str | None:
    """The proxy this request goes through, as ``scheme://host:port`` (never a password), or None.

    The project's own proxy is known from the setting. A system proxy (HTTP(S)_PROXY, NO_PROXY)
    is the one httpx routes this URL to; its routing is not public API, so whatever does not
    look as expected counts as "no proxy" and the message names the target host as before.
    """
    proxy = (transport.proxy or "").strip()
    if own_client and proxy:
        try:
            parts = urlsplit(proxy)
            return _origin_text(parts.scheme.lower(), parts.hostname or "", parts.port)
        except ValueError:
            return _proxy_shown(proxy)
    try:
        routed = http._transport_for_url(httpx.URL(url))
        proxy_url = getattr(getattr(routed, "_pool", None), "_proxy_url", None)
        if proxy_url is None:
            return None
        return _origin_text(proxy_url.scheme.decode("ascii"), proxy_url.host.decode("ascii"), proxy_url.port)
    except Exception:
        return None


@dataclass(frozen=True)
class _Failure:
    """One failed exchange, as the explaining functions below look at it."""

    error: BaseException
    chain: list[BaseException]
    text: str  # the whole cause chain's messages, lower case
    host: str
    shown_url: str
    timeouts: Timeouts
    exchange: Exchange
    proxy: str | None

    @property
    def through(self) -> str:
        return f" (through the proxy {self.proxy})" if self.proxy else ""


def _explain(
    error: BaseException, shown_url: str, timeouts: Timeouts, exchange: Exchange, proxy: str | None = None
) -> FetchError:
    """Turn any error of an exchange into a typed FetchError in plain words (no secrets: masked URL).

    ``proxy`` is the proxy the request went through: a connection that could not be made is then
    the proxy's, and the message says so instead of blaming the target host.
    """
    chain = _causes(error)
    failure = _Failure(
        error,
        chain,
        " | ".join(str(e) for e in chain).lower(),
        _host(shown_url),
        shown_url,
        timeouts,
        exchange,
        proxy,
    )
    for explain in (_explain_url, _explain_tls, _explain_proxy, _explain_connection, _explain_protocol):
        explained = explain(failure)
        if explained is not None:
            return explained
    return FetchError(
        f"the request to {failure.host}{failure.through} failed: {type(error).__name__}: "
        f"{elide(mask_userinfo(str(error)))}",
        exchange=exchange,
    )


def _explain_url(failure: _Failure) -> FetchError | None:
    if isinstance(failure.error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return InvalidUrlError(
            f"the URL {elide(failure.shown_url)!r} cannot be requested: {elide(str(failure.error))}",
            exchange=failure.exchange,
        )
    return None


def _explain_tls(failure: _Failure) -> FetchError | None:
    chain, host = failure.chain, failure.host
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or "certificate verify failed" in (
        failure.text
    ):
        reason = next((getattr(e, "verify_message", "") for e in chain if hasattr(e, "verify_message")), "")
        return TlsError(
            f"the TLS certificate of {host} was not accepted ({reason or 'verification failed'}); "
            "on a corporate network set the CA bundle, or turn verification off for this project",
            exchange=failure.exchange,
        )
    if any(isinstance(e, ssl.SSLError) for e in chain):
        hint = ""
        if any(marker in failure.text for marker in _PLAIN_HTTP_HINTS):
            hint = "; the server does not speak TLS there: is the address http:// rather than https://?"
        return TlsError(
            f"the TLS handshake with {host}{failure.through} failed ({chain[-1]}){hint}",
            exchange=failure.exchange,
        )
    return None


def _explain_proxy(failure: _Failure) -> FetchError | None:
    """The proxy answered, but would not carry the request (a CONNECT refused: 407, 403, 502...)."""
    if not isinstance(failure.error, httpx.ProxyError):
        return None
    proxy = failure.proxy or "the proxy"
    detail = elide(mask_userinfo(str(failure.error)))
    hint = ""
    if "407" in detail:
        hint = "; the proxy wants credentials: write them into the proxy URL (http://user:password@host:port)"
    return ProxyError(
        f"the proxy {proxy} would not connect to {failure.host}: {detail}{hint}", exchange=failure.exchange
    )


def _explain_connection(failure: _Failure) -> FetchError | None:
    """No connection: to the target host, or to the proxy when one is in use."""
    error, timeouts, exchange = failure.error, failure.timeouts, failure.exchange
    if failure.proxy:
        peer, name, check = f"the proxy {failure.proxy}", _host(failure.proxy), "the proxy setting"
    else:
        peer, name, check = failure.host, failure.host, "the URL"
    if isinstance(error, httpx.ConnectTimeout):
        return TimeoutError_(
            f"timed out connecting to {peer} after {timeouts.connect:g} s (connect timeout)",
            exchange=exchange,
        )
    if isinstance(error, httpx.TimeoutException):
        return TimeoutError_(
            f"timed out waiting for {failure.host}{failure.through}: no data for {timeouts.read:g} s "
            "(read timeout)",
            exchange=exchange,
        )
    if not isinstance(error, httpx.ConnectError | OSError):
        return None
    if any(hint in failure.text for hint in _DNS_HINTS):
        what = "the proxy's host name" if failure.proxy else "the host name"
        return NameNotResolvedError(
            f"{what} {name!r} could not be resolved (DNS): check {check} or the network", exchange=exchange
        )
    if any(hint in failure.text for hint in _REFUSED_HINTS):
        running = "is the proxy running, is its address right?" if failure.proxy else "is the server running?"
        return ConnectionRefusedError_(
            f"{peer} refused the connection: nothing listens on that port ({running})", exchange=exchange
        )
    return FetchError(f"cannot connect to {peer}: {failure.chain[-1]}", exchange=exchange)


def _explain_protocol(failure: _Failure) -> FetchError | None:
    error, host, exchange = failure.error, failure.host, failure.exchange
    if isinstance(error, httpx.LocalProtocolError):
        return ProtocolError(
            f"the request to {host} could not be sent as valid HTTP ({error})", exchange=exchange
        )
    if isinstance(error, httpx.RemoteProtocolError) and exchange.status is None:
        return ProtocolError(
            f"{host}{failure.through} did not answer with valid HTTP ({failure.chain[0]}): is it the right "
            "port, or does it need https://?",
            exchange=exchange,
        )
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError):
        received = f" after {format_bytes(exchange.size)}" if exchange.size else ""
        return ProtocolError(
            f"the connection to {host} broke off{received}: the server closed it before the response "
            f"was complete ({failure.chain[0]})",
            exchange=exchange,
        )
    return None


def _hop(response: httpx.Response, secrets: frozenset[str]) -> str:
    target = response.headers.get("location", "")
    source, target = (elide(mask_userinfo(mask_text(url, secrets))) for url in (str(response.url), target))
    return f"{response.status_code} {source} → {target}"


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
    Whatever goes wrong, from building the client to reading the last byte, ends as a
    FetchError with a sentence: the caller never sees an httpx or OS exception.
    """
    masked = rendered.masked()
    started = time.perf_counter()
    progress = _Progress()
    # A proxy URL's password is as secret as the request's own credentials.
    secrets = rendered.secrets | userinfo_secrets((transport.proxy or "").strip())
    own_client = client is None
    http: httpx.AsyncClient | None = client
    proxy: str | None = None
    try:
        if http is None:
            http = build_client(transport, timeouts)
        proxy = _proxy_in_use(http, transport, rendered.url, own_client)
        async with asyncio.timeout(timeouts.total):
            await _exchange(
                http,
                rendered,
                masked=masked,
                transport=transport,
                timeouts=timeouts,
                progress=progress,
                proxy=proxy,
            )
        return progress.exchange(masked, rendered.secrets, started)
    except TimeoutError:
        if progress.response is not None:
            what = f"the answer was still arriving after {format_bytes(progress.size)}"
        else:
            what = "no answer"
        through = f" (through the proxy {proxy})" if proxy else ""
        raise _masked_failure(
            TimeoutError_(
                f"{what} from {_host(masked.url)}{through} within {timeouts.total:g} s (total timeout); "
                "raise the total timeout if the server is just slow",
                exchange=progress.exchange(masked, rendered.secrets, started),
            ),
            secrets,
        ) from None
    except FetchError as failure:
        failure.exchange = progress.exchange(masked, rendered.secrets, started)
        raise _masked_failure(failure, secrets) from None
    except Exception as error:  # httpx, OS, TLS, or anything a client or transport may raise
        partial = progress.exchange(masked, rendered.secrets, started)
        raise _masked_failure(_explain(error, masked.url, timeouts, partial, proxy), secrets) from None
    finally:
        if progress.response is not None:
            await progress.response.aclose()
        if own_client and http is not None:
            await http.aclose()


async def _exchange(
    http: httpx.AsyncClient,
    rendered: RenderedRequest,
    *,
    masked: RenderedRequest,
    transport: Transport,
    timeouts: Timeouts,
    progress: _Progress,
    proxy: str | None,
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
    # is not carried to another host. ``hops`` lists the redirects followed, never more than the
    # limit: the one that would pass it is named in the error, not counted as followed.
    while transport.follow_redirects and response.next_request is not None:
        hop = _hop(response, rendered.secrets)
        if len(progress.hops) >= transport.max_redirects:
            followed = "; ".join(progress.hops) or "none"
            raise TooManyRedirectsError(
                f"too many redirects from {elide(masked.url)}: more than the limit of "
                f"{transport.max_redirects} (followed: {followed}; not followed: {hop})"
            )
        progress.hops.append(hop)
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
            error, masked.url, timeouts, progress.exchange(masked, rendered.secrets, 0.0), proxy
        ) from None
    if not complete:
        raise TooLargeError(
            f"the response grew past the limit of {format_bytes(limit)} and was cut off; raise "
            "the limit in the transport settings if this is expected"
        )


def _drop_credentials_across_origins(
    previous: httpx.Request, following: httpx.Request, secrets: frozenset[str], progress: _Progress
) -> None:
    """No credential travels to another origin, and each one left behind is named in a note.

    httpx itself drops Authorization (Basic, Bearer) on a redirect to another host; any other
    header holding a secret (an API key) is dropped here. Either way the user learns why the
    next server may answer 401.
    """
    if _origin(previous.url) == _origin(following.url):
        return
    dropped: list[str] = []
    if "authorization" in previous.headers and "authorization" not in following.headers:
        dropped.append("Authorization")
    for raw_name, raw_value in list(following.headers.raw) if secrets else []:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        if name in following.headers and any(secret in value for secret in secrets):
            del following.headers[name]
            dropped.append(name)
    target, where = following.url.host, "another host"
    if previous.url.host == following.url.host:
        same_port = previous.url.port == following.url.port
        where = "another scheme (http/https)" if same_port else "another port"
        target = target if same_port else f"{target}:{following.url.port}"
    for name in dict.fromkeys(dropped):
        progress.notes.append(
            f"the {name} header (a credential) was not sent on to {target} after the redirect to {where}"
        )
