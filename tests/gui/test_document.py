"""The Document: snapshot undo, merging of typing, dirty state, signals."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from designer.core.config import FieldMapping, LookupConfig
from designer.gui.document import Document, ResponseState


def _with_url(config: LookupConfig, url: str) -> LookupConfig:
    return config.model_copy(update={"request": config.request.model_copy(update={"url": url})})


def test_apply_is_one_undo_step_and_marks_dirty(qtbot: QtBot) -> None:
    doc = Document()
    original = doc.config
    with qtbot.waitSignal(doc.dirtyChanged) as dirty, qtbot.waitSignal(doc.configChanged):
        doc.apply("Edit URL", _with_url(original, "https://a.example.com"))
    assert dirty.args == [True]
    assert doc.config.request.url == "https://a.example.com"
    assert doc.undo_stack.undoText() == "Edit URL"
    doc.undo_stack.undo()
    assert doc.config == original
    assert not doc.dirty
    doc.undo_stack.redo()
    assert doc.config.request.url == "https://a.example.com"


def test_typing_with_one_merge_id_merges_into_one_step() -> None:
    doc = Document()
    for url in ("h", "ht", "htt", "http://x"):
        doc.apply("Edit URL", _with_url(doc.config, url), merge_id="url")
    assert doc.undo_stack.count() == 1
    doc.end_merge()  # the field lost focus: the next typing is a new step
    doc.apply("Edit URL", _with_url(doc.config, "http://xy"), merge_id="url")
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert doc.config.request.url == "http://x"
    doc.undo_stack.undo()
    assert doc.config.request.url == LookupConfig().request.url


def test_typing_back_to_the_original_leaves_nothing_to_undo() -> None:
    doc = Document()
    original = doc.config.request.url
    doc.apply("Edit URL", _with_url(doc.config, original + "x"), merge_id="url")
    doc.apply("Edit URL", _with_url(doc.config, original), merge_id="url")
    assert doc.undo_stack.count() == 0
    assert not doc.dirty


def test_identical_config_is_not_an_edit() -> None:
    doc = Document()
    doc.apply("Nothing", doc.config.model_copy())
    assert doc.undo_stack.count() == 0


def test_update_validates_and_refuses_bad_values() -> None:
    doc = Document()
    doc.update("Rename", name="Shop A")
    assert doc.config.name == "Shop A"
    with pytest.raises(ValueError, match="version"):
        doc.update("Bad", version=99)
    assert doc.config.version == 1


def test_field_mapping_and_records_path_are_undoable(qtbot: QtBot) -> None:
    doc = Document()
    doc.set_records_path("$.customers[*]")
    doc.set_field_mapping("name", FieldMapping(paths=["$.first", "$.last"]))
    doc.set_field_mapping("identifier", FieldMapping(paths=["$.id"]))
    # Ka-ching's field order, whatever order the user mapped in.
    assert list(doc.config.response.fields) == ["identifier", "name"]
    doc.set_field_mapping("name", None)
    assert "name" not in doc.config.response.fields
    doc.undo_stack.undo()
    assert doc.config.response.fields["name"].paths == ["$.first", "$.last"]
    for _ in range(3):
        doc.undo_stack.undo()
    assert doc.config == LookupConfig()


def test_mark_saved_clears_dirty_and_sets_path(qtbot: QtBot, tmp_path: Path) -> None:
    doc = Document()
    doc.update("Rename", name="A")
    assert doc.dirty
    target = tmp_path / "p.json"
    with qtbot.waitSignal(doc.pathChanged) as changed, qtbot.waitSignal(doc.dirtyChanged) as dirty:
        doc.mark_saved(target)
    assert changed.args == [target]
    assert dirty.args == [False]
    doc.update("Rename", name="B")
    assert doc.dirty
    doc.undo_stack.undo()  # back at the saved state
    assert not doc.dirty


def test_reset_replaces_project_and_history(qtbot: QtBot, tmp_path: Path) -> None:
    doc = Document()
    doc.update("Rename", name="A")
    doc.set_response(ResponseState(exchange=None, decoded=None, source="pasted"))
    with qtbot.waitSignal(doc.responseChanged), qtbot.waitSignal(doc.configChanged):
        doc.reset(LookupConfig(name="Loaded"), tmp_path / "x.json")
    assert doc.config.name == "Loaded"
    assert doc.response is None
    assert not doc.dirty
    assert doc.undo_stack.count() == 0
    assert doc.path == tmp_path / "x.json"


def test_selected_record_and_busy_signal_only_on_change(qtbot: QtBot) -> None:
    doc = Document()
    seen: list[int] = []
    doc.selectedRecordChanged.connect(seen.append)
    doc.set_selected_record(0)
    doc.set_selected_record(3)
    doc.set_selected_record(3)
    doc.set_response(None)  # a new response starts at its first record
    assert seen == [3, 0]
    busy: list[bool] = []
    doc.busyChanged.connect(busy.append)
    doc.set_busy(True)
    doc.set_busy(True)
    doc.set_busy(False)
    assert busy == [True, False]
