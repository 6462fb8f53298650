"""Pitfall H035: closing the window while a request is pending exits cleanly.

The app runs in a subprocess (offscreen) exactly as ``lookup-designer`` runs it: the request goes
to a real server on 127.0.0.1 that delays its answer; the window is closed one second after the
request arrived. The process must end within two seconds, with status 0 and nothing on stderr
about pending tasks or stopped loops.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from local_servers import Reply, http_server

SCRIPT = r"""
import sys
from PySide6.QtCore import QTimer
from designer.core.config import LookupConfig, Request
from designer.gui.app import run_app

def on_shown(window):
    window.document.reset(LookupConfig(request=Request(url=sys.argv[1])), None)
    window.search_bar.send_button.click()
    def close_when_running():
        if window.runner.running:
            print("request running", flush=True)
            QTimer.singleShot(int(sys.argv[2]), window.close)
        else:
            QTimer.singleShot(10, close_when_running)
    close_when_running()

class Args:
    demo = False
    project = None

sys.exit(run_app(Args(), on_shown))
"""


def test_h035_closing_during_a_request_exits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONWARNINGS": "error::RuntimeWarning"}
    with http_server(Reply(hold=True)) as server:
        process = subprocess.Popen(
            [sys.executable, "-c", SCRIPT, server.url + "/customers", "1000"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.arrived.wait(30), "the request never reached the server"
            arrived = time.monotonic()
            stdout, stderr = process.communicate(timeout=30)
            took = time.monotonic() - arrived
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        assert not server.release.is_set()  # the server had not answered: the request was cancelled
    assert process.returncode == 0, stderr
    assert "request running" in stdout
    assert took < 1.0 + 2.0, f"exit took {took:.1f} s after the request arrived"
    for bad in ("Task was destroyed", "Event loop stopped", "Traceback", "Exception", "Warning"):
        assert bad not in stderr, stderr
