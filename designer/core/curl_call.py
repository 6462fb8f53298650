"""Stage one of the cURL import: the HTTP request curl itself would send for a command line.

This module knows curl and nothing about lookup configs. It applies curl's own rules, checked
against curl 7.88 on the command line and its source (``tool_getparam.c``, ``tool_operate.c``):

* method: ``-X`` as written wins; else ``-I`` is HEAD, ``-T`` is PUT, any data or ``-F`` is POST
  unless ``-G``, otherwise GET;
* data: ``-d``/``--data-ascii``/``--data-binary`` read a file for ``@name`` (``@-`` is stdin),
  ``--data-raw`` never does; pieces are joined with ``&``, except that a ``--json`` piece is
  appended without one; ``--data-urlencode`` encodes ``content``, ``=content`` and
  ``name=content`` (the first ``=`` or ``@`` decides; ``name@file`` reads a file) with
  ``curl_easy_escape`` and then writes spaces as ``+``;
* ``-G`` appends the data to the URL's query (``?`` or ``&``, none after a trailing ``&``);
  when it does, curl drops ``--url-query`` (``httpgetfields ? httpgetfields : config->query``);
* headers: ``Name: value`` (value without surrounding blanks), ``Name;`` sends an empty value,
  ``Name:`` removes curl's own header of that name, a custom header replaces curl's own;
* credentials: ``--oauth2-bearer`` wins over ``-u``; ``-u`` is Basic unless ``--digest``,
  ``--ntlm``... ask for a challenge first; user info in the URL counts when ``-u`` is absent;
* ``-b name=value`` is a Cookie header (pieces joined with ``;``), ``-b file`` reads a jar;
  ``-A`` User-Agent, ``-e`` Referer (``;auto`` removed), ``-r`` Range, ``--json`` the JSON
  Content-Type and Accept;
* a URL without scheme gets ``http://`` (or ``--proto-default``); the fragment is never sent.

What cannot be followed is reported in :class:`~designer.core.curl_messages.Messages`.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from designer.core.curl_args import Occurrence
from designer.core.curl_credentials import is_key_header
from designer.core.curl_messages import Messages
from designer.core.curl_tokenize import Word
from designer.core.errors import elide
from designer.core.model_types import MASK

__all__ = ["CurlCall", "HeaderLine", "build_call", "describe_expansion"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@]*)@")
_IPV6_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?\[[0-9A-Fa-f:.]+\]")
_CHALLENGE_SCHEMES = {"digest": "Digest", "ntlm": "NTLM", "ntlm-wb": "NTLM", "negotiate": "Negotiate"}


@dataclass(frozen=True)
class HeaderLine:
    """One header curl would send; ``origin`` is the option that produced it, as written."""

    name: str
    value: str
    origin: str
    expansions: tuple[str, ...] = ()


@dataclass
class CurlCall:
    """The request curl would send (first URL only). ``body`` None means no request body."""

    method: str = "GET"
    method_origin: str = ""
    url: str = ""
    url_expansions: tuple[str, ...] = ()
    headers: list[HeaderLine] = field(default_factory=list)
    body: str | None = None
    body_origins: tuple[str, ...] = ()
    body_expansions: tuple[str, ...] = ()
    json_option: bool = False
    insecure: bool = False
    follow: bool = False
    max_redirs: int | None = None
    max_time: float | None = None
    connect_timeout: float | None = None
    path_as_is: bool = False


@dataclass
class _State:
    """Everything read from the options so far, in curl's terms."""

    messages: Messages
    stdin_source: str | None = None
    urls: list[Word] = field(default_factory=list)
    method: Word | None = None
    method_written: str = ""
    head: bool = False
    get: bool = False
    upload: bool = False
    form: bool = False
    headers: list[HeaderLine] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    has_data: bool = False
    data: str | None = None
    data_origins: list[str] = field(default_factory=list)
    data_expansions: list[str] = field(default_factory=list)
    json: bool = False
    url_query: list[str] = field(default_factory=list)
    url_query_written: str = ""
    user: Word | None = None
    user_written: str = ""
    bearer: Word | None = None
    bearer_written: str = ""
    auth: str | None = "basic"
    auth_written: str = ""
    user_agent: Word | None = None
    referer: Word | None = None
    cookies: list[Word] = field(default_factory=list)
    range: str | None = None
    insecure: bool = False
    follow: bool = False
    max_redirs: int | None = None
    max_time: float | None = None
    connect_timeout: float | None = None
    globoff: bool = False
    path_as_is: bool = False
    proto_default: str | None = None
    ignored: list[str] = field(default_factory=list)


