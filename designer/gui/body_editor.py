"""The request body: none, a JSON template (validated while typing), form fields, or raw text."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from designer.core.config import Body, FormBody, JsonBody, LookupConfig, NoBody, Param, RawBody
from designer.gui.document import Document
from designer.gui.param_table import ParamAccess, ParamTable
from designer.gui.placeholders import PlaceholderTextEdit, UndoToWindow

BODY_TYPES = (("none", "No body"), ("json", "JSON template"), ("form", "Form fields"), ("raw", "Raw text"))
JSON_HINT = 'A JSON document; put placeholders inside strings, e.g. {"name": "{search_term}"}'


def with_body(config: LookupConfig, body: Body) -> LookupConfig:
    return config.model_copy(update={"request": config.request.model_copy(update={"body": body})})


def _form_fields(config: LookupConfig) -> list[Param]:
    body = config.request.body
    return list(body.fields) if isinstance(body, FormBody) else []


def _put_form_fields(config: LookupConfig, fields: list[Param]) -> LookupConfig:
    return with_body(config, FormBody(fields=fields))


FORM_FIELDS = ParamAccess("form field", _form_fields, _put_form_fields)


def parse_template(text: str) -> tuple[Any, str | None]:
    """(value, None) for valid JSON, else (None, a message with line and column)."""

    def no_constants(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        return json.loads(text, parse_constant=no_constants), None
    except json.JSONDecodeError as error:
        return None, f"Not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
    except ValueError as error:
        return None, f"Not valid JSON: {error}"


def template_text(template: Any) -> str:
    return json.dumps(template, indent=2, ensure_ascii=False)


def convert_body(body: Body, new_type: str) -> Body:
    """Switch the body type, carrying over what can be carried (JSON text <-> raw text)."""
    if new_type == "none":
        return NoBody()
    if new_type == "form":
        return body if isinstance(body, FormBody) else FormBody()
    if new_type == "json":
        if isinstance(body, RawBody):
            value, problem = parse_template(body.text)
            return JsonBody(template=value if problem is None else {})
        return JsonBody()
    if isinstance(body, JsonBody):
        return RawBody(text=template_text(body.template), content_type="application/json")
    return RawBody()


class BodyEditor(QWidget):
    def __init__(self, document: Document) -> None:
        super().__init__()
        self._document = document
        self._shown: tuple[str, Any] | None = None  # (body type, template/text) the editor shows
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("bodyTypeCombo")
        for key, label in BODY_TYPES:
            self.type_combo.addItem(label, key)

        self.text_edit = PlaceholderTextEdit()
        self.text_edit.setObjectName("bodyEdit")
        self.text_edit.setPlaceholderText(JSON_HINT)
        self.text_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.content_type_edit = QLineEdit()
        self.content_type_edit.setObjectName("contentTypeEdit")
        self.content_type_edit.installEventFilter(UndoToWindow(self.content_type_edit))
        self.content_type_label = QLabel("Content type")
        self.problem_label = QLabel()
        self.problem_label.setObjectName("bodyProblemLabel")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b71c1c;")

        text_page = QWidget()
        text_layout = QVBoxLayout(text_page)
        text_layout.setContentsMargins(0, 0, 0, 0)
        content_type_row = QHBoxLayout()
        content_type_row.addWidget(self.content_type_label)
        content_type_row.addWidget(self.content_type_edit, 1)
        text_layout.addLayout(content_type_row)
        text_layout.addWidget(self.text_edit, 1)
        text_layout.addWidget(self.problem_label)

        none_page = QLabel("No body is sent. Choose a body type to send JSON, form fields or raw text.")
        none_page.setObjectName("bodyEmptyHint")
        none_page.setWordWrap(True)
        none_page.setStyleSheet("color: palette(placeholder-text);")
        self.form_table = ParamTable(
            document,
            FORM_FIELDS,
            "formTable",
            "No form fields yet. Press Add, e.g. name “search”, value “{search_term}”.",
        )
        self.stack = QStackedWidget()
        for page in (none_page, text_page, self.form_table):
            self.stack.addWidget(page)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Body type", self.type_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.stack, 1)

        self.type_combo.activated.connect(self._on_type_combo_activated)
        self.text_edit.textEdited.connect(self._on_text_edit_edited)
        self.text_edit.editingFinished.connect(document.end_merge)
        self.content_type_edit.textEdited.connect(self._on_content_type_edited)
        self.content_type_edit.editingFinished.connect(document.end_merge)
        document.configChanged.connect(self._on_document_config_changed)
        self._on_document_config_changed()

    def _on_type_combo_activated(self, _index: int) -> None:
        new_type = str(self.type_combo.currentData())
        body = self._document.config.request.body
        if new_type != body.type:
            label = self.type_combo.currentText()
            self._document.apply(
                f"Body: {label}", with_body(self._document.config, convert_body(body, new_type))
            )

    def _on_text_edit_edited(self, text: str) -> None:
        body = self._document.config.request.body
        if isinstance(body, RawBody):
            self._shown = ("raw", text)
            self._apply_text_body(body.model_copy(update={"text": text}))
            return
        value, problem = parse_template(text)
        self.problem_label.setText(problem or "")
        if problem is None:
            self._shown = ("json", value)
            self._apply_text_body(JsonBody(template=value))

    def _on_content_type_edited(self, text: str) -> None:
        body = self._document.config.request.body
        if isinstance(body, RawBody):
            self._apply_text_body(body.model_copy(update={"content_type": text}), "content_type")

    def _apply_text_body(self, body: Body, what: str = "text") -> None:
        config = with_body(self._document.config, body)
        self._document.apply("Edit body", config, merge_id=f"request.body.{what}")

    def _on_document_config_changed(self) -> None:
        body = self._document.config.request.body
        self.type_combo.setCurrentIndex(self.type_combo.findData(body.type))
        is_raw = isinstance(body, RawBody)
        self.content_type_label.setVisible(is_raw)
        self.content_type_edit.setVisible(is_raw)
        if isinstance(body, NoBody):
            self.stack.setCurrentIndex(0)
        elif isinstance(body, FormBody):
            self.stack.setCurrentIndex(2)
        else:
            self.stack.setCurrentIndex(1)
        if isinstance(body, RawBody):
            self.text_edit.setPlaceholderText("Raw text; placeholders are escaped for the content type")
            if self._shown != ("raw", body.text):
                self._shown = ("raw", body.text)
                self.text_edit.setText(body.text)
                self.problem_label.setText("")
            if self.content_type_edit.text() != body.content_type:
                self.content_type_edit.setText(body.content_type)
        elif isinstance(body, JsonBody):
            self.text_edit.setPlaceholderText(JSON_HINT)
            # Only rewrite when the config changed under us (undo, load): the user's own
            # formatting and a half-typed, not yet valid template must survive other edits.
            if self._shown != ("json", body.template):
                self._shown = ("json", body.template)
                self.text_edit.setText(template_text(body.template))
                self.problem_label.setText("")
