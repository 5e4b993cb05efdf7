"""One grade of one answer on the model lane: the feedback as it streams, cancel, the outcome.

A grade that fails outright (a bug, not model trouble, which the grader reports itself) comes
back as an honest `ungraded` with the reason, never as a score.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.core.grades import Grade, Grader
from desktop.core.practice import ReviewSession
from desktop.ui.tasks import Lane, Task, TaskContext, TaskFailure, TaskRunner


class GradeRun(QObject):
    feedback = Signal(str)
    graded = Signal(object)  # Grade
    cancelled = Signal()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.task: Task | None = None

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self, session: ReviewSession, grader: Grader, answer: str) -> None:
        def work(context: TaskContext) -> Grade:
            return session.grade(grader, answer, cancel=context.cancel, on_feedback=context.report)

        self.task = self._runner.submit(
            Lane.MODEL,
            "grading the answer",
            work,
            on_success=self._on_success,
            on_failure=self._on_failure,
            on_progress=lambda chunk: self.feedback.emit(str(chunk)),
            on_cancel=self._on_cancel,
        )

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_success(self, grade: Grade) -> None:
        task, self.task = self.task, None
        # The grader returns "ungraded: cancelled" rather than raising; it is a cancel.
        if task is not None and task.cancel_event.is_set():
            self.cancelled.emit()
        else:
            self.graded.emit(grade)

    def _on_failure(self, failure: TaskFailure) -> None:
        self.task = None
        self.graded.emit(Grade.ungraded(failure.message))

    def _on_cancel(self) -> None:
        self.task = None
        self.cancelled.emit()
