"""The practice screen's behaviour: a small state machine over a core `ReviewSession`.

idle -> loading -> answering -> grading -> rating -> saving -> answering (next) ... -> finished

The session lives on the database lane (`Confined`): the screen sees only the snapshots its calls
return, and grading on the model lane works from the question's `GradingTask`, never the
session. While grading, a second submit is
ignored; Esc cancels the grade and returns to the answer. An answer being written is kept as a
draft, so quitting (even mid-grade) loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor

from desktop.core.grading.grades import FirstLook, Grade, Grader, PointJudged
from desktop.core.review.cards import Rating
from desktop.core.review.due_queue import NO_FILTER, QueueFilter
from desktop.core.review.session import PendingAnswer, PracticeItem, ReviewSession
from desktop.ui.clock import Clock, Stopwatch, SystemClock, format_seconds
from desktop.ui.confined import Confined
from desktop.ui.error_dialog import show_failure
from desktop.ui.practice.drafts import Drafts
from desktop.ui.practice.grade_run import GradeListener, GradeRun
from desktop.ui.practice.shown import SessionSnapshot, ShownQuestion, render, snapshot
from desktop.ui.practice.view import PracticeView
from desktop.ui.tasks import Lane, TaskFailure, TaskRunner
from desktop.ui.wording import count_of

NO_MODEL_NOTE = "No model is loaded: compare with the reference and rate yourself."
SELF_RATED_NOTE = "You chose to rate this answer yourself."
UNDONE_NOTE = "Your last review was undone: rate this answer again."


class PracticeState(StrEnum):
    IDLE = "idle"
    LOADING = "loading"
    ANSWERING = "answering"
    GRADING = "grading"
    RATING = "rating"
    SAVING = "saving"
    FINISHED = "finished"


class PracticeController(QObject):
    state_changed = Signal(str)
    status_changed = Signal(str)
    reviewed = Signal()

    def __init__(
        self,
        view: PracticeView,
        new_session: Callable[[QueueFilter], ReviewSession],
        current_grader: Callable[[], Grader | None],
        runner: TaskRunner,
        drafts: Drafts,
        *,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(view)
        self.view = view
        self._new_session = new_session
        self._current_grader = current_grader
        self._runner = runner
        self._drafts = drafts
        self.session = Confined[ReviewSession](runner, Lane.DATABASE, self._on_failed)
        self.state = PracticeState.IDLE
        self.shown: ShownQuestion | None = None
        self.answered = 0  # as of the latest snapshot
        self.deck: str | None = None  # the deck being practised; None: every deck
        self.pending: PendingAnswer | None = None
        self._next_due: dict[Rating, datetime] = {}  # of the question on screen
        self.grade_run = GradeRun(
            runner,
            GradeListener(
                first_looked=self._on_first_looked,
                point_judged=self._on_point_judged,
                feedback=self._on_feedback,
                graded=self._hold,
                cancelled=self._on_grade_cancelled,
            ),
        )
        self._answer = ""
        self._duration_ms = 0
        self._graded_by = ""
        self.stopwatch = Stopwatch(clock or SystemClock(), self)
        self.stopwatch.ticked.connect(lambda s: view.timer_label.setText(format_seconds(s)))

    @property
    def item(self) -> PracticeItem | None:
        """The question on screen, or None."""
        return self.shown.item if self.shown is not None else None

    def _set_state(self, state: PracticeState) -> None:
        self.state = state
        self.view.answer_pane.set_grading(state is PracticeState.GRADING)
        self.view.rating_bar.set_busy(state is PracticeState.SAVING)
        self.state_changed.emit(state.value)

    def _move(
        self,
        doing: str,
        work: Callable[[ReviewSession], object],
        then: Callable[[object], None] | None = None,
    ) -> None:
        """Runs `work`, then shows the question the session is on, or finishes; `then` gets
        what `work` returned, once it succeeded."""

        def step(session: ReviewSession) -> tuple[object, SessionSnapshot]:
            return work(session), snapshot(session)

        def done(outcome: tuple[object, SessionSnapshot]) -> None:
            if then is not None:
                then(outcome[0])
            self._on_snapshot(outcome[1])

        self.session.call(doing, step, done)

    def start(self) -> None:
        """Starts today's review, or returns to the one in progress."""
        if self.state not in (PracticeState.IDLE, PracticeState.FINISHED):
            return
        self._set_state(PracticeState.LOADING)
        self.view.show_empty("Reading today's queue…")

        def begin(session: ReviewSession) -> SessionSnapshot:
            session.start()
            return snapshot(session)

        filters = QueueFilter(decks=(self.deck,)) if self.deck is not None else NO_FILTER
        self.session.open(
            "starting the review", partial(self._new_session, filters), begin, self._on_snapshot
        )

    def choose_deck(self, deck: str | None) -> None:
        """Practise only `deck` (None: every deck). A review in progress starts again on that
        deck's queue; the answer being written is kept as a draft."""
        if deck == self.deck:
            return
        self.deck = deck
        if self.state in (PracticeState.ANSWERING, PracticeState.FINISHED):
            self.quit()
            self.shown, self.pending = None, None
            self._set_state(PracticeState.IDLE)
            self.start()

    def _on_snapshot(self, seen: SessionSnapshot) -> None:
        self.pending, self.answered = None, seen.answered
        item = seen.item
        if item is None:
            self.shown = None
            self._finish()
            return
        dark = self.view.question.is_dark()
        self._runner.submit(
            Lane.QUICK,
            "showing the question",
            lambda _context: render(item, dark=dark),
            on_success=lambda shown: self._on_shown(shown, seen),
            on_failure=self._on_failed,
        )

    def _on_shown(self, shown: ShownQuestion, seen: SessionSnapshot) -> None:
        self.shown = shown
        self._next_due = seen.next_due
        progress = f"Answered {seen.answered} · {seen.upcoming} more in the queue"
        undone = seen.pending
        if undone is not None and undone.item.question.id == shown.item.question.id:
            # An undone review: its answer and grade come back, to be rated again.
            self.view.show_question(shown, progress, undone.answer)
            self._answer, self._duration_ms = undone.answer, undone.duration_ms
            self._graded_by = undone.grader
            self.stopwatch.start(undone.duration_ms / 1000)  # Esc goes on from its time
            self.stopwatch.stop()
            self._on_pending(undone, UNDONE_NOTE)
            self.status_changed.emit(
                "Last review undone: rate it again (1-4), or press Esc to change your answer."
            )
            return
        self.view.show_question(shown, progress, self._drafts.load(shown.item.question.id))
        self._set_state(PracticeState.ANSWERING)
        self.stopwatch.start()
        grader = self._current_grader()
        if grader is not None:
            task = shown.task
            # Evaluates the stable prompt prefix while the learner types; gives way to a grade.
            self._runner.submit(
                Lane.MODEL,
                "preparing the grader",
                lambda context: grader.prepare(task, context.cancel),
                background=True,
            )

    def pause(self) -> None:
        """The learner left the screen: the question's time stops counting."""
        self.stopwatch.stop()

    def resume(self) -> None:
        """The learner is back: the time runs again while they answer."""
        if self.state is PracticeState.ANSWERING:
            self.stopwatch.resume()

    def _finish(self) -> None:
        answered = self.answered
        self.session.close("closing the session", ReviewSession.finish)
        self.stopwatch.stop()
        self._set_state(PracticeState.FINISHED)
        where = f" in {self.deck}" if self.deck is not None else ""
        if answered:
            self.view.show_finished(
                f"You answered {count_of(answered, 'question')}. See you tomorrow."
            )
        else:
            self.view.show_empty(f"Nothing is due{where} right now. New questions arrive tomorrow.")
        self.reviewed.emit()

    def submit(self, *, self_rated: bool = False) -> None:
        if self.state is not PracticeState.ANSWERING or self.shown is None:
            return  # e.g. a second Ctrl+Enter while grading
        self._answer = self.view.answer_pane.editor.toPlainText()
        self._duration_ms = int(self.stopwatch.stop() * 1000)
        self._drafts.save(self.shown.item.question.id, self._answer)
        grader = None if self_rated else self._current_grader()
        if grader is None:
            self._set_state(PracticeState.SAVING)
            self._hold(None, SELF_RATED_NOTE if self_rated else NO_MODEL_NOTE)
        else:
            self._grade(grader)

    def _grade(self, grader: Grader) -> None:
        assert self.shown is not None
        self._set_state(PracticeState.GRADING)
        self._graded_by = grader.identity
        self.grade_run.start(self.shown.task, grader, self._answer)

    def _on_first_looked(self, first: FirstLook) -> None:
        if self.state is PracticeState.GRADING:
            self.view.answer_pane.show_first_look(first)

    def _on_point_judged(self, judged: PointJudged) -> None:
        if self.state is PracticeState.GRADING:
            self.view.answer_pane.show_point_judged(judged)

    def _on_feedback(self, chunk: str) -> None:
        if self.state is PracticeState.GRADING:
            self.view.answer_pane.append_feedback(chunk)

    def _on_grade_cancelled(self) -> None:
        self._set_state(PracticeState.ANSWERING)
        self.view.answer_pane.editor.setFocus()
        self.stopwatch.resume()
        self.status_changed.emit("Grading cancelled: your answer is still here.")

    def cancel_grading(self) -> None:
        if self.state is PracticeState.GRADING and self.grade_run.running:
            self.grade_run.cancel()
            self.view.answer_pane.grading_label.setText("Cancelling…")

    def escape(self) -> None:
        """Esc: cancels a grade in flight, or leaves the result for the answer, to change it
        and submit again (the rating is not recorded)."""
        if self.state is PracticeState.GRADING:
            self.cancel_grading()
        elif self.state is PracticeState.RATING and self.shown is not None:
            self.pending = None
            self.view.show_answering()
            self.view.answer_pane.editor.setPlainText(self._answer)
            self.view.answer_pane.editor.moveCursor(QTextCursor.MoveOperation.End)
            self._set_state(PracticeState.ANSWERING)
            self.view.answer_pane.editor.setFocus()
            self.stopwatch.resume()

    def _hold(self, grade: Grade | None, note: str = "") -> None:
        """The answer and its grade, held here for the rating: the window has all it needs."""
        assert self.shown is not None
        self._on_pending(
            PendingAnswer.of(
                self.shown.item,
                self._answer,
                grade,
                self._next_due,
                self._duration_ms,
                self._graded_by,
            ),
            note,
        )

    def _on_pending(self, pending: PendingAnswer, note: str) -> None:
        self.pending = pending
        assert self.shown is not None
        self.view.show_pending(pending, self.shown, note)
        self._set_state(PracticeState.RATING)

    def retry(self) -> None:
        grader = self._current_grader()
        if self.state is PracticeState.RATING and grader is not None:
            self.view.show_answering()
            self._grade(grader)

    def rate(self, rating: Rating | None) -> None:
        """A rating key (1-4), or Enter (None) to accept the suggestion."""
        pending = self.pending
        if self.state is not PracticeState.RATING or pending is None:
            return
        if rating is None and pending.suggestion.rating is None:
            self.status_changed.emit("This answer has no suggested rating: press 1, 2, 3 or 4.")
            return
        self._set_state(PracticeState.SAVING)

        def recorded(_none: object) -> None:
            # Only once the review is stored: a failed save keeps the draft and the rating.
            self._drafts.clear(pending.item.question.id)
            self.reviewed.emit()

        self._move(
            "recording the review",
            partial(ReviewSession.confirm, rating=rating, answer=pending),
            recorded,
        )

    def move_on(self, how: str) -> None:
        """Skip or bury the current question."""
        if self.state not in (PracticeState.ANSWERING, PracticeState.RATING) or not self.shown:
            return
        self._drafts.save(self.shown.item.question.id, self.view.answer_pane.editor.toPlainText())
        self._set_state(PracticeState.LOADING)
        said = (
            "Buried until tomorrow: the question is hidden for the rest of the study day."
            if how == "bury"
            else "Skipped: the question comes back after the rest of today's queue."
        )
        self._move(
            f"{how}ing the question",
            ReviewSession.bury if how == "bury" else ReviewSession.skip,
            lambda _item: self.status_changed.emit(said),
        )

    def undo(self) -> None:
        if self.state not in (PracticeState.ANSWERING, PracticeState.RATING):
            return
        self._set_state(PracticeState.LOADING)

        def undone(stored: object) -> None:
            self.status_changed.emit("Last review undone." if stored else "Nothing to undo.")
            self.reviewed.emit()

        self._move("undoing the last review", ReviewSession.undo, undone)

    def _on_failed(self, failure: TaskFailure) -> None:
        recover = PracticeState.RATING if self.pending else PracticeState.ANSWERING
        self._set_state(recover if self.shown is not None else PracticeState.IDLE)
        if self.shown is None:
            self.view.show_empty(failure.message)
        show_failure(self.view, "Practice", failure)

    def quit(self) -> None:
        """Keeps the answer as a draft and cancels a grade in flight."""
        if self.shown is not None and self.state in (
            PracticeState.ANSWERING,
            PracticeState.GRADING,
        ):
            self._drafts.save(
                self.shown.item.question.id, self.view.answer_pane.editor.toPlainText()
            )
        self.grade_run.cancel()
        self.session.close("closing the session", ReviewSession.finish)
