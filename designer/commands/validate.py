"""``lookup-designer validate CONFIG``: every problem of a config file, each with its location."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from designer.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from designer.core.errors import ConfigError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", help="project or exported config file")


def run(args: argparse.Namespace) -> int:
    from designer.core.lint import lint_config  # noqa: PLC0415
    from designer.core.project_io import load_config  # noqa: PLC0415

    path = Path(args.config)
    try:
        config = load_config(path)
    except ConfigError as failure:
        if failure.code == "newer_version" or len(failure.problems) == 1:
            print(f"{path}: error: {failure.message}", file=sys.stderr)
        else:
            for location, message in failure.problems:
                print(f"{path}: {location}: error: {message}", file=sys.stderr)
        return EXIT_USAGE if not path.is_file() else EXIT_FAILED
    problems = lint_config(config)
    for problem in problems:
        print(f"{path}: {problem.location}: {problem.severity}: {problem.message}", file=sys.stderr)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    summary = f"{path}: {errors} error(s), {warnings} warning(s)"
    print(summary if problems else f"{path}: valid", file=sys.stderr if problems else sys.stdout)
    return EXIT_FAILED if errors else EXIT_OK
