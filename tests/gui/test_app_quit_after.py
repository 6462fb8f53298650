"""``lookup-designer --demo --quit-after SECONDS``: the window closes itself through the normal path.

packaging/smoke_test_wheel.sh starts the installed app this way; exit status 0 says the window
came up with the demo, closed, and shut the demo server and the loop down cleanly.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _app(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "designer", *args],
        check=False,
        cwd=tmp_path,  # not the checkout: the samples must be found through the package
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_demo_window_quits_by_itself_with_status_0(tmp_path: Path) -> None:
    done = _app(tmp_path, "--demo", "--quit-after", "0.2")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_quit_after_refuses_a_negative_or_non_number(tmp_path: Path) -> None:
    for value, reason in (("-1", "between 0 and 86400"), ("soon", "not a number of seconds")):
        done = _app(tmp_path, "--quit-after", value)
        assert done.returncode == 2
        assert reason in done.stderr
        assert "Traceback" not in done.stderr


def test_a_file_that_cannot_be_opened_does_not_stop_the_quit_timer(tmp_path: Path) -> None:
    """The "Cannot open" box is modal; --quit-after answers it like Escape and exits 1, naming it."""
    (tmp_path / "corrupt.json").write_text("{bad", encoding="utf-8")
    done = _app(tmp_path, "corrupt.json", "--quit-after", "0.3")
    assert done.returncode == 1, done.stderr
    assert "closing the dialog “Cannot open corrupt.json" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_project_path_quits_with_status_1(tmp_path: Path) -> None:
    done = _app(tmp_path, "nosuch.json", "--quit-after", "0")
    assert done.returncode == 1, done.stderr
    assert "nosuch.json does not exist" in done.stderr


UNSAVED = r"""
import sys
from argparse import Namespace
from PySide6.QtTest import QTest
from designer.gui.app import run_app

def on_shown(window):
    url = window.request_editor.url_edit
    url.setFocus()
    QTest.keyClicks(url, "https://shop.example/v2")  # an unsaved change, as typed
    print("dirty:", window.document.dirty, flush=True)

sys.exit(run_app(Namespace(demo=False, project=None, quit_after=0.3), on_shown))
"""


def test_unsaved_changes_at_quit_time_are_kept_for_recovery_and_exit_1(tmp_path: Path) -> None:
    """The unsaved-changes prompt answered with Escape (Cancel) must not keep the app open."""
    from designer.core.recovery import default_recovery_dir

    done = subprocess.run(
        [sys.executable, "-c", UNSAVED],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "dirty: True" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 1, done.stderr
    assert "closing the dialog “Unsaved changes" in done.stderr
    assert "offered again next start" in done.stderr
    (entry,) = default_recovery_dir().glob("*.json")
    assert "https://shop.example/v2" in entry.read_text(encoding="utf-8")
