"""One grade of one answer on the model lane: the feedback as it streams, cancel, the outcome.

A grade that fails outright (a bug, not model trouble, which the grader reports itself) comes
back as an honest `ungraded` with the reason, never as a score.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.core.grading.grades import (
    FeedbackText,
    FirstLook,
    Grade,
    Grader,
    GradingTask,
    PointJudged,
)
from desktop.ui.tasks import Lane, Task, TaskContext, TaskFailure, TaskRunner


class GradeRun(QObject):
    """Signals in the order a grade unfolds: `first_looked` at once (word matching), then
    `point_judged` per key point the model checked, `feedback` as its sentence streams, and
    `graded` (or `cancelled`)."""

    first_looked = Signal(object)  # FirstLook
    point_judged = Signal(object)  # PointJudged
    feedback = Signal(str)
    graded = Signal(object)  # Grade
    cancelled = Signal()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.task: Task | None = None
        self._first_shown = False

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self, task: GradingTask, grader: Grader, answer: str) -> None:
        """The first look comes from the quick lane, so it never waits for the model (which may
        still be finishing a chunk of the prompt it was preparing)."""
        self._runner.submit(
            Lane.QUICK,
            "looking at the answer",
            lambda _context: grader.first_look(task, answer),
            on_success=self._on_first_look,
        )

        def work(context: TaskContext) -> Grade:
            return grader.grade(task, answer, cancel=context.cancel, on_progress=context.report)

        self._first_shown = False
        self.task = self._runner.submit(
            Lane.MODEL,
            "grading the answer",
            work,
            on_success=self._on_success,
            on_failure=self._on_failure,
            on_progress=self._on_progress,
            on_cancel=self._on_cancel,
        )

    def _on_first_look(self, first: FirstLook | None) -> None:
        if first is not None and self.task is not None and not self._first_shown:
            self._first_shown = True
            self.first_looked.emit(first)

    def _on_progress(self, event: object) -> None:
        if isinstance(event, FirstLook):
            self._on_first_look(event)
        elif isinstance(event, PointJudged):
            self.point_judged.emit(event)
        elif isinstance(event, FeedbackText):
            self.feedback.emit(event.text)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_success(self, grade: Grade) -> None:
        self.task = None
        self.graded.emit(grade)

    def _on_failure(self, failure: TaskFailure) -> None:
        self.task = None
        self.graded.emit(Grade.ungraded(failure.message))

    def _on_cancel(self) -> None:
        self.task = None
        self.cancelled.emit()
