"""Splitting a pasted cURL command into words the way the shell that would run it does.

Two dialects are read:

* **bash / POSIX sh** (Linux and macOS terminals, browsers' "Copy as cURL (bash)"): the word rules of
  ``shlex`` in POSIX mode (whitespace, ``'…'``, ``"…"``, backslash, ``#`` comments) with the parts
  ``shlex`` lacks or gets wrong for pasted commands: ``$'…'`` ANSI-C strings (Chrome writes them),
  ``$"…"``, backslash-newline continuations inside and outside double quotes (bash removes them,
  ``shlex`` keeps them), and bash's rule that inside double quotes a backslash only escapes
  ``$ ` " \\`` and newline. Expansions (``$TOKEN``, ``${X}``, ``$(cmd)``, backticks) are *not*
  performed: the text is kept literally and each word records which expansions it held, so the
  importer can name them instead of guessing a value.
* **Windows cmd** (``^`` continuations, browsers' "Copy as cURL (cmd)" with ``^"`` quoting): cmd.exe's
  caret pass first, then the Microsoft C runtime's argument splitting (``"``, ``\\"``, ``""``).

Operators (``|``, ``;``, ``&&``, ``&``, ``<``, ``>``) end a command or start a redirection; they are
reported, never taken as part of a word. The tokenizer never raises: an unterminated quote is a
problem noted on the result, and the text up to the end is taken as the quoted part.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

__all__ = ["Dialect", "Tokenized", "Word", "decode_ansi_c", "detect_dialect", "tokenize"]

Dialect = Literal["bash", "cmd"]

_NAME_START = re.compile(r"[A-Za-z_]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPECIAL_PARAM = re.compile(r"[0-9@*#?$!-]")
_CMD_VAR = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)%")
_BASH_CONTINUATION = re.compile(r"\\[ \t]*$", re.MULTILINE)
_OPERATOR = re.compile(r"&&|\|\||;;|\|&|[;&|()]|<<<|<<-?|<>|>>|>\||[<>]&?")
_TRAILING_SPACE_CONTINUATION = re.compile(r"\\([ \t]+)\n")


@dataclass(frozen=True)
class Word:
    """One shell word after quote removal.

    ``expansions`` lists the expansions the shell would have performed (``$TOKEN``, ``${X}``,
    ``$(cmd)``, ``` `cmd` ```, ``%VAR%``) whose text is kept literally in ``text``.
    ``redirect`` is the operator (``<``, ``>``, ``2>``…) when this word is a redirection target.
    """

    text: str
    expansions: tuple[str, ...] = ()
    redirect: str | None = None


@dataclass(frozen=True)
class Tokenized:
    """Commands (lists of words) in order; ``operators`` and ``problems`` as found.

    ``enders[i]`` is the operator that ended ``commands[i]`` (``&``, ``|``, ``;``, ``&&``...), or
    ``""`` when a line end or the end of the text did: an unquoted ``&`` in a URL shows up here.
    """

    commands: tuple[tuple[Word, ...], ...]
    dialect: Dialect = "bash"
    operators: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    enders: tuple[str, ...] = ()


@dataclass
class _Builder:
    """Collects characters of the current word and finished words and commands."""

    commands: list[list[Word]] = field(default_factory=lambda: [[]])
    operators: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    enders: list[str] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    in_word: bool = False
    redirect: str | None = None

    def add(self, text: str) -> None:
        self.chars.append(text)
        self.in_word = True

    def finish_word(self) -> None:
        if self.in_word:
            word = Word("".join(self.chars), tuple(self.expansions), self.redirect)
            self.commands[-1].append(word)
            self.redirect = None
        self.chars.clear()
        self.expansions.clear()
        self.in_word = False

    def finish_command(self, operator: str | None) -> None:
        self.finish_word()
        if self.redirect is not None:
            self.problems.append(f"the redirection {self.redirect!r} has no target")
            self.redirect = None
        if operator is not None:
            self.operators.append(operator)
        if self.commands[-1]:
            self.enders.append(operator or "")
            self.commands.append([])

    def result(self, dialect: Dialect) -> Tokenized:
        self.finish_command(None)
        commands = tuple(tuple(c) for c in self.commands if c)
        return Tokenized(commands, dialect, tuple(self.operators), tuple(self.problems), tuple(self.enders))


def _cmd_hint_outside_quotes(text: str) -> bool:
    """A cmd caret (``^`` ending a line, or ``^"`` starting a word) outside bash's quotes.

    Scanning with bash's quoting keeps a caret inside a bash string (``-d '^"x'``, a regular
    expression) from being taken for cmd syntax.
    """
    quote = ""
    i = 0
    while i < len(text):
        char = text[i]
        if quote == "'":
            quote = "" if char == "'" else quote
        elif char == "\\":
            i += 1
        elif quote == '"':
            quote = "" if char == '"' else quote
        elif char in "'\"":
            quote = char
        elif char == "^":
            rest = text[i + 1 :]
            if rest.lstrip(" \t").startswith("\n") or not rest.strip(" \t"):
                return True
            if rest.startswith('"') and (i == 0 or text[i - 1] in " \t\n"):
                return True
        i += 1
    return False


def detect_dialect(text: str) -> Dialect:
    """cmd when a line ends in a caret continuation or a word starts with ``^"``; bash otherwise.

    A backslash at the end of a line is bash's continuation and wins; carets inside bash quotes
    do not count.
    """
    if _BASH_CONTINUATION.search(text):
        return "bash"
    return "cmd" if _cmd_hint_outside_quotes(text) else "bash"


def tokenize(text: str, dialect: Dialect | None = None) -> Tokenized:
    """Split ``text`` into commands of words; never raises."""
    chosen = dialect or detect_dialect(text)
    text = text.replace("\r\n", "\n")
    # No shell can pass a NUL in an argument (argv entries are C strings), and the cmd pass
    # uses NUL as its own marker: drop them here, once, and say so.
    nul_problem: tuple[str, ...] = ()
    if "\x00" in text:
        text = text.replace("\x00", "")
        nul_problem = ("the command held NUL characters, which no shell passes on; they were removed",)
    tokenized = _tokenize_cmd(text) if chosen == "cmd" else _tokenize_bash(text)
    if nul_problem:
        tokenized = replace(tokenized, problems=nul_problem + tokenized.problems)
    return tokenized


# -- bash -----------------------------------------------------------------------------------

_ANSI_SIMPLE = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


def decode_ansi_c(body: str) -> tuple[str, bool]:
    """The value of a ``$'…'`` string's body; the flag is False if bytes were not valid UTF-8.

    ``\\xHH`` and octal escapes are bytes (bash builds a byte string), ``\\u``/``\\U`` are code
    points written as UTF-8; the bytes are decoded as UTF-8 at the end. Bytes that are not UTF-8
    are kept as lone surrogates (``surrogateescape``), so ``text.encode("utf-8",
    "surrogateescape")`` gives back exactly the bytes curl would send (a Latin-1 body, say).
    """
    out = bytearray()
    i = 0
    n = len(body)
    while i < n:
        char = body[i]
        if char != "\\" or i + 1 >= n:
            out += char.encode("utf-8", "surrogatepass")
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ANSI_SIMPLE:
            out += _ANSI_SIMPLE[nxt].encode()
            i += 2
        elif nxt in "01234567":
            digits = re.match(r"[0-7]{1,3}", body[i + 1 :])
            assert digits is not None
            out.append(int(digits.group(), 8) & 0xFF)
            i += 1 + len(digits.group())
        elif nxt in "xuU":
            limit = {"x": 2, "u": 4, "U": 8}[nxt]
            digits = re.match(rf"[0-9A-Fa-f]{{1,{limit}}}", body[i + 2 :])
            if digits is None:  # bash keeps "\x" without digits as written
                out += ("\\" + nxt).encode()
                i += 2
                continue
            value = int(digits.group(), 16)
            if nxt == "x":
                out.append(value)
            else:
                out += (chr(value) if value <= 0x10FFFF else "\ufffd").encode("utf-8", "surrogatepass")
            i += 2 + len(digits.group())
        elif nxt == "c" and i + 2 < n:
            out.append(ord(body[i + 2].upper()) & 0x1F if body[i + 2].isascii() else 0x3F)
            i += 3
        else:
            out += ("\\" + nxt).encode("utf-8", "surrogatepass")
            i += 2
    try:
        return out.decode("utf-8"), True
    except UnicodeDecodeError:
        return out.decode("utf-8", "surrogateescape"), False


def _closing(text: str, start: int, opener: str, closer: str) -> int:
    """Index just after the ``closer`` matching an ``opener`` before ``start`` (or len(text))."""
    depth = 1
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char in "'\"" and opener == "(":
            end = text.find(char, i + 1)
            i = len(text) if end < 0 else end + 1
            continue
        if char == closer and opener != closer:
            depth -= 1
            if depth == 0:
                return i + 1
        elif char == opener:
            if opener == closer:
                return i + 1
            depth += 1
        i += 1
    return len(text)


def _dollar(text: str, i: int, out: _Builder) -> int:
    """Handle ``$`` at ``i`` (outside single quotes): record an expansion, keep its text."""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if nxt == "{":
        end = _closing(text, i + 2, "{", "}")
    elif nxt == "(":
        end = _closing(text, i + 2, "(", ")")
    elif nxt and _NAME_START.match(nxt):
        match = _NAME.match(text, i + 1)
        assert match is not None
        end = match.end()
    elif nxt and _SPECIAL_PARAM.match(nxt):
        end = i + 2
    else:
        out.add("$")
        return i + 1
    expansion = text[i:end]
    out.add(expansion)
    out.expansions.append(expansion)
    return end


def _backtick(text: str, i: int, out: _Builder) -> int:
    end = _closing(text, i + 1, "`", "`")
    out.add(text[i:end])
    out.expansions.append(text[i:end])
    return end


def _double_quoted(text: str, i: int, out: _Builder) -> int:
    """From just after an opening ``"``; returns the index after the closing one."""
    out.in_word = True
    n = len(text)
    while i < n:
        char = text[i]
        if char == '"':
            return i + 1
        if char == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt == "\n":
                i += 2
            elif nxt in '$`"\\':
                out.add(nxt)
                i += 2
            else:
                out.add("\\")
                i += 1
        elif char == "$":
            i = _dollar(text, i, out)
        elif char == "`":
            i = _backtick(text, i, out)
        else:
            out.add(char)
            i += 1
    out.problems.append('a double quote (") is never closed; the text up to the end was taken')
    return n


