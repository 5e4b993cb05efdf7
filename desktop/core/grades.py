"""What a grade is: a score with per-key-point verdicts, or an honest `ungraded` with a reason."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from desktop.core.questions import Question


class Verdict(StrEnum):
    COVERED = "covered"
    PARTIAL = "partial"
    MISSING = "missing"


class GradeStatus(StrEnum):
    GRADED = "graded"
    UNGRADED = "ungraded"


@dataclass(frozen=True)
class KeyPointVerdict:
    text: str
    verdict: Verdict
    evidence: str = ""

    def as_json(self) -> dict[str, str]:
        return {"text": self.text, "verdict": self.verdict.value, "evidence": self.evidence}


@dataclass(frozen=True)
class GradingTask:
    """Everything the grader needs about a question; the stable part of every prompt."""

    prompt: str
    reference: str
    key_points: tuple[str, ...]
    kind: str = "qa"
    question_id: int | None = None
    wrong_answer: str | None = None

    @classmethod
    def from_question(cls, question: Question) -> GradingTask:
        return cls(
            prompt=question.prompt,
            reference=question.reference,
            key_points=question.key_points,
            kind=question.kind.value,
            question_id=question.id,
            wrong_answer=question.wrong_answer,
        )


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one answer.

    `score` is in [0, 1] when `status` is GRADED and None when UNGRADED; `reason` says why
    a grade could not be given. `flags` name what the checks noticed (e.g. "injection",
    "keyword_list", "contradicts_reference").
    """

    status: GradeStatus
    score: float | None
    key_points: tuple[KeyPointVerdict, ...] = ()
    feedback: str = ""
    reason: str = ""
    model: str = ""
    elapsed_ms: int = 0
    flags: tuple[str, ...] = ()
    details: dict[str, object] = field(default_factory=dict)

    @classmethod
    def ungraded(cls, reason: str, *, model: str = "", elapsed_ms: int = 0) -> Grade:
        return cls(
            status=GradeStatus.UNGRADED,
            score=None,
            reason=reason,
            model=model,
            elapsed_ms=elapsed_ms,
        )

    @property
    def is_graded(self) -> bool:
        return self.status is GradeStatus.GRADED

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status.value,
            "score": self.score,
            "key_points": [kp.as_json() for kp in self.key_points],
            "feedback": self.feedback,
            "reason": self.reason,
            "model": self.model,
            "elapsed_ms": self.elapsed_ms,
            "flags": list(self.flags),
        }


FeedbackCallback = Callable[[str], None]


class Grader(Protocol):
    """Grades free-text answers. Implementations live in `desktop.grading`.

    `prepare` may be called while the learner is still typing so that the stable prefix is
    already evaluated when `grade` is called. `grade` never raises for model trouble: it
    returns an UNGRADED grade with the reason. `cancel` is checked cooperatively.
    """

    @property
    def identity(self) -> str: ...

    def prepare(self, task: GradingTask) -> None: ...

    def grade(
        self,
        task: GradingTask,
        answer: str,
        *,
        cancel: threading.Event | None = None,
        on_feedback: FeedbackCallback | None = None,
    ) -> Grade: ...

    def close(self) -> None: ...
