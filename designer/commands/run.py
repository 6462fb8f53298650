"""``lookup-designer run CONFIG --search-term T``: the Customer list the POS would receive.

The list goes to stdout as JSON exactly as the POS gets it; notes, per-record problems and the
error (if any) go to stderr, so ``run ... > customers.json`` captures only the list.

Exit status: 0 the POS gets the list printed; 1 the lookup fails (the POS would get an error),
including a config that cannot work whatever the inputs (an invalid URL, proxy, records or field
path: refused before anything is sent, as ``validate`` reports it); 2 unusable input (a missing
or broken config, secrets file or response file, a response file over the size limit).

A config whose identifier is not mapped is *not* an error here: every record is skipped and the
POS gets ``[]``, which is what ``run`` prints, with exit 0, because ``run`` shows what production
returns. A ``note:`` line says why on stderr, even with ``--quiet``; ``validate`` exits 1 for it,
so a script that checks a config should run ``validate``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from designer.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, error, load_or_explain, print_output
from designer.core.errors import SecretError, elide
from designer.core.model_types import Inputs
from designer.core.record_numbers import record_ref

if TYPE_CHECKING:
    from designer.core.config import LookupConfig
    from designer.core.runtime import LookupResult


EPILOG = (
    "Exit status: 0 the POS gets the printed list (also [] when the identifier is not mapped: "
    "a note says so, and validate exits 1 for it); 1 the lookup fails or the config cannot work "
    "(invalid URL, proxy or path: nothing is sent); 2 unusable input (missing or broken files)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.add_argument("config", help="project or exported config file")
    parser.add_argument(
        "--search-term",
        "-s",
        default=None,
        help="what the cashier typed (default: the project's test search term)",
    )
    parser.add_argument(
        "--currency-code",
        "-c",
        default=None,
        help="ISO 4217 code of the shop (default: the project's test currency, else DKK)",
    )
    parser.add_argument(
        "--response-file",
        metavar="FILE",
        help="map this saved response (a JSON body, or a "
        "raw HTTP response with status line and headers) instead of sending the request",
    )
    parser.add_argument("--content-type", help="content type of a plain --response-file body")
    parser.add_argument(
        "--secrets-file",
        metavar="FILE",
        help="KEY=VALUE file consulted after the environment and the OS keyring (default: the one "
        "*.secrets.env file beside CONFIG, if there is exactly one)",
    )
    parser.add_argument("--compact", action="store_true", help="print the list on one line")
    parser.add_argument("--quiet", "-q", action="store_true", help="no notes or record problems on stderr")


def _report(result: LookupResult, quiet: bool) -> None:
    exchange = result.exchange
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if quiet:
        return
    if exchange is not None and exchange.status is not None:
        hops = f", after {len(exchange.redirects)} redirect(s)" if exchange.redirects else ""
        status = f"HTTP {exchange.status} {exchange.reason}".rstrip()  # a reason phrase is optional
        print(f"{status} · {exchange.elapsed_ms:.0f} ms · {exchange.size} bytes{hops}", file=sys.stderr)
    if result.mapping is not None:
        for diagnostic in result.mapping.diagnostics:
            where = record_ref(diagnostic.record) if diagnostic.record is not None else "response"
            field = f" {diagnostic.field}" if diagnostic.field else ""
            print(f"{diagnostic.severity}: {where}{field}: {diagnostic.message}", file=sys.stderr)


def _saved_result(config: LookupConfig, path: str, content_type: str | None) -> LookupResult | str:
    """The outcome of mapping a saved response, or why the file cannot be used."""
    from designer.core.decode import decode_body  # noqa: PLC0415
    from designer.core.runtime import interpret  # noqa: PLC0415
    from designer.core.saved_response import parse_saved_response, split_responses  # noqa: PLC0415

    limit = config.request.transport.max_response_bytes
    try:
        with Path(path).open("rb") as file:
            # The project's response size limit holds for a saved response as for a fetched one:
            # a 76 MB file would otherwise take a minute and gigabytes to map.
            size = os.fstat(file.fileno()).st_size
            if size > limit:
                return _too_large(path, size, limit)
            data = file.read(limit + 1)
    except OSError as failure:
        return f"cannot read {path}: {failure.strerror or failure}"
    if len(data) > limit:  # grew while being read, or a special file without a size
        return _too_large(path, len(data), limit, more=True)
    responses = split_responses(data)
    if len(responses) > 1:
        titles = elide(
            "; ".join(f"{i}: {title or '(untitled)'}" for i, (title, _) in enumerate(responses, 1))
        )
        return (
            f"{path} holds {len(responses)} responses separated by ### lines ({titles}); "
            "save the one to map in a file of its own"
        )
    saved = parse_saved_response(responses[0][1], content_type)
    decoded = decode_body(saved.body, saved.content_type, config.response.strip_prefix)
    return interpret(config.response, decoded, status=saved.status)


def _too_large(path: str, size: int, limit: int, *, more: bool = False) -> str:
    from designer.core.fetch import format_bytes  # noqa: PLC0415

    shown = f"more than {format_bytes(limit)}" if more else format_bytes(size)
    return (
        f"{path} is {shown}, more than this project's response size limit of {format_bytes(limit)} "
        f"({limit} bytes); to map it here, raise request.transport.max_response_bytes in the config "
        "(the window's Connection tab), or open it in the window, which asks before loading a big file"
    )


def run(args: argparse.Namespace) -> int:
    from designer.core.config import SecretRef  # noqa: PLC0415
    from designer.core.runtime import lookup_sync  # noqa: PLC0415
    from designer.core.secrets import (  # noqa: PLC0415
        SecretsFileSource,
        default_resolver,
        secrets_file_beside,
    )

    config = load_or_explain("run", args.config)
    if config is None:
        return EXIT_USAGE
    term = args.search_term if args.search_term is not None else config.test_inputs.search_term
    currency = args.currency_code or config.test_inputs.currency_code or "DKK"
    if args.response_file:
        outcome = _saved_result(config, args.response_file, args.content_type)
        if isinstance(outcome, str):
            error("run", outcome)
            return EXIT_USAGE
        result = outcome
    else:
        secrets_file = Path(args.secrets_file) if args.secrets_file else None
        if secrets_file is None and config.secret_refs():
            secrets_file = secrets_file_beside(Path(args.config))
            if secrets_file is not None and not args.quiet:
                note = f"note: secrets not set in the environment or keyring are read from {secrets_file}"
                print(note, file=sys.stderr)
        if secrets_file is not None:
            # Read it now: a missing or malformed file is a usage problem (exit 2), found before
            # anything is sent, not a failed lookup.
            try:
                SecretsFileSource(secrets_file).lookup(SecretRef(secret="LOOKUP_DESIGNER_FILE_CHECK"))
            except SecretError as failure:
                error("run", failure.message)
                return EXIT_USAGE
        result = lookup_sync(config, Inputs(term, currency), secrets=default_resolver(secrets_file))
    _report(result, args.quiet)
    if result.error is not None:
        error("run", result.error.message)
        return EXIT_FAILED
    indent = None if args.compact else 2
    print_output(
        result.output_json(indent=indent) + "\n", result.output_json(indent=indent, ensure_ascii=True) + "\n"
    )
    return EXIT_OK
