"""The row editor: everything a field mapping can say, without typing code.

Several paths joined with a separator (first + last name) or the first non-empty one; a
default value; the core's transforms added, removed and reordered from a menu (parse_number
with its decimal separator). Paths are validated while typed and OK stays disabled until they
all parse, so a broken path never reaches the config. A live line shows what the field would
be for the selected record, computed by the core's own per-record mapping.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.core.config import FieldMapping, Transform
from designer.gui.mapper_state import describe_transform
from designer.gui.path_edit import PathEdit

__all__ = ["TRANSFORM_HELP", "FieldEditor"]

TRANSFORM_HELP = {
    "trim": "remove spaces around the text",
    "upper": "UPPER CASE (e.g. country codes)",
    "lower": "lower case (e.g. e-mail addresses)",
    "to_string": "numbers and booleans as text",
    "parse_number": "read text such as 1.234,50 as a number (balances)",
    "first_non_empty": "when a path finds several values, take the first non-empty one",
}
_SEPARATORS = (
    ("auto", "decide by the last separator"),
    ("comma", "decimal comma: 1.234,50"),
    ("point", "decimal point: 1,234.50"),
)

PreviewFunction = Callable[[FieldMapping], str]
PathProvider = Callable[[], "str | None"]


class _PathRow(QWidget):
    """One path of the field: the validated edit and its move/remove buttons."""

    def __init__(self, text: str, editor: FieldEditor) -> None:
        super().__init__()
        self.edit = PathEdit(text)
        self.edit.setObjectName("pathEdit")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        for name, text_, tip, slot in (
            ("pathUpButton", "↑", "Move up", lambda: editor.move_path(self, -1)),
            ("pathDownButton", "↓", "Move down", lambda: editor.move_path(self, 1)),
            ("removePathButton", "✕", "Remove this path", lambda: editor.remove_path(self)),
        ):
            button = QToolButton()
            button.setObjectName(name)
            button.setText(text_)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            layout.addWidget(button)
        self.edit.textChanged.connect(editor.on_changed)


class FieldEditor(QDialog):
    """Edit one field's mapping; ``mapping()`` is the result once accepted."""

    def __init__(
        self,
        field: str,
        mapping: FieldMapping | None,
        *,
        preview: PreviewFunction | None = None,
        selected_path: PathProvider | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fieldEditor")
        self.setWindowTitle(f"Map {field}")
        self.field = field
        self._preview = preview
        self._selected_path = selected_path
        self._rows: list[_PathRow] = []
        mapping = mapping or FieldMapping()
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>Where {field} comes from</b>")
        heading.setObjectName("fieldEditorHeading")
        layout.addWidget(heading)
        layout.addWidget(self._paths_box(mapping))
        layout.addWidget(self._value_box(mapping))
        layout.addWidget(self._transforms_box(mapping))
        self.preview_label = QLabel()
        self.preview_label.setObjectName("fieldEditorPreview")
        self.preview_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("fieldEditorProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.preview_label)
        layout.addWidget(self.problem_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("fieldEditorButtons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for path in mapping.paths or [""]:
            self.add_path(path)
        self.resize(560, self.sizeHint().height())
        self.on_changed()

    # -- construction ---------------------------------------------------------------------------
    def _paths_box(self, mapping: FieldMapping) -> QGroupBox:
        box = QGroupBox("Paths (relative to the record)")
        self._paths_layout = QVBoxLayout()
        self._paths_layout.setSpacing(2)
        add = QPushButton("Add path")
        add.setObjectName("addPathButton")
        add.clicked.connect(self._on_add_path_clicked)
        self.add_selected_button = QPushButton("Add the selected node")
        self.add_selected_button.setObjectName("addSelectedNodeButton")
        self.add_selected_button.setToolTip("Add the node selected in the response tree as another path")
        self.add_selected_button.clicked.connect(self._on_add_selected_clicked)
        self.add_selected_button.setEnabled(
            self._selected_path is not None and self._selected_path() is not None
        )
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.add_selected_button)
        buttons.addStretch(1)
        self.combine_combo = QComboBox()
        self.combine_combo.setObjectName("combineCombo")
        self.combine_combo.addItem("join the values, separated by", "join")
        self.combine_combo.addItem("take the first non-empty value", "first")
        self.combine_combo.setCurrentIndex(0 if mapping.combine == "join" else 1)
        self.separator_edit = QLineEdit(mapping.separator)
        self.separator_edit.setObjectName("separatorEdit")
        self.separator_edit.setMaximumWidth(80)
        self.separator_edit.setToolTip("The text between joined values")
        self.separator_shown = QLabel()
        self.separator_shown.setObjectName("separatorShown")
        combine = QHBoxLayout()
        combine.addWidget(QLabel("With several paths:"))
        combine.addWidget(self.combine_combo)
        combine.addWidget(self.separator_edit)
        combine.addWidget(self.separator_shown)
        combine.addStretch(1)
        self.combine_combo.currentIndexChanged.connect(self.on_changed)
        self.separator_edit.textChanged.connect(self.on_changed)
        outer = QVBoxLayout(box)
        outer.addLayout(self._paths_layout)
        outer.addLayout(buttons)
        outer.addLayout(combine)
        return box

    def _value_box(self, mapping: FieldMapping) -> QGroupBox:
        box = QGroupBox("When nothing is found")
        self.default_check = QCheckBox("Use a default value:")
        self.default_check.setObjectName("defaultCheck")
        self.default_check.setChecked(mapping.default is not None)
        self.default_edit = QLineEdit(mapping.default or "")
        self.default_edit.setObjectName("defaultEdit")
        self.default_edit.setEnabled(mapping.default is not None)
        self.default_check.toggled.connect(self.default_edit.setEnabled)
        self.default_check.toggled.connect(self.on_changed)
        self.default_edit.textChanged.connect(self.on_changed)
        form = QFormLayout(box)
        form.addRow(self.default_check, self.default_edit)
        return box

    def _transforms_box(self, mapping: FieldMapping) -> QGroupBox:
        box = QGroupBox("Transforms (applied in order to each path's value)")
        self.transforms_list = QListWidget()
        self.transforms_list.setObjectName("transformsList")
        self.transforms_list.setMaximumHeight(110)
        for transform in mapping.transforms:
            self._add_transform_item(transform)
        self.add_transform_button = QToolButton()
        self.add_transform_button.setObjectName("addTransformButton")
        self.add_transform_button.setText("Add ▾")
        self.add_transform_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_transform_button)
        menu.setObjectName("addTransformMenu")
        for name, help_text in TRANSFORM_HELP.items():
            action = menu.addAction(f"{name} — {help_text}")
            action.triggered.connect(lambda _checked=False, n=name: self.add_transform(Transform(name=n)))
        self.add_transform_button.setMenu(menu)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_transform_button)
        for name, text, slot in (
            ("removeTransformButton", "Remove", self.remove_transform),
            ("transformUpButton", "Up", lambda: self.move_transform(-1)),
            ("transformDownButton", "Down", lambda: self.move_transform(1)),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.separator_combo = QComboBox()
        self.separator_combo.setObjectName("decimalSeparatorCombo")
        for value, text in _SEPARATORS:
            self.separator_combo.addItem(text, value)
        self.separator_combo.setEnabled(False)
        self.separator_combo.currentIndexChanged.connect(self._on_separator_combo_changed)
        self.transforms_list.currentRowChanged.connect(self._on_transforms_list_current_changed)
        row = QHBoxLayout()
        row.addWidget(self.transforms_list, 1)
        row.addLayout(buttons)
        outer = QVBoxLayout(box)
        outer.addLayout(row)
        number_row = QHBoxLayout()
        number_row.addWidget(QLabel("parse_number reads:"))
        number_row.addWidget(self.separator_combo, 1)
        outer.addLayout(number_row)
        return box

    # -- paths ----------------------------------------------------------------------------------
    def add_path(self, text: str) -> _PathRow:
        row = _PathRow(text, self)
        self._rows.append(row)
        self._paths_layout.addWidget(row)
        self.on_changed()
        return row

    def remove_path(self, row: _PathRow) -> None:
        self._rows.remove(row)
        self._paths_layout.removeWidget(row)
        row.deleteLater()
        self.on_changed()

    def move_path(self, row: _PathRow, delta: int) -> None:
        position = self._rows.index(row)
        target = position + delta
        if not 0 <= target < len(self._rows):
            return
        self._rows.insert(target, self._rows.pop(position))
        self._paths_layout.removeWidget(row)
        self._paths_layout.insertWidget(target, row)
        self.on_changed()

    def _on_add_path_clicked(self) -> None:
        self.add_path("").edit.setFocus()

    @property
    def path_edits(self) -> list[PathEdit]:
        return [row.edit for row in self._rows]

    def _on_add_selected_clicked(self) -> None:
        path = self._selected_path() if self._selected_path is not None else None
        if path is not None:
            empty = next((r for r in self._rows if not r.edit.text().strip()), None)
            if empty is not None:
                empty.edit.setText(path)
            else:
                self.add_path(path)

    # -- transforms -----------------------------------------------------------------------------
    def _add_transform_item(self, transform: Transform) -> None:
        item = QListWidgetItem(describe_transform(transform))
        item.setData(Qt.ItemDataRole.UserRole, transform.model_dump())
        item.setToolTip(TRANSFORM_HELP[transform.name])
        self.transforms_list.addItem(item)

    def add_transform(self, transform: Transform) -> None:
        self._add_transform_item(transform)
        self.transforms_list.setCurrentRow(self.transforms_list.count() - 1)
        self.on_changed()

    def remove_transform(self) -> None:
        row = self.transforms_list.currentRow()
        if row >= 0:
            self.transforms_list.takeItem(row)
            self.on_changed()

    def move_transform(self, delta: int) -> None:
        row = self.transforms_list.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.transforms_list.count():
            return
        item = self.transforms_list.takeItem(row)
        self.transforms_list.insertItem(target, item)
        self.transforms_list.setCurrentRow(target)
        self.on_changed()

    def transforms(self) -> list[Transform]:
        items = (self.transforms_list.item(i) for i in range(self.transforms_list.count()))
        return [Transform.model_validate(item.data(Qt.ItemDataRole.UserRole)) for item in items]

    def _on_transforms_list_current_changed(self, row: int) -> None:
        item = self.transforms_list.item(row) if row >= 0 else None
        transform = Transform.model_validate(item.data(Qt.ItemDataRole.UserRole)) if item else None
        is_number = transform is not None and transform.name == "parse_number"
        self.separator_combo.setEnabled(is_number)
        if transform is not None and is_number:
            self.separator_combo.blockSignals(True)
            self.separator_combo.setCurrentIndex(self.separator_combo.findData(transform.decimal_separator))
            self.separator_combo.blockSignals(False)

    def _on_separator_combo_changed(self, _index: int) -> None:
        item = self.transforms_list.currentItem()
        if item is None:
            return
        transform = Transform.model_validate(item.data(Qt.ItemDataRole.UserRole))
        if transform.name != "parse_number":
            return
        transform = transform.model_copy(update={"decimal_separator": self.separator_combo.currentData()})
        item.setData(Qt.ItemDataRole.UserRole, transform.model_dump())
        item.setText(describe_transform(transform))
        self.on_changed()

    # -- result ---------------------------------------------------------------------------------
    def problem(self) -> str | None:
        """The first path that does not parse, as the message to show; None when all parse."""
        for position, edit in enumerate(self.path_edits, start=1):
            if edit.problem is not None:
                return f"path {position}: {edit.problem}"
        return None

    def mapping(self) -> FieldMapping:
        """The mapping as edited (empty paths left out)."""
        return FieldMapping(
            paths=[e.text().strip() for e in self.path_edits if e.text().strip()],
            combine=self.combine_combo.currentData(),
            separator=self.separator_edit.text(),
            default=self.default_edit.text() if self.default_check.isChecked() else None,
            transforms=self.transforms(),
        )

    def on_changed(self, *_args: object) -> None:
        """Revalidate, and show what the field would be for the selected record."""
        if not hasattr(self, "buttons"):
            return  # still being built
        problem = self.problem()
        self.problem_label.setText(problem or "")
        self.problem_label.setVisible(problem is not None)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(problem is None)
        ok.setToolTip("Fix the path first" if problem else "")
        several = len([e for e in self.path_edits if e.text().strip()]) > 1
        joining = self.combine_combo.currentData() == "join"
        self.separator_edit.setEnabled(joining)
        self.separator_shown.setText(_separator_words(self.separator_edit.text()) if joining else "")
        self.combine_combo.setToolTip("" if several else "Only matters with two or more paths")
        if problem is None and self._preview is not None:
            text = self._preview(self.mapping())
            self.preview_label.setText(text)
            fine = ": nothing found" not in text and not any(
                w in text for w in ("not a", "expected", "found ")
            )
            self.preview_label.setStyleSheet("" if fine else "color: #8a4b00;")
        elif problem is not None:
            self.preview_label.setText("")


def _separator_words(separator: str) -> str:
    """The separator made visible: a lone space cannot be seen in a line edit."""
    names = {"": "(nothing between)", " ": "(a space)", ", ": "(comma and space)", "\n": "(a new line)"}
    return names.get(separator, f"({separator!r})")
