"""What makes a config unusable whatever the inputs: one answer for run, validate and the window.

A lookup (:func:`designer.core.runtime.lookup`) refuses a config with any of these problems
before it sends anything; ``lookup-designer validate`` reports exactly these as errors
(:func:`designer.core.lint.lint_config` calls :func:`config_refusals`), and a response opened
from a file is refused for the response part (:class:`designer.core.runtime.Interpretation`),
so the window, ``run`` and ``validate`` give the same diagnosis for the same file.

Each check is the one the sending code itself applies (the renderer's URL check and the
renderer itself with plain inputs, the client's proxy check, the JSONPath compiler), so nothing
here can drift from what a lookup does.
"""

from __future__ import annotations

from designer.core.config import LookupConfig, Request, ResponseSpec, SecretRef
from designer.core.errors import ConfigError, DesignerError
from designer.core.fetch import proxy_problem
from designer.core.jsonpath import path_problem
from designer.core.model_types import Inputs
from designer.core.project_io import Problem
from designer.core.render import render_request, url_problem

__all__ = ["config_refusals", "refusal_error", "request_refusals", "response_refusals"]


class _StandInSecrets:
    """Every credential has a plain value: only what no secret value can fix is found."""

    def resolve(self, ref: SecretRef) -> str:
        return "stand-in"


#: Inputs that any placement can carry (ASCII letters), so only input-independent problems show.
_PROBE_INPUTS = Inputs("probe", "DKK")


def request_refusals(request: Request) -> list[Problem]:
    """The request's problems that no search term can fix: the URL, the proxy, and whatever else
    the renderer refuses for plain inputs (a header name with a space, a Basic user with ':')."""
    problems: list[Problem] = []
    url = url_problem(request.url)
    if url is not None:
        problems.append(Problem("request.url", url))
    proxy = proxy_problem(request.transport.proxy)
    if proxy is not None:
        problems.append(Problem("request.transport.proxy", proxy))
    if url is None:
        try:
            render_request(request, _PROBE_INPUTS, _StandInSecrets())
        except DesignerError as error:  # the URL was checked above: this is a header, body, auth...
            problems.append(Problem("request", error.message))
    return problems


def response_refusals(spec: ResponseSpec) -> list[Problem]:
    """Paths that do not parse: the records path and every field's paths.

    A field with an invalid path is not quietly left empty: the config does not say what was
    meant, so it cannot produce the list the POS is meant to get.
    """
    problems: list[Problem] = []
    problem = path_problem(spec.records_path)
    if problem:
        problems.append(Problem("response.records_path", problem))
    for name, mapping in spec.fields.items():
        for index, expression in enumerate(mapping.paths):
            problem = path_problem(expression)
            if problem:
                problems.append(Problem(f"response.fields.{name}.paths[{index}]", problem))
    return problems


def config_refusals(config: LookupConfig) -> list[Problem]:
    """Every reason a lookup with ``config`` is refused before sending (empty: it may be sent)."""
    return [*request_refusals(config.request), *response_refusals(config.response)]


def refusal_error(problems: list[Problem]) -> ConfigError:
    """The error a refused lookup reports: the first problem, with a count of the others."""
    first = problems[0]
    more = len(problems) - 1
    others = f" (and {more} more problem{'s' if more != 1 else ''}: lookup-designer validate lists them)"
    return ConfigError(
        f"the config cannot be used: {first.location}: {first.message}" + (others if more else ""),
        location=first.location,
        code="unusable_config",
        problems=tuple((p.location, p.message) for p in problems),
    )
