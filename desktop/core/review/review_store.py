"""A review as it is recorded, and the Protocol of the store that records and undoes reviews.

Recording is one transaction: the review (with the card before and after it) and the card
itself change together, and both are on disk when `record` returns. Undo removes the latest
review and puts its card back exactly as it was before that review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from desktop.core.errors import VivaError
from desktop.core.grading.grades import Grade, GradeStatus, KeyPointVerdict
from desktop.core.review.cards import CardSnapshot, Rating, ReviewStatus
from desktop.core.review.rating import RatingDecision
from desktop.core.review.study_day import StudyDay


class StaleCardError(VivaError):
    """The card changed between reading it and recording a review of it (another window?)."""


@dataclass(frozen=True)
class NewReview:
    """Everything stored about one answer.

    `card_before` is None when the question had no card yet; `card_after` is None when the
    review does not count toward the schedule (`counted` False, e.g. a practice-only mock
    interview), in which case the card is left alone.
    """

    question_id: int
    reviewed_at: datetime
    rating: Rating
    status: ReviewStatus
    card_before: CardSnapshot | None
    card_after: CardSnapshot | None
    answer_text: str = ""
    duration_ms: int = 0
    score: float | None = None
    key_points: tuple[KeyPointVerdict, ...] = ()
    feedback: str = ""
    grade_reason: str = ""
    flags: tuple[str, ...] = ()
    model: str = ""
    grader_settings: dict[str, Any] = field(default_factory=dict)
    suggested_rating: Rating | None = None
    overridden: bool = False
    session_id: int | None = None

    @property
    def counted(self) -> bool:
        return self.card_after is not None

    def grade(self) -> Grade | None:
        """The grade this review kept (None: the learner rated without one), so an undone
        review can be rated again without grading again."""
        if self.score is not None:
            status = GradeStatus.GRADED
        elif self.grade_reason or self.model:
            status = GradeStatus.UNGRADED
        else:
            return None
        return Grade(
            status,
            self.score,
            self.key_points,
            self.feedback,
            self.grade_reason,
            self.model,
            flags=self.flags,
        )

    @classmethod
    def from_grade(
        cls,
        *,
        grade: Grade | None,
        decision: RatingDecision,
        answer_text: str,
        reviewed_at: datetime,
        card_before: CardSnapshot | None,
        card_after: CardSnapshot | None,
        question_id: int,
        duration_ms: int = 0,
        session_id: int | None = None,
        grader_settings: dict[str, Any] | None = None,
    ) -> NewReview:
        """A review of an answer that went through the grader (`grade` None: rating only)."""
        # A self-rated review keeps no score: an ungraded answer is never given one.
        graded = grade is not None and grade.is_graded
        return cls(
            question_id=question_id,
            reviewed_at=reviewed_at,
            rating=decision.rating,
            status=decision.status,
            card_before=card_before,
            card_after=card_after,
            answer_text=answer_text,
            duration_ms=duration_ms,
            score=grade.score if graded and grade is not None else None,
            key_points=grade.key_points if grade is not None else (),
            feedback=grade.feedback if grade is not None else "",
            grade_reason=grade.reason if grade is not None else "",
            flags=grade.flags if grade is not None else (),
            model=grade.model if grade is not None else "",
            grader_settings=dict(grader_settings or {}),
            suggested_rating=decision.suggested,
            overridden=decision.overridden,
            session_id=session_id,
        )


@dataclass(frozen=True)
class StoredReview:
    """A recorded review and its id."""

    id: int
    review: NewReview


@dataclass(frozen=True)
class DailyCounts:
    """Counted reviews in one study day: first answers to new questions, and review answers."""

    new: int = 0
    reviews: int = 0


@dataclass(frozen=True)
class RatingHistoryEntry:
    """One counted rating, as the FSRS optimiser reads it."""

    question_id: int
    rating: Rating
    reviewed_at: datetime
    duration_ms: int


class ReviewStore(Protocol):
    """Records reviews; implemented by `desktop.storage.reviews.ReviewRepository`."""

    def record(self, review: NewReview) -> StoredReview:
        """Stores the review and applies `card_after`; raises `StaleCardError` when the stored
        card is not `card_before`. Durable when it returns."""
        ...

    def undo_last(self) -> StoredReview | None:
        """Removes the latest review and restores its card; None when there is none."""
        ...

    def last_review(self) -> StoredReview | None: ...

    def daily_counts(self, day: StudyDay) -> DailyCounts: ...

    def rating_history(self) -> list[RatingHistoryEntry]: ...
