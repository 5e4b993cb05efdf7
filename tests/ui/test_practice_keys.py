"""Practice by keyboard in the whole window, each key sent where the focus really is: rating
keys on every result screen, Ctrl+Z from the answer editor bringing back the last answer and
its grade to rate again, Esc from the result back to the answer, and the question's time that
stops while the learner is on another screen."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.review.cards import Rating, ReviewStatus
from desktop.paths import UserPaths
from desktop.storage.database import Database
from desktop.storage.reviews import ReviewRepository
from desktop.ui.application import AppWindow
from desktop.ui.practice.controller import PracticeState
from desktop.ui.practice.result_panel import MIN_COMPARE_HEIGHT
from desktop.ui.services import AppServices
from desktop.ui.tasks import Lane
from tests.fakes import ScriptedGrader
from tests.ui.conftest import FakeClock
from tests.ui.test_app_window import open_window

NO_MODIFIER = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def window(
    qtbot: QtBot, services: AppServices, user_paths: UserPaths, clock: FakeClock
) -> Iterator[AppWindow]:
    built, runner = open_window(qtbot, services, user_paths, ScriptedGrader(), clock=clock)
    built.window.activateWindow()
    qtbot.waitUntil(built.window.isActiveWindow)
    yield built
    built.window.close()
    runner.shutdown()


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    """A key as a person presses it: it goes to whatever has the focus."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the focus"
    qtbot.keyClick(target, key, modifier)


def start(qtbot: QtBot, window: AppWindow) -> None:
    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.practice.controller.state is PracticeState.ANSWERING)
    assert QApplication.focusWidget() is window.practice.view.answer_pane.editor
    qtbot.keyClicks(QApplication.focusWidget(), "Autograd records the operations.")


