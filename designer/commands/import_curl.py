"""``lookup-designer import-curl``: placeholder until the cURL importer lands (issue 4)."""

from __future__ import annotations

import argparse

from designer.commands.common import EXIT_USAGE, error


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default="-")


def run(args: argparse.Namespace) -> int:
    error("import-curl", "not available yet")
    return EXIT_USAGE
