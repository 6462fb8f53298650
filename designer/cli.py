"""Command line: ``lookup-designer`` (window), ``run``, ``validate``, ``schema``, ``demo-server``, ...

Placeholder until the core CLI lands; owned by the core-runtime work.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(f"lookup-designer: not implemented yet ({' '.join(args)})", file=sys.stderr)
    return 2
