"""Access to ../shared (conformance data, pitfall cases) beside the clone.

A plain module rather than a conftest fixture: ``tests/gui/conftest.py`` would shadow an
``import conftest``, and tests read these files at collection time (parametrize).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file of ../shared; a missing one fails the test loudly (never passes silently)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"shared test data missing: {path}", pytrace=False)
    return path
