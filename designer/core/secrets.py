"""Resolving credential references (``SecretRef``) to their values at run time.

A config names a secret; the value lives elsewhere so that project files and exports carry no
credentials. The same chain serves the window and the CLI: a value embedded on explicit request,
then the environment variable named exactly like the reference (headless use, CI), then the OS
keyring (service ``lookup-designer``, user = the reference), then an optional KEY=VALUE file. The
window adds the values typed in it this session right after the embedded one; everything else
is the same chain, so the window and ``lookup-designer run`` find a secret in the same place.

Errors name the reference and every place that was looked at, never a value.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from designer.core.config import ApiKeyAuth, BasicAuth, BearerAuth, LookupConfig, SecretRef
from designer.core.errors import SecretError

__all__ = [
    "KEYRING_SERVICE",
    "ChainResolver",
    "EmbeddedSource",
    "EnvironmentSource",
    "KeyringSource",
    "MappingSource",
    "SecretLocation",
    "SecretResolver",
    "SecretSource",
    "SecretUse",
    "SecretsFileSource",
    "default_resolver",
    "forget_secret",
    "parse_secrets_file",
    "secret_uses",
    "store_secret",
]

KEYRING_SERVICE = "lookup-designer"


class SecretResolver(Protocol):
    """Anything that turns a reference into its value or raises :class:`SecretError`."""

    def resolve(self, ref: SecretRef) -> str: ...


class SecretSource(Protocol):
    """One place a secret may be stored. ``lookup`` returns None when it is not there.

    ``kind`` names the place for code ("environment", "keyring", ...); ``where`` says in words
    where a value that was found lives, ``describe`` where it looked when nothing was found.
    """

    kind: str

    def lookup(self, ref: SecretRef) -> str | None: ...

    def where(self, ref: SecretRef) -> str: ...

    def describe(self, ref: SecretRef) -> str:
        """Where this source looked for ``ref`` (and why it failed, if it could not look)."""
        ...


@dataclass(frozen=True)
class SecretLocation:
    """Where the value of one reference comes from right now; never the value itself.

    ``kind`` is a source's kind, or ``"missing"`` (then ``where`` lists every place looked at).
    """

    name: str
    kind: str
    where: str

    @property
    def found(self) -> bool:
        return self.kind != "missing"


@dataclass(frozen=True)
class SecretUse:
    """One credential reference of a config: its name, its place in the file, what it is for."""

    name: str
    location: str  # e.g. "request.auth.token"
    purpose: str  # e.g. "Bearer token", "API key (header X-API-Key)"


def _purpose(config: LookupConfig) -> tuple[str, str]:
    """(location in the file, purpose in words) of the auth's credential."""
    auth = config.request.auth
    if isinstance(auth, BasicAuth):
        who = f" of user {auth.username}" if auth.username else ""
        return "request.auth.password", f"Basic auth password{who}"
    if isinstance(auth, BearerAuth):
        return "request.auth.token", "Bearer token"
    if isinstance(auth, ApiKeyAuth):
        place = "header" if auth.location == "header" else "query parameter"
        return "request.auth.value", f"API key ({place} {auth.name})"
    return "request.auth", "credential"


def secret_uses(config: LookupConfig) -> list[SecretUse]:
    """Every credential reference of ``config`` (``config.secret_refs()``) with its purpose."""
    location, purpose = _purpose(config)
    return [SecretUse(ref.secret, location, purpose) for ref in config.secret_refs()]


class EmbeddedSource:
    """The value stored in the config itself (only when the user chose to embed it)."""

    kind = "embedded"

    def lookup(self, ref: SecretRef) -> str | None:
        return ref.value

    def where(self, ref: SecretRef) -> str:
        return "embedded in the config file"

    def describe(self, ref: SecretRef) -> str:
        return "the config (no embedded value)"


