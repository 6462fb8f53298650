"""The one runtime entry point: render → fetch → decode → map.

``lookup-designer run``, the window's Send and any production runtime call :func:`lookup`; a
response opened from a file goes through :func:`interpret`, the same second half. So the
Customer list the preview shows is, by construction, the list production returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import httpx

from designer.core.config import LookupConfig, ResponseSpec
from designer.core.cooperative import run_steps
from designer.core.customer import Customer, customers_to_json
from designer.core.decode import DecodedBody, decode_body, excerpt
from designer.core.errors import DesignerError, FetchError, HttpStatusError, ResponseFormatError, elide
from designer.core.fetch import fetch
from designer.core.mapping import DocumentMapping, compile_spec
from designer.core.model_types import Exchange, Inputs, MappingResult, RecordResult, mask_text
from designer.core.preflight import config_refusals, refusal_error, response_refusals
from designer.core.render import render_request
from designer.core.secrets import SecretResolver, default_resolver

__all__ = [
    "Decoder",
    "Interpretation",
    "LookupResult",
    "interpret",
    "lookup",
    "lookup_sync",
    "needs_body",
    "production_host",
    "transport_warnings",
    "url_host",
]

#: Decodes a body; the window passes one that parses without blocking its event loop.
Decoder = Callable[[bytes, "str | None", "str | None"], Any]


@dataclass(frozen=True)
class LookupResult:
    """Everything one lookup produced. ``error`` is None when the POS would get ``customers``."""

    customers: tuple[Customer, ...] = ()
    mapping: MappingResult | None = None
    exchange: Exchange | None = None
    decoded: DecodedBody | None = None
    error: DesignerError | None = None
    #: Things the user must know that did not stop the lookup (TLS off, production host, ...).
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.error is None

    def output_json(self, indent: int | None = 2, *, ensure_ascii: bool = False) -> str:
        """The Customer list exactly as the POS receives it."""
        return customers_to_json(list(self.customers), indent=indent, ensure_ascii=ensure_ascii)


def url_host(url: str) -> str:
    """The lower-case host of ``url``; "" when it has none or cannot be parsed."""
    try:
        return (httpx.URL(url).host or "").lower()
    except Exception:
        return ""


def production_host(config: LookupConfig, url: str) -> str | None:
    """The host of ``url`` if ``config`` marks it as production (the window's banner asks this)."""
    host = url_host(url)
    production = {h.strip().lower() for h in config.production_hosts if h.strip()}
    return host if host and host in production else None


def transport_warnings(config: LookupConfig, url: str) -> list[str]:
    """Warnings to show with every test search: TLS verification off, a production host."""
    notes: list[str] = []
    if not config.request.transport.verify_tls:
        notes.append(
            "TLS certificate verification is OFF for this project: anyone on the network could "
            "read or change this exchange"
        )
    host = production_host(config, url)
    if host:
        notes.append(f"PRODUCTION: {host} is marked as a production host; this search ran against live data")
    return notes


def _status_error(status: int, exchange: Exchange | None, decoded: DecodedBody | None) -> HttpStatusError:
    reason = f" {elide(exchange.reason, 80)}" if exchange is not None and exchange.reason else ""
    if 300 <= status < 400:
        where = exchange.header("location") if exchange is not None else None
        hint = f" to {elide(where)}" if where else ""
        return HttpStatusError(
            f"the server answered HTTP {status}{reason} (a redirect{hint}) and redirects are not followed "
            "for this project",
            exchange=exchange,
        )
    detail = f": {excerpt(decoded.text)}" if decoded is not None and decoded.text.strip() else ""
    hint = ""
    if status in (401, 403):
        hint = " — the credentials were refused; check the secret values and the auth settings"
    elif status == 404:
        hint = " — if 404 means 'no customer found' for this API, add 404 to the no-match statuses"
    return HttpStatusError(f"the server answered HTTP {status}{reason}{detail}{hint}", exchange=exchange)


def needs_body(spec: ResponseSpec, status: int | None) -> bool:
    """Whether the body must be decoded to interpret a response (not for a no-match status)."""
    return status is None or status not in spec.no_match_statuses


def interpret(
    spec: ResponseSpec,
    decoded: DecodedBody | None,
    *,
    status: int | None = None,
    exchange: Exchange | None = None,
) -> LookupResult:
    """What a response means for the POS: customers, or the error that stops the lookup.

    ``status`` None means "no HTTP status" (a file or pasted text): the body is taken as a
    successful answer. A configured no-match status yields an empty list whatever the body
    (404 with an error object, 204 with no body: H042). Any other status outside 2xx is an
    error that keeps the body.
    """
    return Interpretation(spec, decoded, status=status, exchange=exchange).result()


#: Said with every outcome of a spec without an identifier: the POS gets [] and must not be a mystery.
IDENTIFIER_NOT_MAPPED = (
    "identifier is not mapped (response.fields.identifier): every record is skipped, so the POS "
    "gets no customers; map the customer's id to identifier"
)


def _before_mapping(
    spec: ResponseSpec, decoded: DecodedBody | None, status: int | None, exchange: Exchange | None
) -> LookupResult | None:
    """The outcome decided by the spec, the status and the body alone, or None when records must
    be mapped. A spec with a path that does not parse is refused first, whatever the response,
    exactly as :func:`lookup` refuses it before sending."""
    refused = response_refusals(spec)
    if refused:
        return LookupResult(exchange=exchange, decoded=decoded, error=refusal_error(refused))
    if status is not None and status in spec.no_match_statuses:
        empty = MappingResult((), (), ())
        note = f"HTTP {status} means no match (configured): no customers"
        return LookupResult(mapping=empty, exchange=exchange, decoded=decoded, notes=(note,))
    if status is not None and not 200 <= status < 300:
        return LookupResult(
            exchange=exchange, decoded=decoded, error=_status_error(status, exchange, decoded)
        )
    if decoded is None or (status == 204 and not decoded.text.strip()):
        message = (
            "the server answered 204 No Content; add 204 to the no-match statuses if it means "
            "'no customer found'"
            if status == 204
            else "there is no response body to map"
        )
        return LookupResult(
            exchange=exchange, decoded=decoded, error=ResponseFormatError(message, code="empty")
        )
    if decoded.error is not None:
        return LookupResult(exchange=exchange, decoded=decoded, error=decoded.error, notes=decoded.notes)
    return None


class Interpretation:
    """:func:`interpret` in steps, for a live preview that must not block its window.

    Everything but the per-record mapping is decided at construction: the outcome of the status
    and body rules (``early``), the records (``total``) and the error that stops the lookup
    (``error``, from whole-document problems). :meth:`step` maps a few more records;
    :meth:`result` finishes and is exactly what :func:`interpret` returns (it is built on this).
    """

    def __init__(
        self,
        spec: ResponseSpec,
        decoded: DecodedBody | None,
        *,
        status: int | None = None,
        exchange: Exchange | None = None,
    ) -> None:
        self._spec = spec
        self._decoded = decoded
        self._exchange = exchange
        #: The outcome when no record needs mapping (no-match status, HTTP error, not JSON...).
        self.early = _before_mapping(spec, decoded, status, exchange)
        self.mapping: DocumentMapping | None = None
        self.error: DesignerError | None = self.early.error if self.early is not None else None
        if self.early is None and decoded is not None:
            self.mapping = DocumentMapping(compile_spec(spec), decoded.document)
            fatal = [
                d for d in self.mapping.document_diagnostics if d.field is None and d.severity == "error"
            ]
            if fatal:
                self.error = ResponseFormatError(fatal[0].message, code=fatal[0].code)

    @property
    def total(self) -> int:
        """How many records there are to map (0 when the outcome needs no mapping)."""
        return self.mapping.total if self.mapping is not None else 0

    @property
    def done(self) -> bool:
        return self.mapping is None or self.mapping.done

    @property
    def results(self) -> list[RecordResult]:
        """The records mapped so far."""
        return self.mapping.results if self.mapping is not None else []

    def step(self, count: int) -> list[RecordResult]:
        """Map the next ``count`` records; returns their results (empty when done)."""
        return self.mapping.step(count) if self.mapping is not None else []

    def result(self) -> LookupResult:
        """The complete outcome, as :func:`interpret` gives it (maps what is left)."""
        if self.early is not None:
            return self.early
        assert self.mapping is not None and self._decoded is not None
        mapping = self.mapping.result()
        customers = mapping.customers if self.error is None else ()
        decoded = self._decoded
        return LookupResult(customers, mapping, self._exchange, decoded, self.error, self.notes)

    @property
    def notes(self) -> tuple[str, ...]:
        """What the user must know about this outcome that is not a per-record problem."""
        if self.early is not None:
            return self.early.notes
        notes = self._decoded.notes if self._decoded is not None else ()
        identifier = self._spec.fields.get("identifier")
        if identifier is None or identifier.is_empty():
            notes = (*notes, IDENTIFIER_NOT_MAPPED)
        return notes


async def lookup(
    config: LookupConfig,
    inputs: Inputs,
    *,
    secrets: SecretResolver | None = None,
    client: httpx.AsyncClient | None = None,
    decoder: Decoder | None = None,
) -> LookupResult:
    """Run the lookup as production would. Never raises for anything the user can cause.

    A config no input can make work (:mod:`designer.core.preflight`: the URL, the proxy, a path
    that does not parse), rendering or secret problems stop before anything is sent; a failed
    exchange keeps what was received; an HTTP status that is neither success nor "no match" is an
    error with the body kept.
    ``decoder`` (a coroutine function or plain function with :func:`decode_body`'s signature) lets
    the window parse large bodies without blocking its event loop
    (:func:`~designer.core.decode.decode_body_async`); the records are mapped a few hundred at a
    time with the loop running in between, exactly as :func:`interpret` maps them.
    """
    refused = config_refusals(config)
    if refused:  # nothing is sent for a config that cannot work, whatever the inputs
        return LookupResult(error=refusal_error(refused))
    resolver = secrets if secrets is not None else default_resolver()
    request = config.request
    try:
        rendered = render_request(request, inputs, resolver)
    except DesignerError as problem:
        return LookupResult(error=problem)
    notes = tuple(transport_warnings(config, rendered.url))
    try:
        exchange = await fetch(rendered, request.transport, request.timeouts, client=client)
    except FetchError as failure:
        return LookupResult(
            exchange=failure.exchange, error=_masked_error(failure, rendered.secrets), notes=notes
        )
    notes = (*notes, *exchange.notes)
    decoded: DecodedBody | None = None
    if needs_body(config.response, exchange.status) and exchange.body:
        result = (decoder or decode_body)(exchange.body, exchange.content_type, config.response.strip_prefix)
        decoded = await result if asyncio.iscoroutine(result) else result
    outcome = await run_steps(
        _interpret_steps(Interpretation(config.response, decoded, status=exchange.status, exchange=exchange))
    )
    error = _masked_error(outcome.error, rendered.secrets) if outcome.error is not None else None
    return LookupResult(
        outcome.customers,
        outcome.mapping,
        exchange,
        decoded,
        error,
        (*notes, *(n for n in outcome.notes if n not in notes)),
    )


#: Records mapped per step of a lookup (a few ms); the event loop may run between steps.
_MAPPING_STEP = 200


def _interpret_steps(interpretation: Interpretation) -> Generator[None, None, LookupResult]:
    """:func:`interpret` in steps, so mapping 200 000 records does not stop the caller's loop."""
    while not interpretation.done:
        interpretation.step(_MAPPING_STEP)
        yield
    return interpretation.result()


def _masked_error(error: DesignerError, secrets: frozenset[str]) -> DesignerError:
    """The error with any echoed secret removed from its message (errors are built per lookup)."""
    message = mask_text(error.message, secrets) if secrets else error.message
    if message == error.message:
        return error
    error.args = (message,)
    return error


def lookup_sync(
    config: LookupConfig,
    inputs: Inputs,
    *,
    secrets: SecretResolver | None = None,
) -> LookupResult:
    """:func:`lookup` for scripts and the CLI (runs its own event loop)."""
    return asyncio.run(lookup(config, inputs, secrets=secrets))
