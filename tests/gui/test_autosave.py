"""Never lose work: autosave on idle and after structural edits, cleared when the work is safe,
offered for restore at the next start; failed saves keep the old file and say why.

The recovery folder is the user data folder, which the test-wide fixture points at a throwaway
directory (XDG_DATA_HOME). The end-to-end kill test is ``test_autosave_kill.py``.
"""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from qt_helpers import answer_dialog, find, press_dialog_button

from designer.core.config import LookupConfig, Request
from designer.core.project_io import config_from_text, load_config, save_config
from designer.core.recovery import RecoveryStore, default_recovery_dir
from designer.gui.autosave import offer_recovery
from designer.gui.main_window import MainWindow
from designer.gui.placeholders import PlaceholderLineEdit

MakeWindow = Callable[..., MainWindow]


def _type_url(qtbot: QtBot, window: MainWindow, text: str) -> None:
    url = find(window, PlaceholderLineEdit, "urlEdit")
    url.setFocus()
    url.selectAll()
    qtbot.keyClicks(url, text)


def _entry(window: MainWindow) -> dict[str, object] | None:
    file = window.autosave.store.file
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else None


def _entry_url(window: MainWindow) -> str | None:
    entry = _entry(window)
    return config_from_text(str(entry["text"])).request.url if entry else None


