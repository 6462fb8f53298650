"""An OS keyring that lives in this process, for tests (the test machine has no desktop keyring).

The ``keyring`` library is built for pluggable backends; this is one more, holding values in a
dict. The test-wide default stays the null backend (conftest), which forgets everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username))


@contextmanager
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Use a fresh in-memory keyring inside the block, then the previous backend again."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