class EnvironmentSource:
    """The environment variable named exactly like the reference; empty counts as unset."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ if environ is not None else os.environ

    kind = "environment"

    def lookup(self, ref: SecretRef) -> str | None:
        return self._environ.get(ref.secret) or None

    def where(self, ref: SecretRef) -> str:
        return f"environment variable {ref.secret}"

    def describe(self, ref: SecretRef) -> str:
        state = "set but empty" if self._environ.get(ref.secret) == "" else "not set"
        return f"environment variable {ref.secret} ({state})"


class KeyringSource:
    """The OS keyring. Any keyring failure (no backend, locked, D-Bus down) means "not there"."""

    kind = "keyring"

    def __init__(self, service: str = KEYRING_SERVICE) -> None:
        self.service = service
        self._problem: dict[str, str] = {}

    def where(self, ref: SecretRef) -> str:
        return f"OS keyring (service {self.service!r})"

    def lookup(self, ref: SecretRef) -> str | None:
        try:
            import keyring  # noqa: PLC0415  (slow to import; only when a secret is needed)

            value = keyring.get_password(self.service, ref.secret)
        except Exception as error:  # a broken backend must fall through, never crash
            self._problem[ref.secret] = f"{type(error).__name__}: {error}".rstrip(": ")
            return None
        self._problem.pop(ref.secret, None)
        return value or None

    def describe(self, ref: SecretRef) -> str:
        where = f"OS keyring (service {self.service!r}, user {ref.secret!r})"
        problem = self._problem.get(ref.secret)
        return f"{where}: unavailable ({problem})" if problem else f"{where}: not stored"


def _unquote(value: str, path: Path, line_no: int) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        if value[0] == '"':
            # The common escapes of .env files; anything else stays as written.
            out: list[str] = []
            i = 0
            while i < len(inner):
                char = inner[i]
                if char == "\\" and i + 1 < len(inner):
                    nxt = inner[i + 1]
                    out.append({"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
                    i += 2
                    continue
                out.append(char)
                i += 1
            return "".join(out)
        return inner
    if value[:1] in "'\"":
        raise SecretError(f"secrets file {path}, line {line_no}: the quote opened here is never closed")
    # Unquoted: a " #" starts a comment, as in shell and .env files.
    hash_at = value.find(" #")
    return value[:hash_at].rstrip() if hash_at >= 0 else value


def parse_secrets_file(text: str, path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines (``#`` comments, blank lines, optional ``export``, quoted values).

    Raises SecretError naming the file and line (never the value) for a malformed line.
    """
    values: dict[str, str] = {}
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not name or any(c.isspace() for c in name):
            raise SecretError(f"secrets file {path}, line {line_no}: expected NAME=VALUE")
        values[name] = _unquote(value.strip(), path, line_no)
    return values


class SecretsFileSource:
    """A KEY=VALUE file (read once, lazily, as UTF-8)."""

    kind = "file"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, str] | None = None

    def where(self, ref: SecretRef) -> str:
        return f"secrets file {self.path}"

    def _load(self) -> dict[str, str]:
        if self._values is None:
            try:
                text = self.path.read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise SecretError(f"secrets file {self.path} does not exist") from None
            except (OSError, UnicodeDecodeError) as error:
                reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                raise SecretError(f"secrets file {self.path} cannot be read: {reason}") from None
            self._values = parse_secrets_file(text, self.path)
        return self._values

    def lookup(self, ref: SecretRef) -> str | None:
        return self._load().get(ref.secret) or None

    def describe(self, ref: SecretRef) -> str:
        return f"secrets file {self.path} (no line {ref.secret}=...)"


class MappingSource:
    """Values known in memory (typed in the window this session, or given by a test)."""

    kind = "session"

    def __init__(self, values: Mapping[str, str], label: str = "values given for this session") -> None:
        self._values = values
        self._label = label

    def lookup(self, ref: SecretRef) -> str | None:
        return self._values.get(ref.secret) or None

    def where(self, ref: SecretRef) -> str:
        return self._label

    def describe(self, ref: SecretRef) -> str:
        return f"{self._label} (none for {ref.secret})"


