"""From response bytes to a JSON document, explaining every way a body can fail to be one.

Used by the runtime and by the window (for responses opened from a file or pasted), so a body
reads the same everywhere:

* the text is decoded with the declared charset (httpx's ``Response.json()`` ignores it, H015);
  a byte-order mark wins over the declaration and is always dropped (H016); without a charset
  the body is UTF-8 (RFC 8259), and invalid UTF-8 is an error naming the offset, never a guess;
* a configured anti-XSSI prefix is removed; a known one that is *not* configured is reported
  (``detected_prefix``) so the designer can store the rule and the runtime applies it (H026);
* the content type is not trusted: JSON served as ``text/html`` parses (H024) with a note, and
  an HTML page is "response is HTML, not JSON (title: Sign in)" rather than a parse error (H025);
* numbers stay exact, NaN/Infinity and duplicate keys are noted (see :mod:`designer.core.jsonio`),
  absurd nesting is an error, not a crash.

:func:`decode_body` and :func:`decode_body_async` run the same steps (:func:`iter_decode_body`):
the async one lets the event loop run every few milliseconds while a big body is decoded and
parsed (issue 6), so the window decodes exactly what the runtime decodes.
"""

from __future__ import annotations

import codecs
import html
import json
import re
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from designer.core.cooperative import TURN_SECONDS, run_steps, run_to_end
from designer.core.errors import ResponseFormatError, elide, json_error_words
from designer.core.json_slices import iter_loads_exact
from designer.core.jsonio import JsonValue, ParseNotes

__all__ = [
    "KNOWN_XSSI_PREFIXES",
    "DecodedBody",
    "content_type_charset",
    "content_type_mime",
    "decode_body",
    "decode_body_async",
    "decode_text",
    "excerpt",
    "iter_decode_body",
]

