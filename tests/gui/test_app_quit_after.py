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
