"""Splitting curl's argument words into options and URLs, with curl's own parsing rules.

curl reads options anywhere on the line (before or after the URL); a single-letter option
takes its value glued on (``-XPOST``, ``-d@file``) or from the next word (``-X POST``); letters
can be combined (``-sSLk``, ``-sXPOST``); a long option may be abbreviated while unambiguous
(``--compress`` is ambiguous, ``--insec`` is ``--insecure``); ``--no-`` switches a boolean option
off; ``--`` ends the options. curl does *not* accept ``--name=value``: that is an unknown option,
and so reported. Nothing here raises: every oddity is an :class:`ArgProblem`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from designer.core.curl_options import SHORT, Option, lookup_long
from designer.core.curl_tokenize import Word

__all__ = ["ArgProblem", "Occurrence", "ParsedArgs", "parse_args"]


@dataclass(frozen=True)
class Occurrence:
    """One option as curl would apply it, or a URL (``option`` None) given as a plain word."""

    option: Option | None
    written: str  # as it appeared: "-d", "--data", "--insec" (an abbreviation), or the URL text
    value: Word | None = None
    negated: bool = False


@dataclass(frozen=True)
class ArgProblem:
    code: str  # "unknown_option", "ambiguous_option", "missing_value", "abbreviation", "expand"
    option: str
    message: str


@dataclass
class ParsedArgs:
    occurrences: list[Occurrence] = field(default_factory=list)
    problems: list[ArgProblem] = field(default_factory=list)


def _long(word: Word, words: list[Word], index: int, out: ParsedArgs) -> int:
    """``--name`` at ``words[index]``; returns the index of the next unread word."""
    written = word.text
    name = written[2:]
    option, negated, how = lookup_long(name)
    if option is None:
        hint = ""
        if "=" in name:
            hint = f"; curl takes the value as the next word (--{name.split('=', 1)[0]} VALUE)"
        if how == "ambiguous":
            out.problems.append(
                ArgProblem("ambiguous_option", written, f"{written} is ambiguous for curl (ignored)")
            )
        else:
            out.problems.append(
                ArgProblem("unknown_option", written, f"{written} is not a curl option (ignored){hint}")
            )
        return index + 1
    if how == "abbreviation":
        out.problems.append(
            ArgProblem("abbreviation", written, f"{written} was read as curl's --{option.name}")
        )
    elif how == "expand":
        out.problems.append(
            ArgProblem(
                "expand",
                written,
                f"{written} expands curl variables ({{{{name}}}}) in its value; they were kept as written",
            )
        )
    if not option.takes_arg:
        out.occurrences.append(Occurrence(option, written, negated=negated))
        return index + 1
    if index + 1 >= len(words):
        out.problems.append(ArgProblem("missing_value", written, f"{written} needs a value, none was given"))
        return index + 1
    out.occurrences.append(Occurrence(option, written, words[index + 1]))
    return index + 2


def _short_cluster(word: Word, words: list[Word], index: int, out: ParsedArgs) -> int:
    """``-sSL``, ``-XPOST``, ``-d@file``: letters until one that takes a value."""
    letters = word.text[1:]
    for position, letter in enumerate(letters):
        option = SHORT.get(letter)
        if option is None:
            out.problems.append(
                ArgProblem("unknown_option", f"-{letter}", f"-{letter} is not a curl option (ignored)")
            )
            return index + 1
        if not option.takes_arg:
            out.occurrences.append(Occurrence(option, f"-{letter}"))
            continue
        glued = letters[position + 1 :]
        if glued:
            # The value is the rest of this word; its expansions are the word's.
            out.occurrences.append(Occurrence(option, f"-{letter}", Word(glued, word.expansions)))
            return index + 1
        if index + 1 >= len(words):
            out.problems.append(
                ArgProblem("missing_value", f"-{letter}", f"-{letter} needs a value, none was given")
            )
            return index + 1
        out.occurrences.append(Occurrence(option, f"-{letter}", words[index + 1]))
        return index + 2
    return index + 1


def parse_args(words: list[Word]) -> ParsedArgs:
    """Options and URLs in command-line order (``words`` excludes the program name)."""
    out = ParsedArgs()
    index = 0
    options_ended = False
    while index < len(words):
        word = words[index]
        text = word.text
        if options_ended or not text.startswith("-") or text == "-":
            out.occurrences.append(Occurrence(None, text, word))
            index += 1
        elif text == "--":
            options_ended = True
            index += 1
        elif text.startswith("--"):
            index = _long(word, words, index, out)
        else:
            index = _short_cluster(word, words, index, out)
    return out
