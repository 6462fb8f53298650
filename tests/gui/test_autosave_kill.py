"""Kill the app mid-edit, start it again: the unsaved work is offered and restored.

Both runs are the real app in a subprocess under the offscreen platform, started the way
``lookup-designer PROJECT`` starts it (``run_app``); the only scripting is the ``on_shown``
hook ``run_app`` already has (the same one ``test_app_close.py`` uses): the first run types into
the URL field like a user, waits until the autosave entry is on disk and says so; the test then
kills it with SIGKILL (no chance to clean up). The second run answers the restore dialog that
the app offers at start, and reports what the window then holds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from designer.core.config import LookupConfig, Request
from designer.core.project_io import load_config, save_config
from designer.core.recovery import default_recovery_dir

EDIT = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from designer.gui.app import run_app

def on_shown(window):
    url = window.request_editor.url_edit
    url.setFocus()
    url.selectAll()
    QTest.keyClicks(url, sys.argv[2])  # typing: autosaved after the idle pause

    def report():
        if window.autosave.store.file.exists():
            print("autosaved", flush=True)
        else:
            QTimer.singleShot(50, report)

    report()

class Args:
    demo = False
    project = sys.argv[1]

sys.exit(run_app(Args(), on_shown))
"""

RESTORE = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QListWidget, QPushButton
from designer.gui.app import run_app

def on_shown(window):
    def answer():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "recoveryDialog":
            QTimer.singleShot(50, answer)
            return
        entries = dialog.findChild(QListWidget, "recoveryList")
        print("offered:", " | ".join(entries.item(i).text() for i in range(entries.count())), flush=True)
        dialog.findChild(QPushButton, "recoveryRestoreButton").click()
        QTimer.singleShot(0, report)

    def report():
        print("url:", window.document.config.request.url, flush=True)
        print("dirty:", window.document.dirty, flush=True)
        print("path:", window.document.path, flush=True)
        print("title:", window.windowTitle(), flush=True)
        window.document.undo_stack.setClean()  # leave without the unsaved-changes prompt
        window.close()

    answer()

class Args:
    demo = False
    project = None

sys.exit(run_app(Args(), on_shown))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_mid_edit_the_next_start_restores_the_unsaved_work(tmp_path: Path) -> None:
    project = tmp_path / "shop.json"
    saved = LookupConfig(name="Shop", request=Request(url="https://shop.example/v1"))
    save_config(saved, project)
    typed = "https://shop.example/v2/customers?q={search_term}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # XDG folders: the test's throwaway ones

    editing = subprocess.Popen(
        [sys.executable, "-c", EDIT, str(project), typed],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert editing.stdout is not None
        line = editing.stdout.readline()
        assert line == "autosaved\n", line + (editing.stderr.read() if editing.stderr else "")
        os.kill(editing.pid, signal.SIGKILL)  # mid-edit, no cleanup
        editing.wait(30)
    finally:
        if editing.poll() is None:
            editing.kill()
        editing.communicate()
    assert editing.returncode == -signal.SIGKILL
    (entry,) = default_recovery_dir().glob("*.json")
    assert json.loads(entry.read_text(encoding="utf-8"))["project_path"] == str(project)

    restarted = subprocess.run(
        [sys.executable, "-c", RESTORE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert restarted.returncode == 0, restarted.stderr
    lines = dict(line.split(": ", 1) for line in restarted.stdout.splitlines() if ": " in line)
    assert lines["offered"].startswith("shop.json (autosaved "), restarted.stdout
    assert lines["url"] == typed
    assert lines["dirty"] == "True"
    assert lines["path"] == str(project)
    assert lines["title"] == "*shop.json — Customer Lookup Designer"
    assert load_config(project) == saved  # the file itself is untouched until the user saves
    assert "Traceback" not in restarted.stderr
    assert list(default_recovery_dir().iterdir()) == []  # restored, then closed cleanly: nothing left
