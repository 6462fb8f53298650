"""Secret values typed in the window: kept out of the project, stored in the OS keyring.

The config only names a secret (``SecretRef``). What the user types goes to memory at once (so
the next Send uses it) and to the keyring in a worker thread (keyring calls may block on a
desktop unlock prompt). When no keyring is usable the value stays in memory for this session,
and the window says so. Before a Send, every referenced secret is resolved off the UI thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from designer.core.config import SecretRef
from designer.core.errors import SecretError


class FixedResolver:
    """A resolver over values resolved beforehand; unresolved names raise their original error."""

    def __init__(self, values: dict[str, str], errors: dict[str, SecretError]) -> None:
        self._values = values
        self._errors = errors

    def resolve(self, ref: SecretRef) -> str:
        if ref.value is not None:
            return ref.value
        if ref.secret in self._values:
            return self._values[ref.secret]
        raise self._errors.get(ref.secret) or SecretError(
            f"credential {ref.secret!r} is not set: type it in the Credentials section"
        )


def _core_resolver(secrets_file: Path | None) -> Any:
    from designer.core.secrets import default_resolver  # noqa: PLC0415  (keyring loads slowly)

    return default_resolver(secrets_file)


def _store_in_keyring(name: str, value: str) -> bool:
    """True when the keyring really holds the value now (the null backend accepts and forgets)."""
    from designer.core.secrets import KeyringSource, store_secret  # noqa: PLC0415

    try:
        store_secret(name, value)
        return KeyringSource().lookup(SecretRef(secret=name)) == value
    except Exception:  # any keyring backend failure means "not stored"
        return False


class SessionSecrets(QObject):
    """Secret values known in this session, and their way into the keyring."""

    stored = Signal(str, bool)  # secret name, True if now in the keyring (False: memory only)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._values: dict[str, str] = {}
        #: An optional KEY=VALUE file consulted last (the demo's credentials).
        self.secrets_file: Path | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def value(self, name: str) -> str | None:
        return self._values.get(name)

    def remember(self, name: str, value: str) -> None:
        """Use ``value`` from now on; the keyring copy is written by ``persist``."""
        self._values[name] = value

    def persist(self, name: str) -> None:
        """Write the remembered value to the keyring in a worker thread; ``stored`` reports."""
        value = self._values.get(name)
        if value is None:
            return
        task = asyncio.get_event_loop().create_task(self._persist(name, value))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _persist(self, name: str, value: str) -> None:
        ok = await asyncio.to_thread(_store_in_keyring, name, value)
        self.stored.emit(name, ok)

    async def resolve_all(self, refs: Iterable[SecretRef]) -> FixedResolver:
        """Resolve every reference now, the slow sources (keyring) in a worker thread."""
        values: dict[str, str] = {}
        errors: dict[str, SecretError] = {}
        missing = []
        for ref in refs:
            known = ref.value if ref.value is not None else self._values.get(ref.secret)
            if known is not None:
                values[ref.secret] = known
            else:
                missing.append(ref)
        if missing:
            resolved = await asyncio.to_thread(_resolve_with_core, missing, self.secrets_file)
            for name, outcome in resolved.items():
                if isinstance(outcome, SecretError):
                    errors[name] = outcome
                else:
                    values[name] = outcome
        return FixedResolver(values, errors)

    async def wait_idle(self) -> None:
        """Let pending keyring writes finish (window closing)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def _resolve_with_core(refs: list[SecretRef], secrets_file: Path | None) -> dict[str, str | SecretError]:
    out: dict[str, str | SecretError] = {}
    try:
        resolver = _core_resolver(secrets_file)
    except Exception as error:  # the secrets module itself is unusable
        return {ref.secret: SecretError(f"credentials cannot be read: {error}") for ref in refs}
    for ref in refs:
        try:
            out[ref.secret] = resolver.resolve(ref)
        except SecretError as error:
            out[ref.secret] = error
        except Exception as error:  # a broken keyring backend must not become a traceback
            out[ref.secret] = SecretError(f"credential {ref.secret!r} cannot be read: {error}")
    return out