def test_typing_is_autosaved_after_an_idle_pause(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    _type_url(qtbot, window, "https://shop.example/a")
    assert window.autosave.pending and _entry(window) is None  # not on every keystroke
    _type_url(qtbot, window, "https://shop.example/ab")  # more typing restarts the wait
    with qtbot.waitSignal(window.autosave.saved, timeout=10_000):
        pass
    assert _entry_url(window) == "https://shop.example/ab"
    assert window.autosave.store.folder == default_recovery_dir()


def test_a_structural_edit_is_autosaved_at_once(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window(LookupConfig(request=Request(url="https://shop.example/c")))
    window.request_editor.tabs.setCurrentIndex(5)
    mark = find(window, QPushButton, "markProductionButton")
    qtbot.mouseClick(mark, Qt.MouseButton.LeftButton)
    entry = _entry(window)
    assert entry is not None and not window.autosave.pending
    assert config_from_text(str(entry["text"])).production_hosts == ["shop.example"]
    window.undo_action.trigger()  # back to the clean state: nothing to recover
    assert _entry(window) is None
    window.redo_action.trigger()  # undo/redo are steps too
    assert _entry(window) is not None


def test_saving_or_discarding_clears_the_entry(
    qtbot: QtBot, make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = make_window()
    _type_url(qtbot, window, "https://shop.example/a")
    window.autosave.save_now()
    store = window.autosave.store
    assert store.file.exists() and store.lock_file.exists()
    window.files.save_to(tmp_path / "p.json")
    assert not store.file.exists() and not store.lock_file.exists()

    _type_url(qtbot, window, "https://shop.example/b")
    window.autosave.save_now()
    press_dialog_button("Cancel")
    window.close()  # cancelled: the work stays, and so does its entry
    assert window.isVisible() and store.file.exists()
    press_dialog_button("Discard")
    window.close()
    assert not window.isVisible()
    assert not store.file.exists()
    assert RecoveryStore(session="next").leftovers() == []


def _leave_behind(text: str, project: Path | None) -> RecoveryStore:
    """What a session that crashed leaves: an entry whose lock nobody holds."""
    crashed = RecoveryStore(session="crashed-1234")
    crashed.save(text, project)
    crashed.close()
    return crashed


def _restore_first(qtbot: QtBot, window: MainWindow, button: str = "recoveryRestoreButton") -> list[str]:
    listed: list[str] = []

    def choose(dialog: QWidget) -> None:
        try:
            entries = find(dialog, QListWidget, "recoveryList")
            listed.extend(entries.item(i).text() for i in range(entries.count()))
            qtbot.mouseClick(find(dialog, QPushButton, button), Qt.MouseButton.LeftButton)
        finally:
            dialog.close()  # a failed step must not leave the test waiting on the dialog

    answer_dialog(qtbot, choose)
    offer_recovery(window.document, window.autosave, window.files, window)
    return listed


def test_a_leftover_is_restored_as_unsaved_changes_of_its_file(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    project = tmp_path / "shop.json"
    on_disk = LookupConfig(name="Shop", request=Request(url="https://shop.example/v1"))
    save_config(on_disk, project)
    unsaved = on_disk.model_copy(update={"request": Request(url="https://shop.example/v2/{search_term}")})
    from designer.core.project_io import config_to_text

    crashed = _leave_behind(config_to_text(unsaved), project)
    window = make_window()
    listed = _restore_first(qtbot, window)
    assert len(listed) == 1 and listed[0].startswith("shop.json (autosaved ")
    assert window.document.config == unsaved
    assert window.document.path == project and window.document.dirty
    assert window.windowTitle() == "*shop.json — Customer Lookup Designer"
    assert find(window, PlaceholderLineEdit, "urlEdit").text() == "https://shop.example/v2/{search_term}"
    assert load_config(project) == on_disk  # the file is not touched until the user saves
    assert not crashed.file.exists()  # taken over by this session:
    assert _entry_url(window) == "https://shop.example/v2/{search_term}"
    window.undo_action.trigger()  # Undo shows what is on disk
    assert window.document.config == on_disk and not window.document.dirty


def test_a_never_saved_project_is_restored_by_its_name(qtbot: QtBot, make_window: MakeWindow) -> None:
    from designer.core.project_io import config_to_text

    unsaved = LookupConfig(name="Nordic Bikes", request=Request(url="https://bikes.example/c"))
    _leave_behind(config_to_text(unsaved), None)
    window = make_window()
    listed = _restore_first(qtbot, window)
    assert listed[0].startswith("“Nordic Bikes”, never saved (autosaved ")
    assert window.document.config == unsaved
    assert window.document.path is None and window.document.dirty
    assert window.windowTitle().startswith("*Nordic Bikes (not saved)")


def test_leftovers_can_be_discarded_or_kept_for_later(qtbot: QtBot, make_window: MakeWindow) -> None:
    from designer.core.project_io import config_to_text

    crashed = _leave_behind(config_to_text(LookupConfig(name="Later")), None)
    window = make_window()
    _restore_first(qtbot, window, "recoveryLaterButton")
    assert crashed.file.exists() and not window.document.dirty

    def discard(dialog: QWidget) -> None:
        press_dialog_button("Discard")
        qtbot.mouseClick(find(dialog, QPushButton, "recoveryDiscardButton"), Qt.MouseButton.LeftButton)

    answer_dialog(qtbot, discard)
    assert offer_recovery(window.document, window.autosave, window.files, window) is False
    assert not crashed.file.exists()
    assert offer_recovery(window.document, window.autosave, window.files, window) is False  # nothing left


def test_a_live_window_is_not_offered_another_live_windows_work(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    first = make_window()
    _type_url(qtbot, first, "https://shop.example/mine")
    first.autosave.save_now()
    second = make_window()
    assert second.autosave.store.leftovers() == []


# -- failed saves: the previous file stays, the dialog says why ---------------------------------


def _failed_save(qtbot: QtBot, window: MainWindow, target: Path) -> str:
    seen: list[str] = []
    press_dialog_button("OK", seen)
    assert window.files.save_to(target) is False
    assert len(seen) == 1
    return seen[0]


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ("disk_full", "No space left on device"),
        ("permission", "permission denied"),
        ("folder_gone", "does not exist"),
    ],
)
def test_a_failed_save_keeps_the_previous_file_and_says_why(
    *,
    qtbot: QtBot,
    make_window: MakeWindow,
    tmp_path: Path,
    failure: str,
    expected: str,
) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    target = folder / "shop.json"
    window = make_window(LookupConfig(request=Request(url="https://shop.example/v1")))
    assert window.files.save_to(target)
    before = target.read_bytes()
    _type_url(qtbot, window, "https://shop.example/v2")
    # Its own patcher: undoing the test's monkeypatch would also undo the isolated XDG folders.
    with pytest.MonkeyPatch.context() as patch:
        if failure == "disk_full":

            def full(_fd: int) -> None:
                raise OSError(errno.ENOSPC, "No space left on device")

            patch.setattr("designer.core.atomic.os.fsync", full)
        elif failure == "permission":

            def refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
                raise PermissionError(errno.EACCES, "Permission denied")

            patch.setattr("designer.core.atomic.tempfile.mkstemp", refuse)
        else:
            target.unlink()
            folder.rmdir()
        text = _failed_save(qtbot, window, target)
        if failure == "disk_full":  # the recovery folder is on the same full disk: said, not hidden
            with qtbot.waitSignal(window.autosave.failed) as failed:
                window.autosave.save_now()
            assert "No space left on device" in str(failed.args)
            assert "No space left on device" in window.statusBar().currentMessage()
    assert "Cannot save the project" in text and expected in text, text
    assert "Traceback" not in text
    if failure != "folder_gone":
        assert "previous file is unchanged" in text
        assert target.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["shop.json"]  # no temp file left
    assert window.document.dirty and window.windowTitle().startswith("*")
    window.autosave.save_now()
    assert _entry_url(window) == "https://shop.example/v2"  # the unsaved work is still kept
