"""Reading and writing project and export files: UTF-8 always, atomic, versioned, explained.

A file is the contract with production, so loading is strict (unknown keys, NaN, duplicate keys
are errors with their location) and saving is atomic (a crash or a full disk leaves the previous
file intact). Secret values embedded in a config are dropped on save unless the caller asks
explicitly (``include_secrets=True``, the export's confirmed choice).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from designer.core.atomic import write_text_atomic
from designer.core.config import FORMAT_NAME, FORMAT_VERSION, LookupConfig
from designer.core.errors import ConfigError, DesignerError
from designer.core.jsonio import ParseNotes, dumps_exact, loads_exact

__all__ = [
    "MIGRATIONS",
    "Problem",
    "SaveError",
    "config_from_text",
    "config_to_text",
    "load_config",
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


def _migrate(data: dict[str, Any], source: str) -> dict[str, Any]:
    if data.get("format") != FORMAT_NAME:
        found = data.get("format")
        what = f"format {found!r}" if found is not None else "no 'format' key"
        raise ConfigError(
            f"{source} is not a Customer Lookup config ({what}; expected {FORMAT_NAME!r})", location="format"
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ConfigError(f"{source}: 'version' must be a whole number, not {version!r}", location="version")
    if version > FORMAT_VERSION:
        raise ConfigError(
            f"{source} is format version {version}, but this designer reads up to version "
            f"{FORMAT_VERSION}; update Customer Lookup Designer to open it",
            location="version",
            code="newer_version",
        )
    if version < 1:
        raise ConfigError(f"{source}: version {version} is not a valid format version", location="version")
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["version"] = version
    return data


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
        data = loads_exact(text, notes)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ConfigError(f"{source} is not valid JSON: {error.msg} at {where}", location=where) from None
    except RecursionError:
        raise ConfigError(f"{source} is nested too deeply to be a config", location="(top level)") from None
    if notes.non_standard_constants:
        names = ", ".join(sorted(set(notes.non_standard_constants)))
        raise ConfigError(f"{source} is not standard JSON: it contains {names}", location="(values)")
    if notes.duplicate_keys:
        keys = ", ".join(repr(k) for k in sorted(set(notes.duplicate_keys)))
        raise ConfigError(f"{source} repeats the key(s) {keys}; each key may appear once", location="(keys)")
    if not isinstance(data, dict):
        raise ConfigError(
            f"{source} must be a JSON object, not {type(data).__name__}", location="(top level)"
        )
    data = _migrate(data, source)
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
    data = config.model_dump(mode="python")
    if not include_secrets:
        _drop_secret_values(data)
    return dumps_exact(data, indent=2) + "\n"


def _drop_secret_values(node: Any) -> None:
    """Remove ``value`` from every secret reference (``{"secret": ..., "value": ...}``)."""
    if isinstance(node, dict):
        if "secret" in node and set(node) <= {"secret", "value"}:
            node["value"] = None
        for child in node.values():
            _drop_secret_values(child)
    elif isinstance(node, list):
        for child in node:
            _drop_secret_values(child)


def save_config(config: LookupConfig, path: Path | str, *, include_secrets: bool = False) -> str:
    """Write atomically; returns the text written. SaveError (file unchanged) says why it failed."""
    path = Path(path)
    text = config_to_text(config, include_secrets=include_secrets)
    try:
        write_text_atomic(path, text)
    except FileNotFoundError:
        raise SaveError(f"cannot save {path.name}: the folder {path.parent} does not exist") from None
    except PermissionError:
        raise SaveError(f"cannot save {path}: permission denied (the previous file is unchanged)") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise SaveError(f"cannot save {path}: {reason} (the previous file is unchanged)") from None
    return text
