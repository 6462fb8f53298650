"""``lookup-designer schema``: the JSON Schema of the config contract.

A copy ships in the package as ``designer/resources/config.schema.json`` (a test keeps it equal
to this output; regenerate it with ``lookup-designer schema -o designer/resources/config.schema.json``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from designer.commands.common import EXIT_FAILED, EXIT_OK, error, print_output
from designer.core.atomic import write_text_atomic
from designer.core.config import json_schema

#: Where the shipped copy lives inside the installed package.
SHIPPED_SCHEMA = Path(__file__).resolve().parent.parent / "resources" / "config.schema.json"


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