def describe_expansion(expansion: str) -> str:
    """What the shell would have put in place of ``expansion``, in words."""
    if expansion.startswith(("$(", "`")):
        return "the output of a command"
    name = expansion.strip("${}%")
    name = re.split(r"[:#%/^,@\[]", name, maxsplit=1)[0] or name
    return f"the value of the environment variable {name}"


def _expansions(state: _State, written: str, word: Word) -> None:
    for expansion in word.expansions:
        code = "command_substitution" if expansion.startswith(("$(", "`")) else "env_var"
        state.messages.warn(
            code,
            expansion,
            f"{written} holds {expansion}: the shell would replace it with "
            f"{describe_expansion(expansion)}; the text was kept as written",
        )


def _file_warning(state: _State, written: str, name: str, what: str) -> None:
    if name == "-":
        source = f" (redirected from {state.stdin_source})" if state.stdin_source else ""
        state.messages.warn(
            "reads_stdin",
            written,
            f"{written} @-: curl would read the {what} from standard input{source}; "
            f"it is not in the imported request",
        )
    else:
        state.messages.warn(
            "reads_file",
            written,
            f"{written} @{name}: curl would read the {what} from the file {name!r}; the file is "
            "not read, so its content is not in the imported request",
        )


# -- data -----------------------------------------------------------------------------------


def urlencode(content: str) -> str:
    """curl's ``--data-urlencode`` encoding: ``curl_easy_escape``, then ``%20`` written as ``+``."""
    return quote(content.encode("utf-8", "surrogateescape"), safe="-._~").replace("%20", "+")


def _urlencoded_piece(state: _State, written: str, text: str, what: str) -> str | None:
    cuts = [i for i in (text.find("="), text.find("@")) if i >= 0]
    if not cuts:
        return urlencode(text)
    cut = min(cuts)
    name, separator, content = text[:cut], text[cut], text[cut + 1 :]
    if separator == "@":
        _file_warning(state, written, content, what)
        return None
    return f"{name}={urlencode(content)}" if name else urlencode(content)


def _on_data(state: _State, occ: Occurrence) -> None:
    assert occ.option is not None and occ.value is not None
    name, text = occ.option.name, occ.value.text
    state.has_data = True
    state.data_origins.append(occ.written)
    state.data_expansions.extend(occ.value.expansions)
    _expansions(state, occ.written, occ.value)
    if name == "json":
        state.json = True
    piece: str | None
    if name == "data-urlencode":
        piece = _urlencoded_piece(state, occ.written, text, "data")
    elif name != "data-raw" and text.startswith("@"):
        _file_warning(state, occ.written, text[1:], "data")
        piece = None
    else:
        piece = text
    if piece is None:
        return
    separator = "" if name == "json" or state.data is None else "&"
    state.data = (state.data or "") + separator + piece


def _on_url_query(state: _State, occ: Occurrence) -> None:
    assert occ.value is not None
    _expansions(state, occ.written, occ.value)
    state.url_query_written = occ.written
    text = occ.value.text
    piece = text[1:] if text.startswith("+") else _urlencoded_piece(state, occ.written, text, "query")
    if piece is not None:
        state.url_query.append(piece)


# -- headers --------------------------------------------------------------------------------


