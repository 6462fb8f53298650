"""Problems a valid config can still have: paths that do not parse, placeholders with typos, ...

The config model checks the shape; this checks the meaning, for ``lookup-designer validate`` and
the window's problem list. Each problem names its location in the file. Every error that a
lookup would refuse before sending comes from :mod:`designer.core.preflight`, which the lookup
itself calls, so ``validate`` says "valid" only for what ``run`` would send.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from designer.core.config import (
    PLACEHOLDERS,
    FormBody,
    JsonBody,
    LookupConfig,
    RawBody,
)
from designer.core.errors import elide
from designer.core.preflight import config_refusals
from designer.core.project_io import Problem
from designer.core.render import find_placeholders

__all__ = ["lint_config"]


def _texts(config: LookupConfig) -> Iterator[tuple[str, str]]:
    """(location, text) of every request field that may hold placeholders."""
    request = config.request
    yield "request.url", request.url
    for kind, rows in (("query", request.query), ("headers", request.headers)):
        for index, row in enumerate(rows):
            yield f"request.{kind}[{index}].name", row.name
            yield f"request.{kind}[{index}].value", row.value
    body = request.body
    if isinstance(body, FormBody):
        for index, row in enumerate(body.fields):
            yield f"request.body.fields[{index}].name", row.name
            yield f"request.body.fields[{index}].value", row.value
    elif isinstance(body, RawBody):
        yield "request.body.text", body.text
    elif isinstance(body, JsonBody):
        yield from _template_texts(body.template, "request.body.template")


def _template_texts(node: object, location: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield location, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield f"{location}.{key}", key
            yield from _template_texts(value, f"{location}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _template_texts(value, f"{location}[{index}]")


#: ``{{name}}`` (Postman, Insomnia, Bruno) and ``{ name }``/``{search-term}`` near-misses.
_DOUBLE_BRACES = re.compile(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}")
_BRACED = re.compile(r"\{([^{}]{1,40})\}")


def _near_misses(text: str) -> Iterator[str]:
    """Messages for braces that were probably meant as a placeholder but are not one."""
    for match in _DOUBLE_BRACES.finditer(text):
        yield (
            f"{match.group(0)} uses double braces; placeholders here are written "
            f"{{{match.group(1)}}}, and the outer braces would be sent as text"
        )
    for match in _BRACED.finditer(text):
        inner = match.group(1)
        wanted = re.sub(r"[\s-]+", "_", inner.strip()).lower()
        if wanted in PLACEHOLDERS and inner != wanted:
            yield f"{{{inner}}} is not a placeholder (did you mean {{{wanted}}}?); it is sent as written"


def lint_config(config: LookupConfig) -> list[Problem]:
    """Errors (the lookup cannot work) and warnings (it probably does not do what was meant)."""
    problems: list[Problem] = []
    used: set[str] = set()
    for location, text in _texts(config):
        problems.extend(Problem(location, message, "warning") for message in _near_misses(text))
        for name in find_placeholders(text):
            if name in PLACEHOLDERS:
                used.add(name)
            elif name.lower() not in PLACEHOLDERS:  # a near miss is reported above
                known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                problems.append(
                    Problem(
                        location,
                        f"{{{elide(name, 60)}}} is not a placeholder (known: {known}); it is sent as written",
                        "warning",
                    )
                )
    if "search_term" not in used:
        problems.append(
            Problem(
                "request",
                "{search_term} is used nowhere: every search would send the same request",
                "warning",
            )
        )
    # What a lookup refuses before sending (URL, proxy, paths): the very same checks.
    problems.extend(config_refusals(config))
    identifier = config.response.fields.get("identifier")
    if identifier is None or identifier.is_empty():
        problems.append(
            Problem("response.fields.identifier", "identifier is not mapped: the POS would get no customers")
        )
    for ref in config.secret_refs():
        if ref.value is not None:
            problems.append(
                Problem(f"secret {ref.secret}", "the secret value is embedded in this file", "warning")
            )
    if not config.request.transport.verify_tls:
        problems.append(
            Problem("request.transport.verify_tls", "TLS certificate verification is off", "warning")
        )
    return problems
