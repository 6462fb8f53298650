"""Move a credential embedded in the project file into the OS keyring ("Move to Keyring").

A project (or an exported config opened as one) may carry a secret's value in the file
(``{"secret": "SHOP_TOKEN", "value": "…"}``): it is sent, but saving writes the reference only,
so the value would be gone after the next save. Moving stores the value in the keyring first
(through ``SessionSecrets``, off the UI thread); only once the keyring really holds it is the
literal dropped from the project, as one undo step. Without a usable keyring nothing changes
in the project and the user is told why.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from designer.core.config import LookupConfig
from designer.gui.document import Document
from designer.gui.session_secrets import SessionSecrets

__all__ = ["KeyringMove", "embedded_value", "move_to_keyring", "without_embedded_value"]

#: auth type -> the attribute holding its SecretRef
_SECRET_ATTRS = {"basic": "password", "bearer": "token", "api_key": "value"}


def embedded_value(config: LookupConfig, name: str) -> str | None:
    """The value of reference ``name`` written in the config itself, if any."""
    for ref in config.secret_refs():
        if ref.secret == name and ref.value:
            return ref.value
    return None


def without_embedded_value(config: LookupConfig, name: str) -> LookupConfig:
    """``config`` with the embedded value of ``name`` dropped; the reference itself stays."""
    auth = config.request.auth
    attr = _SECRET_ATTRS.get(auth.type)
    if attr is None:
        return config
    ref = getattr(auth, attr, None)
    if ref is None or ref.secret != name or ref.value is None:
        return config
    new_auth = auth.model_copy(update={attr: ref.model_copy(update={"value": None})})
    return config.model_copy(update={"request": config.request.model_copy(update={"auth": new_auth})})


class KeyringMove(QObject):
    """One move in progress; reports once through ``finished`` and then deletes itself.

    Parented to the session's secrets, not to the dialog that started it, so closing the
    dialog while the keyring is being written does not leave the literal in the project.
    """

    finished = Signal(str, bool, str)  # secret name, moved, what happened in words (never a value)

    def __init__(self, document: Document, secrets: SessionSecrets, name: str, value: str) -> None:
        super().__init__(secrets)
        self._document = document
        self._secrets = secrets
        self.name = name
        self._value = value
        secrets.stored.connect(self._on_secrets_stored)
        secrets.remember(name, value)
        secrets.persist(name)

    def _on_secrets_stored(self, name: str, in_keyring: bool) -> None:
        if name != self.name:
            return
        self._secrets.stored.disconnect(self._on_secrets_stored)
        moved, text = self._finish(name, in_keyring)
        self.finished.emit(name, moved, text)
        self.deleteLater()

    def _finish(self, name: str, in_keyring: bool) -> tuple[bool, str]:
        """Drop the literal if the keyring holds the value now: (moved, what happened)."""
        if not in_keyring:
            return False, (
                f"No system keyring is available: “{name}” stays embedded in the project file. "
                f"For later sessions and headless runs set the environment variable {name}."
            )
        config = self._document.config
        if embedded_value(config, name) != self._value:
            return False, f"Saved “{name}” in the system keyring; the project has changed meanwhile."
        self._document.end_merge()
        self._document.apply(f"Move {name} to the keyring", without_embedded_value(config, name))
        self._document.end_merge()
        return True, f"Moved “{name}” to the system keyring: the project file keeps only the reference."


def move_to_keyring(document: Document, secrets: SessionSecrets, name: str) -> KeyringMove | None:
    """Start moving the embedded value of ``name``; None when the project embeds none."""
    value = embedded_value(document.config, name)
    return KeyringMove(document, secrets, name, value) if value is not None else None