def _on_header(state: _State, occ: Occurrence) -> None:
    assert occ.value is not None
    text = occ.value.text
    if text.startswith("@"):
        _file_warning(state, occ.written, text[1:], "headers")
        return
    _expansions(state, occ.written, occ.value)
    name, colon, value = text.partition(":")
    name = name.strip()
    if not colon:
        if text.rstrip().endswith(";"):
            state.headers.append(
                HeaderLine(text.rstrip()[:-1].strip(), "", occ.written, occ.value.expansions)
            )
        else:
            words = text.split(None, 1)
            credential = bool(words) and (
                words[0].lower() in ("authorization", "proxy-authorization", "cookie")
                or is_key_header(words[0])
            )
            shown = f"{words[0]} {MASK}" if credential and len(words) > 1 else text  # a token, mistyped
            state.messages.warn(
                "header",
                occ.written,
                f"{occ.written} {shown!r}: a header is written 'Name: value' (or 'Name;' for an empty "
                "value); curl does not send this one, so neither does the import",
            )
        return
    value = value.strip(" \t")
    if not value:
        state.removed.add(name.lower())
        return
    state.headers.append(HeaderLine(name, value, occ.written, occ.value.expansions))


def _on_cookie(state: _State, occ: Occurrence) -> None:
    assert occ.value is not None
    if "=" in occ.value.text:
        _expansions(state, occ.written, occ.value)
        state.cookies.append(occ.value)
    else:
        state.messages.warn(
            "cookie_jar",
            occ.written,
            f"{occ.written} {occ.value.text}: curl would read cookies from this file (a cookie jar); "
            "the file is not read, so no cookies from it are sent",
        )


# -- method, URL, credentials ---------------------------------------------------------------


def _on_request(state: _State, occ: Occurrence) -> None:
    state.method = occ.value
    state.method_written = occ.written


def _on_url(state: _State, occ: Occurrence) -> None:
    word = occ.value
    assert word is not None
    state.urls.append(word)


def _on_user(state: _State, occ: Occurrence) -> None:
    state.user = occ.value
    state.user_written = occ.written


def _on_bearer(state: _State, occ: Occurrence) -> None:
    state.bearer = occ.value
    state.bearer_written = occ.written


def _on_auth_scheme(state: _State, occ: Occurrence) -> None:
    assert occ.option is not None
    name = occ.option.name
    if occ.negated:
        if state.auth == name:
            state.auth = None
    else:
        state.auth = name
    state.auth_written = occ.written


def _seconds(state: _State, occ: Occurrence) -> float | None:
    """A timeout as curl reads it: a number of seconds, zero or more; else a warning and None.

    ``float()`` also reads ``nan``, ``inf`` and ``1e999``; none of them is a time a request can
    be given, so they are refused here like ``abc`` (curl itself refuses negative values).
    """
    assert occ.value is not None
    text = occ.value.text
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value):
        problem = "is not a number of seconds"
    elif value < 0:
        problem = "is negative; curl refuses it"
    else:
        return value
    state.messages.warn("option_value", occ.written, f"{occ.written} {elide(text)!r} {problem} (ignored)")
    return None


def _on_timeout(state: _State, occ: Occurrence) -> None:
    assert occ.option is not None
    value = _seconds(state, occ)
    if value is None:
        return  # an earlier valid value stays, as the option was not understood
    if occ.option.name == "max-time":
        state.max_time = value
    else:
        state.connect_timeout = value


def _on_max_redirs(state: _State, occ: Occurrence) -> None:
    """A whole number; -1 is curl's "no limit". Anything else is a warning, the option ignored."""
    assert occ.value is not None
    text = occ.value.text.strip()
    if re.fullmatch(r"[+-]?\d{1,9}", text) and int(text) >= -1:
        state.max_redirs = int(text)
        return
    state.messages.warn(
        "option_value",
        occ.written,
        f"{occ.written} {elide(occ.value.text)!r} is not a number of redirects (a whole number, "
        "-1 for no limit) (ignored)",
    )


def _on_flag(state: _State, occ: Occurrence) -> None:
    assert occ.option is not None
    on = not occ.negated
    name = occ.option.name
    if name == "get":
        state.get = on
    elif name == "head":
        state.head = on
    elif name == "insecure":
        state.insecure = on
    elif name in ("location", "location-trusted", "follow"):
        state.follow = on
        if name == "location-trusted" and on:
            state.messages.warn(
                "location_trusted",
                occ.written,
                f"{occ.written}: curl would send the credentials to every host a redirect leads to; "
                "the designer never sends them to another host",
            )
    elif name == "globoff":
        state.globoff = on
    elif name == "path-as-is":
        state.path_as_is = on
    elif name == "compressed":
        state.ignored.append(occ.written)


