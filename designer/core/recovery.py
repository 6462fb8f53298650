"""Crash recovery: unsaved work is kept in the user's data folder until it is saved or discarded.

The window autosaves the project text here on idle and after structural edits; at the next start
any entry left behind (the app crashed or was killed) is offered for restore. Entries are
written atomically, so a crash mid-autosave leaves the previous entry readable.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from designer.core.atomic import write_text_atomic

APP_NAME = "lookup-designer"


def default_recovery_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "recovery"


@dataclass(frozen=True)
class RecoveryEntry:
    session: str
    project_path: str | None
    saved_at: float
    text: str
    file: Path

    @property
    def title(self) -> str:
        name = Path(self.project_path).name if self.project_path else "an unsaved project"
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        return f"{name} (autosaved {when})"


class RecoveryStore:
    """One file per window session: ``<session>.json`` holding the project text and its path."""

    def __init__(self, folder: Path | None = None, session: str | None = None) -> None:
        self.folder = folder or default_recovery_dir()
        self.session = session or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"

    @property
    def file(self) -> Path:
        return self.folder / f"{self.session}.json"

    def save(self, text: str, project_path: Path | None) -> None:
        payload = {
            "session": self.session,
            "project_path": str(project_path) if project_path else None,
            "saved_at": time.time(),
            "text": text,
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.file, json.dumps(payload, ensure_ascii=False))

    def clear(self) -> None:
        """The work is saved (or deliberately discarded): nothing to recover any more."""
        self.file.unlink(missing_ok=True)

    def leftovers(self) -> list[RecoveryEntry]:
        """Entries of other sessions, newest first; unreadable entries are skipped, not fatal."""
        if not self.folder.is_dir():
            return []
        entries: list[RecoveryEntry] = []
        for path in self.folder.glob("*.json"):
            if path == self.file:
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                entries.append(
                    RecoveryEntry(
                        session=str(data["session"]),
                        project_path=data.get("project_path"),
                        saved_at=float(data["saved_at"]),
                        text=str(data["text"]),
                        file=path,
                    )
                )
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return sorted(entries, key=lambda e: e.saved_at, reverse=True)

    @staticmethod
    def discard(entry: RecoveryEntry) -> None:
        entry.file.unlink(missing_ok=True)
