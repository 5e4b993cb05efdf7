"""The bank browser on real storage: search, filter, sort, edit (kept across a re-import of the
unchanged notes), import with its dry-run preview (by the button and by dropping a file),
suspend and retire."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.bank.questions import QuestionStatus
from desktop.services.notes_import import DatabaseNotesImporter
from desktop.storage.database import Database
from desktop.storage.history import HistoryRepository
from desktop.storage.question_bank import QuestionBank
from desktop.ui.bank.import_dialog import ImportPreviewDialog
from desktop.ui.bank.question_editor import QuestionEditorDialog
from desktop.ui.bank.screen import BankScreen
from desktop.ui.bank.table_model import DUE_COLUMN
from desktop.ui.tasks import TaskRunner

EXTRA_NOTES = """# Extra notes

## Databases

**Q1**: What does an index trade for faster reads?

**Expected Answer**: Slower writes and more storage:
- every insert updates the index
- the index takes disk space

---
"""


@pytest.fixture
def browser(
    qtbot: QtBot, seeded_database: Database, runner: TaskRunner, tmp_path: Path
) -> BankScreen:
    extra = tmp_path / "extra.md"
    extra.write_text(EXTRA_NOTES, encoding="utf-8")

    def choose(_parent: QWidget, _start: Path) -> list[Path]:
        return [extra]

    screen = BankScreen(
        QuestionBank(seeded_database),
        HistoryRepository(seeded_database),
        DatabaseNotesImporter(seeded_database),
        runner,
        choose_files=choose,
    )
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    screen.on_shown()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 36)
    return screen


def test_search_and_filters(qtbot: QtBot, browser: BankScreen) -> None:
    assert browser.count_label.text() == "36 of 36 questions"
    qtbot.keyClick(browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert browser.filters.search.hasFocus()
    qtbot.keyClicks(browser.filters.search, "gradient checkpointing")
    qtbot.waitUntil(lambda: 0 < browser.model.rowCount() < 36)
    for row in browser.model.rows:
        text = (row.question.prompt + row.question.reference).lower()
        assert "gradient" in text and "checkpointing" in text
    browser.filters.search.clear()
    qtbot.waitUntil(lambda: browser.model.rowCount() == 36)

    browser.filters.kind.setCurrentText("trap")
    qtbot.waitUntil(lambda: browser.model.rowCount() == 7)
    assert {row.question.kind.value for row in browser.model.rows} == {"trap"}
    browser.filters.kind.setCurrentText("Any kind")
    browser.filters.state.setCurrentText("new")
    qtbot.waitUntil(lambda: browser.model.rowCount() == 36)
    assert browser.proxy.rowCount() == 36  # nothing reviewed yet: every question is new
    browser.filters.state.setCurrentText("learning")
    assert browser.proxy.rowCount() == 0
    assert browser.count_label.text() == "0 of 36 questions"


def test_sorting_by_due_and_detail(qtbot: QtBot, browser: BankScreen) -> None:
    browser.table.sortByColumn(DUE_COLUMN, Qt.SortOrder.AscendingOrder)
    browser.table.selectRow(0)
    question = browser.selected_question()
    assert question is not None
    assert question.prompt.split()[0] in browser.detail.view.toPlainText()
    assert "Reference answer" in browser.detail.view.toPlainText()


def test_edit_survives_reimport_of_unchanged_notes(
    qtbot: QtBot, browser: BankScreen, seeded_database: Database, seed_notes: Path
) -> None:
    browser.table.setFocus()
    browser.table.selectRow(0)
    original = browser.selected_question()
    assert original is not None
    qtbot.keyClick(browser.table, Qt.Key.Key_Return)
    editor = browser.question_actions.editor
    assert isinstance(editor, QuestionEditorDialog)
    qtbot.waitUntil(editor.isActiveWindow)
    editor.key_points.selectAll()
    qtbot.keyClicks(editor.key_points, "Measure memory first")
    qtbot.keyClick(editor.key_points, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.key_points, "- Then shrink the batch")
    editor.tags.setText("memory, gpu")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    bank = QuestionBank(seeded_database)
    qtbot.waitUntil(lambda: bank.get(original.id).key_points != original.key_points)
    edited = bank.get(original.id)
    assert edited.key_points == ("Measure memory first", "Then shrink the batch")
    assert edited.tags == ("memory", "gpu")
    assert edited.edited

    importer = DatabaseNotesImporter(seeded_database)
    importer.apply(importer.read([seed_notes]))
    assert bank.get(original.id).key_points == ("Measure memory first", "Then shrink the batch")
    qtbot.waitUntil(lambda: browser.filters.tag.findText("gpu") >= 0)


def test_import_shows_the_dry_run_first(
    qtbot: QtBot, browser: BankScreen, seeded_database: Database
) -> None:
    with qtbot.waitSignal(browser.import_flow.previewed) as previewed:
        qtbot.mouseClick(browser.import_button, Qt.MouseButton.LeftButton)
    dialog = previewed.args[0]
    assert isinstance(dialog, ImportPreviewDialog)
    assert dialog.summary_label.text().startswith("1 new; 0 updated")
    assert [edit.text() for edit in dialog.deck_edits.values()] == ["Extra notes"]
    assert dialog.summary.dry_run
    bank = QuestionBank(seeded_database)
    assert bank.count() == 36  # nothing written by the preview
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: browser.model.rowCount() == 37)
    assert bank.count() == 37


def test_dropping_a_notes_file_imports_after_the_preview(
    qtbot: QtBot, browser: BankScreen, tmp_path: Path
) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tmp_path / "extra.md"))])
    with warnings.catch_warnings():  # its only constructor takes a QPoint, now deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(10, 10),
            Qt.DropAction.CopyAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt delivers drag events only during a real drag, which a test cannot start: the
    # handlers are called as Qt would call them.
    browser.dragEnterEvent(enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(browser.import_flow.previewed) as previewed:
        browser.dropEvent(drop)
    dialog = previewed.args[0]
    assert isinstance(dialog, ImportPreviewDialog)
    dialog.reject()
    qtbot.waitUntil(lambda: not browser.import_flow.busy)
    assert browser.model.rowCount() == 36


def test_suspend_and_retire(qtbot: QtBot, browser: BankScreen, seeded_database: Database) -> None:
    browser.table.selectRow(1)
    question = browser.selected_question()
    assert question is not None
    bank = QuestionBank(seeded_database)
    qtbot.keyClick(
        browser,
        Qt.Key.Key_U,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: bank.get(question.id).status is QuestionStatus.SUSPENDED)
    qtbot.waitUntil(lambda: browser.detail.suspend_button.text() == "Resume")
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_Delete)
    confirm = browser.question_actions.confirm
    assert confirm is not None and "Retire" in confirm.text()
    qtbot.keyClick(confirm, Qt.Key.Key_Escape)  # changed their mind: nothing happens
    assert browser.question_actions.confirm is None
    assert bank.get(question.id).status is QuestionStatus.SUSPENDED
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_Delete)
    confirm = browser.question_actions.confirm
    assert confirm is not None
    confirm.activateWindow()  # as the window manager does with a new dialog
    qtbot.waitUntil(confirm.isActiveWindow)
    focused = QApplication.focusWidget()
    assert focused is not None and confirm.isAncestorOf(focused), focused
    qtbot.keyClick(focused, Qt.Key.Key_Return)  # Retire is the default button
    qtbot.waitUntil(lambda: bank.get(question.id).status is QuestionStatus.RETIRED)
    qtbot.waitUntil(lambda: browser.model.rowCount() == 35)  # retired ones are hidden
    browser.filters.state.setCurrentText("retired")
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 1)
