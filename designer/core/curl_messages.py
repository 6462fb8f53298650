"""What the cURL importer tells the user: one warning or note per thing it could not carry over.

A *warning* means the imported request differs from what curl would do (a file that was not
read, a proxy that was dropped, a credential that could not be kept); a *note* explains a choice
that keeps the meaning (a header the HTTP client sets itself, an option that only changes curl's
output). Each names the option as it was written, so the user can find it in the command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["ImportMessage", "Messages", "Severity"]

Severity = Literal["warning", "note"]


@dataclass(frozen=True)
class ImportMessage:
    """``code`` is stable (tests and the window group by it); ``option`` is as written."""

    code: str
    option: str
    message: str
    severity: Severity = "warning"

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


@dataclass
class Messages:
    """Collects messages in the order found, without repeating an identical one."""

    items: list[ImportMessage] = field(default_factory=list)

    def warn(self, code: str, option: str, message: str) -> None:
        self._add(ImportMessage(code, option, message, "warning"))

    def note(self, code: str, option: str, message: str) -> None:
        self._add(ImportMessage(code, option, message, "note"))

    def _add(self, message: ImportMessage) -> None:
        if message not in self.items:
            self.items.append(message)

    @property
    def warnings(self) -> tuple[ImportMessage, ...]:
        return tuple(m for m in self.items if m.severity == "warning")

    @property
    def notes(self) -> tuple[ImportMessage, ...]:
        return tuple(m for m in self.items if m.severity == "note")
