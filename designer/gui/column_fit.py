"""Column widths that keep a narrow table readable: every column keeps a minimum, extra goes by weight.

Qt's ``Stretch`` resize mode lets a column shrink to nothing when the table is narrow (the
mapper's Expression column read "pressi" at 1024 px), and ``Interactive`` columns never grow.
:func:`fit_widths` is the rule both tables use instead: start from each column's preferred
width; when that does not fit, shrink the columns that can shrink, in proportion to how much
they can give, never below their minimum (the table scrolls sideways instead); when there is
room to spare, hand it out by the columns' weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTableView

__all__ = ["Column", "FittedTableView", "apply_widths", "fit_widths"]


@dataclass(frozen=True)
class Column:
    minimum: int
    preferred: int
    weight: float = 0.0  # share of the room to spare (0: keeps its preferred width)


def fit_widths(available: int, columns: Sequence[Column]) -> list[int]:
    """Widths for ``columns`` in ``available`` pixels (their sum exceeds it only at the minimums)."""
    widths = [column.preferred for column in columns]
    total = sum(widths)
    if total > available:
        slack = [column.preferred - column.minimum for column in columns]
        room = sum(slack)
        if room == 0:
            return widths
        need = min(total - available, room)
        cuts = [need * give // room for give in slack]
        left = need - sum(cuts)  # what rounding down left over: a pixel from each that can give
        for i, give in enumerate(slack):
            if left and cuts[i] < give:
                cuts[i] += 1
                left -= 1
        return [width - cut for width, cut in zip(widths, cuts, strict=True)]
    weights = [column.weight for column in columns]
    weight = sum(weights)
    if weight <= 0:
        return widths
    extra = available - total
    shares = [int(extra * w / weight) for w in weights]
    last = max(i for i, w in enumerate(weights) if w > 0)
    shares[last] += extra - sum(shares)
    return [w + s for w, s in zip(widths, shares, strict=True)]


def apply_widths(table: QTableView, columns: Sequence[Column]) -> None:
    """Size ``table``'s columns to fit its viewport (call from its ``resizeEvent``)."""
    header = table.horizontalHeader()
    for section, width in enumerate(fit_widths(table.viewport().width(), columns)):
        if header.sectionSize(section) != width:
            header.resizeSection(section, width)


class FittedTableView(QTableView):
    """A table view whose columns follow :func:`fit_widths` whenever it is resized."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[Column] = []  # set once the fonts are known; empty: Qt's own sizes
        self.horizontalHeader().setStretchLastSection(False)

    def minimum_fit_width(self) -> int:
        """The narrowest this view can be with every column at its minimum and no sideways scrolling."""
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        return sum(column.minimum for column in self.columns) + 2 * self.frameWidth() + scroll_bar

    def fit_columns(self) -> None:
        if self.columns:
            apply_widths(self, self.columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()
