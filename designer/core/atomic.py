"""Atomic file writes: the old file stays intact until the new one is complete on disk."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["write_text_atomic"]

_PRIVATE_MODE = 0o600


def _umask() -> int:
    # There is no way to read the umask without setting it; set it back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target_mode(path: Path, private: bool) -> int:
    """The permissions the saved file should have.

    ``mkstemp`` creates owner-only files; renaming one over a project would silently make a
    shared project private, so an existing file keeps its mode and a new one gets the usual
    ``0o666`` minus the umask, like any editor's save. ``private`` files (secrets, recovery
    data) are owner-only whatever existed before.
    """
    if private:
        return _PRIVATE_MODE
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def write_text_atomic(path: Path, text: str, *, private: bool = False) -> None:
    """Write UTF-8 text (whatever the locale) via a temp file in the same folder, fsync, rename.

    A symbolic link is written through (its target is replaced, the link stays). Raises OSError
    on failure; the previous file is untouched and the temp file removed.
    """
    data = text.encode("utf-8")
    if path.is_symlink():
        path = path.resolve()
    folder = path.parent
    mode = _target_mode(path, private)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):
        # Make the rename itself durable where the platform allows opening folders.
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
