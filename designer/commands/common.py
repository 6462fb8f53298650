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


def print_output(text: str, ascii_text: str | None = None) -> None:
    """Command output on stdout: UTF-8 bytes when redirected, whatever the locale, so files are exact.

    On a terminal whose encoding cannot show every character, ``ascii_text`` is printed instead
    (for JSON: the same document with ``\\u`` escapes), else the text with backslash escapes;
    never a UnicodeEncodeError traceback.
    """
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is not None and not stream.isatty():
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
        return
    try:
        text.encode(stream.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = (
            ascii_text if ascii_text is not None else text.encode("ascii", "backslashreplace").decode("ascii")
        )
    stream.write(text)
    stream.flush()
