"""Secret values typed in the window: kept out of the project, stored in the OS keyring.

The config only names a secret (``SecretRef``). What the user types goes to memory at once (so
the next Send uses it) and to the keyring in a worker thread (keyring calls may block on a
desktop unlock prompt). When no keyring is usable the value stays in memory for this session,
and the window says so.

Resolving is the core's chain (``designer.core.secrets.default_resolver``, the one the CLI
uses) with this session's typed values as one more source; this module only moves the calls
off the UI thread and keeps their results for the request being built. Every task it starts is
tracked, so closing the window waits for them (no task outlives the window).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from designer.core.config import SecretRef
from designer.core.errors import SecretError

if TYPE_CHECKING:
    from designer.core.secrets import SecretLocation

T = TypeVar("T")


class FixedResolver:
    """The outcome of resolving a request's references beforehand, as a resolver.

    ``render_request`` runs on the UI thread and must not touch the keyring; it asks this.
    """

    def __init__(self, values: dict[str, str], errors: dict[str, SecretError]) -> None:
        self._values = values
        self._errors = errors

    @property
    def values(self) -> dict[str, str]:
        return dict(self._values)

    def resolve(self, ref: SecretRef) -> str:
        if ref.secret in self._values:
            return self._values[ref.secret]
        raise self._errors.get(ref.secret) or SecretError(
            f"credential {ref.secret!r} is not set: type it in the Credentials section"
        )


def _core_resolver(secrets_file: Path | None, session: dict[str, str]) -> Any:
    from designer.core.secrets import default_resolver  # noqa: PLC0415  (keyring loads slowly)

    return default_resolver(secrets_file, session=session)


def _store_in_keyring(name: str, value: str) -> bool:
    """True when the keyring really holds the value now (the null backend accepts and forgets)."""
    from designer.core.secrets import KeyringSource, store_secret  # noqa: PLC0415

    try:
        store_secret(name, value)
        return KeyringSource().lookup(SecretRef(secret=name)) == value
    except Exception:  # any keyring backend failure means "not stored"
        return False


def _forget_in_keyring(name: str) -> str:
    """Remove the keyring entry; returns what happened, in words (never a value)."""
    from designer.core.secrets import forget_secret  # noqa: PLC0415

    try:
        removed = forget_secret(name)
    except SecretError as error:
        return error.message
    return f"Removed “{name}” from the system keyring." if removed else f"“{name}” was not in the keyring."


class SessionSecrets(QObject):
    """Secret values known in this session, and their way into (and out of) the keyring."""

    stored = Signal(str, bool)  # secret name, True if now in the keyring (False: memory only)
    forgotten = Signal(str, str)  # secret name, what happened in words

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._values: dict[str, str] = {}
        #: Names whose typed value the keyring now holds: from then on the chain finds it there,
        #: exactly as the CLI would, so "where does it come from" tells the truth.
        self._in_keyring: set[str] = set()
        #: A KEY=VALUE file chosen for the session (the demo's credentials); it wins over
        #: the project folder's own ``*.secrets.env``, found as ``lookup-designer run`` finds it.
        self.chosen_file: Path | None = None
        self._beside_project: Path | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def value(self, name: str) -> str | None:
        return self._values.get(name)

    @property
    def secrets_file(self) -> Path | None:
        """The KEY=VALUE file consulted last in the chain, if any."""
        return self.chosen_file or self._beside_project

    @secrets_file.setter
    def secrets_file(self, path: Path | None) -> None:
        self.chosen_file = path

    def follow_project(self, path: Path | None) -> None:
        """The project now lives at ``path``: consult the one ``*.secrets.env`` file beside it."""
        from designer.core.secrets import secrets_file_beside  # noqa: PLC0415

        self._beside_project = secrets_file_beside(path) if path is not None else None

    def remember(self, name: str, value: str) -> None:
        """Use ``value`` from now on; the keyring copy is written by ``persist``."""
        if value:
            self._values[name] = value
        else:
            self._values.pop(name, None)
        self._in_keyring.discard(name)

    def persist(self, name: str) -> None:
        """Write the remembered value to the keyring in a worker thread; ``stored`` reports."""
        value = self._values.get(name)
        if value is None:
            return
        self.spawn(self._persist(name, value))

    def forget(self, name: str) -> None:
        """Drop the value from this session and from the keyring; ``forgotten`` reports."""
        self._values.pop(name, None)
        self._in_keyring.discard(name)
        self.spawn(self._forget(name))

    def spawn(self, work: Awaitable[T], done: Callable[[T], None] | None = None) -> None:
        """Run ``work`` on the loop, tracked until it ends; ``done`` gets its result."""

        async def run() -> None:
            result = await work
            if done is not None:
                done(result)

        task = asyncio.get_event_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _persist(self, name: str, value: str) -> None:
        ok = await asyncio.to_thread(_store_in_keyring, name, value)
        if ok and self._values.get(name) == value:
            self._in_keyring.add(name)
        self.stored.emit(name, ok)

    async def _forget(self, name: str) -> None:
        message = await asyncio.to_thread(_forget_in_keyring, name)
        self.forgotten.emit(name, message)

    async def resolve_all(self, refs: Iterable[SecretRef]) -> FixedResolver:
        """Resolve every reference now through the core chain, in a worker thread."""
        wanted = list(refs)
        if not wanted:
            return FixedResolver({}, {})
        resolved = await asyncio.to_thread(_resolve_with_core, wanted, self.secrets_file, self._unstored())
        values = {name: v for name, v in resolved.items() if isinstance(v, str)}
        errors = {name: e for name, e in resolved.items() if isinstance(e, SecretError)}
        return FixedResolver(values, errors)

    async def known_values(self, refs: Iterable[SecretRef]) -> dict[str, str]:
        """Every value this session knows of: typed ones plus the references' resolved values."""
        resolver = await self.resolve_all(refs)
        return {**self._values, **resolver.values}

    async def locate_all(self, refs: Iterable[SecretRef]) -> dict[str, SecretLocation]:
        """Where each reference's value comes from right now (the core chain's answer)."""
        wanted = list(refs)
        if not wanted:
            return {}
        return await asyncio.to_thread(_locate_with_core, wanted, self.secrets_file, self._unstored())

    def _unstored(self) -> dict[str, str]:
        """Typed values the keyring does not hold (yet): the chain's session source."""
        return {name: v for name, v in self._values.items() if name not in self._in_keyring}

    async def wait_idle(self) -> None:
        """Let pending keyring work finish (window closing)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


def _resolve_with_core(
    refs: list[SecretRef], secrets_file: Path | None, session: dict[str, str]
) -> dict[str, str | SecretError]:
    out: dict[str, str | SecretError] = {}
    try:
        resolver = _core_resolver(secrets_file, session)
    except Exception as error:  # the secrets module itself is unusable
        return {
            ref.secret: SecretError(f"credentials cannot be read: {type(error).__name__}") for ref in refs
        }
    for ref in refs:
        try:
            out[ref.secret] = resolver.resolve(ref)
        except SecretError as error:
            out[ref.secret] = error
        except Exception as error:  # a broken keyring backend must not become a traceback
            out[ref.secret] = SecretError(f"credential {ref.secret!r} cannot be read: {type(error).__name__}")
    return out


def _locate_with_core(
    refs: list[SecretRef], secrets_file: Path | None, session: dict[str, str]
) -> dict[str, SecretLocation]:
    from designer.core.secrets import SecretLocation  # noqa: PLC0415

    resolver = _core_resolver(secrets_file, session)
    out: dict[str, SecretLocation] = {}
    for ref in refs:
        try:
            out[ref.secret] = resolver.locate(ref)
        except Exception as error:  # a broken backend reads as "missing", with the reason
            out[ref.secret] = SecretLocation(ref.secret, "missing", f"cannot be read: {type(error).__name__}")
    return out
