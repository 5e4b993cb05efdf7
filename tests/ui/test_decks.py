"""Decks a learner can see and choose: the bank's deck column and filter, the deck choice on
Home and in Practice, new questions drawn from every deck in turn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.paths import UserPaths
from desktop.ui.application import AppWindow, Choosers
from desktop.ui.bank.table_model import DECK_COLUMN
from desktop.ui.practice.controller import PracticeState
from desktop.ui.services import AppServices
from tests.fakes import ScriptedGrader
from tests.ui.test_app_window import open_window
from tests.ui.test_import_window import preview_by_keyboard

SQL_NOTES = """# Databases - Interview Notes

## Indexes

**Q1**: What does an index trade for faster reads?

**Expected Answer**: Slower writes and more storage.

---

**Q2**: When does a query not use an index?

**Expected Answer**: When the planner expects to read most rows anyway.
"""


@pytest.fixture
def window(
    qtbot: QtBot, services: AppServices, user_paths: UserPaths, tmp_path: Path
) -> Iterator[AppWindow]:
    notes = tmp_path / "sql.md"
    notes.write_text(SQL_NOTES, encoding="utf-8")

    def choose(_parent: QWidget, _start: Path) -> list[Path]:
        return [notes]

    built, runner = open_window(
        qtbot, services, user_paths, ScriptedGrader(), Choosers(notes_files=choose)
    )
    flow = built.bank.import_flow
    built.window.activateWindow()
    with qtbot.waitSignal(flow.previewed) as previewed:
        qtbot.keyClick(built.window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = previewed.args[0]
    assert [edit.text() for edit in dialog.deck_edits.values()] == ["Databases"]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: built.bank.model.rowCount() == 38)
    yield built
    built.window.close()
    runner.shutdown()


def _decks_shown(window: AppWindow) -> set[str]:
    proxy = window.bank.proxy
    return {proxy.index(row, DECK_COLUMN).data() for row in range(proxy.rowCount())}


def test_importing_the_same_notes_again_through_the_preview_adds_nothing(
    qtbot: QtBot, window: AppWindow
) -> None:
    flow = window.bank.import_flow
    dialog = preview_by_keyboard(qtbot, window)
    assert dialog.summary_label.text().startswith("0 new; 0 updated; 2 unchanged")
    assert not dialog.import_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the default button does nothing now
    dialog.reject()
    qtbot.waitUntil(lambda: not flow.busy)
    window.bank.reload()
    qtbot.waitUntil(lambda: not window.bank._loading)
    assert window.bank.model.rowCount() == 38


def test_the_bank_shows_and_filters_by_deck(qtbot: QtBot, window: AppWindow) -> None:
    assert _decks_shown(window) == {"Frameworks and Tools", "Databases"}
    deck = window.bank.filters.deck
    qtbot.waitUntil(lambda: deck.findText("Databases") >= 0)
    deck.setCurrentIndex(deck.findText("Databases"))
    window.bank.filters.flush()
    qtbot.waitUntil(lambda: window.bank.model.rowCount() == 2)
    assert _decks_shown(window) == {"Databases"}


def test_home_practises_the_chosen_deck(qtbot: QtBot, window: AppWindow) -> None:
    home, practice = window.home, window.practice
    window.window.show_screen("home")
    qtbot.waitUntil(lambda: home.summary is not None and len(home.summary.decks) == 2)
    assert home.new.text() == "20"
    choice = home.deck_choice
    choice.setCurrentIndex(choice.findText("Databases"))
    assert home.new.text() == "2"  # what practising that deck alone brings today
    qtbot.mouseClick(home.review_button, Qt.MouseButton.LeftButton)
    assert window.window.current_screen().name == "practice"
    qtbot.waitUntil(lambda: practice.controller.state is PracticeState.ANSWERING)
    assert practice.controller.item is not None
    assert practice.controller.item.question.deck == "Databases"
    assert practice.view.deck_choice.currentText() == "Databases"
    assert practice.view.progress_label.text().endswith("1 more in the queue")

    # Every deck again, from the practice screen: the decks take turns.
    practice.view.deck_choice.setCurrentIndex(0)
    qtbot.waitUntil(
        lambda: (
            practice.controller.state is PracticeState.ANSWERING
            and practice.controller.item is not None
            and practice.controller.item.question.deck == "Frameworks and Tools"
        )
    )
    assert practice.controller.deck is None


def test_home_lists_each_deck_with_its_part_of_today(qtbot: QtBot, window: AppWindow) -> None:
    home = window.home
    window.window.show_screen("home")
    qtbot.waitUntil(lambda: home.summary is not None and len(home.summary.decks) == 2)
    table = home.topics
    decks = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert decks[0] == "Frameworks and Tools" and "Databases" in decks
    sql_row = decks.index("Databases")
    assert table.item(sql_row, 2).text() == "2"  # mixed: both of its questions reach today
    assert "shared by every deck: 20 new" in home.limits_label.text()
    table.setFocus()
    table.setCurrentCell(sql_row, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.window.current_screen().name == "practice"
    qtbot.waitUntil(lambda: window.practice.controller.state is PracticeState.ANSWERING)
    assert window.practice.controller.deck == "Databases"
