"""Autosave entries survive a crash of their session and are offered to the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from designer.core.atomic import write_text_atomic
from designer.core.recovery import RecoveryStore


def test_leftover_of_a_dead_session_is_offered_to_the_next(tmp_path: Path) -> None:
    crashed = RecoveryStore(tmp_path, session="old")
    crashed.save('{"name": "Bopæl"}', Path("/projects/shop.json"))
    fresh = RecoveryStore(tmp_path, session="new")
    assert fresh.leftovers() == []  # its session still runs (holds the lock): not left behind
    crashed.close()  # what the operating system does when the process ends
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
    crashed = RecoveryStore(tmp_path, session="ok")
    crashed.save("{}", None)
    crashed.close()
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


HOLDER = r"""
import sys
from pathlib import Path
from designer.core.recovery import RecoveryStore

store = RecoveryStore(Path(sys.argv[1]), session="other-process")
store.save('{"name": "unsaved work"}', None)
print("saved", flush=True)
sys.stdin.readline()  # run until the test says so (or kills us)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_live_process_keeps_its_entry_and_a_killed_one_leaves_it_behind(tmp_path: Path) -> None:
    """Two app instances at once must not see each other's work; a killed one's work is offered."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "saved\n"
        mine = RecoveryStore(tmp_path, session="this-process")
        assert mine.leftovers() == []
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    (entry,) = mine.leftovers()
    assert (entry.session, entry.text) == ("other-process", '{"name": "unsaved work"}')
    RecoveryStore.discard(entry)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_clearing_releases_the_lock_and_removes_the_files(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path, session="s")
    store.save("{}", None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json", "s.lock"]
    store.clear()
    assert list(tmp_path.iterdir()) == []
    store.save("{}", None)  # the session goes on: the next autosave takes the lock again
    assert RecoveryStore(tmp_path, session="t").leftovers() == []
    store.close()
