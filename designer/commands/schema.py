"""``lookup-designer schema``: the JSON Schema of the config contract (a copy ships in resources/)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from designer.commands.common import EXIT_OK
from designer.core.atomic import write_text_atomic
from designer.core.config import json_schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", help="write to this file instead of stdout")


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output:
        write_text_atomic(Path(args.output), text)
    else:
        print(text, end="")
    return EXIT_OK
