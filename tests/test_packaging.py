"""The package list and package data in pyproject.toml ship everything the app needs.

pyproject.toml lists the packages by hand (the samples are mapped in from the top-level
``samples/`` folder, which rules out automatic discovery), so these tests catch a new subpackage
or a new kind of sample file that a wheel would silently leave out. packaging/smoke_test_wheel.sh
checks a real wheel end to end.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from designer.demo.samples import demo_secrets_file, samples_dir

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"
]


def _package_dir(package: str) -> Path:
    mapped: dict[str, str] = SETUPTOOLS.get("package-dir", {})
    if package in mapped:
        return ROOT / mapped[package]
    return ROOT.joinpath(*package.split("."))


def test_every_folder_with_python_code_is_a_listed_package() -> None:
    found = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (ROOT / "designer").rglob("*")
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py"))
    }
    found.add("designer")
    listed = set(SETUPTOOLS["packages"])
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    for package in listed:
        assert _package_dir(package).is_dir(), f"{package} is listed but has no folder"


def test_package_data_covers_every_sample_file() -> None:
    patterns: list[str] = SETUPTOOLS["package-data"]["designer.samples"]
    folder = _package_dir("designer.samples")
    shipped = {path for pattern in patterns for path in folder.glob(pattern) if path.is_file()}
    present = {
        path
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py"
    }
    assert present - shipped == set(), "widen package-data for designer.samples in pyproject.toml"
    assert any(path.parent.parent.name == "expected" for path in shipped)


def test_the_installed_package_finds_the_checkouts_samples() -> None:
    # The editable install maps designer.samples onto samples/: the demo and the tests use one set.
    assert samples_dir().resolve() == (ROOT / "samples").resolve()
    assert demo_secrets_file() == samples_dir() / "demo.secrets.env"
    assert demo_secrets_file().is_file()
