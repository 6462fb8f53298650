"""Checks before a config leaves the machine: no secret may ride along unnoticed.

Export writes references by default. Before anything is written, the output text is scanned
for the secret values we know (resolved from the keyring/environment) and for shapes that look
like credentials somebody pasted as plain text (Bearer tokens, long base64/hex strings in header
values, ``user:password@`` in URLs), so the user is warned with the location.

:func:`plan_export` is the whole decision as a pure function over values: the text to write
(references only, or with the values the user explicitly chose to include), the findings that
still need a warning, and a diff against the previous export with every known value masked,
so the window only has to show it and ask.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from designer.core.config import LookupConfig
from designer.core.jsonio import loads_exact
from designer.core.model_types import mask_text
from designer.core.project_io import config_to_text
from designer.core.secrets import SecretUse, secret_uses

__all__ = [
    "ExportPlan",
    "SecretFinding",
    "embed_secret_values",
    "embedded_values",
    "export_diff",
    "mask_known",
    "plan_export",
    "scan_text",
]

_BEARER = re.compile(r"\bBearer\s+[A-Za-z0-9\-._~+/]{8,}=*", re.IGNORECASE)
_BASIC = re.compile(r"\bBasic\s+[A-Za-z0-9+/]{8,}=*", re.IGNORECASE)
_LONG_TOKEN = re.compile(r"\b(?:[A-Fa-f0-9]{32,}|[A-Za-z0-9+/_\-]{32,}={0,2})\b")
_URL_CREDENTIALS = re.compile(r"[a-z][a-z0-9+.\-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
_MIN_KNOWN_SECRET = 4  # shorter values would match everywhere and say nothing


@dataclass(frozen=True)
class SecretFinding:
    """A place in the export that holds, or looks like it holds, a credential."""

    location: str
    kind: str  # "known_secret" | "bearer_token" | "basic_credentials" | "long_token" | "url_credentials"
    message: str


def _walk(value: Any, location: str) -> Iterable[tuple[str, str, str]]:
    """Yield (location, key, text) for every string leaf, with a readable config location."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, f"{location}.{key}" if location else str(key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, f"{location}[{index}]")
    elif isinstance(value, str):
        yield location, location.rsplit(".", 1)[-1], value


def scan_text(text: str, known_secrets: Iterable[str]) -> list[SecretFinding]:
    """Scan an exported config (JSON text) for secrets; locations name the config field."""
    try:
        document = loads_exact(text)
    except ValueError:
        document = {"text": text}
    secrets = _significant(known_secrets)
    findings: list[SecretFinding] = []
    for location, _key, leaf in _walk(document, ""):
        findings.extend(_scan_leaf(location, leaf, secrets))
    return findings


def _significant(values: Iterable[str]) -> frozenset[str]:
    return frozenset(s for s in values if len(s) >= _MIN_KNOWN_SECRET)


def mask_known(text: str, known_secrets: Iterable[str]) -> str:
    """``text`` with every known value (also percent-encoded) replaced by the mask, for display."""
    secrets = _significant(known_secrets)
    return mask_text(text, secrets) if secrets else text


def _scan_leaf(location: str, leaf: str, secrets: frozenset[str]) -> list[SecretFinding]:
    found: list[SecretFinding] = []
    # The masking the runtime applies to displayed text decides: a leaf it would change holds a
    # known value in some form (as is, or percent-encoded in a URL).
    if secrets and mask_text(leaf, secrets) != leaf:
        found.append(
            SecretFinding(location, "known_secret", f"{location} contains the value of a stored secret")
        )
    if _URL_CREDENTIALS.search(leaf):
        found.append(SecretFinding(location, "url_credentials", f"{location} has user:password@ in a URL"))
    if _BEARER.search(leaf):
        found.append(SecretFinding(location, "bearer_token", f"{location} holds a Bearer token"))
    if _BASIC.search(leaf):
        found.append(SecretFinding(location, "basic_credentials", f"{location} holds Basic credentials"))
    is_header_value = ".headers[" in location and location.endswith(".value")
    is_query_value = ".query[" in location and location.endswith(".value")
    if (is_header_value or is_query_value) and not found and _LONG_TOKEN.search(leaf):
        found.append(SecretFinding(location, "long_token", f"{location} holds a long token-like string"))
    return found


