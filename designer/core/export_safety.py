"""Checks before a config leaves the machine: no secret may ride along unnoticed.

Export writes references by default. Before anything is written, the output text is scanned
for the secret values we know (resolved from the keyring/environment) and for shapes that look
like credentials somebody pasted as plain text (Bearer tokens, long base64/hex strings in header
values, ``user:password@`` in URLs), so the user is warned with the location.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from designer.core.jsonio import loads_exact

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
    secrets = sorted({s for s in known_secrets if len(s) >= _MIN_KNOWN_SECRET}, key=len, reverse=True)
    findings: list[SecretFinding] = []
    for location, _key, leaf in _walk(document, ""):
        findings.extend(_scan_leaf(location, leaf, secrets))
    return findings


def _scan_leaf(location: str, leaf: str, secrets: list[str]) -> list[SecretFinding]:
    found: list[SecretFinding] = []
    for secret in secrets:
        if secret in leaf:
            found.append(
                SecretFinding(location, "known_secret", f"{location} contains the value of a stored secret")
            )
            break
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