@pytest.mark.parametrize(
    ("how", "key", "rating", "status"),
    [
        ("graded", Qt.Key.Key_2, Rating.HARD, ReviewStatus.GRADED),
        ("rate yourself", Qt.Key.Key_4, Rating.EASY, ReviewStatus.SELF_RATED),
    ],
)
def test_rating_keys_work_on_every_result_screen(
    qtbot: QtBot,
    window: AppWindow,
    seeded_database: Database,
    how: str,
    key: Qt.Key,
    rating: Rating,
    status: ReviewStatus,
) -> None:
    controller = window.practice.controller
    start(qtbot, window)
    item = controller.item
    assert item is not None
    control = Qt.KeyboardModifier.ControlModifier
    if how == "graded":
        press(qtbot, Qt.Key.Key_Return, control)
    else:
        press(qtbot, Qt.Key.Key_R, control | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    focused = QApplication.focusWidget()
    assert focused is not None and window.practice.isAncestorOf(focused)
    press(qtbot, key)
    qtbot.waitUntil(lambda: controller.state is PracticeState.ANSWERING)
    review = ReviewRepository(seeded_database).reviews_of(item.question.id)[-1].review
    assert (review.rating, review.status) == (rating, status)


def test_ctrl_z_in_the_editor_brings_back_the_last_answer_and_grade_to_rate_again(
    qtbot: QtBot, window: AppWindow, seeded_database: Database
) -> None:
    controller = window.practice.controller
    start(qtbot, window)
    first = controller.item
    assert first is not None
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    score = window.practice.view.result_panel.score_label.text()
    press(qtbot, Qt.Key.Key_3)
    qtbot.waitUntil(
        lambda: (
            controller.state is PracticeState.ANSWERING
            and controller.item is not None
            and controller.item.question.id != first.question.id
        )
    )
    assert QApplication.focusWidget() is window.practice.view.answer_pane.editor
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing typed yet
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    assert controller.item is not None and controller.item.question.id == first.question.id
    assert window.practice.view.result_panel.score_label.text() == score  # not graded again
    # Its grading time was not kept: the line names the grader and claims no "0.0 s".
    assert window.practice.view.result_panel.model_label.text() == "Graded by scripted grader"
    answer = window.practice.view.result_panel.answer  # filled on the next turn of the loop
    qtbot.waitUntil(lambda: "Autograd records the operations." in answer.toPlainText())
    press(qtbot, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: controller.state is PracticeState.ANSWERING)
    reviews = ReviewRepository(seeded_database).reviews_of(first.question.id)
    assert [r.review.rating for r in reviews] == [Rating.AGAIN]
    assert reviews[0].review.answer_text == "Autograd records the operations."
    assert reviews[0].review.score is not None


def test_esc_on_the_result_goes_back_to_the_answer(qtbot: QtBot, window: AppWindow) -> None:
    controller = window.practice.controller
    start(qtbot, window)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    press(qtbot, Qt.Key.Key_Escape)
    assert controller.state is PracticeState.ANSWERING
    editor = window.practice.view.answer_pane.editor
    assert QApplication.focusWidget() is editor
    assert editor.toPlainText() == "Autograd records the operations."


def test_the_time_stops_while_the_learner_is_elsewhere(
    qtbot: QtBot, window: AppWindow, seeded_database: Database, clock: FakeClock
) -> None:
    controller = window.practice.controller
    start(qtbot, window)
    item = controller.item
    assert item is not None
    clock.advance(30)
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # Home, for ten minutes
    clock.advance(600)
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.window.current_screen().name == "practice"
    clock.advance(15)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    assert window.practice.view.timer_label.text() == "0:45"
    press(qtbot, Qt.Key.Key_Escape)  # back to the answer: the time goes on from there
    clock.advance(5)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    press(qtbot, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: controller.state is PracticeState.ANSWERING)
    review = ReviewRepository(seeded_database).reviews_of(item.question.id)[-1].review
    assert review.duration_ms == 50_000


def test_skip_and_bury_say_what_they_did(qtbot: QtBot, window: AppWindow) -> None:
    controller = window.practice.controller
    start(qtbot, window)
    said: list[str] = []
    window.practice.status_changed.connect(said.append)
    control_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    first = controller.item
    press(qtbot, Qt.Key.Key_S, control_shift)
    qtbot.waitUntil(lambda: controller.item is not first and bool(said))
    assert said[-1].startswith("Skipped: the question comes back")
    qtbot.waitUntil(lambda: controller.state is PracticeState.ANSWERING)
    press(qtbot, Qt.Key.Key_B, control_shift)
    qtbot.waitUntil(lambda: len(said) == 2)
    assert said[-1].startswith("Buried until tomorrow")


def test_the_window_works_at_800_by_600(qtbot: QtBot, window: AppWindow) -> None:
    main = window.window
    main.resize(800, 600)
    qtbot.waitUntil(lambda: main.width() == 800 and main.height() == 600)
    controller = window.practice.controller
    start(qtbot, window)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    panel = window.practice.view.result_panel
    # The result scrolls instead of squeezing the reference and the answer to two lines.
    assert panel.compare.height() >= MIN_COMPARE_HEIGHT
    assert panel.reference.height() >= MIN_COMPARE_HEIGHT - 40
    for screen in main.screens:
        assert screen.minimumSizeHint().width() <= 800 - main.sidebar.width(), screen.name


def test_rating_keys_work_without_a_model(
    qtbot: QtBot,
    services: AppServices,
    user_paths: UserPaths,
    seeded_database: Database,
) -> None:
    built, runner = open_window(qtbot, services, user_paths, None)
    built.window.activateWindow()
    qtbot.waitUntil(built.window.isActiveWindow)
    controller = built.practice.controller
    start(qtbot, built)
    item = controller.item
    assert item is not None
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    assert built.practice.view.result_panel.score_label.text() == "Rate yourself"
    press(qtbot, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: controller.state is PracticeState.ANSWERING)
    review = ReviewRepository(seeded_database).reviews_of(item.question.id)[-1].review
    assert (review.rating, review.status) == (Rating.HARD, ReviewStatus.SELF_RATED)
    built.window.close()
    runner.shutdown()


def test_the_status_bar_says_what_is_running(qtbot: QtBot, window: AppWindow) -> None:
    release = threading.Event()
    runner = window.window.runner
    runner.submit(Lane.DATABASE, "reading the question bank", lambda _c: release.wait(5))
    label = window.window.busy_label
    qtbot.waitUntil(lambda: label.isVisible() and label.text() == "Reading the question bank…")
    release.set()
    qtbot.waitUntil(lambda: not label.isVisible())


def test_an_answer_brought_back_by_undo_keeps_its_time(
    qtbot: QtBot, window: AppWindow, seeded_database: Database, clock: FakeClock
) -> None:
    controller = window.practice.controller
    start(qtbot, window)
    first = controller.item
    assert first is not None
    clock.advance(20)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    press(qtbot, Qt.Key.Key_3)
    qtbot.waitUntil(
        lambda: (
            controller.state is PracticeState.ANSWERING
            and controller.item is not None
            and controller.item.question.id != first.question.id
        )
    )
    clock.advance(7)  # time on the next question does not belong to the first
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    press(qtbot, Qt.Key.Key_Escape)  # change the answer: its time goes on from 20 s
    clock.advance(5)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    press(qtbot, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: controller.state is PracticeState.ANSWERING)
    (review,) = ReviewRepository(seeded_database).reviews_of(first.question.id)
    assert review.review.duration_ms == 25_000


def test_rating_keys_work_after_going_elsewhere_by_the_sidebar(
    qtbot: QtBot, window: AppWindow, seeded_database: Database
) -> None:
    """The learner clicks another screen in the sidebar and Practice again, then presses 3."""
    controller = window.practice.controller
    start(qtbot, window)
    item = controller.item
    assert item is not None
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    sidebar = window.window.sidebar
    practice_row = sidebar.currentRow()
    sidebar.setFocus()
    sidebar.setCurrentRow(0)
    qtbot.waitUntil(lambda: window.window.current_screen().name != "practice")
    sidebar.setCurrentRow(practice_row)
    qtbot.waitUntil(lambda: window.window.current_screen().name == "practice")

    press(qtbot, Qt.Key.Key_3)

    qtbot.waitUntil(lambda: controller.state is PracticeState.ANSWERING)
    review = ReviewRepository(seeded_database).reviews_of(item.question.id)[-1].review
    assert review.rating is Rating.GOOD


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter], ids=["return", "keypad"])
def test_ctrl_enter_submits_once_from_the_editor(
    qtbot: QtBot, window: AppWindow, key: Qt.Key
) -> None:
    start(qtbot, window)
    controller = window.practice.controller
    submits: list[str] = []
    controller.state_changed.connect(submits.append)
    press(qtbot, key, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state is PracticeState.RATING)
    assert submits.count(PracticeState.GRADING.value) == 1
    assert controller.pending is not None
    assert controller.pending.answer == "Autograd records the operations."