class ChainResolver:
    """Asks each source in order; the first value wins."""

    def __init__(self, sources: Iterable[SecretSource]) -> None:
        self.sources = list(sources)

    def resolve(self, ref: SecretRef) -> str:
        for source in self.sources:
            value = source.lookup(ref)
            if value is not None:
                return value
        raise SecretError(f"credential {ref.secret!r} is not available. Looked in: {self._looked(ref)}")

    def locate(self, ref: SecretRef) -> SecretLocation:
        """Which source would give the value now (the same order ``resolve`` uses).

        A source that cannot be read (a malformed secrets file) counts as not having it.
        """
        for source in self.sources:
            try:
                value = source.lookup(ref)
            except SecretError:
                continue
            if value is not None:
                return SecretLocation(ref.secret, source.kind, source.where(ref))
        return SecretLocation(ref.secret, "missing", f"not available. Looked in: {self._looked(ref)}")

    def _looked(self, ref: SecretRef) -> str:
        return "; ".join(source.describe(ref) for source in self.sources)


SECRETS_FILE_SUFFIX = ".secrets.env"


def secrets_file_beside(config_path: Path) -> Path | None:
    """The one ``*.secrets.env`` file in the config's folder, if there is exactly one.

    A project folder can keep its test credentials next to its configs (the samples keep the
    demo ones in ``samples/demo.secrets.env``), so ``run CONFIG`` works without ``--secrets-file``.
    It comes last in the chain, after the environment and the keyring, and two or more such
    files mean none is guessed: then ``--secrets-file`` must say which.
    """
    try:
        found = sorted(p for p in Path(config_path).parent.glob("*" + SECRETS_FILE_SUFFIX) if p.is_file())
    except OSError:
        return None
    return found[0] if len(found) == 1 else None


def default_resolver(
    secrets_file: Path | None = None, *, session: Mapping[str, str] | None = None
) -> ChainResolver:
    """Embedded value -> typed this session -> environment variable -> OS keyring -> KEY=VALUE file.

    ``session`` holds values the user typed in the window (they win over older stored ones);
    the CLI passes none, so the window and ``lookup-designer run`` share the rest of the chain.
    """
    sources: list[SecretSource] = [EmbeddedSource()]
    if session is not None:
        sources.append(MappingSource(session, "typed in the window this session (not stored)"))
    sources += [EnvironmentSource(), KeyringSource()]
    if secrets_file is not None:
        sources.append(SecretsFileSource(Path(secrets_file)))
    return ChainResolver(sources)


def store_secret(name: str, value: str, *, setter: Callable[[str, str, str], None] | None = None) -> None:
    """Store a value in the OS keyring under the reference ``name``.

    Raises SecretError (without the value) when no usable keyring exists.
    """
    try:
        if setter is None:
            import keyring  # noqa: PLC0415

            setter = keyring.set_password
        setter(KEYRING_SERVICE, name, value)
    except Exception as error:
        raise SecretError(
            f"credential {name!r} cannot be stored in the OS keyring: {type(error).__name__}"
        ) from None


def forget_secret(
    name: str,
    *,
    getter: Callable[[str, str], str | None] | None = None,
    deleter: Callable[[str, str], None] | None = None,
) -> bool:
    """Remove the keyring entry of reference ``name``; False when there was none.

    Raises SecretError (without the value) when the keyring cannot be used.
    """
    try:
        if getter is None or deleter is None:
            import keyring  # noqa: PLC0415

            getter = getter or keyring.get_password
            deleter = deleter or keyring.delete_password
        if getter(KEYRING_SERVICE, name) is None:
            return False
        deleter(KEYRING_SERVICE, name)
    except Exception as error:
        raise SecretError(
            f"credential {name!r} cannot be removed from the OS keyring: {type(error).__name__}"
        ) from None
    return True
