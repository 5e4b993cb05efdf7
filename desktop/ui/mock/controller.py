"""A mock interview's behaviour over the core `MockInterview`.

Each answer is saved at once (database lane) and graded in the background (model lane) while
the next question is asked; the summary waits for the last grade. The countdown reads the
injected clock, and at zero the draft is submitted as it stands. Interview calls run on the
database lane only, so the object is never used from two threads at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.core.grades import Grade, Grader, GradingTask
from desktop.core.mock_answers import MockSummary
from desktop.core.mock_interview import MockConfig, MockInterview, MockStores
from desktop.core.practice_sessions import SessionKind
from desktop.ui.clock import Clock, Countdown
from desktop.ui.error_dialog import show_failure
from desktop.ui.mock.view import MockView
from desktop.ui.tasks import Lane, Task, TaskContext, TaskFailure, TaskRunner


@dataclass(frozen=True)
class Submitted:
    """What the database lane returns after an answer was kept."""

    index: int
    task: GradingTask
    answer: str
    next_prompt: str | None


class MockController(QObject):
    summary_shown = Signal(object)  # MockSummary
    recorded = Signal()

    def __init__(
        self,
        view: MockView,
        stores: Callable[[], MockStores],
        current_grader: Callable[[], Grader | None],
        runner: TaskRunner,
        clock: Clock,
    ) -> None:
        super().__init__(view)
        self.view = view
        self._stores = stores
        self._current_grader = current_grader
        self._runner = runner
        self._clock = clock
        self.interview: MockInterview | None = None
        self.grading: dict[int, Task] = {}
        self.submitting = False
        self._awaiting_summary = False  # every answer is in; the summary comes once graded
        self.countdown = Countdown(clock, self)
        self.countdown.ticked.connect(view.question_page.show_remaining)
        self.countdown.expired.connect(self.submit)

    def _db(
        self, doing: str, work: Callable[[MockInterview], Any], done: Callable[[Any], None]
    ) -> None:
        interview = self.interview
        assert interview is not None
        self._runner.submit(
            Lane.DATABASE,
            doing,
            lambda _c: work(interview),
            on_success=done,
            on_failure=self._on_failed,
        )

    def start(self, config: MockConfig) -> None:
        if self.interview is not None:
            return
        now = self._clock.now()
        self.view.setup_page.message.setText("Choosing questions…")

        def begin(_context: TaskContext) -> MockInterview:
            return MockInterview.start(config, self._stores(), now)

        self._runner.submit(
            Lane.DATABASE,
            "starting the interview",
            begin,
            on_success=self._on_started,
            on_failure=self._on_start_failed,
        )

    def resume(self, session_id: int) -> None:
        """Picks up an interview that was interrupted (the app closed, or crashed)."""
        if self.interview is not None:
            return
        now = self._clock.now()
        self._runner.submit(
            Lane.DATABASE,
            "resuming the interview",
            lambda _c: MockInterview.resume(session_id, self._stores(), now),
            on_success=self._on_started,
            on_failure=self._on_start_failed,
        )

    def unfinished(self) -> list[int]:
        """Interviews started and never finished, newest first (runs off the GUI thread)."""
        sessions = self._stores().sessions.unfinished_sessions(SessionKind.MOCK)
        return [info.id for info in sessions]

    def _on_start_failed(self, failure: TaskFailure) -> None:
        self.view.setup_page.message.setText(failure.message)

    def _on_started(self, interview: MockInterview) -> None:
        self.interview = interview
        self._awaiting_summary = False
        self.view.setup_page.message.setText("")

        def waiting(i: MockInterview) -> list[Submitted]:
            # Answers given before an interruption that were never graded.
            return [
                Submitted(index, i.grading_task(index), i.answers[index].text, None)
                for index in i.ungraded()
            ]

        self._db("reading the answers given", waiting, self._grade_all)
        self._db("reading the question", lambda i: i.current_prompt(), self._ask)

    def _grade_all(self, answers: list[Submitted]) -> None:
        grader = self._current_grader()
        if grader is None:
            return
        for submitted in answers:
            self._grade(grader, submitted)

    def _ask(self, prompt: str | None) -> None:
        interview = self.interview
        if interview is None:
            return
        if prompt is None:
            self._await_summary()
            return
        limit = interview.time_limit.total_seconds()
        page = self.view.question_page
        page.show_question(interview.index + 1, len(interview.question_ids), prompt, limit)
        self.view.show_question()
        page.answer_pane.editor.setFocus()
        self.submitting = False
        self.countdown.start(limit)

    def submit(self) -> None:
        """Submits the answer as it stands: by the learner, or by the clock at zero."""
        if self.interview is None or self.submitting or self._awaiting_summary:
            return
        self.submitting = True
        self.countdown.stop()
        text = self.view.question_page.answer_pane.editor.toPlainText()
        now = self._clock.now()

        def keep(interview: MockInterview) -> Submitted:
            interview.submit(text, now)
            index = len(interview.answers) - 1
            return Submitted(
                index,
                interview.grading_task(index),
                interview.answers[index].text,
                interview.current_prompt(),
            )

        self._db("saving the answer", keep, self._on_submitted)

    def _on_submitted(self, submitted: Submitted) -> None:
        grader = self._current_grader()
        if grader is not None:
            self._grade(grader, submitted)
        self._ask(submitted.next_prompt)

    def _grade(self, grader: Grader, submitted: Submitted) -> None:
        # Everything here comes from the database lane's snapshot: the interview object itself
        # belongs to that lane.
        text = submitted.answer
        index = submitted.index

        def work(context: TaskContext) -> Grade:
            return grader.grade(submitted.task, text, cancel=context.cancel)

        def graded(grade: Grade) -> None:
            self._db(
                "saving the grade",
                lambda i: i.set_grade(index, grade),
                lambda _none: self._on_grade_saved(index),
            )

        self.grading[index] = self._runner.submit(
            Lane.MODEL,
            "grading an answer",
            work,
            on_success=graded,
            on_failure=lambda _failure: self._on_grade_saved(index),
            on_cancel=lambda: self._on_grade_saved(index),
        )
        self._show_grading_status()

    def _on_grade_saved(self, index: int) -> None:
        self.grading.pop(index, None)
        self._show_grading_status()
        # Known on this thread: set once the last answer's grade was queued (not read from the
        # interview, which the database lane may be changing right now).
        if self._awaiting_summary and not self.grading:
            self._await_summary()

    def _show_grading_status(self) -> None:
        waiting = len(self.grading)
        text = f"Grading {waiting} answer(s) in the background…" if waiting else ""
        self.view.question_page.background.setText(text)
        self.view.waiting_label.setText(
            f"Grading your answers… {waiting} to go." if waiting else "Preparing the summary…"
        )

    def _await_summary(self) -> None:
        self._awaiting_summary = True
        self.view.show_waiting()
        if not self.grading:
            self._db("preparing the summary", lambda i: i.summary(), self._on_summary)

    def _on_summary(self, summary: MockSummary) -> None:
        self.view.summary_page.show_summary(summary)
        self.view.show_summary()
        self.summary_shown.emit(summary)

    def finish(self) -> None:
        page = self.view.summary_page
        if self.interview is None or page.summary is None or page.summary.finished:
            return
        ratings, counts, now = page.ratings(), page.counts.isChecked(), self._clock.now()
        page.finish_button.setEnabled(False)

        def record(interview: MockInterview) -> MockSummary:
            return interview.finish(now, ratings=ratings, counts_toward_schedule=counts)

        def recorded(summary: MockSummary) -> None:
            self._on_summary(summary)
            applied = "applied to your schedule" if counts else "kept out of your schedule"
            page.message.setText(f"Recorded {len(ratings)} answer(s); ratings {applied}.")
            self.recorded.emit()

        self._db("recording the interview", record, recorded)

    def reset(self) -> None:
        """Back to the setup, for a new interview."""
        self.countdown.stop()
        for task in self.grading.values():
            task.cancel()
        self.grading.clear()
        self.interview = None
        self._awaiting_summary = False
        self.view.summary_page.message.setText("")
        self.view.show_setup()

    def _on_failed(self, failure: TaskFailure) -> None:
        self.submitting = False
        self.view.summary_page.finish_button.setEnabled(True)
        self.view.summary_page.message.setText(failure.message)
        show_failure(self.view, "Mock interview", failure)

    def quit(self) -> None:
        """Answers are saved as they are given; only grading in flight is cancelled."""
        self.countdown.stop()
        for task in self.grading.values():
            task.cancel()
