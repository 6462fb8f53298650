"""Status icons and highlight colours shared by the field mapper and the Customer preview.

Icons carry a glyph as well as a colour (✓ ! ✕ –) so they read without colour vision; the
highlight backgrounds are light tints paired with a dark text colour, readable in light and
dark palettes alike.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap

__all__ = ["STATUS_LABELS", "background", "foreground", "status_icon"]

STATUS_LABELS = {"ok": "ok", "warning": "warning", "error": "error", "unmapped": "not mapped"}
_COLOURS = {
    "ok": "#2e7d32",
    "warning": "#b26a00",
    "error": "#c62828",
    "unmapped": "#8a8a8a",
    "note": "#1565c0",
}
_GLYPHS = {"ok": "✓", "warning": "!", "error": "✕", "unmapped": "–", "note": "i"}
_BACKGROUNDS = {"error": "#f9d6d5", "warning": "#fff0c2", "invalid": "#fbe4e4"}


@cache
def status_icon(status: str) -> QIcon:
    """A 16 px round badge for ``ok``, ``warning``, ``error``, ``unmapped`` or ``note``."""
    colour = QColor(_COLOURS.get(status, _COLOURS["unmapped"]))
    icon = QIcon()
    for size in (16, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(1, 1, size - 2, size - 2)
        if status == "unmapped":
            painter.setPen(QPen(colour, size / 10))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
        painter.drawEllipse(rect)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.7))
        painter.setFont(font)
        painter.setPen(colour if status == "unmapped" else QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, _GLYPHS.get(status, "?"))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@cache
def background(kind: str) -> QBrush:
    """The cell tint for ``error``, ``warning`` or ``invalid`` (a record the POS will not get)."""
    return QBrush(QColor(_BACKGROUNDS[kind]))


@cache
def foreground() -> QBrush:
    """Dark text on the light tints, whatever the palette."""
    return QBrush(QColor("#1f1f1f"))