def _single_quoted(text: str, i: int, out: _Builder, ansi: bool) -> int:
    """From just after an opening ``'`` (or ``$'``); returns the index after the closing one."""
    out.in_word = True
    n = len(text)
    if not ansi:
        end = text.find("'", i)
        if end < 0:
            out.problems.append("a single quote (') is never closed; the text up to the end was taken")
            out.add(text[i:])
            return n
        out.add(text[i:end])
        return end + 1
    j = i
    while j < n and text[j] != "'":
        j += 2 if text[j] == "\\" else 1
    closed = j < n
    # Bytes that are not UTF-8 are kept (surrogateescape); where they land decides what they mean.
    value, _ = decode_ansi_c(text[i : min(j, n)])
    out.add(value)
    if not closed:
        out.problems.append("a $'…' string is never closed; the text up to the end was taken")
        return n
    return j + 1


def _operator(text: str, i: int, out: _Builder) -> int:
    """An operator at ``i`` outside quotes: command separator or redirection."""
    match = _OPERATOR.match(text, i)
    assert match is not None
    op = match.group()
    if op[0] in "<>":
        fd = ""
        if out.in_word and out.chars and "".join(out.chars).isdigit() and not out.expansions:
            fd = "".join(out.chars)
            out.chars.clear()
            out.in_word = False
        out.finish_word()
        out.redirect = fd + op
        out.operators.append(fd + op)
    else:
        out.finish_command(op)
    return match.end()


