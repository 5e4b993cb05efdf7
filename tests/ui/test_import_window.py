"""Importing from the window as a learner does: Ctrl+I from any screen, the preview's deck, the
same notes twice, a reactivated question, overwriting edits."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection, ExportAnkiPackageOptions
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.paths import UserPaths
from desktop.services.notes_import import parse_files
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from desktop.ui.application import AppWindow, Choosers
from desktop.ui.bank.import_dialog import ImportPreviewDialog
from desktop.ui.services import AppServices
from tests.fakes import ScriptedGrader
from tests.ui.test_app_window import open_window

EVERYTHING = QuestionFilter(statuses=ALL_STATUSES)


@pytest.fixture
def notes_copy(tmp_path: Path, seed_notes: Path) -> Path:
    """The built-in notes, byte for byte, under the learner's own file name."""
    copy = tmp_path / "mine" / "000_1cd90e0c9824386e.txt"
    copy.parent.mkdir()
    shutil.copyfile(seed_notes, copy)
    return copy


@pytest.fixture
def window(
    qtbot: QtBot, services: AppServices, user_paths: UserPaths, notes_copy: Path
) -> Iterator[AppWindow]:
    def choose(_parent: QWidget, _start: Path) -> list[Path]:
        return [notes_copy]

    built, runner = open_window(
        qtbot, services, user_paths, ScriptedGrader(), Choosers(notes_files=choose)
    )
    yield built
    built.window.close()
    runner.shutdown()


def preview_by_keyboard(qtbot: QtBot, window: AppWindow) -> ImportPreviewDialog:
    flow = window.bank.import_flow
    window.window.activateWindow()  # as after any dialog the learner closed
    qtbot.waitUntil(window.window.isActiveWindow)
    with qtbot.waitSignal(flow.previewed) as previewed:
        qtbot.keyClick(window.window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = previewed.args[0]
    assert isinstance(dialog, ImportPreviewDialog)
    return dialog


def test_ctrl_i_imports_from_home_and_from_practice(qtbot: QtBot, window: AppWindow) -> None:
    for screen in ("home", "practice"):
        window.window.show_screen(screen)
        dialog = preview_by_keyboard(qtbot, window)
        assert window.window.current_screen().name == "bank"
        dialog.reject()
        qtbot.waitUntil(lambda: not window.bank.import_flow.busy)


def test_the_same_notes_under_another_name_add_nothing(
    qtbot: QtBot, window: AppWindow, seeded_database: Database
) -> None:
    bank = QuestionBank(seeded_database)
    for _ in range(2):
        dialog = preview_by_keyboard(qtbot, window)
        assert dialog.summary_label.text().startswith("0 new; 0 updated; 36 unchanged")
        assert [edit.text() for edit in dialog.deck_edits.values()] == ["Frameworks and Tools"]
        assert "updates this deck in place" in next(iter(dialog.deck_notes.values())).text()
        assert not dialog.warnings_label.isVisible()
        assert not dialog.import_button.isEnabled()
        assert dialog.import_button.text() == "Nothing to import"
        dialog.reject()
        qtbot.waitUntil(lambda: not window.bank.import_flow.busy)
    assert bank.count(EVERYTHING) == 36
    assert [deck.name for deck in bank.decks()] == ["Frameworks and Tools"]


def test_naming_the_deck_in_the_preview_renames_it(
    qtbot: QtBot, window: AppWindow, seeded_database: Database
) -> None:
    dialog = preview_by_keyboard(qtbot, window)
    edit = next(iter(dialog.deck_edits.values()))
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "ML frameworks")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    assert "renames it" in next(iter(dialog.deck_notes.values())).text()
    assert "deck Frameworks and Tools renamed ML frameworks" in [
        dialog.changes.item(i).text() for i in range(dialog.changes.count())
    ]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    bank = QuestionBank(seeded_database)
    qtbot.waitUntil(lambda: [deck.name for deck in bank.decks()] == ["ML frameworks"])
    assert bank.count(EVERYTHING) == 36


def test_a_reactivated_question_counts_and_can_be_imported(
    qtbot: QtBot, window: AppWindow, seeded_database: Database, notes_copy: Path
) -> None:
    bank = QuestionBank(seeded_database)
    text = notes_copy.read_text(encoding="utf-8")
    notes_copy.write_text(text[: text.index("**Q3**:")] + text[text.index("**Q4**:") :])
    dialog = preview_by_keyboard(qtbot, window)
    assert "1 retired" in dialog.summary_label.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bank.count() == 35)

    notes_copy.write_text(text, encoding="utf-8")
    dialog = preview_by_keyboard(qtbot, window)
    assert dialog.summary_label.text().startswith("0 new; 0 updated; 1 back in the notes")
    items = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert any("reactivated qa:Q3" in item for item in items)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bank.count() == 36)


def test_overwrite_my_edits_takes_the_notes_version(
    qtbot: QtBot, window: AppWindow, seeded_database: Database
) -> None:
    bank = QuestionBank(seeded_database)
    question = next(q for q in bank.questions() if q.identity == "qa:Q2")
    bank.update(question.id, reference="My own words.")
    dialog = preview_by_keyboard(qtbot, window)
    assert not dialog.import_button.isEnabled()  # the edit is kept: nothing to import
    qtbot.mouseClick(dialog.overwrite_edits, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    assert dialog.summary_label.text().startswith("0 new; 1 updated")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bank.get(question.id).reference == question.reference)
    assert not bank.get(question.id).edited


