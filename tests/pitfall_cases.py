"""The pitfall cases of ../shared/pitfalls/cases, read at test time (never copied into the repo).

A ``.http`` case may hold several responses separated by ``### title`` lines (a redirect and
its target, or two alternatives); they are split with the same core function the CLI uses.
"""

from __future__ import annotations

import json
from typing import Any

from http_servers import Reply
from shared_data import shared_path

from designer.core.saved_response import SavedResponse, parse_saved_response, split_responses


def case_bytes(name: str) -> bytes:
    return shared_path("pitfalls", "cases", name).read_bytes()


def case_json(name: str) -> Any:
    return json.loads(case_bytes(name))


def case_responses(name: str) -> list[SavedResponse]:
    """Every response in a ``.http`` case, in file order."""
    responses = [parse_saved_response(raw) for _, raw in split_responses(case_bytes(name))]
    assert all(r.status is not None for r in responses), f"{name} holds a response without a status line"
    return responses


def case_replies(name: str) -> list[Reply]:
    """The responses of a case as test-server replies: status, the case's own headers, exact body."""
    return [
        Reply(status=r.status or 200, body=r.body, content_type=None, headers=list(r.headers))
        for r in case_responses(name)
    ]
