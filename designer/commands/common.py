"""What the subcommands share: loading a config with a readable failure, printing problems."""

from __future__ import annotations

import sys
from pathlib import Path

from designer.core.config import LookupConfig
from designer.core.errors import ConfigError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def error(prog: str, message: str) -> None:
    print(f"lookup-designer {prog}: {message}", file=sys.stderr)


def load_or_explain(prog: str, path: str) -> LookupConfig | None:
    """The config at ``path``, or None after printing why it cannot be used."""
    from designer.core.project_io import load_config  # noqa: PLC0415

    try:
        return load_config(Path(path))
    except ConfigError as failure:
        error(prog, failure.message)
        return None
