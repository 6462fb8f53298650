""" "Copy as cURL": the request exactly as it will be sent, as a command for bash.

The input is :func:`~designer.core.render.render_request`'s result for the current test inputs,
so the command shows what the runtime sends, not the template. Secrets are masked unless the
caller explicitly includes them (``RenderedRequest.masked()``).

Quoting for bash: a word of harmless characters stays bare; anything else goes in single quotes
(``'\\''`` for a quote inside), where bash changes nothing, newlines included; text with other
control characters, bytes that are not UTF-8, or line separators a clipboard may rewrite uses
``$'…'`` with escapes. URLs holding ``{}`` or ``[]`` get ``-g`` so curl does not expand them as
URL globs. ``import_curl(to_curl(x))`` renders back to ``x`` (tested with hypothesis).

Only the request's own headers are written: the User-Agent, Accept-Encoding and Connection that
the HTTP client adds itself, and the Content-Length it computes, are curl's business in curl.
"""

from __future__ import annotations

import re

from designer.core.errors import DesignerError
from designer.core.model_types import RenderedRequest

__all__ = ["CurlExportError", "shell_quote", "to_curl"]

_BARE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")
# Control characters (but newline), DEL, C1 controls, line/paragraph separators, lone surrogates.
_NEEDS_ANSI = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_ANSI_NAMED = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_GLOB = re.compile(r"[{}\[\]]")


class CurlExportError(DesignerError):
    """The request cannot be written as a shell command (a NUL byte in the body)."""

    code = "curl_export"


def _ansi_c(text: str) -> str:
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char in _ANSI_NAMED:
            out.append(_ANSI_NAMED[char])
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02X}")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02X}")
        elif 0x80 <= code <= 0x9F or code in (0x2028, 0x2029):
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    return "$'" + "".join(out) + "'"


def shell_quote(text: str) -> str:
    """``text`` as one bash word with exactly that value."""
    if "\x00" in text:
        raise CurlExportError("a NUL character cannot be part of a shell command")
    if _BARE.match(text):
        return text
    if _NEEDS_ANSI.search(text):
        return _ansi_c(text)
    return "'" + text.replace("'", "'\\''") + "'"


def _curl_url(url: str) -> str:
    # curl refuses spaces and control characters in a URL; percent-encoded they mean the same.
    return re.sub(r"[\x00-\x20\x7f]", lambda m: f"%{ord(m.group()):02X}", url)


def to_curl(rendered: RenderedRequest, *, include_secrets: bool = False, multiline: bool = True) -> str:
    """A bash command that sends ``rendered``; secret values masked unless ``include_secrets``.

    Raises CurlExportError for a body that no command line can carry (a NUL byte).
    """
    request = rendered if include_secrets else rendered.masked()
    body = request.body.decode("utf-8", "surrogateescape")
    if "\x00" in body:
        raise CurlExportError("the body contains a NUL byte, which a shell command line cannot carry")
    words: list[list[str]] = [["curl"]]
    url = _curl_url(request.url)
    if _GLOB.search(url):
        words[0].append("-g")
    if body and request.method != "POST":
        words[0] += ["-X", shell_quote(request.method)]
    elif not body and request.method == "HEAD":
        words[0].append("--head")
    elif not body and request.method != "GET":
        words[0] += ["-X", shell_quote(request.method)]
    words[0].append(shell_quote(url))
    for name, value in request.headers:
        words.append(["-H", shell_quote(f"{name}: {value}" if value else f"{name};")])
    if body:
        words.append(["--data-raw", shell_quote(body)])
    lines = [" ".join(group) for group in words]
    return (" \\\n  " if multiline else " ").join(lines)
