"""``lookup-designer import-curl [FILE|-] -o CONFIG``: a config from a pasted cURL command.

The command text comes from FILE or standard input. The new config holds the command's request
(the default response settings otherwise) and is written atomically; warnings, what was
understood and the placeholder candidates go to stderr. Credentials found in the command become
secret references: the values are never written to CONFIG or printed. This prints how to
provide them and can store them itself (``--keyring``, ``--secrets-file``).

Exit status: 0 the config was written (read the warnings); 1 it was written, but a credential
could not be stored (``--keyring``, ``--secrets-file``); 2 nothing was written (no usable command,
a ``--...-from`` value that is not in the command, a file that cannot be read or written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from designer.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, error
from designer.core.errors import elide

if TYPE_CHECKING:
    from designer.core.curl_candidates import Candidate
    from designer.core.curl_import import CurlImport

PROG = "import-curl"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="?", default="-", help="file with the curl command ('-' or none: stdin)"
    )
    parser.add_argument("-o", "--output", required=True, metavar="CONFIG", help="the config file to write")
    parser.add_argument(
        "--search-term-from",
        metavar="VALUE",
        help="the value of the command that becomes {search_term} (everywhere it occurs)",
    )
    parser.add_argument(
        "--currency-code-from",
        metavar="VALUE",
        help="the value of the command that becomes {currency_code} (everywhere it occurs)",
    )
    parser.add_argument("--name", help="the config's name (default: method and host)")
    parser.add_argument("--force", action="store_true", help="replace CONFIG if it exists")
    parser.add_argument(
        "--secrets-file",
        metavar="FILE",
        help="also write the credential values found to this KEY=VALUE file (owner-only; "
        "existing lines are kept, same names updated); use it with run --secrets-file",
    )
    parser.add_argument(
        "--keyring", action="store_true", help="also store the credential values found in the OS keyring"
    )


def _read(path: str) -> str | None:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as failure:
        error(PROG, f"cannot read {path}: {failure.strerror or failure}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        error(PROG, f"{path} is not UTF-8 text (byte {data[failure.start]:#04x} at offset {failure.start})")
        return None


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _choose(
    imported: CurlImport, value: str | None, placeholder: str, choices: dict[str, list[Candidate]]
) -> bool:
    if value is None:
        return True
    matches = [c for c in imported.candidates if c.value == value]
    if not matches:
        listed = ", ".join(repr(elide(c.value, 60)) for c in imported.candidates[:20]) or "none"
        more = f" and {len(imported.candidates) - 20} more" if len(imported.candidates) > 20 else ""
        error(
            PROG,
            f"{elide(value)!r} is not a value of the command, so it cannot become {{{placeholder}}}; "
            f"values: {listed}{more}",
        )
        return False
    choices[placeholder] = list(matches)
    for candidate in matches:
        _say(f"{{{placeholder}}} replaces {elide(candidate.value)!r} in {', '.join(candidate.locations)}")
    return True


def _report(imported: CurlImport, show_candidates: bool) -> None:
    from designer.core.curl_import import summary  # noqa: PLC0415

    for message in imported.messages:
        _say(str(message))
    _say("understood:")
    for label, text in summary(imported):
        _say(f"  {label}: {text}")
    if show_candidates:
        if imported.candidates:
            _say("values that could become {search_term} (choose with --search-term-from VALUE):")
            for candidate in imported.candidates:
                hint = f" ({candidate.hint})" if candidate.hint else ""
                where = ", ".join(candidate.locations)
                _say(f"  {elide(candidate.value)!r}{hint} — {where}")
        else:
            _say("the command holds no value that could become {search_term}")


def _store_secrets(imported: CurlImport, args: argparse.Namespace) -> bool:
    from designer.core.config import SecretRef  # noqa: PLC0415
    from designer.core.errors import SecretError  # noqa: PLC0415
    from designer.core.secrets import KeyringSource, store_secret  # noqa: PLC0415

    ok = True
    if args.keyring:
        for name, value in imported.secrets.items():
            try:
                store_secret(name, value)
            except SecretError as failure:
                error(PROG, failure.message)
                ok = False
                continue
            # Some backends (the null one) accept a value and forget it: only a read-back counts.
            if KeyringSource().lookup(SecretRef(secret=name)) == value:
                _say(f"stored {name} in the OS keyring")
            else:
                error(PROG, f"the OS keyring did not keep {name} (no usable keyring on this computer)")
                ok = False
    if args.secrets_file and imported.secrets:
        ok = _write_secrets_file(Path(args.secrets_file), dict(imported.secrets)) and ok
    return ok


def _write_secrets_file(path: Path, values: dict[str, str]) -> bool:
    from designer.core.atomic import write_text_atomic  # noqa: PLC0415

    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [
        line for line in lines if line.partition("=")[0].strip().removeprefix("export ").strip() not in values
    ]
    for name, value in values.items():
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        kept.append(f'{name}="{escaped}"')
    try:
        write_text_atomic(path, "\n".join(kept) + "\n", private=True)
    except OSError as failure:
        error(PROG, f"cannot write {path}: {failure.strerror or failure}")
        return False
    _say(f"wrote {', '.join(values)} to {path} (owner-only)")
    return True


def _credentials(imported: CurlImport, output: str) -> None:
    from designer.core.secrets import KEYRING_SERVICE  # noqa: PLC0415

    for credential in imported.credentials:
        found = (
            "found in the command, not written to " + output if credential.has_value else "not in the command"
        )
        _say(f"credential: {credential.kind} → secret reference {credential.secret} (value {found})")
        _say(
            f"  provide it as the environment variable {credential.secret}, in the OS keyring (service "
            f"{KEYRING_SERVICE!r}, user {credential.secret!r}), or as a line {credential.secret}=... "
            "of a --secrets-file"
        )


def run(args: argparse.Namespace) -> int:
    from designer.core.curl_import import CurlImportError, build_config, import_curl  # noqa: PLC0415
    from designer.core.project_io import SaveError, save_config  # noqa: PLC0415

    output = Path(args.output)
    if output.exists() and not args.force:
        error(PROG, f"{output} exists; use --force to replace it")
        return EXIT_USAGE
    text = _read(args.file)
    if text is None:
        return EXIT_USAGE
    try:
        imported = import_curl(text)
    except CurlImportError as failure:
        error(PROG, failure.message)
        return EXIT_USAGE
    _report(imported, show_candidates=args.search_term_from is None)
    choices: dict[str, list[Candidate]] = {}
    if not _choose(imported, args.search_term_from, "search_term", choices) or not _choose(
        imported, args.currency_code_from, "currency_code", choices
    ):
        return EXIT_USAGE
    host = imported.request.url.split("://", 1)[-1].split("/", 1)[0]
    name = args.name or f"{imported.request.method} {host} (imported from cURL)"
    config = build_config(imported, choices, name=name)
    try:
        save_config(config, output)
    except SaveError as failure:
        error(PROG, failure.message)
        return EXIT_USAGE
    _say(f"wrote {output}")
    _credentials(imported, str(output))
    return EXIT_OK if _store_secrets(imported, args) else EXIT_FAILED
