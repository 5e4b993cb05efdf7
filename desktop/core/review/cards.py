"""Scheduling domain types: card state, ratings, and a recorded review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum


class CardState(StrEnum):
    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Rating:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown rating {text!r}: use again, hard, good or easy") from None


class ReviewStatus(StrEnum):
    GRADED = "graded"
    UNGRADED = "ungraded"
    SELF_RATED = "self-rated"


@dataclass(frozen=True)
class CardSnapshot:
    """The scheduling state of one question at one moment (all datetimes UTC-aware)."""

    question_id: int
    state: CardState
    due: datetime
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    buried_until: datetime | None = None


@dataclass(frozen=True)
class PastAnswer:
    """An answer given elsewhere (another app's review log): when, the rating, the time."""

    at: datetime
    rating: Rating
    duration_ms: int = 0


@dataclass(frozen=True)
class PastCard:
    """A card's answers given elsewhere, oldest first, and when that app has it due now."""

    answers: tuple[PastAnswer, ...]
    due: datetime | None
