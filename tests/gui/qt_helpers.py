"""Small helpers for GUI tests that act like a user (dialogs, popups, finding widgets)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

T = TypeVar("T", bound=QWidget)


def answer_dialog(qtbot: object, choose: Callable[[QWidget], None], timeout_ms: int = 5000) -> None:
    """Arrange for ``choose`` to act on the next modal dialog as soon as it is shown.

    Modal dialogs run a nested event loop, so the test cannot act after ``exec()`` returns; it
    schedules the click first, like a user who answers the dialog when it appears.
    """
    remaining = [timeout_ms // 10]

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and widget.isVisible():
            choose(widget)
            return
        remaining[0] -= 1
        if remaining[0] > 0:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def find(parent: QWidget, cls: type[T], name: str) -> T:
    """The child widget a test acts on, found by its stable objectName."""
    widget = parent.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name!r}"
    return widget


def choose_from_popup(text: str) -> None:
    """Pick the menu entry containing ``text`` in the next popup menu that opens (and its submenus)."""
    from PySide6.QtWidgets import QMenu

    def poll(tries: int = 300) -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu) and popup.isVisible():
            for action in popup.actions():
                if text in action.text().replace("&", ""):
                    popup.setActiveAction(action)
                    action.trigger()
                    popup.close()
                    return
                submenu = action.menu()
                if isinstance(submenu, QMenu):
                    for sub in submenu.actions():
                        if text in sub.text():
                            sub.trigger()
                            popup.close()
                            return
        if tries > 0:
            QTimer.singleShot(10, lambda: poll(tries - 1))

    QTimer.singleShot(0, poll)


def press_dialog_button(text: str, seen: list[str] | None = None) -> None:
    """Click the button labelled ``text`` in the next modal dialog; record the dialog's text."""
    from PySide6.QtWidgets import QAbstractButton, QMessageBox

    def choose(dialog: QWidget) -> None:
        if seen is not None and isinstance(dialog, QMessageBox):
            seen.append(f"{dialog.text()}\n{dialog.informativeText()}")
        for button in dialog.findChildren(QAbstractButton):
            if button.text().replace("&", "") == text:
                button.click()
                return
        dialog.close()
        raise AssertionError(f"no button {text!r} in the dialog")

    answer_dialog(None, choose)
