"""Autosave entries survive a crash of their session and are offered to the next one."""

from __future__ import annotations

from pathlib import Path

import pytest

from designer.core.atomic import write_text_atomic
from designer.core.recovery import RecoveryStore


def test_leftover_of_a_dead_session_is_offered_to_the_next(tmp_path: Path) -> None:
    crashed = RecoveryStore(tmp_path, session="old")
    crashed.save('{"name": "Bopæl"}', Path("/projects/shop.json"))
    fresh = RecoveryStore(tmp_path, session="new")
    (entry,) = fresh.leftovers()
    assert entry.text == '{"name": "Bopæl"}'
    assert entry.project_path == "/projects/shop.json"
    assert "shop.json" in entry.title
    RecoveryStore.discard(entry)
    assert fresh.leftovers() == []


def test_own_session_and_cleared_entries_are_not_offered(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path, session="me")
    store.save("{}", None)
    assert store.leftovers() == []
    store.clear()
    assert not store.file.exists()


def test_corrupt_entry_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    RecoveryStore(tmp_path, session="ok").save("{}", None)
    assert [e.session for e in RecoveryStore(tmp_path, session="x").leftovers()] == ["ok"]


def test_atomic_write_keeps_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure mid-save (here: the disk refuses the flush) leaves the old file and no temp file."""
    target = tmp_path / "project.json"
    target.write_text("old", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("designer.core.atomic.os.fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_text_atomic(target, "new content")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["project.json"]


def test_atomic_write_into_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_text_atomic(tmp_path / "gone" / "p.json", "x")
