"""The test suite's fakes, in one place: a scripted model backend (edge cases no real model
gives on demand) and a scripted grader (fast UI and workflow tests; the real grader has tests of
its own on real models)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from desktop.core.errors import Cancelled
from desktop.core.grading.grades import (
    FeedbackText,
    FirstLook,
    Grade,
    GradeStatus,
    GradingTask,
    KeyPointVerdict,
    PointJudged,
    ProgressCallback,
    Verdict,
)
from desktop.grading.backend import BackendError, ChatMessage, Completion, TextCallback

Reply = str | BackendError | Cancelled | Callable[[threading.Event | None], Completion]
Probability = float | BackendError | Cancelled


class ScriptedBackend:
    """Answers from a script, in order: `verdicts` for the closed questions (the probability of
    "yes", or an error to raise), `replies` for completions (text streamed in small pieces, an
    error, or a function of the cancel event). Records every call."""

    def __init__(
        self,
        verdicts: Sequence[Probability] = (),
        replies: Sequence[Reply] = (),
        *,
        finish_reason: str = "stop",
        default_verdict: float = 1.0,
    ) -> None:
        self.verdicts = list(verdicts)
        self.replies = list(replies)
        self.finish_reason = finish_reason
        self.default_verdict = default_verdict
        self.calls: list[list[ChatMessage]] = []
        self.questions: list[list[ChatMessage]] = []
        self.prefills: list[str] = []
        self.closed = False

    @property
    def identity(self) -> str:
        return "scripted"

    def prefill(
        self,
        messages: Sequence[ChatMessage],
        placeholder: str,
        *,
        cancel: threading.Event | None = None,
    ) -> None:
        self.prefills.append(messages[-1].content.split(placeholder)[0])

    def choose(
        self,
        messages: Sequence[ChatMessage],
        choices: Sequence[str],
        *,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
    ) -> tuple[float, ...]:
        self.questions.append(list(messages))
        verdict = self.verdicts.pop(0) if self.verdicts else self.default_verdict
        if isinstance(verdict, BackendError | Cancelled):
            raise verdict
        return (verdict, 1.0 - verdict)

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        schema: dict[str, Any] | None,
        max_tokens: int,
        cancel: threading.Event | None = None,
        on_text: TextCallback | None = None,
        deadline: float | None = None,
    ) -> Completion:
        self.calls.append(list(messages))
        reply = self.replies.pop(0) if self.replies else ""
        if isinstance(reply, BackendError | Cancelled):
            raise reply
        if callable(reply):
            return reply(cancel)
        for start in range(0, len(reply), 7):
            if on_text is not None:
                on_text(reply[start : start + 7])
        return Completion(reply, self.finish_reason)

    def close(self) -> None:
        self.closed = True


class ScriptedGrader:
    """Grades every answer the same scripted way: the first key point covered, the second
    partial, the rest missing; feedback streamed in chunks. With `grades`, it returns those in
    turn instead. With `hold` set, each grade waits for `release` (or a cancel) so a test can
    act while the grade is in flight. Records the tasks and answers it was given."""

    identity = "scripted grader"

    def __init__(
        self, *, score: float = 0.7, hold: bool = False, grades: Sequence[Grade] = ()
    ) -> None:
        self.score = score
        self.hold = hold
        self.grades = list(grades)
        self.release = threading.Event()
        self.grading = threading.Event()
        self.answers: list[str] = []
        self.tasks: list[GradingTask] = []
        self.prepared: list[GradingTask] = []
        self.cancelled = 0

    def prepare(self, task: GradingTask, cancel: threading.Event | None = None) -> None:
        self.prepared.append(task)

    def first_look(self, task: GradingTask, answer: str) -> FirstLook | None:
        return FirstLook(0.5, tuple(KeyPointVerdict(p, Verdict.PARTIAL) for p in task.key_points))

    def grade(
        self,
        task: GradingTask,
        answer: str,
        *,
        cancel: threading.Event | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Grade:
        self.answers.append(answer)
        self.tasks.append(task)
        if self.grades:
            return self.grades.pop(0)
        first = self.first_look(task, answer)
        if on_progress is not None and first is not None:
            on_progress(first)
        verdicts = [Verdict.COVERED, Verdict.PARTIAL]
        points = tuple(
            KeyPointVerdict(text, verdicts[i] if i < len(verdicts) else Verdict.MISSING)
            for i, text in enumerate(task.key_points)
        )
        for index, point in enumerate(points):
            if on_progress is not None:
                on_progress(PointJudged(index, point, self.score))
        self.grading.set()
        for chunk in ("Good start", ", but ", "you missed a point."):
            if on_progress is not None:
                on_progress(FeedbackText(chunk))
        while self.hold and not self.release.is_set():
            if cancel is not None and cancel.wait(0.005):
                self.cancelled += 1
                raise Cancelled
        return Grade(
            status=GradeStatus.GRADED,
            score=self.score,
            key_points=points,
            feedback="Good start, but you missed a point.",
            model=self.identity,
            elapsed_ms=12,
        )

    def close(self) -> None:
        pass