def test_export_to_anki_writes_the_questions_listed(
    qtbot: QtBot, services: AppServices, user_paths: UserPaths, tmp_path: Path
) -> None:
    target = tmp_path / "export" / "mine.apkg"
    built, runner = open_window(
        qtbot, services, user_paths, ScriptedGrader(), Choosers(anki_target=lambda _p, _s: target)
    )
    said: list[str] = []
    built.bank.status_changed.connect(said.append)
    built.window.show_screen("bank")
    qtbot.waitUntil(lambda: built.bank.model.rowCount() == 36)
    qtbot.mouseClick(built.bank.anki_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(said))
    assert said[-1] == f"Wrote 36 notes for Anki to {target}"
    with zipfile.ZipFile(target) as package:
        assert "collection.anki2" in package.namelist()
    built.window.close()
    runner.shutdown()


def test_an_anki_package_goes_through_the_same_preview(
    qtbot: QtBot, services: AppServices, user_paths: UserPaths, tmp_path: Path
) -> None:
    col = Collection(str(tmp_path / "collection.anki2"))
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = "What is <b>FSRS</b>?", "A spaced-repetition scheduler"
    col.add_note(note, col.decks.id("Anki deck::Sub"))
    package = tmp_path / "shared.apkg"
    options = ExportAnkiPackageOptions(
        with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
    )
    col.export_anki_package(out_path=str(package), options=options, limit=None)
    col.close()

    built, runner = open_window(
        qtbot,
        services,
        user_paths,
        ScriptedGrader(),
        Choosers(notes_files=lambda _parent, _start: [package]),
    )
    dialog = preview_by_keyboard(qtbot, built)
    assert [edit.text() for edit in dialog.deck_edits.values()] == ["Anki deck"]
    assert dialog.anki_history.isVisibleTo(dialog)
    assert dialog.summary_label.text().startswith("1 new; 0 updated")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: built.bank.model.rowCount() == 37)
    added = next(row.question for row in built.bank.model.rows if row.question.deck == "Anki deck")
    assert (added.prompt, added.topic) == ("What is **FSRS**?", "Sub")
    built.window.close()
    runner.shutdown()


def test_retiring_many_questions_needs_the_learners_confirmation(
    qtbot: QtBot, window: AppWindow, seeded_database: Database, notes_copy: Path
) -> None:
    bank = QuestionBank(seeded_database)
    bank.apply_import(parse_files([notes_copy]))  # the deck is this file's now
    text = notes_copy.read_text(encoding="utf-8")
    notes_copy.write_text(text[: text.index("### HuggingFace Questions")], encoding="utf-8")
    dialog = preview_by_keyboard(qtbot, window)
    assert "31 retired" in dialog.summary_label.text()
    assert dialog.retire_label.isVisibleTo(dialog)
    assert '31 of the 36 questions of the deck "Frameworks and Tools"' in (
        dialog.retire_label.text()
    )
    assert dialog.confirm_retire.isVisibleTo(dialog) and not dialog.confirm_retire.isChecked()
    assert "retire these 31 questions" in dialog.confirm_retire.text()
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.confirm_retire, Qt.MouseButton.LeftButton)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bank.count() == 5)


def test_a_renumbered_question_says_so_in_the_preview(
    qtbot: QtBot, window: AppWindow, notes_copy: Path
) -> None:
    text = notes_copy.read_text(encoding="utf-8")
    q1, q2 = text.index("**Q1**:"), text.index("**Q2**:")
    first, second = text[q1 : text.index("---", q1)], text[q2 : text.index("---", q2)]
    swapped = text.replace(first, "@@").replace(second, first.replace("**Q1**", "**Q2**"))
    notes_copy.write_text(swapped.replace("@@", second.replace("**Q2**", "**Q1**")))
    dialog = preview_by_keyboard(qtbot, window)
    assert "2 renumbered" in dialog.summary_label.text()
    assert not dialog.confirm_retire.isVisibleTo(dialog)
    items = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert any("qa:Q1 (line 1643) renumbered from qa:Q2" in item for item in items)
    assert dialog.import_button.isEnabled()
    dialog.reject()


def test_the_file_dialogs_start_at_home_then_where_they_were_last_used(
    qtbot: QtBot, services: AppServices, user_paths: UserPaths, notes_copy: Path, tmp_path: Path
) -> None:
    starts: list[Path] = []
    anki_starts: list[Path] = []

    def choose(_parent: QWidget, start: Path) -> list[Path]:
        starts.append(start)
        return [notes_copy]

    def anki_target(_parent: QWidget, suggested: Path) -> Path | None:
        anki_starts.append(suggested)
        return tmp_path / "anki" / "mine.apkg"

    (tmp_path / "anki").mkdir()
    built, runner = open_window(
        qtbot,
        services,
        user_paths,
        ScriptedGrader(),
        Choosers(notes_files=choose, anki_target=anki_target),
    )
    bank = built.bank
    for _ in range(2):
        with qtbot.waitSignal(bank.import_flow.previewed) as previewed:
            bank.import_files()
        previewed.args[0].reject()
        qtbot.waitUntil(lambda: not bank.import_flow.busy)
    assert starts == [Path.home(), notes_copy.parent]
    bank.reload()
    qtbot.waitUntil(lambda: bank.model.rowCount() > 0)
    for _ in range(2):
        bank.export_to_anki()
        qtbot.waitUntil(bank.anki_button.isEnabled)
    assert anki_starts == [
        Path.home() / "viva-questions.apkg",
        tmp_path / "anki" / "viva-questions.apkg",
    ]
    built.window.close()
    runner.shutdown()
