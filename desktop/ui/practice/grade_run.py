"""One grade of one answer on the model lane: the feedback as it streams, cancel, the outcome.

A grade that fails outright (a bug, not model trouble, which the grader reports itself) comes
back as an honest `ungraded` with the reason, never as a score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.grading.grades import (
    FeedbackText,
    FirstLook,
    Grade,
    Grader,
    GradingTask,
    PointJudged,
)
from desktop.ui.tasks import Lane, Task, TaskContext, TaskFailure, TaskRunner


@dataclass(frozen=True)
class GradeListener:
    """Told in the GUI thread, in the order a grade unfolds: the first look at once (word
    matching), each key point the model checked, the feedback as its sentence streams, then the
    grade (or the cancel)."""

    first_looked: Callable[[FirstLook], None]
    point_judged: Callable[[PointJudged], None]
    feedback: Callable[[str], None]
    graded: Callable[[Grade], None]
    cancelled: Callable[[], None]


class GradeRun:
    def __init__(self, runner: TaskRunner, listener: GradeListener) -> None:
        self._runner = runner
        self._listener = listener
        self.task: Task[Grade] | None = None
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
            self._listener.first_looked(first)

    def _on_progress(self, event: object) -> None:
        if isinstance(event, FirstLook):
            self._on_first_look(event)
        elif isinstance(event, PointJudged):
            self._listener.point_judged(event)
        elif isinstance(event, FeedbackText):
            self._listener.feedback(event.text)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_success(self, grade: Grade) -> None:
        self.task = None
        self._listener.graded(grade)

    def _on_failure(self, failure: TaskFailure) -> None:
        self._on_success(Grade.ungraded(failure.message))

    def _on_cancel(self) -> None:
        self.task = None
        self._listener.cancelled()
