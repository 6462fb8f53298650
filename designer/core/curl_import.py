"""Importing a request from a pasted cURL command: the one entry point for the window and the CLI.

The text is split the way its shell would (:mod:`~designer.core.curl_tokenize`: bash with
``$'…'``, or Windows cmd with ``^``), curl's options are read with curl's rules
(:mod:`~designer.core.curl_args`, :mod:`~designer.core.curl_call`), and the request curl would
send becomes the request part of a lookup config. The promise: the imported request sends what
curl would send, or a warning names the option that made the difference. Never a crash (bad
input raises :class:`CurlImportError` with a sentence), never a silent guess.

Choices where curl and a lookup config differ:

* redirects: curl without ``-L`` stops at a redirect; the imported config follows redirects
  anyway (the designer's default, H017: each hop is shown), and a note says so;
* the URL's query stays in the URL exactly as written up to the last parameter the query table
  could not reproduce byte for byte (``item[]``, ``a+b``, ``%zz``); the parameters after it become
  table rows, so the query arrives unchanged and in order;
* credentials become the config's credential entry with a secret reference; the values are in
  :attr:`CurlImport.secrets`, never in the request. A config holds one credential; others are
  left out with a warning. An API key moved out of the query is sent as its last parameter;
* ``Content-Length``, ``Accept-Encoding`` and ``Transfer-Encoding`` are the HTTP client's business
  (it computes the length and decodes only what it asked for), so they are left out with a note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import get_args
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from designer.core.config import (
    PLACEHOLDERS,
    ApiKeyAuth,
    Auth,
    FormBody,
    Header,
    HttpMethod,
    JsonBody,
    LookupConfig,
    NoAuth,
    NoBody,
    Param,
    RawBody,
    Request,
    SecretRef,
    TestInputs,
    Timeouts,
    Transport,
)
from designer.core.curl_args import Occurrence, parse_args
from designer.core.curl_body import body_from_curl
from designer.core.curl_call import CurlCall, HeaderLine, build_call
from designer.core.curl_candidates import Candidate, apply_candidate, find_candidates
from designer.core.curl_credentials import (
    Credential,
    FoundCredential,
    from_authorization,
    from_cookie,
    from_key_header,
    from_query,
    is_key_header,
    is_key_param,
    is_session_cookie,
)
from designer.core.curl_messages import ImportMessage, Messages
from designer.core.curl_tokenize import Tokenized, Word, tokenize
from designer.core.errors import ELIDE_LIMIT, DesignerError, SecretError, elide
from designer.core.model_types import MASK, Inputs, mask_text
from designer.core.render import PLACEHOLDER_RE, render_request
from designer.core.urls import mask_userinfo, userinfo_secrets

__all__ = [
    "CurlImport",
    "CurlImportError",
    "ImportMessage",
    "build_config",
    "import_curl",
    "summary",
]

_METHODS: tuple[str, ...] = get_args(HttpMethod)
_WRAPPERS = {"sudo", "time", "command", "exec", "env", "nohup", "noglob", "builtin"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_PROBE = "http://probe.invalid/"
_NOT_UTF8 = re.compile("[\ud800-\udfff]")


class CurlImportError(DesignerError):
    """The text holds nothing that can be imported (no curl command, no URL)."""

    code = "curl_import"


@dataclass(frozen=True)
class CurlImport:
    """The imported request, what could not be carried over, and the credentials found.

    ``secrets`` maps each created secret reference to the value found in the command; it is
    never part of ``request``. ``candidates`` are the values that could become placeholders.
    """

    request: Request
    messages: tuple[ImportMessage, ...]
    secrets: Mapping[str, str]
    credentials: tuple[Credential, ...]
    candidates: tuple[Candidate, ...]
    dialect: str = "bash"

    @property
    def warnings(self) -> tuple[ImportMessage, ...]:
        return tuple(m for m in self.messages if m.severity == "warning")

    @property
    def notes(self) -> tuple[ImportMessage, ...]:
        return tuple(m for m in self.messages if m.severity == "note")

    def codes(self) -> set[str]:
        return {m.code for m in self.messages}


# -- the shell level ------------------------------------------------------------------------


def _check_text(text: str, messages: Messages) -> None:
    if re.search("[\u201c\u201d\u2018\u2019]", text):
        messages.warn(
            "typographic_quotes",
            "“”",
            "the text holds typographic quotes (“ ” ‘ ’), probably from a word processor or a web "
            "page; a shell does not treat them as quotes, so they became part of the values",
        )
    if "\u00a0" in text:
        messages.warn(
            "nbsp",
            "\u00a0",
            "the text holds non-breaking spaces; a shell does not split words there, so an option "
            "and its neighbour may have run together",
        )
    if any(line.rstrip().endswith(" `") and line.count("`") % 2 for line in text.splitlines()):
        messages.warn(
            "powershell",
            "`",
            "a line ends with a backtick (PowerShell's line continuation), which is not read here; "
            "copy the command for bash or cmd instead",
        )


def _is_curl(word: Word) -> bool:
    name = re.split(r"[\\/]", word.text)[-1].lower()
    return name in ("curl", "curl.exe")


def _find_curl(tokenized: Tokenized) -> tuple[int, int]:
    """(command index, word index) of the first curl program word."""
    for number, command in enumerate(tokenized.commands):
        for position, word in enumerate(command):
            if _is_curl(word) and not word.redirect:
                return number, position
    if tokenized.commands:
        first = tokenized.commands[0][0].text
        if first.startswith("-") or "://" in first:
            return 0, -1
        raise CurlImportError(f"no curl command found: the text starts with {elide(first)!r}, not curl")
    raise CurlImportError("there is no command to import: paste a curl command")


def _prefix(words: Sequence[Word], messages: Messages) -> None:
    for word in words:
        if _ASSIGNMENT.match(word.text):
            messages.note(
                "shell_prefix",
                word.text,
                f"{word.text.split('=', 1)[0]}=... before curl only sets an environment variable (ignored)",
            )
        elif word.text not in _WRAPPERS:
            messages.warn("shell_prefix", word.text, f"{word.text!r} before curl was ignored")


def _other_commands(tokenized: Tokenized, index: int, messages: Messages) -> None:
    commands, enders = tokenized.commands, tokenized.enders
    cut: list[str] = []
    following = index + 1
    while (
        enders[following - 1] == "&"
        and following < len(commands)
        and _ASSIGNMENT.match(commands[following][0].text)
    ):
        cut.append(" ".join(_masked_pair(w.text) for w in commands[following]))
        following += 1
    if cut:
        messages.warn(
            "unquoted_ampersand",
            "&",
            f"an unquoted & ended the curl command: the shell runs {' & '.join(cut)!r} as separate "
            "commands and curl never sees them; put the URL in quotes to send them as query "
            "parameters",
        )
    if enders[index] == "|" and following < len(commands):
        messages.note("pipe", "|", f"curl's output is piped into {commands[following][0].text} (ignored)")
        following += 1
    for command in commands[following:]:
        if command[0].text.startswith("-") and not any(_is_curl(w) for w in command):
            messages.warn(
                "missing_continuation",
                command[0].text,
                f"a line starts with {command[0].text}, but the line before it does not end with a "
                "backslash: the shell runs it as a separate command, so it was not imported (add the "
                "missing \\ to import it)",
            )
    curls = sum(1 for command in commands if any(_is_curl(w) for w in command))
    if curls > 1:
        messages.warn(
            "several_commands", "curl", f"the text holds {curls} curl commands; only the first was imported"
        )


def _curl_words(tokenized: Tokenized, messages: Messages) -> tuple[list[Word], str | None]:
    """The arguments of the curl command and where its standard input comes from."""
    for problem in tokenized.problems:
        messages.warn("shell", "", problem)
    number, position = _find_curl(tokenized)
    command = tokenized.commands[number]
    if position < 0:
        messages.note(
            "no_curl_word", "", "the text does not start with curl; it was read as curl's arguments"
        )
    _prefix(command[: max(position, 0)], messages)
    _other_commands(tokenized, number, messages)
    words: list[Word] = []
    stdin: str | None = None
    for word in command[position + 1 :]:
        if word.redirect is None:
            words.append(word)
        elif word.redirect in ("<", "0<"):
            stdin = word.text
        elif word.redirect.startswith("<<"):
            stdin = "a here-document"
        else:
            messages.note(
                "redirect",
                word.redirect,
                f"{word.redirect} {word.text}: curl's output is redirected (ignored)",
            )
    return words, stdin


# -- the request ----------------------------------------------------------------------------


def _method(call: CurlCall, messages: Messages) -> HttpMethod:
    upper = call.method.upper()
    origin = call.method_origin or "-X"
    if upper not in _METHODS:
        fallback: HttpMethod = "POST" if call.body is not None else "GET"
        messages.warn(
            "method",
            origin,
            f"{origin} {call.method}: a lookup config sends {', '.join(_METHODS)} only; the import "
            f"uses {fallback}",
        )
        return fallback
    if upper != call.method:
        messages.warn(
            "method_case",
            origin,
            f"curl sends the method exactly as written ({call.method}); the imported request sends {upper}",
        )
    return upper  # type: ignore[return-value]


def _decode(raw: str) -> str | None:
    try:
        return unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None


def _table_param(piece: str) -> Param | None:
    """The query table row that renders exactly as ``piece``, or None if there is none."""
    name_raw, equals, value_raw = piece.partition("=")
    name, value = _decode(name_raw), _decode(value_raw)
    if not equals or not name_raw or name is None or value is None:
        return None
    param = Param(name=name, value=value)
    try:
        rendered = render_request(Request(url=_PROBE, query=[param]), Inputs("", "DKK"), _ProbeSecrets({}))
    except DesignerError:
        return None
    return param if rendered.url == f"{_PROBE}?{piece}" else None


def _url_and_query(
    url: str, host: str, found: list[FoundCredential], messages: Messages
) -> tuple[str, list[Param]]:
    base, mark, query = url.partition("?")
    if not mark:
        return url, []
    pieces = query.split("&")
    kept: list[str] = []
    for index, piece in enumerate(pieces):
        name_raw, equals, value_raw = piece.partition("=")
        name, value = _decode(name_raw), _decode(value_raw)
        if equals and name and value is not None and is_key_param(name):
            found.append(from_query(name, value, host, "the URL"))
            if index != len(pieces) - 1:
                messages.note(
                    "moved_api_key",
                    name,
                    f"the API key parameter {name} is sent as the last query parameter (a credential is "
                    "added after the others)",
                )
            continue
        kept.append(piece)
    rows = [_table_param(piece) for piece in kept]
    split = max((i + 1 for i, row in enumerate(rows) if row is None), default=0)
    literal = "&".join(kept[:split])
    table = [row for row in rows[split:] if row is not None]
    return base + (f"?{literal}" if split else ""), table


_DROPPED_HEADERS = {
    "content-length": (
        "note",
        "Content-Length is left out: the HTTP client computes it from the body it sends",
    ),
    "accept-encoding": (
        "note",
        "Accept-Encoding is left out: the HTTP client asks for the compressions it can decode "
        "(gzip, deflate) and decodes them; a copied value may ask for ones it cannot (br, zstd)",
    ),
    "transfer-encoding": (
        "warning",
        "Transfer-Encoding is left out: the HTTP client frames the body itself",
    ),
    "proxy-authorization": (
        "warning",
        "Proxy-Authorization is left out: it authenticates to a proxy of the network where the "
        "command was written",
    ),
}


def _classify(line: HeaderLine, host: str, found: list[FoundCredential], messages: Messages) -> bool:
    """True when ``line`` is a plain header; credentials go to ``found``, some are dropped."""
    lowered = line.name.lower()
    if lowered in _DROPPED_HEADERS:
        severity, text = _DROPPED_HEADERS[lowered]
        (messages.note if severity == "note" else messages.warn)("header_dropped", line.name, text)
        return False
    if lowered == "authorization":
        found.append(from_authorization(line.value, host, line.origin, line.expansions))
        return False
    if is_key_header(line.name):
        found.append(from_key_header(line.name, line.value, host, line.origin, line.expansions))
        return False
    if lowered == "cookie" and is_session_cookie(line.value):
        found.append(from_cookie(line.value, host, line.origin, line.expansions))
        return False
    return True


def _credential(found: list[FoundCredential], messages: Messages) -> tuple[Auth, list[FoundCredential]]:
    """The config holds one credential: Authorization first, then API-key headers, cookies, query."""

    def rank(item: FoundCredential) -> int:
        if item.where == "the Authorization header":
            return 0
        if item.where == "the Cookie header":
            return 2
        return 3 if isinstance(item.auth, ApiKeyAuth) and item.auth.location == "query" else 1

    ordered = sorted(found, key=rank)
    if not ordered:
        return NoAuth(), []
    for other in ordered[1:]:
        messages.warn(
            "credential_dropped",
            other.credential.origin,
            f"{other.where} holds a credential too ({other.credential.kind}); a lookup config holds "
            f"one credential, so it was left out (the config keeps {ordered[0].credential.kind})",
        )
    chosen = ordered[0]
    if not chosen.credential.has_value:
        messages.note(
            "secret_needed",
            chosen.credential.secret,
            f"the {chosen.credential.kind} has no value in the command: provide it as the environment "
            f"variable {chosen.credential.secret} or store it in the keyring under that name",
        )
    return chosen.auth, [chosen]


#: The longest each curl timeout may be in a lookup config (the Timeouts model's bounds).
_TIMEOUT_LIMITS = {"--max-time": 3600.0, "--connect-timeout": 600.0}


def _timeout(option: str, seconds: float | None, messages: Messages) -> float | None:
    """A curl timeout (finite, not negative: see curl_call) within what a lookup config allows.

    0 is curl's "no limit" for --max-time; a lookup always has one, so it gets the longest
    allowed, as does a value beyond it. --connect-timeout 0 is curl's default: the lookup's own
    default stays. Each case is a warning: the imported request does not wait as curl would.
    """
    if seconds is None:
        return None
    longest = _TIMEOUT_LIMITS[option]
    if seconds == 0 and option == "--connect-timeout":
        default = Timeouts().connect
        message = f"{option} 0 means curl's default; the lookup's connect timeout of {default:g} s is kept"
        messages.warn("timeout", option, message)
        return None
    if seconds == 0:
        message = f"{option} 0 means no limit to curl; a lookup needs one: stored as {longest:g} s"
        messages.warn("timeout", option, message)
        return longest
    if seconds > longest:
        message = f"{option} {seconds:g} is more than a lookup allows; stored as {longest:g} s"
        messages.warn("timeout", option, message)
        return longest
    return seconds


def _timeouts(call: CurlCall, messages: Messages) -> Timeouts:
    defaults = Timeouts()
    total, connect = defaults.total, defaults.connect
    max_time = _timeout("--max-time", call.max_time, messages)
    connect_timeout = _timeout("--connect-timeout", call.connect_timeout, messages)
    if max_time is not None:
        total = max_time
    if connect_timeout is not None:
        connect = connect_timeout
        if max_time is None:
            total = max(total, connect)
    connect = min(connect, total)
    return Timeouts(connect=connect, read=min(defaults.read, total), total=total)


_MAX_REDIRECTS = 30  # the Transport model's bound


def _transport(call: CurlCall, messages: Messages) -> Transport:
    if call.insecure:
        messages.warn(
            "tls_off",
            "-k",
            "-k/--insecure: TLS certificate verification is OFF for this project, as the command asked; "
            "turn it on again in Settings unless the server really has no valid certificate",
        )
    if not call.follow:
        messages.note(
            "redirects",
            "-L",
            "curl without -L stops at a redirect; the imported request follows redirects (the "
            "designer's default, each hop is shown); switch it off in Settings to see the redirect itself",
        )
    redirects = Transport().max_redirects
    if call.max_redirs is not None:
        redirects = min(_MAX_REDIRECTS, call.max_redirs) if call.max_redirs >= 0 else _MAX_REDIRECTS
        if redirects != call.max_redirs:
            asked = "no limit" if call.max_redirs < 0 else str(call.max_redirs)
            messages.warn(
                "max_redirs",
                "--max-redirs",
                f"--max-redirs {call.max_redirs} asks for {asked}; a lookup follows at most "
                f"{_MAX_REDIRECTS} redirects, so {redirects} is stored",
            )
    if call.path_as_is and re.search(r"/\.\.?(/|$)", urlsplit(call.url).path):
        messages.warn(
            "path_as_is",
            "--path-as-is",
            "--path-as-is: the HTTP client removes ./ and ../ segments from the path",
        )
    return Transport(verify_tls=not call.insecure, follow_redirects=True, max_redirects=redirects)


def _content_type(lines: list[HeaderLine]) -> HeaderLine | None:
    return next((line for line in lines if line.name.lower() == "content-type"), None)


def _body(
    call: CurlCall, headers: list[Header], messages: Messages
) -> tuple[NoBody | JsonBody | FormBody | RawBody, list[Header]]:
    """The body and the headers left (a Content-Type the body type renders itself is dropped)."""
    if call.body is None:
        return NoBody(), headers
    line = _content_type(call.headers)
    origin = call.body_origins[-1] if call.body_origins else "-d"
    labelled_by_curl = line is not None and line.origin in call.body_origins
    body = body_from_curl(
        call.body, line.value if line else None, origin, messages, labelled_by_curl=labelled_by_curl
    )
    implied = {"json": "application/json", "form": "application/x-www-form-urlencoded"}.get(body.type)
    if isinstance(body, RawBody) or (line is not None and line.value == implied):
        first = next((h for h in headers if h.name.lower() == "content-type"), None)
        headers = [h for h in headers if h is not first]
    return body, headers


def _check_values(request: Request, messages: Messages) -> None:
    texts = [request.url, *(p.value for p in request.query), *(h.value for h in request.headers)]
    if isinstance(request.body, RawBody):
        texts.append(request.body.text)
    names = {name for text in texts for name in PLACEHOLDER_RE.findall(text) if name in PLACEHOLDERS}
    for name in sorted(names):
        messages.note(
            "placeholder_text",
            "{" + name + "}",
            f"the command already holds {{{name}}}: it will be replaced by the {name.replace('_', ' ')}",
        )


class _ProbeSecrets:
    """Resolves the imported references for a trial rendering; unknown ones get a stand-in."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values

    def resolve(self, ref: SecretRef) -> str:
        if ref.secret in self._values:
            return self._values[ref.secret]
        if not ref.secret:
            raise SecretError("no reference")
        return "probe"


