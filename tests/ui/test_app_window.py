"""The whole window on real services: navigation by keyboard, the help dialog, state restored
on the next start, quitting in the middle of a grade, and a database that cannot be opened
(not a database, another program's database)."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop import app as composition
from desktop.core.errors import ModelError
from desktop.core.grading.calibration import Anchors, CalibrationResult, CaseOutcome
from desktop.core.grading.grades import Grader
from desktop.core.grading.model_files import ModelInfo
from desktop.core.grading.model_service import CheckProgress, ModelOptions, ModelState
from desktop.core.review.session_records import SessionKind
from desktop.paths import UserPaths, resources_dir
from desktop.storage.database import Database
from desktop.storage.practice_sessions import PracticeSessionRepository
from desktop.storage.reviews import ReviewRepository
from desktop.ui.application import AppWindow, Choosers, Options, build_window
from desktop.ui.clock import Clock
from desktop.ui.error_dialog import build_error_box
from desktop.ui.help_dialog import HelpDialog
from desktop.ui.practice.controller import PracticeState
from desktop.ui.services import AppServices, UiResources
from desktop.ui.tasks import TaskFailure, TaskRunner
from tests.fakes import ScriptedGrader


class ScriptedModels:
    """A model service whose model is the scripted grader (always loaded)."""

    def __init__(self, grader: ScriptedGrader | None) -> None:
        self._grader = grader  # None: no model, the learner rates every answer
        self.closed = False

    def discover(self) -> list[ModelInfo]:
        return []

    def add_model_file(self, path: Path) -> ModelInfo:
        raise ModelError("not in this test")

    def options(self) -> ModelOptions:
        return ModelOptions(model="scripted")

    def save_options(self, options: ModelOptions) -> None:
        pass

    def load(self, options: ModelOptions) -> ModelState:
        return self.state()

    def state(self) -> ModelState:
        return ModelState(choice="scripted", name="scripted grader", loaded=True)

    def check_reliability(
        self,
        *,
        cancel: threading.Event | None = None,
        progress: CheckProgress | None = None,
        remeasure: bool = False,
    ) -> CalibrationResult:
        raise ModelError("not in this test")

    def grader(self) -> Grader | None:
        return self._grader

    def close(self) -> None:
        self.closed = True


def open_window(
    qtbot: QtBot,
    services: AppServices,
    user_paths: UserPaths,
    grader: ScriptedGrader | None,
    choosers: Choosers | None = None,
    clock: Clock | None = None,
) -> tuple[AppWindow, TaskRunner]:
    from dataclasses import replace

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    resources = resources_dir()
    ui = UiResources(
        resources / "styles", resources / "icons", user_paths.data_dir / "window-state.ini"
    )
    runner = TaskRunner()
    scripted = replace(services, models=ScriptedModels(grader))
    options = Options(auto_check=False, choosers=choosers or Choosers(), clock=clock)
    built = build_window(app, scripted, ui, runner, options)
    qtbot.addWidget(built.window)
    built.window.show()
    built.models.load(ModelOptions(model="scripted"))
    qtbot.waitUntil(lambda: built.models.state.loaded)
    return built, runner


@pytest.fixture
def window(qtbot: QtBot, services: AppServices, user_paths: UserPaths) -> Iterator[AppWindow]:
    built, runner = open_window(qtbot, services, user_paths, ScriptedGrader())
    yield built
    built.window.close()
    runner.shutdown()


def test_every_screen_is_reachable_by_keyboard(qtbot: QtBot, window: AppWindow) -> None:
    main = window.window
    for number, name in enumerate(
        ("home", "practice", "mock", "bank", "models", "statistics", "settings"), start=1
    ):
        qtbot.keyClick(main, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert main.current_screen().name == name
    qtbot.keyClick(main, Qt.Key.Key_F1)
    help_dialog = main.findChild(HelpDialog)
    assert help_dialog is not None and help_dialog.isVisible()
    assert help_dialog.table.rowCount() > 20
    help_dialog.close()
    qtbot.keyClick(main, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert main.current_screen().name == "practice"
    qtbot.waitUntil(lambda: window.practice.controller.state is PracticeState.ANSWERING)


def test_home_shows_counts_and_the_model(qtbot: QtBot, window: AppWindow) -> None:
    window.window.show_screen("home")
    qtbot.waitUntil(lambda: window.home.summary is not None)
    assert window.home.new.text() == "20"  # the default new-per-day limit
    assert window.home.due.text() == "0"
    assert "scripted grader" in window.home.model_label.text()
    assert window.home.topics.rowCount() > 0
    assert window.home.model_label.property("warning") is False


def test_home_warns_about_a_model_that_cannot_grade_before_the_first_grade(
    qtbot: QtBot, window: AppWindow
) -> None:
    outcomes = tuple(CaseOutcome(f"c{i}", float(i % 2), 0.6, 0.0, i < 1) for i in range(50))
    measured = CalibrationResult.from_outcomes("k", "tiny.gguf", outcomes, Anchors(0.6, 0.6))
    state = ModelState(choice="tiny.gguf", name="tiny.gguf", loaded=True, reliability=measured)
    window.home.show_model_state(state)
    text = window.home.model_label.text()
    assert "tiny.gguf cannot grade reliably (it agrees with known grades in 1 of 50 cases)" in text
    assert "word matching only" in text and "models install" in text
    assert window.home.model_label.property("warning") is True


def test_quitting_during_a_grade_cancels_it_and_keeps_the_answer(
    qtbot: QtBot, services: AppServices, user_paths: UserPaths, seeded_database: Database
) -> None:
    grader = ScriptedGrader(hold=True)
    built, _runner = open_window(qtbot, services, user_paths, grader)
    built.window.resize(900, 640)
    built.window.show_screen("practice:start")
    practice = built.practice
    qtbot.waitUntil(lambda: practice.controller.state is PracticeState.ANSWERING)
    item = practice.controller.item
    assert item is not None
    splitter = practice.view.splitter
    splitter.setSizes([150, 500])
    sizes = splitter.sizes()
    qtbot.keyClicks(practice.view.answer_pane.editor, "An answer worth keeping")
    qtbot.keyClick(
        practice.view.answer_pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert grader.grading.wait(5)

    built.window.close()  # what Ctrl+Q does
    assert grader.cancelled == 1
    assert ReviewRepository(seeded_database).reviews_of(item.question.id) == []
    sessions = PracticeSessionRepository(seeded_database)
    assert sessions.unfinished_sessions(SessionKind.REVIEW) == []  # closed on the way out

    again, second_runner = open_window(qtbot, services, user_paths, ScriptedGrader())
    try:
        assert again.window.current_screen().name == "practice"
        # The offscreen screen is 800 pixels wide, narrower than the window can be: the height
        # shows the geometry came back.
        assert again.window.height() == 640
        again.practice.start_review()
        qtbot.waitUntil(lambda: again.practice.controller.state is PracticeState.ANSWERING)
        assert again.practice.controller.item is not None
        assert again.practice.controller.item.question.id == item.question.id
        editor = again.practice.view.answer_pane.editor
        assert editor.toPlainText() == "An answer worth keeping"
        restored = again.practice.view.splitter.sizes()
        assert abs(restored[0] / sum(restored) - sizes[0] / sum(sizes)) < 0.02
    finally:
        again.window.close()
        second_runner.shutdown()


def _foreign_sqlite_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE questions (id INTEGER, text TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "make",
    [
        lambda path: path.write_text("these are my notes, not a database", encoding="utf-8"),
        _foreign_sqlite_file,  # another program's database: Viva adds nothing to it
    ],
    ids=["text", "foreign-sqlite"],
)
def test_a_database_that_cannot_be_opened_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], object]
) -> None:
    not_a_database = tmp_path / "notes.sqlite3"
    make(not_a_database)
    content = not_a_database.read_bytes()
    shown: list[TaskFailure] = []

    def capture(title: str, failure: TaskFailure) -> int:
        shown.append(failure)
        return 2

    monkeypatch.setattr("desktop.ui.application.show_startup_error", capture)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        status = composition.run_gui(UserPaths(tmp_path / "data", not_a_database))
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
    assert status == 2
    assert "is not a Viva database" in shown[0].message
    assert not_a_database.read_bytes() == content


def test_error_boxes_explain_and_offer_the_details(qtbot: QtBot) -> None:
    box = build_error_box(None, "Import", TaskFailure("The file is empty.", "line 1: nothing"))
    qtbot.addWidget(box)
    assert box.text() == "The file is empty."
    assert box.detailedText() == "line 1: nothing"
    copy = next(b for b in box.buttons() if b.text() == "Copy details")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "The file is empty.\n\nline 1: nothing"
    assert box.standardButton(box.buttons()[-1]) in (
        QMessageBox.StandardButton.Ok,
        QMessageBox.StandardButton.NoButton,
    )
