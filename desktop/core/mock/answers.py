"""A mock interview's answers and summary, and how answers are kept in the session record.

Answers (and their grades, once graded) are saved into the session's configuration as they come,
so an interview interrupted by a crash loses nothing: it is resumed from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from desktop.core.bank.questions import Question
from desktop.core.grading.grades import Grade, GradeStatus, KeyPointVerdict, Verdict
from desktop.core.review.cards import Rating
from desktop.core.review.study_day import require_aware


@dataclass(frozen=True)
class MockAnswer:
    """One answer: what was written, how long it took, whether time ran out, its grade."""

    question_id: int
    text: str
    started_at: datetime
    submitted_at: datetime
    time_used_ms: int
    timed_out: bool
    grade: Grade | None = None

    def graded_with(self, grade: Grade) -> MockAnswer:
        return replace(self, grade=grade)

    def as_json(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "text": self.text,
            "started_at": self.started_at.isoformat(),
            "submitted_at": self.submitted_at.isoformat(),
            "time_used_ms": self.time_used_ms,
            "timed_out": self.timed_out,
            "grade": None if self.grade is None else self.grade.as_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MockAnswer:
        grade = data.get("grade")
        return cls(
            question_id=int(data["question_id"]),
            text=str(data["text"]),
            started_at=require_aware(datetime.fromisoformat(data["started_at"])),
            submitted_at=require_aware(datetime.fromisoformat(data["submitted_at"])),
            time_used_ms=int(data["time_used_ms"]),
            timed_out=bool(data["timed_out"]),
            grade=None if grade is None else grade_from_json(grade),
        )


def grade_from_json(data: dict[str, Any]) -> Grade:
    """The inverse of `Grade.as_json` (details are not kept)."""
    return Grade(
        status=GradeStatus(data["status"]),
        score=None if data.get("score") is None else float(data["score"]),
        key_points=tuple(
            KeyPointVerdict(str(kp["text"]), Verdict(kp["verdict"]), str(kp.get("evidence", "")))
            for kp in data.get("key_points", [])
        ),
        feedback=str(data.get("feedback", "")),
        reason=str(data.get("reason", "")),
        model=str(data.get("model", "")),
        elapsed_ms=int(data.get("elapsed_ms", 0)),
        flags=tuple(str(flag) for flag in data.get("flags", [])),
    )


@dataclass(frozen=True)
class MockQuestionSummary:
    """One question of the summary; the reference is shown only here, after the interview.

    `rating` is the one applied (after `finish`) or the one that would be (the suggestion);
    None while an ungraded answer awaits the learner's own rating. `next_due` is set once a
    counted interview is finished.
    """

    question: Question
    answer: MockAnswer | None
    missed_key_points: tuple[str, ...]
    partial_key_points: tuple[str, ...]
    suggested_rating: Rating | None
    rating: Rating | None
    next_due: datetime | None = None

    @property
    def score(self) -> float | None:
        grade = self.answer.grade if self.answer else None
        return grade.score if grade is not None and grade.is_graded else None

    @property
    def needs_own_rating(self) -> bool:
        """An answer that could not be graded and has no rating of the learner's yet."""
        return self.answer is not None and self.suggested_rating is None and self.rating is None


@dataclass(frozen=True)
class MockSummary:
    """The whole interview: per question, and totals over the answers given."""

    session_id: int
    questions: tuple[MockQuestionSummary, ...]
    counts_toward_schedule: bool
    finished: bool

    @property
    def time_used_ms(self) -> int:
        return sum(q.answer.time_used_ms for q in self.questions if q.answer is not None)

    @property
    def average_score(self) -> float | None:
        """Mean over graded answers only: an ungraded answer has no score to average."""
        scores = [q.score for q in self.questions if q.score is not None]
        return sum(scores) / len(scores) if scores else None
