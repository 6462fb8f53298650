"""One tree of user-facing errors. Each carries a stable ``code`` and a plain-language message."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import json

    from designer.core.model_types import Exchange


#: How much of a text given by the user (or a server) a message quotes.
ELIDE_LIMIT = 200


def elide(text: str, limit: int = ELIDE_LIMIT) -> str:
    """``text`` for a message: whole when short, else its start and its length.

    A message is read on one line; a 100 000-character search term in a URL must not make it a
    100 KB line, yet the start usually shows what went wrong.
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


def json_error_words(error: json.JSONDecodeError) -> str:
    """The JSON parser's words, ready to be followed by " at <place>".

    Some of Python's messages end in "at" ("Unterminated string starting at"), written to be
    followed by a character offset; without it, a place after them does not say "at at".
    """
    return error.msg.removesuffix(" at")


def json_error_text(error: json.JSONDecodeError) -> str:
    """``Expecting value at line 1, column 5``: the parser's words and the place as one phrase."""
    return f"{json_error_words(error)} at line {error.lineno}, column {error.colno}"


class DesignerError(Exception):
    """Base of every error the core reports to a user. ``str(error)`` is the readable message."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


class ConfigError(DesignerError):
    """A config or project file cannot be read, or is invalid. ``location`` says where."""

    code = "config"

    def __init__(
        self,
        message: str,
        *,
        location: str | None = None,
        code: str | None = None,
        problems: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(message, code=code)
        self.location = location
        #: Every (location, message) found, when validation found several.
        self.problems = problems or ((location or "", message),)


class RenderError(DesignerError):
    """The request cannot be built for these inputs (e.g. a newline in a header value)."""

    code = "render"


class SecretError(DesignerError):
    """A referenced secret is not available from any secrets source."""

    code = "secret"


class FetchError(DesignerError):
    """The exchange with the merchant API failed. Subclasses name the kind of failure.

    ``exchange`` holds what was sent and whatever arrived before the failure (masked), so the
    window can still show the raw body of an HTTP error or of a cut-off response.
    """

    code = "fetch"

    def __init__(self, message: str, *, code: str | None = None, exchange: Exchange | None = None) -> None:
        super().__init__(message, code=code)
        self.exchange = exchange


class NameNotResolvedError(FetchError):
    code = "dns"


class ConnectionRefusedError_(FetchError):
    code = "refused"


class TlsError(FetchError):
    code = "tls"


class TimeoutError_(FetchError):
    code = "timeout"


class TooLargeError(FetchError):
    code = "too_large"


class TooManyRedirectsError(FetchError):
    code = "redirects"


class ProtocolError(FetchError):
    """The server broke HTTP: closed mid-body, sent garbage instead of a status line."""

    code = "protocol"


class InvalidUrlError(FetchError):
    code = "invalid_url"


class ProxyError(FetchError):
    """The proxy setting cannot be used, or the proxy refused to carry the request."""

    code = "proxy"


class HttpStatusError(FetchError):
    """A status that is neither success nor configured as "no match". The body is kept."""

    code = "http_status"


class ResponseFormatError(DesignerError):
    """The body is not usable JSON (HTML page, malformed, wrong top-level type)."""

    code = "format"