def _probe(request: Request, call: CurlCall, secrets: Mapping[str, str], messages: Messages) -> None:
    """Render the imported request once: what cannot be sent is said now, not at the first test."""
    try:
        rendered = render_request(request, Inputs("", "DKK"), _ProbeSecrets(secrets))
    except DesignerError as error:
        messages.warn("render", "", f"the imported request cannot be sent as it is: {error.message}")
        return
    body = request.body
    if (
        isinstance(body, RawBody)
        and call.body is not None
        and not PLACEHOLDER_RE.search(body.text)
        and rendered.body != call.body.encode("utf-8", "surrogateescape")
    ):
        messages.warn(
            "body_changed",
            call.body_origins[-1] if call.body_origins else "-d",
            "the body cannot be sent byte for byte as curl would send it (its characters do not "
            "fit the charset its Content-Type declares)",
        )


def _clean(text: str, where: str, messages: Messages) -> str:
    """Bytes that are not UTF-8 (from ``$'\\xHH'``) cannot be a URL or header text: replaced, said."""
    if not _NOT_UTF8.search(text):
        return text
    messages.warn(
        "not_utf8",
        where,
        f"{where} holds bytes that are not UTF-8 text (from $'\\x..'); they were replaced by �",
    )
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _request(
    call: CurlCall, messages: Messages
) -> tuple[Request, list[FoundCredential], list[FoundCredential]]:
    """The request, the credential the config keeps, and every credential found."""
    call.url = _clean(call.url, "the URL", messages)
    call.headers = [
        HeaderLine(
            _clean(line.name, "a header name", messages),
            _clean(line.value, f"the header {line.name!r}", messages),
            line.origin,
            line.expansions,
        )
        for line in call.headers
    ]
    try:
        host = urlsplit(call.url).hostname or ""
    except ValueError as error:
        messages.warn("url", call.url, f"the URL {call.url!r} is not valid: {error}")
        host = ""
    scheme = call.url.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        messages.warn("url", call.url, f"the URL uses {scheme}://; a lookup speaks http:// and https:// only")
    found: list[FoundCredential] = []
    headers = [
        Header(name=line.name, value=line.value)
        for line in call.headers
        if _classify(line, host, found, messages)
    ]
    url, query = _url_and_query(call.url, host, found, messages)
    body, headers = _body(call, headers, messages)
    auth, chosen = _credential(found, messages)
    request = Request(
        method=_method(call, messages),
        url=url,
        query=query,
        headers=headers,
        body=body,
        auth=auth,
        timeouts=_timeouts(call, messages),
        transport=_transport(call, messages),
    )
    return request, chosen, found


