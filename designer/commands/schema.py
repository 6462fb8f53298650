"""``lookup-designer schema``: the JSON Schema of the config contract.

A copy ships as ``resources/config.schema.json`` (installed as the package ``designer.resources``;
a test keeps it equal to this output; regenerate it with
``lookup-designer schema -o resources/config.schema.json``).
"""

from __future__ import annotations

import argparse
import json
from importlib.resources import files
from pathlib import Path

from designer.commands.common import EXIT_FAILED, EXIT_OK, error, print_output
from designer.core.atomic import write_text_atomic
from designer.core.config import json_schema

#: Where the shipped copy lives: resources/ in a checkout, designer/resources/ in a wheel.
SHIPPED_SCHEMA = Path(str(files("designer.resources").joinpath("config.schema.json")))


def schema_text(*, ensure_ascii: bool = False) -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=ensure_ascii) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", help="write to this file instead of stdout")


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output:
        try:
            write_text_atomic(Path(args.output), text)
        except OSError as failure:
            error("schema", f"cannot write {args.output}: {failure.strerror or failure}")
            return EXIT_FAILED
    else:
        print_output(text, schema_text(ensure_ascii=True))
    return EXIT_OK
