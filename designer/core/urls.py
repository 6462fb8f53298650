"""The address part of a URL, checked once for everyone, and passwords in URLs kept out of messages.

The request URL (:mod:`designer.core.render`) and the proxy URL (:mod:`designer.core.fetch`)
are checked by the same rules, so ``lookup-designer validate`` refuses exactly what a lookup
would refuse before sending: a scheme it speaks, a host, a port in range, a host name without
blanks, and whatever else the HTTP client (httpx) cannot parse. A URL may carry
``user:password@``; every message that quotes one goes through :func:`mask_userinfo`.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote, urlsplit

from designer.core.model_types import MASK

__all__ = ["address_problem", "mask_userinfo", "userinfo_secrets"]

#: ``user:password@`` after ``scheme://`` or at the start of a word (``curl user:pw@host``).
_USERINFO = re.compile(
    r"(?P<start>[A-Za-z][A-Za-z0-9+.-]*://|^|(?<=[\s'\"=(<,]))"
    r"(?P<user>[^\s/?#@:'\"]*):(?P<password>[^\s/?#@'\"]+)@",
    re.MULTILINE,
)
_BAD_HOST_CHARACTER = re.compile(r"[\s<>\"{}|\\^`%]")


def mask_userinfo(text: str) -> str:
    """``text`` with the password of every ``user:password@`` in it replaced by a mask."""
    if "@" not in text:
        return text
    return _USERINFO.sub(lambda m: f"{m.group('start')}{m.group('user')}:{MASK}@", text)


def userinfo_secrets(url: str) -> frozenset[str]:
    """The password of ``url``'s ``user:password@`` (as written and decoded), to mask elsewhere."""
    try:
        password = urlsplit(url).password
    except ValueError:
        match = _USERINFO.search(url)
        password = match.group("password") if match else None
    if not password:
        return frozenset()
    return frozenset({password, unquote(password)})


def address_problem(parts: SplitResult, schemes: tuple[str, ...], subject: str) -> str | None:
    """Why the scheme and address of ``parts`` cannot be requested, or None.

    ``subject`` starts the sentence ("the URL 'x'", "the proxy 'y'"); it must already be safe to
    show (shortened, password masked). The path and query are not judged here: the renderer
    encodes them, so they cannot make a request fail.
    """
    wanted = " or ".join(f"{scheme}://" for scheme in schemes)
    if parts.scheme.lower() not in schemes or not parts.netloc:
        return f"{subject} is not a complete {wanted} address (scheme and host needed)"
    try:
        parts.port  # noqa: B018  (reading it checks it: "Port out of range 0-65535")
        host = parts.hostname
    except ValueError as error:
        return f"{subject} is not valid: {error}"
    if not host:
        return f"{subject} names no host (expected {wanted}host)"
    if _BAD_HOST_CHARACTER.search(host):
        return f"{subject} is not valid: the host {host!r} holds a character no host name can have"
    import httpx  # noqa: PLC0415  (only when a URL is checked: the window starts without it)

    try:
        httpx.URL(f"{parts.scheme}://{parts.netloc}/")
    except (httpx.InvalidURL, ValueError) as error:
        return f"{subject} is not valid: {mask_userinfo(str(error))}"
    return None