def import_curl(text: str) -> CurlImport:
    """Import ``text`` (one curl command as pasted); raises CurlImportError if nothing is importable."""
    messages = Messages()
    _check_text(text, messages)
    tokenized = tokenize(text)
    words, stdin = _curl_words(tokenized, messages)
    parsed = parse_args(words)
    for problem in parsed.problems:
        add = messages.note if problem.code == "abbreviation" else messages.warn
        add(problem.code, problem.option, problem.message)
    try:
        call = build_call(parsed.occurrences, messages, stdin)
    except ValueError as error:
        raise CurlImportError(str(error)) from None
    try:
        request, chosen, found = _request(call, messages)
    except ValidationError as error:  # a value a config cannot hold that no check above caught
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise CurlImportError(f"the command cannot be imported: {problems}") from None
    secrets = {c.credential.secret: c.value for c in chosen if c.value is not None}
    _check_values(request, messages)
    _probe(request, call, secrets, messages)
    return CurlImport(
        request=request,
        messages=_safe_messages(messages.items, _command_secrets(parsed.occurrences, call, found)),
        secrets=MappingProxyType(secrets),
        credentials=tuple(c.credential for c in chosen),
        candidates=find_candidates(request),
        dialect=tokenized.dialect,
    )


# -- what the messages may show -------------------------------------------------------------

