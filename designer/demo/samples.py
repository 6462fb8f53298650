"""Where the sample projects are, in a checkout and in an installed wheel alike.

The samples live in the repository's top-level ``samples/`` folder (the README and the tests name
them ``samples/<name>.json``). pyproject.toml maps the package ``designer.samples`` onto that folder,
so a wheel carries them inside the package and an editable install imports them from the checkout.
Finding them through the package, never through a path relative to a source file, is what makes
``lookup-designer --demo`` work from an installed wheel or a PyInstaller bundle.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["DEMO_SECRETS_FILE", "SAMPLES_PACKAGE", "demo_secrets_file", "samples_dir"]

SAMPLES_PACKAGE = "designer.samples"
#: The demo credentials, a KEY=VALUE secrets file beside the samples.
DEMO_SECRETS_FILE = "demo.secrets.env"


def samples_dir() -> Path:
    """The folder holding the sample configs, ``expected/`` and the demo secrets file.

    An editable install made before the samples became a package cannot import it; the message
    says how to repair that instead of showing an import error.
    """
    try:
        root = files(SAMPLES_PACKAGE)
    except ModuleNotFoundError:
        raise FileNotFoundError(
            f"the sample projects are not installed (package {SAMPLES_PACKAGE} is missing); "
            "reinstall the app (in a checkout: pip install -e .)"
        ) from None
    if not isinstance(root, Path):
        # Only a zipped install gives a non-file resource; the app is never installed that way.
        raise FileNotFoundError(f"the sample projects are not on the file system ({root})")
    return root


def demo_secrets_file() -> Path:
    """The samples' demo credentials, resolved like real secrets (``--secrets-file``)."""
    return samples_dir() / DEMO_SECRETS_FILE
