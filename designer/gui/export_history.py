"""Where each project was last exported, so the next export can show what changed.

Kept in the window settings (QSettings INI in the user's config folder), keyed by the project
file's resolved path; only paths are stored, never file contents (an export may hold secret
values the user chose to include). The diff is made against the last export's file as it is on
disk now. A project that was never saved has no key and so no remembered export.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from designer.gui import window_settings

GROUP = "lastExport"


def _key(project: Path) -> str:
    # QSettings treats "/" in keys as groups; a digest keeps one flat key per project.
    digest = hashlib.sha256(str(project.resolve()).encode("utf-8")).hexdigest()[:24]
    return f"{GROUP}/{digest}"


def last_export(project: Path | None) -> Path | None:
    """The file ``project`` was last exported to, if remembered."""
    if project is None:
        return None
    value = window_settings.settings().value(_key(project))
    return Path(str(value)) if value else None


def remember_export(project: Path | None, export: Path) -> None:
    if project is None:
        return
    store = window_settings.settings()
    store.setValue(_key(project), str(export.resolve()))
    store.sync()
