"""Crash recovery: unsaved work is kept in the user's data folder until it is saved or discarded.

The window autosaves the project text here on idle and after structural edits; at the next start
any entry left behind (the app crashed or was killed) is offered for restore. Entries are
written atomically, so a crash mid-autosave leaves the previous entry readable.

A live session holds an OS file lock (``<session>.lock``) while it has an entry; the operating
system drops the lock when the process ends in any way, including a kill. So "left behind" is
exactly "its lock can be taken": a second window or a second instance of the app running at
the same time is never offered the other's unsaved work.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import platformdirs

from designer.core.atomic import write_text_atomic

APP_NAME = "lookup-designer"


def default_recovery_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "recovery"


def _try_lock(handle: IO[bytes]) -> bool:
    """Take an exclusive lock on ``handle`` without waiting; False when someone holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt  # noqa: PLC0415

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl  # noqa: PLC0415

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _is_held(lock_file: Path) -> bool:
    """Whether a live session holds ``lock_file`` (a missing file is nobody's)."""
    try:
        handle = lock_file.open("r+b")  # never create one: a missing lock is nobody's
    except OSError:
        return False
    with handle:
        # Our own probe lock ends when the handle closes.
        return not _try_lock(handle)


@dataclass(frozen=True)
class RecoveryEntry:
    session: str
    project_path: str | None
    saved_at: float
    text: str
    file: Path

    @property
    def title(self) -> str:
        """``shop.json (autosaved …)``, or the project's name when it was never saved."""
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        if self.project_path:
            return f"{Path(self.project_path).name} (autosaved {when})"
        return f"“{self.project_name or 'Untitled lookup'}”, never saved (autosaved {when})"

    @property
    def project_name(self) -> str | None:
        """The ``name`` inside the autosaved project text, if it can be read."""
        try:
            name = json.loads(self.text).get("name")
        except (ValueError, AttributeError):
            return None
        return name if isinstance(name, str) and name else None


class RecoveryStore:
    """One file per window session: ``<session>.json`` holding the project text and its path."""

    def __init__(self, folder: Path | None = None, session: str | None = None) -> None:
        self.folder = folder or default_recovery_dir()
        self.session = session or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._lock: IO[bytes] | None = None

    @property
    def file(self) -> Path:
        return self.folder / f"{self.session}.json"

    @property
    def lock_file(self) -> Path:
        return self.folder / f"{self.session}.lock"

    def save(self, text: str, project_path: Path | None) -> None:
        """Keep ``text`` (the project file's text) until :meth:`clear`. Raises OSError."""
        payload = {
            "session": self.session,
            "project_path": str(project_path) if project_path else None,
            "saved_at": time.time(),
            "text": text,
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        self._hold_lock()
        write_text_atomic(self.file, json.dumps(payload, ensure_ascii=False), private=True)

    def clear(self) -> None:
        """The work is saved (or deliberately discarded): nothing to recover any more."""
        self.file.unlink(missing_ok=True)
        self.close()

    def close(self) -> None:
        """Release the session's lock (an entry still there becomes a leftover)."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None
            with contextlib.suppress(OSError):
                self.lock_file.unlink()

    def _hold_lock(self) -> None:
        if self._lock is not None:
            return
        handle = self.lock_file.open("a+b")
        if not _try_lock(handle):  # cannot happen for a fresh session id; never wait for it
            handle.close()
            return
        self._lock = handle

    def leftovers(self) -> list[RecoveryEntry]:
        """Entries of other sessions, newest first; unreadable entries are skipped, not fatal."""
        if not self.folder.is_dir():
            return []
        entries: list[RecoveryEntry] = []
        for path in self.folder.glob("*.json"):
            if path == self.file or _is_held(path.with_suffix(".lock")):
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
        with contextlib.suppress(OSError):
            entry.file.with_suffix(".lock").unlink()
