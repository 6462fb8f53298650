"""How records are numbered for people: from 1, with the JSON index shown the way the tree shows it.

The response tree and JSONPath count from 0 (``$.customers[0]``); a consultant talking about
"the first record" counts from 1. Every panel numbers records through these two functions, so
the preview's row header, the Problems list, the mapper and ``lookup-designer run`` say the same
thing.
"""

from __future__ import annotations

__all__ = ["record_label", "record_number", "record_ref"]


def record_number(index: int) -> str:
    """The record at JSON index ``index`` as people count it: ``"1"`` for index 0."""
    return str(index + 1)


def record_label(index: int, *, capital: bool = True) -> str:
    """``"Record 1 ([0] in the tree)"``: the number people use and the index the tree shows."""
    return f"{'R' if capital else 'r'}ecord {record_number(index)} ([{index}] in the tree)"


def record_ref(index: int) -> str:
    """``"record 1 ([0])"``: the short form for one-line messages (the CLI's stderr)."""
    return f"record {record_number(index)} ([{index}])"
