"""Recording reviews: one transaction with the card, durable on return, undo restores exactly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.core.errors import DatabaseError
from desktop.core.grading.grades import KeyPointVerdict, Verdict
from desktop.core.review.cards import CardSnapshot, CardState, Rating, ReviewStatus
from desktop.core.review.review_store import NewReview, StaleCardError
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.scheduler import CardScheduler, new_card
from desktop.storage.cards import CardRepository, write_card
from desktop.storage.database import Database
from desktop.storage.reviews import ReviewRepository
from desktop.storage.schema import QuestionRow, ReviewRow

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
SETTINGS = ScheduleSettings(fuzz=False, timezone="UTC", day_starts_at_hour=4)
SCHEDULER = CardScheduler(SETTINGS)
AddQuestions = Callable[..., list[int]]


def answer(
    cards: CardRepository, question_id: int, rating: Rating, at: datetime, **extra: Any
) -> NewReview:
    """A review of `question_id` computed from its stored card, as the app does."""
    before = cards.card(question_id)
    after = SCHEDULER.review(before or new_card(question_id, at), rating, at)
    review = NewReview(question_id, at, rating, ReviewStatus.SELF_RATED, before, after)
    return replace(review, **extra)


def review_count(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count(ReviewRow.id))) or 0)


@pytest.fixture
def question(add_questions: AddQuestions) -> int:
    return add_questions(3)[0]


def test_a_review_is_stored_whole_with_its_card(database: Database, question: int) -> None:
    cards, reviews = CardRepository(database), ReviewRepository(database)
    review = answer(
        cards,
        question,
        Rating.GOOD,
        T0,
        status=ReviewStatus.GRADED,
        answer_text="Autograd builds a graph.",
        duration_ms=41_000,
        score=0.8,
        key_points=(KeyPointVerdict("graph", Verdict.COVERED, "builds a graph"),),
        feedback="Well put.",
        flags=("evidence_only",),
        model="SmolLM2-135M",
        grader_settings={"n_ctx": 4096},
        suggested_rating=Rating.GOOD,
    )
    stored = reviews.record(review)
    assert stored.review == review
    assert reviews.review(stored.id) == stored
    assert cards.card(question) == review.card_after
    assert reviews.last_review() == stored


def test_a_recorded_review_is_on_disk_when_record_returns(
    database: Database, question: int
) -> None:
    reviews = ReviewRepository(database)
    stored = reviews.record(answer(CardRepository(database), question, Rating.HARD, T0))
    other = Database.open(database.path)  # a second connection sees only what was committed
    try:
        assert ReviewRepository(other).review(stored.id) == stored
        assert CardRepository(other).card(question) == stored.review.card_after
    finally:
        other.close()


def test_review_and_card_change_together_or_not_at_all(database: Database, question: int) -> None:
    cards, reviews = CardRepository(database), ReviewRepository(database)
    broken_card = CardSnapshot(question_id=999_999, state=CardState.LEARNING, due=T0)
    review = NewReview(
        question, T0, Rating.GOOD, ReviewStatus.SELF_RATED, card_before=None, card_after=broken_card
    )
    with pytest.raises(DatabaseError):
        reviews.record(review)  # the card refers to no question: the whole write is refused
    assert review_count(database) == 0
    assert cards.card(question) is None


def test_a_stale_card_is_refused_and_nothing_is_written(database: Database, question: int) -> None:
    cards, reviews = CardRepository(database), ReviewRepository(database)
    first_window = answer(cards, question, Rating.GOOD, T0)
    second_window = answer(cards, question, Rating.AGAIN, T0)
    reviews.record(first_window)
    with pytest.raises(StaleCardError, match="not recorded"):
        reviews.record(second_window)
    assert review_count(database) == 1
    assert cards.card(question) == first_window.card_after


def test_undo_restores_the_card_exactly_and_removes_the_log(
    database: Database, question: int
) -> None:
    cards, reviews = CardRepository(database), ReviewRepository(database)
    first = reviews.record(answer(cards, question, Rating.GOOD, T0))
    after_first = cards.card(question)
    second = reviews.record(answer(cards, question, Rating.GOOD, T0 + timedelta(minutes=10)))
    third = reviews.record(answer(cards, question, Rating.AGAIN, T0 + timedelta(days=3)))

    assert reviews.undo_last() == third
    assert cards.card(question) == second.review.card_after
    assert reviews.undo_last() == second
    assert cards.card(question) == after_first
    assert reviews.reviews_of(question) == [first]

    assert reviews.undo_last() == first
    assert cards.card(question) is None  # never seen again: back to new
    assert review_count(database) == 0
    assert reviews.undo_last() is None


def test_undo_brings_back_a_bury_and_every_field(database: Database, question: int) -> None:
    cards, reviews = CardRepository(database), ReviewRepository(database)
    held = CardSnapshot(
        question,
        CardState.REVIEW,
        due=T0 - timedelta(days=2),
        stability=12.345678901234567,
        difficulty=6.1,
        last_review=T0 - timedelta(days=14, microseconds=7),
        reps=9,
        lapses=2,
        buried_until=T0 - timedelta(hours=1),
    )
    with database.session() as session:
        write_card(session, held)
    reviews.record(answer(cards, question, Rating.EASY, T0))
    reviews.undo_last()
    assert cards.card(question) == held


def test_a_review_that_does_not_count_leaves_the_card_alone(
    database: Database, question: int
) -> None:
    cards, reviews = CardRepository(database), ReviewRepository(database)
    reviews.record(answer(cards, question, Rating.GOOD, T0))
    card = cards.card(question)
    practice_only = NewReview(
        question, T0, Rating.AGAIN, ReviewStatus.GRADED, card_before=card, card_after=None
    )
    stored = reviews.record(practice_only)
    assert not stored.review.counted
    assert cards.card(question) == card
    reviews.undo_last()
    assert cards.card(question) == card


def test_daily_counts_follow_the_study_day(database: Database, add_questions: AddQuestions) -> None:
    cards, reviews = CardRepository(database), ReviewRepository(database)
    in_review, fresh, other = add_questions(3)
    with database.session() as session:
        write_card(
            session,
            CardSnapshot(
                in_review, CardState.REVIEW, due=T0 - timedelta(hours=1), stability=10.0,
                difficulty=5.0, last_review=T0 - timedelta(days=10), reps=3,
            ),
        )  # fmt: skip
    yesterday_evening = datetime(2025, 3, 14, 3, 30, tzinfo=UTC)  # before the 04:00 boundary
    reviews.record(answer(cards, other, Rating.EASY, yesterday_evening))

    reviews.record(answer(cards, fresh, Rating.GOOD, T0))  # a new question
    reviews.record(answer(cards, fresh, Rating.GOOD, T0 + timedelta(minutes=10)))  # a learning step
    reviews.record(answer(cards, in_review, Rating.GOOD, T0))  # a review
    practice_only = NewReview(other, T0, Rating.GOOD, ReviewStatus.GRADED, cards.card(other), None)
    reviews.record(practice_only)  # does not count

    today = reviews.daily_counts(SETTINGS.study_day(T0))
    assert (today.new, today.reviews) == (1, 1)
    yesterday = reviews.daily_counts(SETTINGS.study_day(yesterday_evening))
    assert (yesterday.new, yesterday.reviews) == (1, 0)


def test_rating_history_holds_counted_reviews_only(database: Database, question: int) -> None:
    cards, reviews = CardRepository(database), ReviewRepository(database)
    reviews.record(answer(cards, question, Rating.HARD, T0, duration_ms=5000))
    reviews.record(
        NewReview(question, T0, Rating.AGAIN, ReviewStatus.GRADED, cards.card(question), None)
    )
    history = reviews.rating_history()
    assert [(h.question_id, h.rating, h.reviewed_at, h.duration_ms) for h in history] == [
        (question, Rating.HARD, T0, 5000)
    ]


def _seen(database: Database, question_id: int) -> bool:
    with database.session() as session:
        return bool(session.scalar(select(QuestionRow.seen).where(QuestionRow.id == question_id)))


def test_a_question_counts_as_seen_from_its_first_review_until_that_review_is_undone(
    database: Database, question: int
) -> None:
    cards, reviews = CardRepository(database), ReviewRepository(database)
    assert not _seen(database, question)
    reviews.record(answer(cards, question, Rating.GOOD, T0))
    assert _seen(database, question)
    reviews.undo_last()
    assert not _seen(database, question)
    assert cards.card(question) is None
