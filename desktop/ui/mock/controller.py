"""A mock interview's behaviour over the core `MockInterview`.

Each answer is saved at once (database lane) and graded in the background (model lane) while
the next question is asked; the summary waits for the last grade. The countdown reads the
injected clock, and at zero the draft is submitted as it stands. The interview lives on the
database lane (`Confined`); the screen sees only the snapshots its calls return.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from desktop.core.grading.grades import Grade, Grader, GradingTask
from desktop.core.mock.answers import MockSummary
from desktop.core.mock.interview import MockConfig, MockInterview, MockStores
from desktop.core.review.session_records import SessionKind
from desktop.ui.clock import Clock, Countdown
from desktop.ui.confined import Confined
from desktop.ui.error_dialog import show_failure
from desktop.ui.mock.view import MockView
from desktop.ui.tasks import Lane, Task, TaskContext, TaskFailure, TaskRunner
from desktop.ui.wording import count_of


@dataclass(frozen=True)
class Asked:
    """The question being asked, as the database lane saw it."""

    question_id: int
    prompt: str
    number: int  # from 1
    count: int
    limit_s: float


def asked(interview: MockInterview) -> Asked | None:
    """Runs on the database lane; None once every question is answered."""
    prompt = interview.current_prompt()
    if prompt is None:
        return None
    return Asked(
        interview.question_ids[interview.index],
        prompt,
        interview.index + 1,
        len(interview.question_ids),
        interview.time_limit.total_seconds(),
    )


@dataclass(frozen=True)
class Submitted:
    """An answer kept, as the database lane saw it (with the question asked next)."""

    index: int
    task: GradingTask
    answer: str
    next: Asked | None

    @classmethod
    def of(cls, interview: MockInterview, index: int, next: Asked | None = None) -> Submitted:
        """Runs on the database lane."""
        return cls(index, interview.grading_task(index), interview.answers[index].text, next)


class MockController(QObject):
    summary_shown = Signal(object)  # MockSummary
    recorded = Signal()
    status_changed = Signal(str)

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
        self.interview = Confined[MockInterview](runner, Lane.DATABASE, self._on_failed)
        self.asked: Asked | None = None  # the question on screen
        self._answered = 0  # answers kept in this interview
        self.grading: dict[int, Task[Grade]] = {}
        self.submitting = False
        self._awaiting_summary = False  # every answer is in; the summary comes once graded
        self._starting = False
        self.countdown = Countdown(clock, self)
        self.countdown.ticked.connect(view.question_page.show_remaining)
        self.countdown.expired.connect(self._time_up)

    def start(self, config: MockConfig) -> None:
        if self.interview.is_open:
            return
        now = self._clock.now()
        self.view.setup_page.message.setText("Choosing questions…")
        self._open(
            "starting the interview", lambda: MockInterview.start(config, self._stores(), now)
        )

    def resume(self, session_id: int) -> None:
        """Picks up an interview that was interrupted (the app closed, or crashed)."""
        if self.interview.is_open:
            return
        now = self._clock.now()
        self._open(
            "resuming the interview",
            lambda: MockInterview.resume(session_id, self._stores(), now),
        )

    def _open(self, doing: str, build: Callable[[], MockInterview]) -> None:
        def opened(interview: MockInterview) -> tuple[list[Submitted], Asked | None]:
            # Answers given before an interruption that were never graded, and the question.
            waiting = [Submitted.of(interview, index) for index in interview.ungraded()]
            return waiting, asked(interview)

        self._awaiting_summary = False
        self._starting = True
        self.interview.open(doing, build, opened, self._on_started)

    def unfinished(self) -> list[int]:
        """Interviews started and never finished, newest first (runs off the GUI thread)."""
        sessions = self._stores().sessions.unfinished_sessions(SessionKind.MOCK)
        return [info.id for info in sessions]

    def _on_started(self, opened: tuple[list[Submitted], Asked | None]) -> None:
        self._starting = False
        self.view.setup_page.message.setText("")
        waiting, first = opened
        grader = self._current_grader()
        if grader is not None:
            for submitted in waiting:
                self._grade(grader, submitted)
        self._ask(first)

    def _ask(self, question: Asked | None) -> None:
        if not self.interview.is_open:
            return
        self.asked = question
        if question is None:
            self._await_summary()
            return
        page = self.view.question_page
        page.show_question(question.number, question.count, question.prompt, question.limit_s)
        self.view.show_question()
        page.answer_pane.editor.setFocus()
        self.submitting = False
        self.countdown.start(question.limit_s)

    def _time_up(self) -> None:
        """The clock reached zero: the answer is submitted as it stands, and the learner is
        told so (on the next question's page, or the page waiting for the summary)."""
        if self.asked is None or self.submitting:
            return
        notice = f"Time's up on question {self.asked.number}: your answer was saved as it stood."
        self.view.show_notice(notice)
        self.status_changed.emit(notice)
        self.submit(keep_notice=True)

    def submit(self, *, keep_notice: bool = False) -> None:
        """Submits the answer as it stands: by the learner, or by the clock at zero."""
        if not keep_notice:
            self.view.show_notice("")
        if self.asked is None or self.submitting or self._awaiting_summary:
            return
        self.submitting = True
        self.countdown.stop()
        text = self.view.question_page.answer_pane.editor.toPlainText()
        now = self._clock.now()

        def keep(interview: MockInterview) -> Submitted:
            interview.submit(text, now)
            return Submitted.of(interview, len(interview.answers) - 1, asked(interview))

        self.interview.call("saving the answer", keep, self._on_submitted)

    def _on_submitted(self, submitted: Submitted) -> None:
        self._answered = submitted.index + 1
        self.view.add_answer(submitted.index + 1, submitted.task.prompt, submitted.answer)
        grader = self._current_grader()
        if grader is not None:
            self._grade(grader, submitted)
        self._ask(submitted.next)

    def _grade(self, grader: Grader, submitted: Submitted) -> None:
        # Everything here comes from the database lane's snapshot: the interview object itself
        # belongs to that lane.
        text = submitted.answer
        index = submitted.index

        def work(context: TaskContext) -> Grade:
            return grader.grade(submitted.task, text, cancel=context.cancel)

        def graded(grade: Grade) -> None:
            self.interview.call(
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
        text = f"Grading {count_of(waiting, 'answer')} in the background…" if waiting else ""
        self.view.question_page.background.setText(text)
        self.view.waiting_label.setText(
            f"Grading your answers… {waiting} to go." if waiting else "Preparing the summary…"
        )
        self.view.show_grading_progress(self._answered - waiting, self._answered)

    def _await_summary(self) -> None:
        self._awaiting_summary = True
        self.view.show_waiting()
        if not self.grading:
            self.interview.call("preparing the summary", lambda i: i.summary(), self._on_summary)

    def _on_summary(self, summary: MockSummary) -> None:
        self.view.summary_page.show_summary(summary)
        self.view.show_summary()
        self.summary_shown.emit(summary)

    def finish(self) -> None:
        page = self.view.summary_page
        if not self.interview.is_open or page.summary is None or page.summary.finished:
            return
        ratings, counts, now = page.ratings(), page.counts.isChecked(), self._clock.now()
        page.finish_button.setEnabled(False)

        def record(interview: MockInterview) -> MockSummary:
            return interview.finish(now, ratings=ratings, counts_toward_schedule=counts)

        def recorded(summary: MockSummary) -> None:
            self._on_summary(summary)
            applied = "applied to your schedule" if counts else "kept out of your schedule"
            reviews = sum(1 for q in summary.questions if q.answer is not None)
            page.message.setText(f"Recorded {count_of(reviews, 'answer')}; ratings {applied}.")
            self.recorded.emit()

        self.interview.call("recording the interview", record, recorded)

    def reset(self) -> None:
        """Back to the setup, for a new interview."""
        self.countdown.stop()
        for task in self.grading.values():
            task.cancel()
        self.grading.clear()
        self.interview.close("leaving the interview")
        self.asked = None
        self._answered = 0
        self._awaiting_summary = False
        self.view.summary_page.message.setText("")
        self.view.show_setup()

    def _on_failed(self, failure: TaskFailure) -> None:
        if self._starting:  # no interview to go back to: the setup says why
            self._starting = False
            self.interview.close("leaving the interview")
            self.view.setup_page.message.setText(failure.message)
            return
        self.submitting = False
        self.view.summary_page.finish_button.setEnabled(True)
        self.view.summary_page.message.setText(failure.message)
        show_failure(self.view, "Mock interview", failure)

    def quit(self) -> None:
        """Answers are saved as they are given; only grading in flight is cancelled."""
        self.countdown.stop()
        for task in self.grading.values():
            task.cancel()
