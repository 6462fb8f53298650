"""The one shape of "are you sure?" question: a named message box with a destructive button.

Every confirmation in the window (discard recovered work, forget a credential, include secret
values, write despite findings, turn TLS verification off) asks the same way, so tests and
accessibility tools find each by its ``objectName`` and press its buttons by their text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

__all__ = ["confirm_destructive"]


def confirm_destructive(
    parent: QWidget,
    *,
    name: str,
    title: str,
    text: str,
    informative: str,
    action: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
    back: str | None = None,
    default_cancel: bool = False,
) -> bool:
    """True when the user pressed ``action``; any other answer (or closing the box) is no.

    ``back`` labels the way out instead of a standard Cancel; ``default_cancel`` makes the way
    out the default button, for questions whose yes cannot be taken back.
    """
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(informative)
    if back is not None:
        box.addButton(back, QMessageBox.ButtonRole.RejectRole)
    chosen_button = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    if back is None:
        box.addButton(QMessageBox.StandardButton.Cancel)
        if default_cancel:
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    chosen = box.clickedButton() is chosen_button
    box.deleteLater()
    return chosen