def _comment(text: str, i: int, out: _Builder) -> int:
    """``#`` at the start of a word: skip to the end of the line (the newline ends the command)."""
    if out.in_word:
        out.add("#")
        return i + 1
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _backslash(text: str, i: int, out: _Builder) -> int:
    """An unquoted backslash: a line continuation, or the next character taken literally.

    A backslash followed only by spaces before the line end is a common paste accident; bash
    would end the command there, which is never what was meant, so it is read as a continuation
    and noted.
    """
    trailing = _TRAILING_SPACE_CONTINUATION.match(text, i)
    if trailing:
        line = text.count("\n", 0, i) + 1
        out.problems.append(
            f"line {line} ends with a backslash followed by spaces; bash would end the command there, "
            "it was read as a line continuation"
        )
        return trailing.end()
    if text.startswith("\\\n", i):
        return i + 2
    if i + 1 < len(text):
        out.add(text[i + 1])
        return i + 2
    out.add("\\")
    return i + 1


def _dollar_or_quote(text: str, i: int, out: _Builder) -> int:
    if text.startswith("$'", i):
        return _single_quoted(text, i + 2, out, ansi=True)
    if text.startswith('$"', i):
        return _double_quoted(text, i + 2, out)
    return _dollar(text, i, out)


def _blank(text: str, i: int, out: _Builder) -> int:
    out.finish_word()
    return i + 1


