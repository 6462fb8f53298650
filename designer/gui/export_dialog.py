"""The export review: what will be written, what looks like a credential, and what changed.

Shown after the target file is chosen, before anything is written. The decision itself is the
core's ``plan_export`` (pure); this dialog resolves the known secret values off the UI thread
(the same chain a Send uses), shows the plan and asks:

* references only, by default; "Include secret values" needs a confirmation naming each secret;
* findings of the scan (a known value or a token shape) are listed with their location, and
  Export then asks "Go Back" or "Write Anyway";
* a diff against the last export of this project (known values and values embedded in the old
  file masked), or the whole text for a first export.

Nothing is shown before the values are known: a diff drawn earlier could not mask them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from designer.core.config import SecretRef
from designer.core.export_safety import ExportPlan, mask_known, plan_export
from designer.core.secrets import SecretUse, secret_uses
from designer.gui.confirm import confirm_destructive
from designer.gui.document import Document
from designer.gui.session_secrets import SessionSecrets

INCLUDED_STYLE = "background: #f9d6d5; color: #7f0000; padding: 4px; border: 1px solid #c62828;"
FINDINGS_STYLE = "color: #7f0000; font-weight: bold;"


def _names(uses: tuple[SecretUse, ...] | list[SecretUse]) -> str:
    return ", ".join(f"“{u.name}” ({u.purpose})" for u in uses)


class ExportDialog(QDialog):
    def __init__(
        self,
        document: Document,
        secrets: SessionSecrets,
        target: Path,
        previous: Path | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export config for the runtime")
        self._config = document.config
        self._secrets = secrets
        self._uses = secret_uses(self._config)
        self._previous_path = previous
        self._previous_text, previous_problem = _read(previous)
        self._values: dict[str, str] | None = None  # None until resolved
        self._write_when_ready = False
        self._closed = False
        self.plan: ExportPlan | None = None

        self._build(target, previous_problem)
        layout = QVBoxLayout(self)
        for widget in (self.target_label, self.include_check, self.secrets_label, self.findings_label):
            layout.addWidget(widget)
        layout.addWidget(self.findings)
        layout.addWidget(self.diff_label)
        layout.addWidget(self.diff, 1)
        layout.addWidget(self.buttons)
        self.resize(780, 560)
        self._show_plan()
        refs = [SecretRef(secret=use.name) for use in self._uses]
        self._secrets.spawn(self._secrets.known_values(refs), self._on_values_known)

    def _build(self, target: Path, previous_problem: str) -> None:
        self.target_label = QLabel(f"Export to <b>{_html(str(target))}</b>")
        self.target_label.setObjectName("exportTarget")
        self.target_label.setWordWrap(True)
        self.include_check = QCheckBox("Include secret values in the file (plain text)")
        self.include_check.setObjectName("exportIncludeSecrets")
        self.include_check.setEnabled(bool(self._uses))
        self.secrets_label = QLabel()
        self.secrets_label.setObjectName("exportSecretsSummary")
        self.secrets_label.setWordWrap(True)
        self.findings_label = QLabel()
        self.findings_label.setObjectName("exportFindingsCaption")
        self.findings_label.setStyleSheet(FINDINGS_STYLE)
        self.findings_label.setWordWrap(True)
        self.findings = QListWidget()
        self.findings.setObjectName("exportFindings")
        self.findings.setMaximumHeight(96)
        self.diff_label = QLabel()
        self.diff_label.setObjectName("exportDiffCaption")
        self.diff_label.setWordWrap(True)
        if previous_problem:
            self.diff_label.setToolTip(previous_problem)
        self.diff = QPlainTextEdit()
        self.diff.setObjectName("exportDiff")
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.buttons = buttons = QDialogButtonBox()
        self.export_button = QPushButton("Export")
        self.export_button.setObjectName("exportWriteButton")
        self.export_button.setDefault(True)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.include_check.clicked.connect(self._on_include_check_clicked)

    # -- slots ------------------------------------------------------------------------------------
    def _on_values_known(self, values: dict[str, str]) -> None:
        if self._closed:
            return
        self._values = values
        self._show_plan()
        if self._write_when_ready:
            self._on_export_button_clicked()

    def _on_include_check_clicked(self, checked: bool) -> None:
        if checked and not self._confirm_include():
            self.include_check.setChecked(False)
        self._show_plan()

    def _on_export_button_clicked(self) -> None:
        if self.plan is None:  # values still being looked up: finish as soon as they are known
            self._write_when_ready = True
            self.export_button.setEnabled(False)
            self.export_button.setText("Checking…")
            return
        self._write_when_ready = False
        if self.plan.findings and not self._confirm_findings(self.plan):
            self.export_button.setEnabled(True)
            self.export_button.setText("Export")
            return
        self.accept()

    # -- questions --------------------------------------------------------------------------------
    def _confirm_include(self) -> bool:
        listing = "\n".join(f"• {u.name}: {u.purpose}" for u in self._uses)
        return confirm_destructive(
            self,
            name="exportIncludeConfirm",
            title="Include secret values?",
            text=f"Write these secret values into the exported file in plain text?\n\n{listing}",
            informative="Anyone who gets the file can use them. Only do this for a file that goes "
            "straight into a protected secrets store; otherwise export references and set the "
            "values in the runtime's keyring or environment.",
            action="Include Values",
            default_cancel=True,
        )

    def _confirm_findings(self, plan: ExportPlan) -> bool:
        listing = "\n".join(f"• {finding.message}" for finding in plan.findings)
        return confirm_destructive(
            self,
            name="exportFindingsConfirm",
            title="Possible credentials in the export",
            text=f"The export looks like it contains credentials:\n\n{listing}",
            informative="Go back and move them into the Credentials tab (the file then holds "
            "only a reference), or write the file anyway.",
            action="Write Anyway",
            back="Go Back",
        )

    # -- display ----------------------------------------------------------------------------------
    def _show_plan(self) -> None:
        if self._values is None:
            self.plan = None
            self.secrets_label.setText("Checking the stored secret values…")
            self.findings_label.hide()
            self.findings.hide()
            self.diff_label.setText("The changes are shown once the secret values are known (to mask them).")
            self.diff.setPlainText("")
            return
        previous_name = str(self._previous_path) if self._previous_path else "last export"
        self.plan = plan = plan_export(
            self._config,
            known_values=self._values,
            include_secrets=self.include_check.isChecked(),
            previous=self._previous_text,
            previous_name=previous_name,
            current_name="this export",
        )
        self._show_secrets(plan)
        self.findings.clear()
        self.findings.addItems([finding.message for finding in plan.findings])
        count = len(plan.findings)
        places = "1 place in the output looks" if count == 1 else f"{count} places in the output look"
        self.findings_label.setText(f"{places} like credentials (you can still export; you will be asked):")
        self.findings_label.setVisible(bool(count))
        self.findings.setVisible(bool(count))
        self._show_diff(plan)

    def _show_secrets(self, plan: ExportPlan) -> None:
        if not self._uses:
            self.secrets_label.setText("This project uses no credentials.")
            self.secrets_label.setStyleSheet("")
            return
        if plan.included or plan.missing:  # the user chose to include the values
            parts = []
            if plan.included:
                parts.append(f"The file will contain the values of {_names(plan.included)} in plain text.")
            if plan.missing:
                parts.append(f"No value is available for {_names(plan.missing)}: written as a reference.")
            self.secrets_label.setText(" ".join(parts))
            self.secrets_label.setStyleSheet(INCLUDED_STYLE if plan.included else "")
            return
        self.secrets_label.setText(
            f"Secrets are written as references only: {_names(self._uses)}. The runtime reads "
            "the values from its keyring or from environment variables with these names."
        )
        self.secrets_label.setStyleSheet("")

    def _show_diff(self, plan: ExportPlan) -> None:
        if self._previous_text is None:
            self.diff_label.setText("First export of this project: the whole file is new.")
            self.diff.setPlainText(mask_known(plan.text, (self._values or {}).values()))
        elif plan.unchanged:
            self.diff_label.setText(f"No changes since the last export ({self._previous_path}).")
            self.diff.setPlainText("")
        else:
            self.diff_label.setText(f"Changes since the last export ({self._previous_path}):")
            self.diff.setPlainText(plan.diff)

    # -- Qt overrides -----------------------------------------------------------------------------
    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)


def _read(path: Path | None) -> tuple[str | None, str]:
    """(text of the last export or None, why it could not be read)."""
    if path is None:
        return None, ""
    try:
        return path.read_text(encoding="utf-8-sig"), ""
    except (OSError, UnicodeDecodeError) as error:
        return None, f"The last export {path} cannot be read: {getattr(error, 'strerror', None) or error}"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
