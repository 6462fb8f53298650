"""New, Open, Save, Save As, Export, recent files, and the prompt before losing changes.

Reading and writing is the core's (``designer.core.project_io``): atomic saves, UTF-8 always,
and a readable ``ConfigError`` (with its location) for broken or newer-version files, which
is shown in a dialog as is. The file pickers are module functions so tests can stand in for
the operating system's dialog.

Export goes through the export review (``export_dialog``): references only unless the user
explicitly includes the values, a scan for credentials before writing, and a diff against the
last export of the project (remembered per project in the window settings, ``export_history``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from designer.core.config import LookupConfig, Request
from designer.core.errors import ConfigError, DesignerError
from designer.gui import window_settings
from designer.gui.document import Document

if TYPE_CHECKING:
    from designer.core.export_safety import ExportPlan
    from designer.gui.session_secrets import SessionSecrets

FILE_FILTER = "Lookup projects (*.json);;All files (*)"


def ask_open_path(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Open project", "", FILE_FILTER)
    return Path(name) if name else None


def ask_save_path(parent: QWidget, title: str, suggested: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, FILE_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".json")


def new_config() -> LookupConfig:
    """A blank project: no URL yet, so the URL field shows its hint."""
    return LookupConfig(request=Request(url=""))


def describe_error(error: BaseException) -> str:
    if isinstance(error, ConfigError) and error.location and error.location not in error.message:
        return f"{error.message}\n\nWhere: {error.location}"
    if isinstance(error, DesignerError):
        return error.message
    if isinstance(error, OSError):
        return f"{error.strerror or error} ({error.filename})" if error.filename else str(error)
    return f"{type(error).__name__}: {error}"


class ProjectFiles(QObject):
    recentChanged = Signal(list)  # list[Path], newest first
    message = Signal(str)  # a short confirmation for the status bar

    def __init__(
        self, document: Document, parent_widget: QWidget, secrets: SessionSecrets | None = None
    ) -> None:
        super().__init__(parent_widget)
        self._document = document
        self._widget = parent_widget
        self._secrets = secrets

    # -- actions ---------------------------------------------------------------------------------
    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self._document.reset(new_config(), None)
        return True

    def open(self) -> bool:
        if not self.maybe_save():
            return False
        path = ask_open_path(self._widget)
        return self.open_path(path, ask=False) if path else False

    def open_path(self, path: Path, *, ask: bool = True) -> bool:
        """Load a project; a broken file shows the core's explanation and changes nothing."""
        if ask and not self.maybe_save():
            return False
        try:
            from designer.core.project_io import load_config  # noqa: PLC0415

            config = load_config(path)
        except (DesignerError, OSError, ValueError) as error:
            self.show_error(f"Cannot open {path.name}", describe_error(error))
            if not path.exists():
                self.recentChanged.emit(window_settings.remove_recent_file(path))
            return False
        self._document.reset(config, path)
        self.recentChanged.emit(window_settings.add_recent_file(path))
        self.message.emit(f"Opened {path}")
        return True

    def save(self) -> bool:
        path = self._document.path
        return self.save_to(path) if path else self.save_as()

    def save_as(self) -> bool:
        suggested = str(self._document.path or Path.cwd() / f"{_slug(self._document.config.name)}.json")
        path = ask_save_path(self._widget, "Save project as", suggested)
        return self.save_to(path) if path else False

    def save_to(self, path: Path) -> bool:
        if not self._write(path, "Cannot save the project"):
            return False
        left_out = self._keep_embedded_values_for_the_session()
        self._document.mark_saved(path)
        self.recentChanged.emit(window_settings.add_recent_file(path))
        if left_out:
            self.message.emit(
                f"Saved {path}. Not in the file: the value of {', '.join(left_out)} (a project keeps "
                "references only); it stays for this session. Request ▸ Credentials… ▸ Move to Keyring "
                "keeps it for good."
            )
        else:
            self.message.emit(f"Saved {path}")
        return True

    def _keep_embedded_values_for_the_session(self) -> list[str]:
        """Secret values embedded in the project, which the saved file leaves out.

        The file keeps only the references, so reopening it must not lose a working credential
        within this session: the values become session values (never written anywhere).
        """
        names: list[str] = []
        for ref in self._document.config.secret_refs():
            if ref.value is not None and ref.secret not in names:
                names.append(ref.secret)
                if self._secrets is not None and self._secrets.value(ref.secret) is None:
                    self._secrets.remember(ref.secret, ref.value)
        return names

    def export(self) -> bool:
        from designer.gui.export_history import last_export  # noqa: PLC0415

        base = self._document.path
        default = base.with_name(base.stem + ".export.json") if base else Path.cwd() / "lookup.json"
        suggested = str(last_export(base) or default)
        path = ask_save_path(self._widget, "Export config for the runtime", suggested)
        return self.export_to(path) if path else False

    def export_to(self, path: Path) -> bool:
        """Review, then write the runtime config (references only unless explicitly included)."""
        from designer.gui.export_dialog import ExportDialog  # noqa: PLC0415
        from designer.gui.export_history import last_export, remember_export  # noqa: PLC0415
        from designer.gui.session_secrets import SessionSecrets  # noqa: PLC0415

        if self._secrets is None:
            self._secrets = SessionSecrets(self)
        previous = last_export(self._document.path)
        if previous is None or not previous.is_file():
            previous = path if path.is_file() else None  # at least show what gets replaced
        dialog = ExportDialog(self._document, self._secrets, path, previous, self._widget)
        accepted = dialog.exec() == ExportDialog.DialogCode.Accepted
        plan = dialog.plan
        dialog.deleteLater()
        if not accepted or plan is None or not self._write_export(plan, path):
            return False
        remember_export(self._document.path, path)
        if plan.included:
            what = f"with the values of {', '.join(u.name for u in plan.included)}"
        else:
            what = "secret references only"
        self.message.emit(f"Exported the runtime config to {path} ({what})")
        return True

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded, or clean)."""
        if not self._document.dirty:
            return True
        box = QMessageBox(self._widget)
        box.setObjectName("unsavedChangesDialog")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Unsaved changes")
        name = self._document.path.name if self._document.path else "This project"
        box.setText(f"{name} has unsaved changes.")
        box.setInformativeText("Save them before continuing?")
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        box.deleteLater()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return bool(answer == QMessageBox.StandardButton.Discard)

    def show_error(self, title: str, text: str) -> None:
        box = QMessageBox(self._widget)
        box.setObjectName("fileErrorDialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(title)
        box.setText(title)
        box.setInformativeText(text)
        box.exec()
        box.deleteLater()

    # -- internals -------------------------------------------------------------------------------
    def _write_export(self, plan: ExportPlan, path: Path) -> bool:
        try:
            from designer.core.project_io import save_config  # noqa: PLC0415

            # The same config and flag give the same text that was scanned (ExportPlan).
            save_config(plan.config, path, include_secrets=plan.include_secrets)
        except (DesignerError, OSError, ValueError) as error:
            self.show_error("Cannot export the config", describe_error(error))
            return False
        return True

    def _write(self, path: Path, failure_title: str) -> bool:
        try:
            from designer.core.project_io import save_config  # noqa: PLC0415

            save_config(self._document.config, path)
        except (DesignerError, OSError, ValueError) as error:
            self.show_error(failure_title, describe_error(error))
            return False
        return True


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-").lower() or "lookup"
