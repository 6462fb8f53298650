"""Recognising credentials in an imported request and turning them into secret references.

A credential pasted with a cURL command must never end up as text in the project: it becomes
the config's credential entry (Basic, Bearer or API key) holding a :class:`SecretRef`, and the
value travels separately so the window can offer to store it in the OS keyring and the CLI can
say which environment variable provides it. A value that is itself a shell variable
(``Bearer $DO_API_TOKEN``) needs no storing: the reference is named after the variable, which is
exactly where the runtime's environment source looks.

What counts as a credential (decided by name, so values are never guessed at):

* ``Authorization`` in any form (Basic decoded into user and password when it re-encodes to the
  same bytes, Bearer, any other scheme as an API key with the scheme as prefix);
* headers whose name says key, token, secret, password or auth (``X-API-Key``,
  ``X-Shopify-Access-Token``, ``X-Auth-Token``...), except CSRF/XSRF tokens, which only echo a
  cookie;
* a ``Cookie`` header holding a session-like cookie (``session_id``, ``PHPSESSID``, ``sid``...);
* query parameters named like an API key (``apikey``, ``api_key``, ``token``, ``access_token``...).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from designer.core.config import ApiKeyAuth, Auth, BasicAuth, BearerAuth, SecretRef

__all__ = [
    "Credential",
    "FoundCredential",
    "from_authorization",
    "from_cookie",
    "from_key_header",
    "from_query",
    "is_key_header",
    "is_key_param",
    "is_session_cookie",
    "secret_name",
]

_KEY_HEADER_WORDS = ("api-key", "apikey", "token", "secret", "password", "passwd", "auth")
_NOT_KEY_HEADERS = {"x-csrf-token", "x-xsrf-token", "csrf-token", "xsrf-token", "x-csrftoken"}
_KEY_PARAMS = {
    "api_key",
    "apikey",
    "api_token",
    "apitoken",
    "token",
    "access_token",
    "auth_token",
    "authtoken",
    "client_secret",
    "consumer_secret",
    "secret",
    "password",
    "passwd",
    "private_token",
    "session_id",
    "sessionid",
}
_SESSION_WORDS = ("session", "sess", "sid", "auth", "token", "jwt", "login", "remember")
_SCHEME_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9_-]* +)(\S+)$")
_ENV_REFERENCE = re.compile(
    r"^(?:\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_]\w*)%)$"
)


@dataclass(frozen=True)
class Credential:
    """A credential the import created: its reference, what it is, and whether a value came with it.

    ``has_value`` is False when the command named an environment variable instead of a value, or
    gave no password: then the user provides it (environment variable ``secret`` or keyring).
    """

    secret: str
    kind: str
    origin: str
    has_value: bool


@dataclass(frozen=True)
class FoundCredential:
    """A credential found in the request, before the import decides which one the config keeps."""

    auth: Auth
    credential: Credential
    value: str | None
    where: str  # "header X-API-Key", "query parameter apikey", "the Cookie header"


def secret_name(host: str, what: str) -> str:
    """A reference name that is also a valid environment variable: ``API_EXAMPLE_COM_TOKEN``."""
    label = re.sub(r"[^A-Za-z0-9]+", "_", host.partition(":")[0]).strip("_").upper() or "API"
    if label[0].isdigit():
        label = f"HOST_{label}"
    suffix = re.sub(r"[^A-Za-z0-9]+", "_", what).strip("_").upper()
    return f"{label}_{suffix}" if suffix else label


def _env_name(value: str, expansions: tuple[str, ...]) -> str | None:
    """The variable name when ``value`` is exactly one shell variable of the command."""
    match = _ENV_REFERENCE.match(value)
    if match is None or value not in expansions:
        return None
    return next(group for group in match.groups() if group)


def _ref(host: str, what: str, value: str, expansions: tuple[str, ...]) -> tuple[SecretRef, str | None]:
    env = _env_name(value, expansions)
    if env is not None:
        return SecretRef(secret=env), None
    return SecretRef(secret=secret_name(host, what)), (value or None)


def _found(
    auth: Auth, ref: SecretRef, value: str | None, *, kind: str, origin: str, where: str
) -> FoundCredential:
    return FoundCredential(auth, Credential(ref.secret, kind, origin, value is not None), value, where)


def is_key_header(name: str) -> bool:
    lowered = name.lower().replace("_", "-")
    if lowered in _NOT_KEY_HEADERS or lowered == "authorization":
        return False
    return any(word in lowered for word in _KEY_HEADER_WORDS)


def is_key_param(name: str) -> bool:
    return name.lower().replace("-", "_") in _KEY_PARAMS


def is_session_cookie(value: str) -> bool:
    names = [piece.split("=", 1)[0].strip().lower() for piece in value.split(";")]
    return any(word in name for name in names for word in _SESSION_WORDS)


def _basic(token: str) -> tuple[str, str] | None:
    """(user, password) when ``token`` is canonical base64 of UTF-8 ``user:password``."""
    try:
        decoded = base64.b64decode(token, validate=True)
        text = decoded.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if ":" not in text or base64.b64encode(decoded).decode("ascii") != token:
        return None
    user, _, password = text.partition(":")
    return user, password


def from_authorization(value: str, host: str, origin: str, expansions: tuple[str, ...]) -> FoundCredential:
    """An ``Authorization`` header value as Basic, Bearer, or an API key with the scheme as prefix.

    A Basic password that is exactly a shell variable of the command (``-u user:$PASS``) becomes
    a reference to that variable, as for any other credential.
    """
    scheme, space, rest = value.partition(" ")
    basic = _basic(rest) if scheme == "Basic" and space and rest else None
    if basic is not None:
        user, password = basic
        ref, secret = _ref(host, "password", password, expansions)
        auth: Auth = BasicAuth(username=user, password=ref)
        kind = f"Basic password of user {user!r}"
        return _found(auth, ref, secret, kind=kind, origin=origin, where="the Authorization header")
    if scheme == "Bearer" and space and rest and not re.search(r"\s", rest):
        ref, secret = _ref(host, "token", rest, expansions)
        return _found(
            BearerAuth(token=ref),
            ref,
            secret,
            kind="Bearer token",
            origin=origin,
            where="the Authorization header",
        )
    prefix, token = (f"{scheme}{space}", rest) if space and rest.strip() else ("", value)
    what = "authorization" if not prefix else f"{scheme} token"
    ref, secret = _ref(host, what, token, expansions)
    auth = ApiKeyAuth(location="header", name="Authorization", value=ref, prefix=prefix)
    kind = f"Authorization header ({scheme} scheme)" if prefix else "Authorization header"
    return _found(auth, ref, secret, kind=kind, origin=origin, where="the Authorization header")


def from_key_header(
    name: str, value: str, host: str, origin: str, expansions: tuple[str, ...]
) -> FoundCredential:
    """``X-API-Key: k`` keeps ``k`` secret; a scheme word before it (``ApiKey k``) is the prefix."""
    scheme = _SCHEME_PREFIX.match(value)
    prefix, key = (scheme.group(1), scheme.group(2)) if scheme else ("", value)
    ref, secret = _ref(host, name, key, expansions)
    auth = ApiKeyAuth(location="header", name=name, value=ref, prefix=prefix)
    return _found(
        auth, ref, secret, kind=f"API key in header {name}", origin=origin, where=f"the header {name}"
    )


def from_cookie(value: str, host: str, origin: str, expansions: tuple[str, ...]) -> FoundCredential:
    """One cookie keeps its ``name=`` as the prefix; several are one secret as a whole."""
    pieces = [piece for piece in value.split(";") if piece.strip()]
    if len(pieces) == 1 and "=" in pieces[0]:
        cookie, _, cookie_value = value.partition("=")
        ref, secret = _ref(host, f"{cookie} cookie", cookie_value, expansions)
        auth = ApiKeyAuth(location="header", name="Cookie", value=ref, prefix=f"{cookie}=")
        return _found(
            auth,
            ref,
            secret,
            kind=f"session cookie {cookie.strip()}",
            origin=origin,
            where="the Cookie header",
        )
    ref, secret = _ref(host, "cookie", value, expansions)
    auth = ApiKeyAuth(location="header", name="Cookie", value=ref)
    return _found(
        auth, ref, secret, kind="cookies (with a session cookie)", origin=origin, where="the Cookie header"
    )


def from_query(name: str, value: str, host: str, origin: str) -> FoundCredential:
    ref, secret = _ref(host, name, value, ())
    auth = ApiKeyAuth(location="query", name=name, value=ref)
    kind = f"API key in query parameter {name}"
    return _found(auth, ref, secret, kind=kind, origin=origin, where=f"the query parameter {name}")