def _newline(text: str, i: int, out: _Builder) -> int:
    out.finish_command(None)
    return i + 1


_BashStep = Callable[[str, int, _Builder], int]
#: What an unquoted character starts; every other character is part of the current word.
_BASH_STEPS: dict[str, _BashStep] = {
    " ": _blank,
    "\t": _blank,
    "\n": _newline,
    "#": _comment,
    "\\": _backslash,
    "'": lambda text, i, out: _single_quoted(text, i + 1, out, ansi=False),
    '"': lambda text, i, out: _double_quoted(text, i + 1, out),
    "$": _dollar_or_quote,
    "`": _backtick,
    **dict.fromkeys(";&|()<>", _operator),
}


def _tokenize_bash(text: str) -> Tokenized:
    out = _Builder()
    i = 0
    n = len(text)
    while i < n:
        step = _BASH_STEPS.get(text[i])
        if step is None:
            out.add(text[i])
            i += 1
        else:
            i = step(text, i, out)
    return out.result("bash")


# -- Windows cmd ----------------------------------------------------------------------------


_REDIRECT_MARK = "\x00"  # stands for an unquoted < or > of cmd.exe between the two passes


def _cmd_pass(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """cmd.exe's caret pass: the command lines as the C runtime will see them.

    Returns ((line, ender) pairs, expansions); ``ender`` is the ``&`` or ``|`` that ended the
    line, or "". Outside cmd's own quotes a caret escapes the next character; caret-newline
    continues the line and escapes the first character of the next (browsers write ``^`` + two
    newlines for a newline inside a value). An unquoted ``<`` or ``>`` is a redirection: it is
    marked for the second pass, which takes the next word as its target.
    """
    lines: list[tuple[str, str]] = []
    expansions = [m.group() for m in _CMD_VAR.finditer(text)]
    current: list[str] = []
    quoted = False
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "^" and not quoted and i + 1 < n:
            skip = 2 if text[i + 1] == "\n" else 1
            if i + skip < n:
                current.append(text[i + skip])
            i += skip + 1
            continue
        if char == '"':
            quoted = not quoted
        elif char == "\n" or (not quoted and char in "&|"):
            lines.append(("".join(current), "" if char == "\n" else char))
            current = []
            quoted = False
            i += 1
            continue
        elif char in "<>" and not quoted:
            current.append(_REDIRECT_MARK)
        current.append(char)
        i += 1
    lines.append(("".join(current), ""))
    return lines, expansions


def _crt_split(line: str, out: _Builder) -> None:
    """The Microsoft C runtime's argv rules: backslashes before a quote, ``""`` inside quotes."""
    quoted = False
    i = 0
    n = len(line)
    while i < n:
        char = line[i]
        if char == "\\":
            j = i
            while j < n and line[j] == "\\":
                j += 1
            count = j - i
            if j < n and line[j] == '"':
                out.add("\\" * (count // 2))
                if count % 2:
                    out.add('"')
                    i = j + 1
                else:
                    i = j  # the quote toggles below
            else:
                out.add("\\" * count)
                i = j
            continue
        if char == _REDIRECT_MARK:
            op = line[i + 1 : i + 3] if line.startswith(">>", i + 1) else line[i + 1]
            out.finish_word()
            out.redirect = op
            out.operators.append(op)
            i += 1 + len(op)
            continue
        if char == '"':
            if quoted and i + 1 < n and line[i + 1] == '"':
                out.add('"')
                i += 2
                continue
            quoted = not quoted
            out.in_word = True
        elif char in " \t" and not quoted:
            out.finish_word()
        else:
            out.add(char)
        i += 1
    if quoted:
        out.problems.append('a double quote (") is never closed; the text up to the end was taken')


def _tokenize_cmd(text: str) -> Tokenized:
    lines, expansions = _cmd_pass(text)
    out = _Builder()
    for line, ender in lines:
        if line.strip().lower().startswith(("rem ", "::")):
            continue
        _crt_split(line, out)
        words = out.commands[-1]
        out.finish_word()
        # %VAR% expansions are attributed to the words that hold them.
        words[:] = [
            Word(w.text, tuple(e for e in expansions if e in w.text), w.redirect) if expansions else w
            for w in words
        ]
        out.finish_command(ender or None)
    return out.result("cmd")
