"""What a grade is: a score with per-key-point verdicts, or an honest `ungraded` with a reason."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from desktop.core.bank.questions import Question


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
    "keyword_list", "contradicts_reference"); `word_matching_only` marks a grade that no
    model's verdicts took part in.
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
    score_ms: int = 0  # submit to the final score; `elapsed_ms` runs to the end of the feedback

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

    @property
    def notes(self) -> tuple[str, ...]:
        """What the learner should know about how this answer was read."""
        return (LONG_ANSWER_NOTE,) if TRUNCATED in self.flags else ()

    @property
    def word_matching_only(self) -> bool:
        """Graded on key-point evidence alone: no model judged what the answer claims."""
        return self.is_graded and WORD_MATCHING_ONLY in self.flags

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status.value,
            "score": self.score,
            "key_points": [kp.as_json() for kp in self.key_points],
            "feedback": self.feedback,
            "reason": self.reason,
            "model": self.model,
            "elapsed_ms": self.elapsed_ms,
            "score_ms": self.score_ms,
            "flags": list(self.flags),
        }


WORD_MATCHING_ONLY = "evidence_only"
# What a grade made by word matching alone names as its grader (no model judged the answer).
WORD_MATCHING_GRADER = "word matching (key-point evidence) only"
# How much of an answer the grader reads: the model the first part, the key-point checks more.
MODEL_ANSWER_CHARS = 3000
CHECKED_ANSWER_CHARS = 20_000
# The most of an answer that is kept: the editor and the command line refuse more, and a
# review records no more (well above what is graded, so nothing graded is ever cut).
STORED_ANSWER_CHARS = 100_000
TRUNCATED = "truncated"  # the flag of an answer longer than the model reads
INJECTION = "injection"  # the flag of an answer that instructs the grader
SCRAMBLED = "scrambled"  # the flag of an answer that is the reference's words out of order
# The flag of an answer about its own grading whose model verdicts said more than its evidence.
GRADER_ADDRESSED = "grader_addressed"
LONG_ANSWER_NOTE = (
    f"Your answer is long: the model read its first {MODEL_ANSWER_CHARS:,} characters and the "
    f"key-point checks its first {CHECKED_ANSWER_CHARS:,}. It is stored whole."
)
WORD_MATCHING_CAVEAT = (
    "Graded by word matching only: it cannot tell a claim from its opposite, so check the "
    "reference yourself."
)


@dataclass(frozen=True)
class FirstLook:
    """The word-matching score, known within milliseconds of a submit, before any model."""

    score: float
    key_points: tuple[KeyPointVerdict, ...]


@dataclass(frozen=True)
class PointJudged:
    """The model's verdict on key point `index` replaced its word-matching one; `score` is the
    grade's running score with it."""

    index: int
    point: KeyPointVerdict
    score: float


@dataclass(frozen=True)
class FeedbackText:
    """A piece of the model's feedback sentence, streamed after the score is known."""

    text: str


GradeProgress = FirstLook | PointJudged | FeedbackText
ProgressCallback = Callable[[GradeProgress], None]


class Grader(Protocol):
    """Grades free-text answers. Implementations live in `desktop.grading`.

    `prepare` may be called while the learner is still typing so that the stable prefix is
    already evaluated when `grade` is called. `grade` never raises for model trouble: it
    returns a labelled or UNGRADED grade with the reason. `cancel` is checked cooperatively;
    once it is set, `prepare` and `grade` raise `desktop.core.errors.Cancelled`.
    `on_progress` hears the first look at once, then each model verdict, then the feedback.
    """

    @property
    def identity(self) -> str: ...

    def prepare(self, task: GradingTask, cancel: threading.Event | None = None) -> None: ...

    def first_look(self, task: GradingTask, answer: str) -> FirstLook | None:
        """The word-matching score alone, in milliseconds (None: nothing to grade)."""
        ...

    def grade(
        self,
        task: GradingTask,
        answer: str,
        *,
        cancel: threading.Event | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Grade: ...

    def close(self) -> None: ...
