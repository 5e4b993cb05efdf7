"""A full review the way a learner does it: type, submit, see verdicts, override the rating,
next; cancelling a grade; a second submit while grading; self-rating without a model."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.core.grading.grades import (
    TRUNCATED,
    Grade,
    Grader,
    GradeStatus,
    KeyPointVerdict,
    Verdict,
)
from desktop.core.review.cards import Rating, ReviewStatus
from desktop.core.review.due_queue import NO_FILTER, QueueFilter
from desktop.core.review.session import ReviewSession
from desktop.storage.database import Database
from desktop.storage.reviews import ReviewRepository
from desktop.ui.practice.controller import PracticeState
from desktop.ui.practice.drafts import Drafts
from desktop.ui.practice.screen import PracticeScreen
from desktop.ui.tasks import Lane, TaskRunner
from tests.fakes import ScriptedGrader

ANSWER = "Autograd records operations on tensors and replays them backwards."


@pytest.fixture
def grader() -> ScriptedGrader:
    return ScriptedGrader()


def make_screen(
    qtbot: QtBot,
    new_session: Callable[[QueueFilter], ReviewSession],
    grader: Grader | None,
    runner: TaskRunner,
) -> PracticeScreen:
    screen = PracticeScreen(new_session, lambda: grader, runner, Drafts(None))
    qtbot.addWidget(screen)
    screen.resize(1000, 800)
    screen.show()
    return screen


@pytest.fixture
def screen(
    qtbot: QtBot,
    new_review_session: Callable[[QueueFilter], ReviewSession],
    grader: ScriptedGrader,
    runner: TaskRunner,
) -> Iterator[PracticeScreen]:
    practice = make_screen(qtbot, new_review_session, grader, runner)
    yield practice


def wait_for(qtbot: QtBot, screen: PracticeScreen, state: PracticeState) -> None:
    qtbot.waitUntil(lambda: screen.controller.state is state, timeout=10_000)


def start_and_type(qtbot: QtBot, screen: PracticeScreen, answer: str = ANSWER) -> None:
    qtbot.mouseClick(screen.view.empty_page.button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, screen, PracticeState.ANSWERING)
    editor = screen.view.answer_pane.editor
    assert editor.hasFocus()
    qtbot.keyClicks(editor, answer)


def test_a_full_review_with_an_overridden_rating(
    qtbot: QtBot, screen: PracticeScreen, grader: ScriptedGrader, seeded_database: Database
) -> None:
    start_and_type(qtbot, screen)
    first = screen.controller.item
    assert first is not None
    assert screen.view.answer_pane.word_count.text() == "9 words"
    assert screen.view.question.markdown() == first.question.prompt
    qtbot.keyClick(
        screen.view.answer_pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    wait_for(qtbot, screen, PracticeState.RATING)

    panel = screen.view.result_panel
    assert panel.score_label.text() == "Score 70%"
    verdicts = panel.verdicts()
    assert verdicts[0] == ("covered", first.question.key_points[0])
    assert [v for v, _ in verdicts[:2]] == ["covered", "partial"]
    assert panel.feedback.text() == "Good start, but you missed a point."
    # The two documents are filled on the next turn of the event loop.
    qtbot.waitUntil(lambda: ANSWER in panel.answer.toPlainText())
    assert panel.reference.markdown() == first.question.reference
    assert grader.answers == [ANSWER]
    assert grader.prepared and grader.prepared[0].question_id == first.question.id
    suggested = screen.view.rating_bar.suggested
    assert suggested is not None

    override = Rating.EASY if suggested is not Rating.EASY else Rating.HARD
    qtbot.keyClick(screen, Qt.Key.Key_0 + int(override))
    wait_for(qtbot, screen, PracticeState.ANSWERING)
    assert screen.controller.item is not None
    assert screen.controller.item.question.id != first.question.id
    assert screen.view.answer_pane.editor.toPlainText() == ""

    stored = ReviewRepository(seeded_database).reviews_of(first.question.id)
    assert len(stored) == 1
    review = stored[0].review
    assert review.rating is override
    assert review.suggested_rating is suggested
    assert review.overridden
    assert review.status is ReviewStatus.GRADED
    assert review.answer_text == ANSWER
    assert review.score == pytest.approx(0.7)


def test_enter_accepts_the_suggested_rating(
    qtbot: QtBot, screen: PracticeScreen, seeded_database: Database
) -> None:
    start_and_type(qtbot, screen)
    first = screen.controller.item
    assert first is not None
    qtbot.mouseClick(screen.view.answer_pane.submit_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, screen, PracticeState.RATING)
    suggested = screen.view.rating_bar.suggested
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    wait_for(qtbot, screen, PracticeState.ANSWERING)
    review = ReviewRepository(seeded_database).reviews_of(first.question.id)[0].review
    assert review.rating is suggested
    assert not review.overridden


def test_a_second_submit_while_grading_is_ignored_and_esc_cancels(
    qtbot: QtBot,
    new_review_session: Callable[[QueueFilter], ReviewSession],
    runner: TaskRunner,
    seeded_database: Database,
) -> None:
    grader = ScriptedGrader(hold=True)
    screen = make_screen(qtbot, new_review_session, grader, runner)
    start_and_type(qtbot, screen)
    editor = screen.view.answer_pane.editor
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert screen.controller.state is PracticeState.GRADING
    assert grader.grading.wait(5)
    qtbot.waitUntil(lambda: "missed a point" in screen.view.answer_pane.streamed.toPlainText())
    assert editor.isReadOnly()
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(screen.view.answer_pane.submit_button, Qt.MouseButton.LeftButton)
    assert len(grader.answers) == 1

    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    wait_for(qtbot, screen, PracticeState.ANSWERING)
    assert grader.cancelled == 1
    assert not editor.isReadOnly()
    assert editor.toPlainText() == ANSWER
    item = screen.controller.item
    assert item is not None
    assert ReviewRepository(seeded_database).reviews_of(item.question.id) == []


def test_without_a_model_the_learner_rates_themselves(
    qtbot: QtBot,
    new_review_session: Callable[[QueueFilter], ReviewSession],
    runner: TaskRunner,
    seeded_database: Database,
) -> None:
    screen = make_screen(qtbot, new_review_session, None, runner)
    start_and_type(qtbot, screen)
    item = screen.controller.item
    assert item is not None
    qtbot.keyClick(
        screen.view.answer_pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    wait_for(qtbot, screen, PracticeState.RATING)
    assert screen.view.result_panel.score_label.text() == "Rate yourself"
    assert "No model" in screen.view.result_panel.reason_label.text()
    assert screen.view.rating_bar.suggested is None
    qtbot.keyClick(screen, Qt.Key.Key_Return)  # no suggestion: Enter alone does nothing
    assert screen.controller.state is PracticeState.RATING
    qtbot.keyClick(screen, Qt.Key.Key_3)
    wait_for(qtbot, screen, PracticeState.ANSWERING)
    review = ReviewRepository(seeded_database).reviews_of(item.question.id)[0].review
    assert review.status is ReviewStatus.SELF_RATED
    assert review.rating is Rating.GOOD
    assert review.score is None


def test_the_first_look_appears_at_once_while_the_model_is_still_busy(
    qtbot: QtBot,
    new_review_session: Callable[[QueueFilter], ReviewSession],
    runner: TaskRunner,
    seeded_database: Database,
) -> None:
    grader = ScriptedGrader(hold=True)
    screen = make_screen(qtbot, new_review_session, grader, runner)
    start_and_type(qtbot, screen)
    busy = threading.Event()
    runner.submit(Lane.MODEL, "finishing other model work", lambda _c: busy.wait(10))
    qtbot.keyClick(
        screen.view.answer_pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    label = screen.view.answer_pane.score_label
    qtbot.waitUntil(lambda: label.text().startswith("First look (word matching): 50%"))
    assert grader.answers == []  # the model has not even started on this answer
    busy.set()
    # Then the model's verdicts replace it, point by point, while its feedback streams.
    qtbot.waitUntil(lambda: label.text().startswith("Score 70% — the model checked every"))
    assert screen.controller.state is PracticeState.GRADING
    grader.release.set()
    wait_for(qtbot, screen, PracticeState.RATING)
    assert grader.answers == [ANSWER]


def test_a_review_that_cannot_be_stored_keeps_the_draft_and_the_rating(
    qtbot: QtBot,
    new_review_session: Callable[[QueueFilter], ReviewSession],
    grader: ScriptedGrader,
    runner: TaskRunner,
    seeded_database: Database,
) -> None:
    drafts = Drafts(None)
    screen = PracticeScreen(new_review_session, lambda: grader, runner, drafts)
    qtbot.addWidget(screen)
    screen.show()
    start_and_type(qtbot, screen)
    first = screen.controller.item
    assert first is not None
    qtbot.mouseClick(screen.view.answer_pane.submit_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, screen, PracticeState.RATING)
    # Meanwhile another window reviews the same question: this save is refused as stale.
    other = new_review_session(NO_FILTER)
    other.start()
    other.submit("answered elsewhere", None)
    other.confirm(Rating.GOOD)

    qtbot.keyClick(screen, Qt.Key.Key_3)
    wait_for(qtbot, screen, PracticeState.RATING)
    assert drafts.load(first.question.id) == ANSWER
    assert screen.controller.pending is not None
    reviews = ReviewRepository(seeded_database).reviews_of(first.question.id)
    assert [stored.review.answer_text for stored in reviews] == ["answered elsewhere"]


def test_a_very_long_answer_is_stored_whole_and_the_result_says_how_it_was_read(
    qtbot: QtBot,
    new_review_session: Callable[[QueueFilter], ReviewSession],
    runner: TaskRunner,
    seeded_database: Database,
) -> None:
    long_grade = Grade(
        GradeStatus.GRADED,
        0.6,
        (KeyPointVerdict("a point", Verdict.PARTIAL),),
        model="scripted",
        flags=(TRUNCATED,),
    )
    screen = make_screen(qtbot, new_review_session, ScriptedGrader(grades=[long_grade]), runner)
    start_and_type(qtbot, screen, "x")
    item = screen.controller.item
    assert item is not None
    answer = "Gradient checkpointing trades compute for memory. " * 1000  # about 50 KB
    screen.view.answer_pane.editor.setPlainText(answer)
    qtbot.keyClick(
        screen.view.answer_pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    wait_for(qtbot, screen, PracticeState.RATING)
    reason = screen.view.result_panel.reason_label
    assert reason.isVisibleTo(screen) and "Your answer is long" in reason.text()
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    wait_for(qtbot, screen, PracticeState.ANSWERING)
    stored = ReviewRepository(seeded_database).reviews_of(item.question.id)[-1].review
    assert stored.answer_text == answer and TRUNCATED in stored.flags