def export_diff(previous: str | None, current: str, *, previous_name: str, current_name: str) -> str:
    """A unified diff, the form reviewers already read; empty when nothing changed."""
    if previous is None:
        return ""
    lines = difflib.unified_diff(
        previous.splitlines(keepends=True),
        current.splitlines(keepends=True),
        fromfile=previous_name,
        tofile=current_name,
    )
    return "".join(lines)


def embed_secret_values(config: LookupConfig, values: Mapping[str, str]) -> LookupConfig:
    """A copy of ``config`` whose references carry their value where ``values`` has one.

    Only for the export's explicit "include secret values" choice; references without a value
    in ``values`` stay plain references.
    """
    data = config.model_dump(mode="python")
    for use in secret_uses(config):
        if use.name not in values:
            continue
        node = data
        for part in use.location.split("."):
            node = node[part]
        node["value"] = values[use.name]
    return LookupConfig.model_validate(data)


@dataclass(frozen=True)
class ExportPlan:
    """What an export would write, and what the user must be told before it is written.

    ``text`` is ``config_to_text(config, include_secrets=include_secrets)``: saving ``config``
    with that flag writes exactly the text that was scanned.
    """

    text: str
    config: LookupConfig
    include_secrets: bool
    #: Places that hold (or look like) a credential, except values the user chose to include.
    findings: tuple[SecretFinding, ...]
    #: Secrets whose value ``text`` carries because the user asked for it.
    included: tuple[SecretUse, ...]
    #: Secrets the user asked to include but that have no value anywhere: they stay references.
    missing: tuple[SecretUse, ...]
    #: Unified diff against the previous export ("" without one). Every known value is masked,
    #: and so is every value embedded in the previous export (it may hold old secrets).
    diff: str
    #: The previous export exists and the new text is identical.
    unchanged: bool


def plan_export(
    config: LookupConfig,
    *,
    known_values: Mapping[str, str],
    include_secrets: bool = False,
    previous: str | None = None,
    previous_name: str = "last export",
    current_name: str = "this export",
) -> ExportPlan:
    """Decide what an export writes and what to warn about; writes nothing.

    ``known_values`` maps reference names to their resolved values (for the scan and for the
    masking of the diff; with ``include_secrets`` also the values to embed). A value outside
    the config's references (typed for a renamed reference) is still searched for.
    """
    uses = secret_uses(config)
    included = tuple(u for u in uses if include_secrets and u.name in known_values)
    missing = tuple(u for u in uses if include_secrets and u.name not in known_values)
    source = embed_secret_values(config, known_values) if included else config
    text = config_to_text(source, include_secrets=bool(included))
    chosen = {f"{u.location}.value" for u in included}
    findings = tuple(f for f in scan_text(text, known_values.values()) if f.location not in chosen)
    diff = export_diff(previous, text, previous_name=previous_name, current_name=current_name)
    hidden = [*known_values.values(), *(embedded_values(previous) if previous else ())]
    return ExportPlan(
        text=text,
        config=source,
        include_secrets=bool(included),
        findings=findings,
        included=included,
        missing=missing,
        diff=mask_known(diff, hidden),
        unchanged=previous is not None and previous == text,
    )


def embedded_values(text: str) -> list[str]:
    """The values embedded in secret references (``{"secret": ..., "value": ...}``) of a file."""
    try:
        document = loads_exact(text)
    except (ValueError, RecursionError):
        return []
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "secret" in node and set(node) <= {"secret", "value"} and isinstance(node.get("value"), str):
                found.append(node["value"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    try:
        walk(document)
    except RecursionError:  # not a file this designer wrote; nothing to mask in it
        return found
    return found