#: Options whose value is a secret as a whole; for -u and -U (``user:password``) the password.
_SECRET_OPTIONS = frozenset({"pass", "proxy-pass", "tlspassword", "proxy-tlspassword", "oauth2-bearer"})
_USER_OPTIONS = frozenset({"user", "proxy-user"})
_LONG_WORD = re.compile(r"\S{" + str(ELIDE_LIMIT + 1) + ",}")
#: Secrets this short are masked only where they stand alone, or every "ab" in a text would go.
_SHORT_SECRET = 6


def _masked_pair(text: str) -> str:
    """``apikey=abc`` as ``apikey=••••••``: the value of a key-like name is not shown."""
    name, equals, _ = text.partition("=")
    return f"{name}={MASK}" if equals and is_key_param(name) else text


def _command_secrets(
    occurrences: Sequence[Occurrence], call: CurlCall, found: Sequence[FoundCredential]
) -> frozenset[str]:
    """Every credential value in the command: found credentials, password options, URL passwords."""
    values: set[str] = {item.value for item in found if item.value}
    for occ in occurrences:
        if occ.value is None:
            continue
        text, name = occ.value.text, occ.option.name if occ.option is not None else None
        if name in _SECRET_OPTIONS:
            values.add(text)
        elif name in _USER_OPTIONS and ":" in text:
            values.add(text.partition(":")[2])
        values.update(userinfo_secrets(text))  # a URL's, a proxy's (-x http://u:pw@host) password
        values.difference_update(occ.value.expansions)  # ``$TOKEN`` names a variable: it is no value
    for line in call.headers:
        if line.name.lower() in ("authorization", "proxy-authorization"):
            token = line.value.partition(" ")[2] or line.value  # Basic's base64 form too
            if token not in line.expansions:
                values.add(token)
    return frozenset(value for value in values if value.strip())


