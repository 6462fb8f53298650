"""Reading and writing project and export files: UTF-8 always, atomic, versioned, explained.

A file is the contract with production, so loading is strict (unknown keys, NaN, duplicate keys
are errors with their location) and saving is atomic (a crash or a full disk leaves the previous
file intact). Secret values embedded in a config are dropped on save unless the caller asks
explicitly (``include_secrets=True``, the export's confirmed choice).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from designer.core import config as _contract
from designer.core.atomic import write_text_atomic
from designer.core.config import FORMAT_NAME, LookupConfig, find_lone_surrogate
from designer.core.errors import ConfigError, DesignerError, json_error_text
from designer.core.jsonio import ParseNotes, dumps_exact, format_decimal, is_writable_number, loads_exact

__all__ = [
    "MIGRATIONS",
    "Problem",
    "SaveError",
    "config_from_text",
    "config_to_text",
    "load_config",
    "migrate",
    "read_config_text",
    "save_config",
]

#: ``MIGRATIONS[n]`` turns a version-n document (a dict) into a version n+1 document.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
_MAX_FILE_BYTES = 20 * 1024 * 1024


class SaveError(DesignerError):
    """A file could not be written; the previous file at that path is unchanged."""

    code = "save"


@dataclass(frozen=True)
class Problem:
    """One problem in a config file: where (``request.auth.token`` or ``line 3, column 5``) and what."""

    location: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in ("none", "json", "form", "raw", "basic", "bearer", "api_key") and parts:
            continue  # the discriminator tag pydantic inserts for unions, not a key of the file
        else:
            parts.append(f".{item}" if parts else str(item))
    return "".join(parts)


def _validation_problems(error: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        message = str(item["msg"])
        if item["type"] == "extra_forbidden":
            message = "unknown key (a typo? see `lookup-designer schema`)"
        elif item["type"] == "missing":
            message = "required, but missing"
        message = message.removeprefix("Value error, ")
        problems.append(Problem(_location(tuple(item["loc"])) or "(top level)", message))
    return problems


def _number_text(value: Any) -> str:
    """A found value for a message: short, printable, whatever the file held (1E+999999999, "\\ud800")."""
    if isinstance(value, Decimal):
        text = format_decimal(value) if is_writable_number(value) else str(value)
    else:
        try:
            text = dumps_exact(value)
        except ValueError:  # a number too long to write out, somewhere inside
            text = type(value).__name__
    return text if len(text) <= 60 else text[:59] + "…"


def migrate(
    data: dict[str, Any],
    source: str,
    *,
    target: int | None = None,
    migrations: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """Bring a parsed document to the current format version (or refuse it in plain words).

    An older version goes through ``MIGRATIONS`` one step at a time; a newer one is refused with
    a message naming both versions, so a file from a newer designer is never half-read.
    """
    current = _contract.FORMAT_VERSION if target is None else target
    steps = MIGRATIONS if migrations is None else migrations
    if data.get("format") != FORMAT_NAME:
        found = data.get("format")
        what = f"format {found!r}" if found is not None else "no 'format' key"
        raise ConfigError(
            f"{source} is not a Customer Lookup config ({what}; expected {FORMAT_NAME!r})", location="format"
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        shown = "missing" if version is None else _number_text(version)
        raise ConfigError(
            f"{source}: 'version' must be a whole number such as {current}, not {shown}", location="version"
        )
    if version > current:
        raise ConfigError(
            f"{source} is format version {version}, but this designer reads up to version "
            f"{current}; update Customer Lookup Designer to open it",
            location="version",
            code="newer_version",
        )
    if version < 1:
        raise ConfigError(f"{source}: version {version} is not a valid format version", location="version")
    while version < current:
        step = steps.get(version)
        if step is None:
            raise ConfigError(
                f"{source} is format version {version}; this designer cannot upgrade it to version "
                f"{current} (no migration from version {version})",
                location="version",
                code="no_migration",
            )
        try:
            data = step(dict(data))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ConfigError(
                f"{source} cannot be upgraded from format version {version} to {version + 1}: "
                f"{type(error).__name__}: {error}",
                location="version",
                code="no_migration",
            ) from None
        version += 1
        data["version"] = version
    return data


#: A NaN/Infinity literal outside a string; strings are matched first so their text is skipped.
_CONSTANT_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _constant_location(text: str) -> str:
    for match in _CONSTANT_OR_STRING.finditer(text):
        if match.group(1):
            return _line_column(text, match.start(1))
    return "(values)"


def read_config_text(data: bytes, source: str) -> str:
    """Bytes of a config file as text: UTF-8 (a BOM is tolerated) whatever the locale (H046)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{source} is not UTF-8 text (byte {data[error.start]:#04x} at offset {error.start}); "
            "config files are always UTF-8",
            location=f"byte {error.start}",
        ) from None


def config_from_text(text: str, source: str = "the config") -> LookupConfig:
    """Parse and validate config text; raises ConfigError listing every problem with its place."""
    notes = ParseNotes()
    try:
        data = loads_exact(text, notes, check_duplicates=True)  # a repeated key is an error here
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ConfigError(f"{source} is not valid JSON: {json_error_text(error)}", location=where) from None
    except ValueError as error:  # JsonLimitError: nested too deeply, a number with thousands of digits
        # A problem of the file as a whole (the message names any place): located at the file.
        raise ConfigError(f"{source} cannot be read as a config: {error}", location=source) from None
    if notes.non_standard_constants:
        names = ", ".join(sorted(set(notes.non_standard_constants)))
        where = _constant_location(text)
        raise ConfigError(
            f"{source} is not standard JSON: it contains {names} (first at {where}); "
            "write a number or null instead",
            location=where,
        )
    if notes.duplicate_keys:
        keys = ", ".join(repr(k) for k in sorted(set(notes.duplicate_keys)))
        raise ConfigError(f"{source} repeats the key(s) {keys}; each key may appear once", location=source)
    if not isinstance(data, dict):
        raise ConfigError(
            f"{source} must be a JSON object, not {type(data).__name__}", location="(top level)"
        )
    data = migrate(data, source)
    bad_text = find_lone_surrogate(data)
    if bad_text is not None:
        raise ConfigError(
            f"{source}: the text at {bad_text} is not valid Unicode (an unpaired surrogate such as "
            "\\ud800); fix or remove it",
            location=bad_text,
        )
    try:
        return LookupConfig.model_validate(data)
    except ValidationError as error:
        problems = _validation_problems(error)
        listing = "\n".join(f"  - {p}" for p in problems)
        raise ConfigError(
            f"{source} has {len(problems)} problem{'s' if len(problems) != 1 else ''}:\n{listing}",
            location=problems[0].location,
            problems=tuple((p.location, p.message) for p in problems),
        ) from None


def load_config(path: Path | str) -> LookupConfig:
    """Load a project or exported config; ConfigError (never a traceback) for any bad file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > _MAX_FILE_BYTES:
            raise ConfigError(
                f"{path} is {size} bytes; a config file is never that large", location=str(path)
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist", location=str(path)) from None
    except IsADirectoryError:
        raise ConfigError(f"{path} is a folder, not a config file", location=str(path)) from None
    except OSError as error:
        raise ConfigError(f"{path} cannot be read: {error.strerror or error}", location=str(path)) from None
    return config_from_text(read_config_text(data, str(path)), str(path))


def config_to_text(config: LookupConfig, *, include_secrets: bool = False) -> str:
    """The file text: every setting explicit, numbers exact, secret values only on request."""
    if not include_secrets and any(ref.value is not None for ref in config.secret_refs()):
        config = config.model_copy(deep=True)
        # Through the model, not by the shape of the dump: a JSON body template may well hold an
        # object {"secret": ..., "value": ...} of the merchant's API, and that is not a credential.
        for ref in config.secret_refs():
            ref.value = None
    return dumps_exact(config.model_dump(mode="python"), indent=2) + "\n"


def save_config(config: LookupConfig, path: Path | str, *, include_secrets: bool = False) -> str:
    """Write atomically; returns the text written. SaveError (file unchanged) says why it failed."""
    path = Path(path)
    text = config_to_text(config, include_secrets=include_secrets)
    embedded = include_secrets and any(ref.value is not None for ref in config.secret_refs())
    try:
        # A file holding credentials is readable by its owner only.
        write_text_atomic(path, text, private=embedded)
    except FileNotFoundError:
        raise SaveError(f"cannot save {path.name}: the folder {path.parent} does not exist") from None
    except PermissionError:
        raise SaveError(f"cannot save {path}: permission denied (the previous file is unchanged)") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise SaveError(f"cannot save {path}: {reason} (the previous file is unchanged)") from None
    return text
