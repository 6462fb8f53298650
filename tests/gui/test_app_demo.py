"""``lookup-designer --demo``: the demo server starts, a sample opens, and Send works at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import sys
from PySide6.QtCore import QTimer
from designer.gui.app import run_app

def on_shown(window):
    print("title:", window.windowTitle(), flush=True)
    print("url:", window.document.config.request.url, flush=True)
    window.search_bar.send_button.click()
    def close_when_done():
        if window.document.response is not None and not window.document.busy:
            print("status:", window.search_bar.status_label.text(), flush=True)
            window.close()
        else:
            QTimer.singleShot(20, close_when_done)
    QTimer.singleShot(20, close_when_done)

class Args:
    demo = True
    project = None

sys.exit(run_app(Args(), on_shown))
"""


def test_demo_opens_a_sample_and_send_works(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        check=False,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    assert lines["url"].startswith("http://127.0.0.1:")
    assert "(not saved)" in lines["title"]  # the shipped sample is never overwritten by Save
    assert "records found" in lines["status"], done.stdout
    assert lines["status"].startswith("HTTP 200")
    assert "Traceback" not in done.stderr