def _mask_secrets(text: str, secrets: frozenset[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _SHORT_SECRET:
            text = mask_text(text, frozenset({secret}))
        else:
            text = re.sub(rf"(?<![\w]){re.escape(secret)}(?![\w])", MASK, text)
    return text


def _safe_messages(items: Sequence[ImportMessage], secrets: frozenset[str]) -> tuple[ImportMessage, ...]:
    """The messages as they may be shown: no credential, no 100 KB word.

    One pass over every message, wherever it was written, so no new message can forget it: the
    command's credential values and any URL's ``user:password@`` are masked, and a very long
    word (a pasted body, a huge URL) is cut to its start and length.
    """

    def clean(text: str) -> str:
        text = mask_userinfo(_mask_secrets(text, secrets))
        return _LONG_WORD.sub(lambda match: elide(match.group()), text)

    return tuple(ImportMessage(m.code, clean(m.option), clean(m.message), m.severity) for m in items)


# -- from the import to a config ------------------------------------------------------------


def build_config(
    imported: CurlImport,
    choices: Mapping[str, Sequence[Candidate]] | None = None,
    *,
    base: LookupConfig | None = None,
    name: str | None = None,
) -> LookupConfig:
    """A config with the imported request, the chosen values turned into placeholders.

    ``choices`` maps a placeholder name to the candidates that become it; the test inputs get the
    chosen values, so the first test search sends exactly the command's request. ``base`` keeps
    everything but the request and test inputs (the window's current project).
    """
    request = imported.request
    inputs = (base.test_inputs if base is not None else TestInputs()).model_copy()
    for placeholder, candidates in (choices or {}).items():
        for candidate in candidates:
            request = apply_candidate(request, candidate, placeholder)
        if candidates:
            inputs = inputs.model_copy(update={placeholder: candidates[0].value})
    config = base if base is not None else LookupConfig()
    update: dict[str, object] = {"request": request, "test_inputs": inputs}
    if name is not None:
        update["name"] = name
    return config.model_copy(update=update)


def _body_text(request: Request) -> str:
    body = request.body
    if isinstance(body, JsonBody):
        return "JSON template"
    if isinstance(body, FormBody):
        return f"form fields ({', '.join(f.name for f in body.fields) or 'none'})"
    if isinstance(body, RawBody):
        return f"raw text, {len(body.text)} characters ({body.content_type})"
    return "none"


def _auth_text(imported: CurlImport) -> str:
    auth = imported.request.auth
    if isinstance(auth, NoAuth) or not imported.credentials:
        return "none"
    credential = imported.credentials[0]
    return f"{credential.kind} → secret {credential.secret}"


def summary(imported: CurlImport) -> list[tuple[str, str]]:
    """What was understood, as (label, text) rows: the window's feedback, the CLI's report."""
    request = imported.request
    rows = [
        ("Method", request.method),
        ("URL", elide(request.url)),
        ("Query", elide(", ".join(f"{p.name}={p.value}" for p in request.query)) or "none (beyond the URL)"),
        ("Headers", ", ".join(h.name for h in request.headers) or "none"),
        ("Body", _body_text(request)),
        ("Credentials", _auth_text(imported)),
    ]
    if not request.transport.verify_tls:
        rows.append(("TLS", "certificate verification OFF (-k)"))
    return rows
