"""Test-wide settings: Qt runs offscreen, no test touches the user's real settings or keyring."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point settings, data and keyring at a throwaway folder so tests never touch the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


sys.path.insert(0, str(ROOT / "tests"))


def _register_hypothesis_profiles() -> None:
    """CI runs a bounded number of examples; ``HYPOTHESIS_PROFILE=long`` runs many more by hand."""
    from hypothesis import HealthCheck, settings

    settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True)
    settings.register_profile(
        "long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_register_hypothesis_profiles()