#: Anti-XSSI prefixes used by real APIs (Google, Angular's ``)]}',``, Facebook's ``for (;;);``).
KNOWN_XSSI_PREFIXES: tuple[str, ...] = (")]}',", ")]}'", "while(1);", "for(;;);", "for (;;);", "{}&&")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([^\";\s]+)", re.IGNORECASE)
_HTML_START = re.compile(r"<(!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_EXCERPT_LIMIT = 120
#: Bodies are decoded to text in pieces of this size, the loop running in between.
_DECODE_PIECE = 1024 * 1024


@dataclass(frozen=True)
class DecodedBody:
    """A response body as text and, when it is JSON, as a document.

    ``text`` is what the raw view shows (BOM removed, prefix kept, so the user sees the bytes
    that arrived); ``document`` is the parsed JSON (``None`` is also JSON ``null``: check
    ``error``). ``notes`` are warnings that do not stop mapping.
    """

    text: str
    document: JsonValue = None
    error: ResponseFormatError | None = None
    charset: str = "utf-8"
    mime: str = ""
    notes: tuple[str, ...] = ()
    #: A known anti-XSSI prefix found at the start but not configured for stripping.
    detected_prefix: str | None = None
    #: The prefix that was removed before parsing (configured), if any.
    stripped_prefix: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def content_type_mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def content_type_charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1).strip().lower() if match else None


def excerpt(text: str, limit: int = _EXCERPT_LIMIT) -> str:
    """The start of a body for messages: one line, control characters shown, cut with an ellipsis."""
    flat = " ".join(text[: limit * 2].split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def decode_text(
    body: bytes, content_type: str | None
) -> tuple[str, str, list[str], ResponseFormatError | None]:
    """(text, charset used, notes, error). The text is always usable for display."""
    notes: list[str] = []
    declared = content_type_charset(content_type)
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            if declared and codecs.lookup(encoding).name != _codec_name(declared):
                notes.append(
                    f"the body starts with a {encoding} byte-order mark; it wins over "
                    f"charset={elide(declared)}"
                )
            return body[len(bom) :].decode(encoding, errors="replace"), encoding, notes, None
    charset = declared or "utf-8"
    if _codec_name(charset) is None:
        notes.append(f"the declared charset {elide(charset)!r} is unknown; read as UTF-8")
        charset = "utf-8"
    try:
        return body.decode(charset), charset, notes, None
    except UnicodeError as error:  # some codecs (punycode, idna) raise the base class
        start = error.start if isinstance(error, UnicodeDecodeError) else None
        bad = f"byte(s) {body[start : start + 4].hex(' ')} at offset {start}" if start is not None else error
        how = (
            f"declared charset={elide(declared)}" if declared else "no charset declared, so UTF-8 (RFC 8259)"
        )
        message = (
            f"the body is not valid {charset} ({how}): {bad}; "
            "the server may send another charset without declaring it"
        )
        return _replaced(body, charset), charset, notes, ResponseFormatError(message, code="encoding")


def _iter_decode_text(
    body: bytes, content_type: str | None, pieces: bool = True
) -> Generator[None, None, tuple[str, str, list[str], ResponseFormatError | None]]:
    """:func:`decode_text` a piece at a time for a big body in a known charset without a BOM.

    Any trouble (a bad byte) is left to ``decode_text`` itself, so the message is the same.
    Without ``pieces`` (nothing runs in between anyway) it is ``decode_text`` at once: joining
    the pieces copies the text once more, 5% of a 70 MB parse.
    """
    declared = content_type_charset(content_type)
    charset = declared or "utf-8"
    plain = pieces and len(body) > 2 * _DECODE_PIECE and not any(body.startswith(bom) for bom, _ in _BOMS)
    if not plain or not _incremental_safe(_codec_name(charset)):
        return decode_text(body, content_type)
    decoder = codecs.getincrementaldecoder(charset)()
    view = memoryview(body)
    parts: list[str] = []
    try:
        for start in range(0, len(body), _DECODE_PIECE):
            parts.append(decoder.decode(view[start : start + _DECODE_PIECE]))
            yield
        parts.append(decoder.decode(b"", final=True))
    except UnicodeError:
        return decode_text(body, content_type)
    return "".join(parts), charset, [], None


def _incremental_safe(codec: str | None) -> bool:
    """Codecs whose incremental decoder joins split pieces correctly (not all do: punycode)."""
    if codec is None:
        return False
    return codec.startswith(("utf-8", "utf-16", "utf-32", "iso8859-", "cp125")) or codec in (
        "ascii",
        "latin-1",
    )


def _replaced(body: bytes, charset: str) -> str:
    """The text for display despite bad bytes; a codec that cannot replace falls back to UTF-8."""
    try:
        return body.decode(charset, errors="replace")
    except UnicodeError:
        return body.decode("utf-8", errors="replace")


def _codec_name(charset: str) -> str | None:
    """The codec's canonical name if ``charset`` names a text encoding, else None.

    A header may name anything: ``rot13`` or ``base64`` are codecs but not text encodings,
    ``undefined`` refuses every input, a NUL makes the lookup itself fail.
    """
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
        return None
    return info.name


def _strip_prefix(text: str, strip_prefix: str | None) -> tuple[str, str | None, str | None]:
    """(text to parse, prefix removed, known prefix detected but not configured)."""
    lead = text.lstrip()
    if strip_prefix and lead.startswith(strip_prefix):
        return lead[len(strip_prefix) :], strip_prefix, None
    for prefix in KNOWN_XSSI_PREFIXES:
        if lead.startswith(prefix):
            return text, None, prefix
    return text, None, None


def _html_title(page: str) -> str:
    """The text of the first ``<title>``, found in linear time (a regex took seconds on
    ``<title<title<title...``), on one line and cut to the length of a message."""
    lower = page.lower()
    start = lower.find("<title")
    opened = lower.find(">", start) if start >= 0 else -1
    end = lower.find("</title>", opened) if opened >= 0 else -1
    if end < 0:
        return ""
    return excerpt(html.unescape(page[opened + 1 : end]))


def _not_json(text: str, mime: str) -> ResponseFormatError | None:
    """A specific explanation for well-known non-JSON bodies (HTML, XML), else None."""
    lead = text.lstrip()[:2048]
    if _HTML_START.match(lead) or (mime == "text/html" and lead.startswith("<")):
        name = _html_title(text[:65536])
        detail = f" (title: {name})" if name else ""
        return ResponseFormatError(
            f"response is HTML, not JSON{detail}; often a sign-in or error page: check the URL and "
            "the credentials",
            code="html",
        )
    if lead.startswith("<?xml") or (lead.startswith("<") and "xml" in mime):
        return ResponseFormatError("response is XML, not JSON; this lookup needs a JSON API", code="xml")
    return None


def _parse_error(error: json.JSONDecodeError, text: str, mime: str) -> ResponseFormatError:
    served = f" (served as {elide(mime)})" if mime else ""
    return ResponseFormatError(
        f"response is not valid JSON{served}: {json_error_words(error)} at line {error.lineno} "
        f"column {error.colno}; it starts with: {excerpt(text)!r}",
        code="json",
    )


def decode_body(body: bytes, content_type: str | None, strip_prefix: str | None = None) -> DecodedBody:
    """Decode and parse a response body. Never raises; problems are in ``error`` and ``notes``."""
    return run_to_end(iter_decode_body(body, content_type, strip_prefix, pieces=False))


async def decode_body_async(
    body: bytes,
    content_type: str | None,
    strip_prefix: str | None = None,
    *,
    turn_seconds: float = TURN_SECONDS,
) -> DecodedBody:
    """:func:`decode_body` with the event loop running every ``turn_seconds`` (the window's decoder)."""
    return await run_steps(iter_decode_body(body, content_type, strip_prefix), turn_seconds=turn_seconds)


def iter_decode_body(
    body: bytes, content_type: str | None, strip_prefix: str | None = None, *, pieces: bool = True
) -> Generator[None, None, DecodedBody]:
    """The steps of :func:`decode_body`; the generator's return value is the DecodedBody.

    ``pieces=False`` decodes the text in one go (the same text) for a caller that lets nothing
    run between the steps.
    """
    mime = content_type_mime(content_type)
    text, charset, notes, error = yield from _iter_decode_text(body, content_type, pieces)
    base: dict[str, Any] = {"text": text, "charset": charset, "mime": mime}
    if error is not None:
        return DecodedBody(**base, error=error, notes=tuple(notes))
    if not text or text.isspace():  # not text.strip(): that copies a big body with a final newline
        empty = ResponseFormatError("the response body is empty, not JSON", code="empty")
        return DecodedBody(**base, error=empty, notes=tuple(notes))
    payload, stripped, detected = _strip_prefix(text, strip_prefix)
    if stripped:
        notes.append(f"removed the anti-XSSI prefix {stripped!r} before parsing (as configured)")
    if detected:
        problem = ResponseFormatError(
            f"the body starts with the anti-XSSI prefix {detected!r}; strip it (response setting "
            "'strip prefix') to read the JSON after it",
            code="xssi_prefix",
        )
        return DecodedBody(**base, error=problem, notes=tuple(notes), detected_prefix=detected)
    specific = _not_json(payload, mime)
    if specific is not None:
        return DecodedBody(**base, error=specific, notes=tuple(notes), stripped_prefix=stripped)
    parse_notes = ParseNotes()
    try:
        document = yield from iter_loads_exact(payload, parse_notes)
    except json.JSONDecodeError as failure:
        problem = _parse_error(failure, payload, mime)
        return DecodedBody(**base, error=problem, notes=tuple(notes), stripped_prefix=stripped)
    except ValueError as error:  # JsonLimitError: nested too deeply, a number with thousands of digits
        problem = ResponseFormatError(
            f"response cannot be read: {error}", code=getattr(error, "code", "json")
        )
        return DecodedBody(**base, error=problem, notes=tuple(notes), stripped_prefix=stripped)
    if mime and mime != "application/json" and not mime.endswith("+json") and mime != "text/json":
        notes.append(f"the body is JSON but the server declared it as {elide(mime)}; parsed by its content")
    notes.extend(parse_notes.messages())
    return DecodedBody(**base, document=document, notes=tuple(notes), stripped_prefix=stripped)
