"""The ``lookup-designer`` command.

Without a subcommand it opens the window (``--demo`` also starts the demo merchant server and a
sample project). Subcommands run the same core the window uses:

* ``run CONFIG --search-term T`` prints the Customer list as the POS receives it;
* ``validate CONFIG`` explains every problem of a config with its location;
* ``schema`` prints the JSON Schema of the config contract;
* ``demo-server`` serves the demo merchant APIs on 127.0.0.1;
* ``import-curl`` turns a cURL command into a config.

Exit status: 0 success, 1 the lookup failed (or validation found errors), 2 unusable input.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

__all__ = ["COMMANDS", "main"]

Handler = Callable[[argparse.Namespace], int]
#: subcommand -> (module, help); each module has ``add_arguments(parser)`` and ``run(args)``.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("designer.commands.run", "run a lookup and print the Customer list the POS would get"),
    "validate": ("designer.commands.validate", "explain every problem in a config file"),
    "schema": ("designer.commands.schema", "print the JSON Schema of the config format"),
    "demo-server": ("designer.demo.cli", "serve the demo merchant APIs on 127.0.0.1"),
    "import-curl": ("designer.commands.import_curl", "turn a cURL command into a config"),
}


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lookup-designer",
        description="Design, test and export Ka-ching customer lookup integrations. "
        f"Subcommands: {', '.join(COMMANDS)} (lookup-designer COMMAND --help).",
    )
    parser.add_argument("project", nargs="?", help="a project file to open")
    parser.add_argument(
        "--demo", action="store_true", help="start the demo merchant server and open a sample project"
    )
    parser.add_argument(
        "--quit-after",
        type=_seconds,
        metavar="SECONDS",
        help="close the window after SECONDS, as a user would (smoke tests of an installed app)",
    )
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value < 86400:
        raise argparse.ArgumentTypeError(f"seconds must be between 0 and 86400, not {text}")
    return value


def _command_parser(name: str) -> tuple[argparse.ArgumentParser, Handler]:
    import importlib  # noqa: PLC0415

    module_name, help_text = COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"lookup-designer {name}", description=help_text)
    module.add_arguments(parser)
    handler: Handler = module.run
    return parser, handler


#: A first word that reads as a command name rather than as a project file.
_COMMAND_LIKE = re.compile(r"^[A-Za-z][A-Za-z-]*$")


def _unknown_command(args: list[str]) -> str | None:
    """The message for a mistyped command (``valdiate c.json``), or None to open the window.

    The first word counts as a command when it has a command's shape, is no existing file, and
    either resembles a command or is followed by more words (a project is opened alone).
    """
    if not args or args[0] in COMMANDS or not _COMMAND_LIKE.match(args[0]) or Path(args[0]).exists():
        return None
    word = args[0]
    close = difflib.get_close_matches(word.lower(), list(COMMANDS), n=1, cutoff=0.6)
    positional = [arg for arg in args[1:] if not arg.startswith("-")]
    if not close and not positional:
        return None
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown command {word!r}{hint}; commands: {', '.join(COMMANDS)}"


def missing_display(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why the window cannot open here, or None.

    On Linux without X11 or Wayland, Qt aborts the process (exit 134) with a hint about
    xcb-cursor that sends people looking for a library they do not need.
    """
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        "On a server, run it under a virtual display (xvfb-run lookup-designer ...) or headless "
        "with QT_QPA_PLATFORM=offscreen; the subcommands (run, validate, ...) need no display."
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    unknown = _unknown_command(args)
    if unknown is not None:
        _window_parser().error(unknown)  # exits 2 with the usage line, as any usage error
    if args and args[0] in COMMANDS:
        parser, handler = _command_parser(args[0])
        namespace = parser.parse_args(args[1:])
        try:
            return handler(namespace)
        except KeyboardInterrupt:
            return 130
    namespace = _window_parser().parse_args(args)
    missing = missing_display()
    if missing is not None:
        print(f"lookup-designer: {missing}", file=sys.stderr)
        return 2
    from designer.gui.app import run_app  # noqa: PLC0415  (Qt only when the window is wanted)

    return run_app(namespace)


if __name__ == "__main__":
    raise SystemExit(main())
