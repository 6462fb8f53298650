"""One tree of user-facing errors. Each carries a stable ``code`` and a plain-language message."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from designer.core.model_types import Exchange


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


class HttpStatusError(FetchError):
    """A status that is neither success nor configured as "no match". The body is kept."""

    code = "http_status"


class ResponseFormatError(DesignerError):
    """The body is not usable JSON (HTML page, malformed, wrong top-level type)."""

    code = "format"
