"""Plain value types passed between rendering, fetching, mapping and the runtime.

They are dataclasses with no behaviour beyond formatting, frozen but for RecordResult (one per
record: see there), so the GUI can hold them, a worker can produce them, and tests can compare
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from designer.core.customer import Customer

MASK = "••••••"


@dataclass(frozen=True)
class Inputs:
    """What the POS passes to the request."""

    search_term: str
    currency_code: str = "DKK"


@dataclass(frozen=True)
class RenderedRequest:
    """The request exactly as it will be sent. ``secrets`` lists the values to mask on display."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""
    secrets: frozenset[str] = frozenset()

    def masked(self) -> RenderedRequest:
        """A copy safe to show, log or store: every secret value replaced by a mask."""
        return RenderedRequest(
            method=self.method,
            url=mask_text(self.url, self.secrets),
            headers=tuple((k, mask_text(v, self.secrets)) for k, v in self.headers),
            body=mask_bytes(self.body, self.secrets),
            secrets=frozenset(),
        )


def _secret_forms(secret: str) -> list[str]:
    # A secret can appear encoded: in Basic auth (base64 of user:pass) the caller registers the
    # encoded form itself; here we add the percent-encoded form used in URLs.
    forms = {secret, quote(secret, safe=""), quote(secret, safe="-._~")}
    return sorted((f for f in forms if f), key=len, reverse=True)


def mask_text(text: str, secrets: frozenset[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        for form in _secret_forms(secret):
            text = text.replace(form, MASK)
    return text


def mask_bytes(data: bytes, secrets: frozenset[str]) -> bytes:
    for secret in sorted(secrets, key=len, reverse=True):
        for form in _secret_forms(secret):
            data = data.replace(form.encode("utf-8"), MASK.encode("utf-8"))
    return data


@dataclass(frozen=True)
class Diagnostic:
    """One problem found while mapping. ``record`` is None for problems of the whole response."""

    code: str
    message: str
    record: int | None = None
    field: str | None = None
    severity: str = "error"  # "error" drops the record or field; "warning" informs only


@dataclass(slots=True)
class RecordResult:
    """The outcome for one record: the Customer (None if invalid) and the mapped field values.

    Not frozen, unlike its neighbours: one is made per record, and a frozen dataclass's
    ``__init__`` alone costs a tenth of mapping a record (issue 6). Treat it as read-only.
    """

    index: int
    customer: Customer | None
    values: dict[str, Any]
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class MappingResult:
    customers: tuple[Customer, ...]
    records: tuple[RecordResult, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" and d.record is None for d in self.diagnostics)


@dataclass(frozen=True)
class Exchange:
    """A record of one HTTP exchange, safe to keep: the request is stored masked."""

    request: RenderedRequest
    status: int | None = None
    reason: str = ""
    elapsed_ms: float = 0.0
    size: int = 0
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    text: str | None = None
    redirects: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def header(self, name: str) -> str | None:
        """The first response header called ``name`` (case-insensitive), or None."""
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    @property
    def content_type(self) -> str | None:
        return self.header("content-type")