def _on_value_header(state: _State, occ: Occurrence) -> None:
    assert occ.option is not None and occ.value is not None
    _expansions(state, occ.written, occ.value)
    name = occ.option.name
    if name == "user-agent":
        state.user_agent = occ.value
    elif name == "referer":
        state.referer = occ.value
    elif name == "range":
        text = occ.value.text
        state.range = f"bytes={text}-" if text.isdigit() else f"bytes={text}"


def _on_form(state: _State, occ: Occurrence) -> None:
    state.form = True
    state.messages.warn(
        "multipart",
        occ.written,
        f"{occ.written}: multipart form data (-F) cannot be expressed in a lookup config (JSON, form "
        "fields or raw text only); the part is not in the imported request",
    )


def _on_upload(state: _State, occ: Occurrence) -> None:
    assert occ.value is not None
    state.upload = True
    state.messages.warn(
        "upload",
        occ.written,
        f"{occ.written} {occ.value.text}: curl would upload this file with PUT; the file is not read, "
        "so the imported request has no body",
    )


def _on_proto_default(state: _State, occ: Occurrence) -> None:
    assert occ.value is not None
    state.proto_default = occ.value.text


def _on_post30x(state: _State, occ: Occurrence) -> None:
    state.ignored.append(occ.written)


_HANDLERS: dict[str, Callable[[_State, Occurrence], None]] = {
    **dict.fromkeys(("data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "json"), _on_data),
    "url-query": _on_url_query,
    "header": _on_header,
    "cookie": _on_cookie,
    "request": _on_request,
    "url": _on_url,
    "user": _on_user,
    "oauth2-bearer": _on_bearer,
    **dict.fromkeys(("basic", "digest", "ntlm", "ntlm-wb", "negotiate", "anyauth"), _on_auth_scheme),
    "max-time": _on_timeout,
    "connect-timeout": _on_timeout,
    "max-redirs": _on_max_redirs,
    **dict.fromkeys(
        ("get", "head", "insecure", "location", "location-trusted", "follow", "globoff", "path-as-is"),
        _on_flag,
    ),
    "compressed": _on_flag,
    **dict.fromkeys(("user-agent", "referer", "range"), _on_value_header),
    "form": _on_form,
    "form-string": _on_form,
    "form-escape": _on_post30x,
    "upload-file": _on_upload,
    "proto-default": _on_proto_default,
    **dict.fromkeys(("post301", "post302", "post303"), _on_post30x),
}

_KIND_MESSAGES = {
    "proxy": "{opt}: the proxy is not imported: it belongs to the network where the command was "
    "written; set a proxy in the project's transport settings if this computer needs one",
    "client_cert": "{opt}: a TLS client certificate cannot be stored in a lookup config; the "
    "request is sent without one",
    "tls_trust": "{opt}: the CA file is on the computer where the command was written and is not "
    "imported; set the project's CA bundle if the server's certificate needs it",
    "routing": "{opt}: curl would connect through another address, socket or interface; the "
    "imported request connects to the URL's host",
    "cookie_jar": "{opt}: curl would keep cookies in a file (a cookie jar); a lookup keeps no "
    "cookies between requests",
    "config_file": "{opt}: curl would read more options or credentials from a file; it is not "
    "read (add credentials in the Credentials tab)",
    "unsupported": "{opt}: this has no equivalent in a lookup config and was ignored",
}


def _other_option(state: _State, occ: Occurrence) -> None:
    """Options the importer does not read: warn for those that change the request."""
    assert occ.option is not None
    shown = occ.written + (f" {occ.value.text}" if occ.value is not None else "")
    kind = occ.option.kind
    if kind in ("output", "connection", "not_http"):
        state.ignored.append(shown)
        return
    state.messages.warn(kind, occ.written, _KIND_MESSAGES[kind].format(opt=shown))


# -- putting it together --------------------------------------------------------------------


def _method(state: _State) -> tuple[str, str]:
    if state.method is not None:
        return state.method.text, state.method_written
    if state.head:
        if state.has_data and not state.get:
            state.messages.warn(
                "curl_error",
                "-I",
                "-I (HEAD) together with data: curl refuses to run this command ('only one HTTP "
                "request method'); the import uses HEAD without a body",
            )
        return "HEAD", "-I"
    if state.upload:
        return "PUT", "-T"
    if state.form or (state.has_data and not state.get):
        return "POST", ""
    return "GET", ""


def _append_query(url: str, query: str) -> str:
    _, mark, existing = url.partition("?")
    if not mark:
        return f"{url}?{query}"
    if not existing or existing.endswith("&"):
        return f"{url}{query}"
    return f"{url}&{query}"


def _url(state: _State) -> tuple[str, Word]:
    first = state.urls[0]
    if len(state.urls) > 1:
        others = ", ".join(w.text for w in state.urls[1:4]) + (", …" if len(state.urls) > 4 else "")
        state.messages.warn(
            "several_urls",
            state.urls[1].text,
            f"the command holds {len(state.urls)} URLs; curl would request each in turn. Only the "
            f"first, {first.text}, was imported (not {others})",
        )
    _expansions(state, "the URL", first)
    text = first.text.strip()
    if not _SCHEME.match(text):
        scheme = (state.proto_default or "http").lower()
        state.messages.note(
            "scheme_added",
            text,
            f"the URL {text} has no scheme; curl uses {scheme}://, and so does the import",
        )
        text = f"{scheme}://{text}"
    text, hash_mark, fragment = text.partition("#")
    if hash_mark:
        state.messages.note(
            "fragment", f"#{fragment}", f"the fragment #{fragment} is never sent (curl drops it)"
        )
    if not state.globoff and re.search(r"[{}\[\]]", _IPV6_HOST.sub("", text)):
        state.messages.warn(
            "url_glob",
            "the URL",
            "the URL holds {…} or […]: curl expands these into several URLs (URL globbing) unless "
            "-g/--globoff is given; the URL was imported as written",
        )
    if state.get and state.has_data:
        if state.url_query:
            state.messages.warn(
                "url_query_dropped",
                state.url_query_written,
                f"{state.url_query_written}: curl ignores --url-query when -G moves the data into the "
                "query, so the import does too",
            )
        if state.data is not None:
            text = _append_query(text, state.data)
    elif state.url_query:
        text = _append_query(text, "&".join(state.url_query))
    return text, first


def _url_user(state: _State, url: str) -> tuple[str, str | None]:
    """Take ``user:password@`` out of the URL; curl sends it as Basic auth when ``-u`` is absent."""
    match = _USERINFO.match(url)
    if not match:
        return url, None
    stripped = match.group(1) + url[match.end() :]
    return stripped, match.group(2)


def _basic(userinfo: str) -> str:
    return "Basic " + base64.b64encode(userinfo.encode("utf-8", "surrogateescape")).decode("ascii")


def _auth_header(state: _State, url_user: str | None) -> HeaderLine | None:
    if state.bearer is not None:
        if state.user is not None:
            state.messages.note(
                "auth_ignored",
                state.user_written,
                f"{state.user_written}: curl sends the --oauth2-bearer token instead of these credentials",
            )
        _expansions(state, state.bearer_written, state.bearer)
        return HeaderLine(
            "Authorization", f"Bearer {state.bearer.text}", state.bearer_written, state.bearer.expansions
        )
    if state.user is None and url_user is None:
        return None
    written = state.user_written or "the URL"
    if state.user is not None:
        _expansions(state, written, state.user)
        userinfo, expansions = state.user.text, state.user.expansions
    else:
        assert url_user is not None
        userinfo, expansions = unquote(url_user, errors="surrogateescape"), ()
    scheme = state.auth
    if scheme in _CHALLENGE_SCHEMES:
        state.messages.warn(
            "auth_scheme",
            state.auth_written,
            f"{state.auth_written}: curl would answer the server's {_CHALLENGE_SCHEMES[scheme]} "
            f"challenge with the {written} credentials; a lookup config knows Basic, Bearer and API "
            "keys only, so they were not imported",
        )
        return None
    if scheme is None:
        state.messages.warn(
            "auth_scheme", state.auth_written, f"{state.auth_written}: no auth scheme is left for {written}"
        )
        return None
    if scheme == "anyauth":
        state.messages.warn(
            "auth_scheme",
            state.auth_written,
            f"{state.auth_written}: curl would pick the scheme the server asks for; the import uses "
            "Basic, the usual answer",
        )
    if ":" not in userinfo:
        state.messages.warn(
            "no_password",
            written,
            f"{written} {userinfo}: no password given, curl would ask for it; provide it as the "
            "credential's secret",
        )
        userinfo += ":"
    return HeaderLine("Authorization", _basic(userinfo), written, expansions)


def _internal_headers(state: _State, url_user: str | None) -> list[HeaderLine]:
    """curl's own headers that carry meaning, unless a custom header replaced or removed them."""
    lines: list[HeaderLine] = []
    auth = _auth_header(state, url_user)
    if auth is not None:
        lines.append(auth)
    if state.range:
        lines.append(HeaderLine("Range", state.range, "-r"))
    if state.user_agent is not None:
        if state.user_agent.text:
            lines.append(HeaderLine("User-Agent", state.user_agent.text, "-A", state.user_agent.expansions))
        else:
            state.removed.add("user-agent")
    if state.referer is not None:
        referer = state.referer.text.removesuffix(";auto")
        lines.append(HeaderLine("Referer", referer, "-e", state.referer.expansions))
    if state.cookies:
        value = ";".join(word.text for word in state.cookies)
        expansions = tuple(e for word in state.cookies for e in word.expansions)
        lines.append(HeaderLine("Cookie", value, "-b", expansions))
    if state.has_data and not state.get:
        kind = "application/json" if state.json else "application/x-www-form-urlencoded"
        lines.append(HeaderLine("Content-Type", kind, state.data_origins[-1]))
    if state.json:
        lines.append(HeaderLine("Accept", "application/json", "--json"))
    custom = {line.name.lower() for line in state.headers}
    return [
        line for line in lines if line.name.lower() not in custom and line.name.lower() not in state.removed
    ]


def build_call(
    occurrences: list[Occurrence], messages: Messages, stdin_source: str | None = None
) -> CurlCall:
    """Apply curl's rules to the options; ``messages`` receives every warning.

    Raises ValueError when there is no URL (nothing to import).
    """
    state = _State(messages, stdin_source=stdin_source)
    for occ in occurrences:
        if occ.option is None:
            assert occ.value is not None
            state.urls.append(occ.value)
            continue
        if occ.option.name == "next":
            messages.warn(
                "next",
                occ.written,
                f"{occ.written}: curl would go on with another request with its own options; only the "
                "request before it was imported",
            )
            break
        handler = _HANDLERS.get(occ.option.name, _other_option)
        handler(state, occ)
    if not state.urls:
        raise ValueError("the command has no URL")
    method, method_origin = _method(state)
    url, url_word = _url(state)
    url, url_user = _url_user(state, url)
    if url_user is not None and state.user is not None:
        messages.note("auth_ignored", "the URL", "curl sends the -u credentials, not the ones in the URL")
    headers = _internal_headers(state, url_user) + state.headers
    if state.ignored:
        messages.note(
            "ignored_options",
            state.ignored[0],
            "ignored, they change only curl's output or how it connects, not what is sent: "
            + ", ".join(state.ignored),
        )
    return CurlCall(
        method=method,
        method_origin=method_origin,
        url=url,
        url_expansions=url_word.expansions,
        headers=headers,
        # Data from a file that was not read still makes a (then empty) body, as the method says.
        body=(state.data or "") if state.has_data and not state.get else None,
        body_origins=tuple(state.data_origins),
        body_expansions=tuple(state.data_expansions),
        json_option=state.json,
        insecure=state.insecure,
        follow=state.follow,
        max_redirs=state.max_redirs,
        max_time=state.max_time,
        connect_timeout=state.connect_timeout,
        path_as_is=state.path_as_is,
    )
