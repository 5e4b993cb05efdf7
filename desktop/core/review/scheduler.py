"""FSRS scheduling behind our own types: a `CardSnapshot` and a `Rating` in, the next card out.

The `fsrs` package has no "new" state (a fresh card is Learning at step 0) and no review or
lapse counters; this wrapper adds both, keeps every datetime timezone-aware UTC, and turns card
snapshots into the JSON stored with each review (`card_before` / `card_after`) and back, so undo
can restore a card exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fsrs import Card, ReviewLog, Scheduler, State
from fsrs import Rating as FsrsRating

from desktop.core.review.cards import CardSnapshot, CardState, Rating
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.study_day import require_aware

_TO_FSRS_STATE = {
    CardState.NEW: State.Learning,
    CardState.LEARNING: State.Learning,
    CardState.REVIEW: State.Review,
    CardState.RELEARNING: State.Relearning,
}
_FROM_FSRS_STATE = {
    State.Learning: CardState.LEARNING,
    State.Review: CardState.REVIEW,
    State.Relearning: CardState.RELEARNING,
}


def new_card(question_id: int, at: datetime) -> CardSnapshot:
    """The card of a question never reviewed: new, available from `at`."""
    return CardSnapshot(question_id=question_id, state=CardState.NEW, due=require_aware(at))


def to_fsrs_card(card: CardSnapshot) -> Card:
    if card.state is CardState.NEW:
        return Card(card_id=card.question_id, state=State.Learning, step=0, due=card.due)
    return Card(
        card_id=card.question_id,
        state=_TO_FSRS_STATE[card.state],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def build_fsrs_scheduler(settings: ScheduleSettings, *, fuzz: bool | None = None) -> Scheduler:
    """An `fsrs.Scheduler` configured from the learner's settings."""
    options: dict[str, Any] = {}
    if settings.parameters:
        options["parameters"] = settings.parameters
    return Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=settings.fuzz if fuzz is None else fuzz,
        **options,
    )


class CardScheduler:
    """Applies ratings to cards with FSRS under one set of scheduling settings."""

    def __init__(self, settings: ScheduleSettings) -> None:
        self.settings = settings
        self._fsrs = build_fsrs_scheduler(settings)
        self._preview = build_fsrs_scheduler(settings, fuzz=False)

    def review(self, card: CardSnapshot, rating: Rating, at: datetime) -> CardSnapshot:
        """The card after answering at `at` with `rating` (a bury ends with the review)."""
        at = require_aware(at)
        reviewed, _log = self._fsrs.review_card(to_fsrs_card(card), FsrsRating(int(rating)), at)
        lapsed = card.state is CardState.REVIEW and rating is Rating.AGAIN
        return CardSnapshot(
            question_id=card.question_id,
            state=_FROM_FSRS_STATE[reviewed.state],
            due=require_aware(reviewed.due),
            step=reviewed.step,
            stability=reviewed.stability,
            difficulty=reviewed.difficulty,
            last_review=at,
            reps=card.reps + 1,
            lapses=card.lapses + (1 if lapsed else 0),
            buried_until=None,
        )

    def preview(self, card: CardSnapshot, at: datetime) -> dict[Rating, datetime]:
        """When the card would be due after each rating (without fuzz, so it reads steadily)."""
        at = require_aware(at)
        fsrs_card = to_fsrs_card(card)
        return {
            rating: require_aware(
                self._preview.review_card(fsrs_card, FsrsRating(int(rating)), at)[0].due
            )
            for rating in Rating
        }

    def retrievability(self, card: CardSnapshot, at: datetime) -> float:
        """Predicted chance of recalling the answer at `at` (0 for a card never reviewed)."""
        if card.state is CardState.NEW:
            return 0.0
        return float(self._fsrs.get_card_retrievability(to_fsrs_card(card), require_aware(at)))


def rating_log(question_id: int, rating: Rating, at: datetime, duration_ms: int) -> ReviewLog:
    """A review in the form the FSRS optimiser reads."""
    return ReviewLog(
        card_id=question_id,
        rating=FsrsRating(int(rating)),
        review_datetime=require_aware(at),
        review_duration=duration_ms,
    )


def _time_text(moment: datetime | None) -> str | None:
    return None if moment is None else require_aware(moment).isoformat(timespec="microseconds")


def _time_value(text: Any) -> datetime | None:
    return None if text is None else require_aware(datetime.fromisoformat(str(text)))


def snapshot_as_json(card: CardSnapshot) -> dict[str, Any]:
    """The card as stored in a review's `card_before` / `card_after`."""
    return {
        "question_id": card.question_id,
        "state": card.state.value,
        "due": _time_text(card.due),
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "last_review": _time_text(card.last_review),
        "reps": card.reps,
        "lapses": card.lapses,
        "buried_until": _time_text(card.buried_until),
    }


def snapshot_from_json(data: Mapping[str, Any]) -> CardSnapshot:
    due = _time_value(data["due"])
    assert due is not None, "a card snapshot always has a due time"
    return CardSnapshot(
        question_id=int(data["question_id"]),
        state=CardState(data["state"]),
        due=due,
        step=None if data.get("step") is None else int(data["step"]),
        stability=None if data.get("stability") is None else float(data["stability"]),
        difficulty=None if data.get("difficulty") is None else float(data["difficulty"]),
        last_review=_time_value(data.get("last_review")),
        reps=int(data.get("reps", 0)),
        lapses=int(data.get("lapses", 0)),
        buried_until=_time_value(data.get("buried_until")),
    )
