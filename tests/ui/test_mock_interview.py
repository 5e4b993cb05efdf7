"""A mock interview from setup to its summary: a typed answer, one submitted by the clock at
zero, grading in the background, no reference before the end, ratings recorded."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.bank.questions import QuestionKind
from desktop.core.mock.interview import MockStores
from desktop.storage.database import Database
from desktop.storage.practice_sessions import PracticeSessionRepository
from desktop.storage.question_bank import QuestionBank
from desktop.ui.mock.screen import MockScreen
from desktop.ui.tasks import TaskRunner
from tests.fakes import ScriptedGrader

from .conftest import FakeClock


def test_an_interview_with_an_answer_submitted_at_zero(
    qtbot: QtBot,
    mock_stores: Callable[[], MockStores],
    runner: TaskRunner,
    clock: FakeClock,
    seeded_database: Database,
) -> None:
    grader = ScriptedGrader(score=0.8)
    screen = _open(qtbot, seeded_database, mock_stores, grader, runner, clock, (1000, 800))
    setup = screen.view.setup_page
    setup.kinds[QuestionKind.STORY].setChecked(False)
    setup.count.setValue(3)
    setup.seconds.setValue(60)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)

    page = screen.view.question_page
    notice = screen.view.notice
    qtbot.waitUntil(lambda: screen.view.pages.currentWidget() is page)
    assert page.position.text() == "Question 1 of 3"
    assert page.countdown.text() == "1:00"
    asked = screen.controller.asked
    assert asked is not None and asked.number == 1
    first = QuestionBank(seeded_database).get(asked.question_id)
    assert page.question.markdown() == first.prompt  # the prompt only, no reference
    qtbot.keyClicks(page.answer_pane.editor, "Mixed precision and gradient checkpointing.")
    clock.advance(20)
    qtbot.keyClick(page.answer_pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.position.text() == "Question 2 of 3")
    assert not notice.isVisibleTo(screen)

    qtbot.keyClicks(page.answer_pane.editor, "Half an answer")
    clock.advance(45)
    qtbot.waitUntil(lambda: page.countdown.text() == "0:15")
    assert page.countdown.property("urgency") == "soon"  # a quarter of the minute left
    clock.advance(6)
    qtbot.waitUntil(lambda: page.countdown.text() == "0:09")
    assert page.countdown.property("urgency") == "now"  # the last ten seconds
    clock.advance(10)  # past zero: the draft goes in as it stands, and the learner is told
    qtbot.waitUntil(lambda: page.position.text() == "Question 3 of 3")
    assert notice.isVisibleTo(screen)
    assert notice.text() == "Time's up on question 2: your answer was saved as it stood."
    assert page.answer_pane.editor.toPlainText() == ""
    qtbot.keyClicks(page.answer_pane.editor, "Short")
    clock.advance(5)
    qtbot.keyClick(page.answer_pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    summary_page = screen.view.summary_page
    qtbot.waitUntil(lambda: screen.view.pages.currentWidget() is summary_page, timeout=10_000)
    assert not notice.isVisibleTo(screen)  # the last one was the learner's own submit

    summary = summary_page.summary
    assert summary is not None
    answers = [q.answer for q in summary.questions if q.answer is not None]
    assert [a.text for a in answers] == [
        "Mixed precision and gradient checkpointing.",
        "Half an answer",
        "Short",
    ]
    assert not answers[0].timed_out and answers[0].time_used_ms == 20_000
    assert answers[1].timed_out and answers[1].time_used_ms == 60_000
    assert grader.answers == [a.text for a in answers]
    assert summary_page.table.rowCount() == 3
    assert summary_page.table.item(0, 1).text() == "80%"
    assert "(time up)" in summary_page.table.item(1, 2).text()
    assert summary_page.reference.markdown().endswith(first.reference)
    rating = summary_page.table.cellWidget(0, 4)
    assert rating.currentText().endswith("(suggested)")  # what finishing will record

    qtbot.mouseClick(summary_page.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Recorded 3 answers;" in summary_page.message.text())
    reviews = PracticeSessionRepository(seeded_database).reviews_in_session(summary.session_id)
    assert sorted(r.review.question_id for r in reviews) == sorted(a.question_id for a in answers)
    assert not summary_page.finish_button.isEnabled()


def test_an_interrupted_interview_resumes_where_it_stood(
    qtbot: QtBot,
    mock_stores: Callable[[], MockStores],
    runner: TaskRunner,
    clock: FakeClock,
    seeded_database: Database,
) -> None:
    def open_screen(grader: ScriptedGrader | None) -> MockScreen:
        screen = MockScreen(
            QuestionBank(seeded_database), mock_stores, lambda: grader, runner, clock=clock
        )
        qtbot.addWidget(screen)
        screen.show()
        screen.on_shown()
        return screen

    first = open_screen(None)  # no model: nothing is graded before the interruption
    setup = first.view.setup_page
    qtbot.waitUntil(lambda: setup.topics.count() == 6)
    setup.count.setValue(2)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    page = first.view.question_page
    qtbot.waitUntil(lambda: page.position.text() == "Question 1 of 2")
    qtbot.keyClicks(page.answer_pane.editor, "The first answer")
    qtbot.mouseClick(page.answer_pane.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.position.text() == "Question 2 of 2")
    first.on_quit()
    first.close()

    grader = ScriptedGrader()
    again = open_screen(grader)
    resume = again.view.setup_page.resume_button
    qtbot.waitUntil(resume.isVisible)
    qtbot.mouseClick(resume, Qt.MouseButton.LeftButton)
    page = again.view.question_page
    qtbot.waitUntil(lambda: page.position.text() == "Question 2 of 2")
    qtbot.keyClicks(page.answer_pane.editor, "The second answer")
    qtbot.keyClick(page.answer_pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    summary = again.view.summary_page
    qtbot.waitUntil(lambda: again.view.pages.currentWidget() is summary, timeout=10_000)
    assert sorted(grader.answers) == ["The first answer", "The second answer"]
    assert [summary.table.item(row, 1).text() for row in range(2)] == ["70%", "70%"]


def test_waiting_for_the_grades_shows_progress_and_the_answers_given(
    qtbot: QtBot,
    mock_stores: Callable[[], MockStores],
    runner: TaskRunner,
    clock: FakeClock,
    seeded_database: Database,
) -> None:
    grader = ScriptedGrader(hold=True)
    screen = _open(qtbot, seeded_database, mock_stores, grader, runner, clock, (900, 650))
    setup = screen.view.setup_page
    mnemonics = [text[text.index("&") + 1].lower() for text in _form_labels(setup) if "&" in text]
    assert len(mnemonics) == len(set(mnemonics)), mnemonics  # one Alt key, one field
    setup.count.setValue(2)
    setup.seconds.setValue(60)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    page = screen.view.question_page
    qtbot.waitUntil(lambda: screen.view.pages.currentWidget() is page)
    qtbot.keyClicks(page.answer_pane.editor, "My first answer.")
    qtbot.keyClick(page.answer_pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.position.text() == "Question 2 of 2")
    qtbot.keyClicks(page.answer_pane.editor, "Cut short by the clock")
    clock.advance(61)  # the last question's time runs out
    view = screen.view
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.waiting_page)
    assert view.notice.isVisibleTo(screen)  # time's up, said where it happened
    assert view.waiting_progress.maximum() == 2 and view.waiting_progress.value() == 0
    shown = view.answers_so_far.toPlainText()
    assert "My first answer." in shown and "Cut short by the clock" in shown
    grader.release.set()
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.summary_page, timeout=10_000)
    assert not view.notice.isVisibleTo(screen)  # the summary is not about one question


def _form_labels(setup: QWidget) -> list[str]:
    return [label.text() for label in setup.findChildren(QLabel) if "&" in label.text()]


def test_the_summary_shows_a_timed_out_answer_s_time_whole(
    qtbot: QtBot,
    mock_stores: Callable[[], MockStores],
    runner: TaskRunner,
    clock: FakeClock,
    seeded_database: Database,
) -> None:
    screen = _open(qtbot, seeded_database, mock_stores, ScriptedGrader(), runner, clock, (900, 650))
    setup = screen.view.setup_page
    setup.count.setValue(1)
    setup.seconds.setValue(60)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    page = screen.view.question_page
    qtbot.waitUntil(lambda: screen.view.pages.currentWidget() is page)
    clock.advance(61)
    summary_page = screen.view.summary_page
    qtbot.waitUntil(lambda: screen.view.pages.currentWidget() is summary_page, timeout=10_000)
    table = summary_page.table
    text = table.item(0, 2).text()
    assert text == "1:00 (time up)"
    assert table.horizontalHeader().sectionSize(2) >= table.fontMetrics().horizontalAdvance(text)


def _open(
    qtbot: QtBot,
    database: Database,
    stores: Callable[[], MockStores],
    grader: ScriptedGrader,
    runner: TaskRunner,
    clock: FakeClock,
    size: tuple[int, int],
) -> MockScreen:
    """The mock screen shown at `size`, its setup filled in (every topic listed)."""
    screen = MockScreen(QuestionBank(database), stores, lambda: grader, runner, clock=clock)
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    screen.on_shown()
    setup = screen.view.setup_page
    qtbot.waitUntil(lambda: setup.topics.count() == 6)
    return screen
