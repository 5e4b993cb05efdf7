"""The due queue on a real database: order, daily limits, the day boundary, filters, bury."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from desktop.core.bank.questions import QuestionStatus
from desktop.core.review.cards import CardSnapshot, CardState, Rating, ReviewStatus
from desktop.core.review.due_queue import QueueEntry, QueueFilter, due_questions
from desktop.core.review.review_store import NewReview
from desktop.core.review.schedule_settings import NewOrder, ScheduleSettings
from desktop.core.review.scheduler import CardScheduler, new_card
from desktop.storage.cards import CardRepository, write_card
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from desktop.storage.reviews import ReviewRepository

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
SETTINGS = ScheduleSettings(fuzz=False, timezone="UTC", day_starts_at_hour=4)
AddQuestions = Callable[..., list[int]]


def put(database: Database, question_id: int, state: CardState, due: datetime) -> CardSnapshot:
    studied = state is not CardState.NEW
    card = CardSnapshot(
        question_id,
        state,
        due=due,
        step=0 if state in (CardState.LEARNING, CardState.RELEARNING) else None,
        stability=5.0 if studied else None,
        difficulty=5.0 if studied else None,
        last_review=due - timedelta(days=5) if studied else None,
        reps=2 if studied else 0,
    )
    with database.session() as session:
        write_card(session, card)
    return card


def queue(
    database: Database, at: datetime = T0, settings: ScheduleSettings = SETTINGS, **options: Any
) -> list[QueueEntry]:
    cards, reviews = CardRepository(database), ReviewRepository(database)
    return due_questions(cards, reviews, settings, at, **options)


def ids(entries: list[QueueEntry]) -> list[int]:
    return [entry.question_id for entry in entries]


def record(database: Database, question_id: int, rating: Rating, at: datetime) -> None:
    cards = CardRepository(database)
    before = cards.card(question_id)
    after = CardScheduler(SETTINGS).review(before or new_card(question_id, at), rating, at)
    review = NewReview(question_id, at, rating, ReviewStatus.SELF_RATED, before, after)
    ReviewRepository(database).record(review)


def test_learning_first_then_reviews_most_overdue_first_then_new_in_bank_order(
    database: Database, add_questions: AddQuestions
) -> None:
    q = add_questions(8)
    put(database, q[0], CardState.REVIEW, T0 - timedelta(days=1))
    put(database, q[1], CardState.LEARNING, T0 - timedelta(minutes=1))
    put(database, q[2], CardState.REVIEW, T0 - timedelta(days=6))
    put(database, q[3], CardState.RELEARNING, T0 - timedelta(minutes=3))
    put(database, q[4], CardState.REVIEW, T0 + timedelta(hours=5))  # later today: due today
    put(database, q[5], CardState.REVIEW, T0 + timedelta(days=2))  # not yet
    entries = queue(database)
    assert ids(entries) == [q[3], q[1], q[2], q[0], q[4], q[6], q[7]]
    states = [entry.state for entry in entries]
    assert (
        states
        == [CardState.RELEARNING, CardState.LEARNING] + [CardState.REVIEW] * 3 + [CardState.NEW] * 2
    )
    assert entries[-1].due == T0 and entries[-1].card is None
    assert entries[0].card is not None and entries[0].due == T0 - timedelta(minutes=3)


def test_a_learning_step_waits_for_its_time(
    database: Database, add_questions: AddQuestions
) -> None:
    (only,) = add_questions(1)
    record(database, only, Rating.GOOD, T0)  # next step in 10 minutes
    assert queue(database, T0 + timedelta(minutes=9)) == []
    later = queue(database, T0 + timedelta(minutes=10))
    assert ids(later) == [only] and later[0].state is CardState.LEARNING
    assert CardRepository(database).next_learning_due(T0, QueueFilter()) == T0 + timedelta(
        minutes=10
    )


def test_new_questions_from_several_decks_take_turns_or_come_deck_by_deck(
    database: Database, add_questions: AddQuestions
) -> None:
    a1, a2, a3 = add_questions(3, deck="alpha")
    b1, b2 = add_questions(2, deck="beta")
    assert ids(queue(database)) == [a1, b1, a2, b2, a3]  # mixed, the default
    one_by_one = SETTINGS.with_changes(new_order=NewOrder.DECK_BY_DECK)
    assert ids(queue(database, settings=one_by_one)) == [a1, a2, a3, b1, b2]
    limited = SETTINGS.with_changes(new_per_day=2)
    assert ids(queue(database, settings=limited)) == [a1, b1]  # both decks reach today


def test_the_daily_new_limit_counts_todays_first_answers(
    database: Database, add_questions: AddQuestions
) -> None:
    q = add_questions(6)
    limited = SETTINGS.with_changes(new_per_day=3)
    assert ids(queue(database, settings=limited)) == q[:3]
    record(database, q[0], Rating.EASY, T0)
    record(database, q[1], Rating.EASY, T0)
    assert ids(queue(database, settings=limited)) == [q[2]]
    record(database, q[2], Rating.EASY, T0)
    assert queue(database, settings=limited) == []
    # The next study day starts at 04:00: three more new questions.
    next_day = datetime(2025, 3, 15, 4, 0, tzinfo=UTC)
    assert ids(queue(database, next_day, limited))[-3:] == q[3:6]
    assert queue(database, next_day - timedelta(seconds=1), limited) == []


def test_the_daily_review_limit_counts_todays_reviews(
    database: Database, add_questions: AddQuestions
) -> None:
    q = add_questions(5)
    for n, question in enumerate(q):
        put(database, question, CardState.REVIEW, T0 - timedelta(days=5 - n))
    limited = SETTINGS.with_changes(reviews_per_day=3, new_per_day=0)
    assert ids(queue(database, settings=limited)) == q[:3]
    record(database, q[0], Rating.GOOD, T0)
    record(database, q[1], Rating.GOOD, T0)
    assert ids(queue(database, settings=limited)) == [q[2]]
    record(database, q[2], Rating.GOOD, T0)
    assert queue(database, settings=limited) == []
    assert ids(queue(database, settings=limited.with_changes(reviews_per_day=5))) == q[3:]


def test_a_timezone_change_changes_which_reviews_are_todays(
    database: Database, add_questions: AddQuestions
) -> None:
    q = add_questions(3)
    limited = SETTINGS.with_changes(new_per_day=1)
    record(database, q[0], Rating.EASY, datetime(2025, 3, 14, 3, 0, tzinfo=UTC))
    at = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
    # In UTC, 03:00 was before today's 04:00 boundary, so today has room for one new question.
    assert ids(queue(database, at, limited)) == [q[1]]
    # In New York that review was at 23:00 on the 13th, and today began at 04:00 EDT (08:00
    # UTC): still yesterday.
    assert ids(queue(database, at, limited.with_changes(timezone="America/New_York"))) == [q[1]]
    # In Berlin it was 04:00 on the 14th, today's first minute: the limit is used up.
    assert queue(database, at, limited.with_changes(timezone="Europe/Berlin")) == []


def test_retired_and_suspended_questions_never_appear(
    database: Database, add_questions: AddQuestions
) -> None:
    q = add_questions(4)
    put(database, q[0], CardState.REVIEW, T0 - timedelta(days=1))
    put(database, q[1], CardState.LEARNING, T0 - timedelta(minutes=1))
    bank = QuestionBank(database)
    bank.set_status(q[0], QuestionStatus.RETIRED)
    bank.set_status(q[1], QuestionStatus.SUSPENDED)
    bank.set_status(q[2], QuestionStatus.SUSPENDED)
    assert ids(queue(database)) == [q[3]]


def test_bury_until_tomorrow_hides_until_the_day_boundary(
    database: Database, add_questions: AddQuestions
) -> None:
    q = add_questions(3)
    put(database, q[0], CardState.REVIEW, T0 - timedelta(days=1))
    cards = CardRepository(database)
    tomorrow = SETTINGS.study_day(T0).end
    cards.bury(q[0], tomorrow, at=T0)
    cards.bury(q[1], tomorrow, at=T0)  # a new question gets a card to hold the bury
    assert ids(queue(database)) == [q[2]]
    held = cards.card(q[1])
    assert held is not None and held.state is CardState.NEW and held.buried_until == tomorrow
    assert ids(queue(database, tomorrow - timedelta(seconds=1))) == [q[2]]
    assert ids(queue(database, tomorrow)) == [q[0], q[1], q[2]]


@pytest.mark.parametrize(
    ("filters", "wanted"),
    [
        (QueueFilter(decks=("beta",)), "beta"),
        (QueueFilter(kinds=("trap",)), "beta"),
        (QueueFilter(topics=("1 Python",)), "alpha"),  # the topic and those below it
        (QueueFilter(topics=("1 python > lists",)), "alpha"),
        (QueueFilter(tags=("GIL",)), "beta"),  # case is ignored
        (QueueFilter(tags=("gi",)), None),  # a tag matches whole, never in part
        (QueueFilter(decks=("alpha",), kinds=("trap",)), None),
        (QueueFilter(decks=("alpha", "beta")), "both"),
    ],
)
def test_filters(
    database: Database, add_questions: AddQuestions, filters: QueueFilter, wanted: str | None
) -> None:
    alpha = add_questions(2, deck="alpha", topic=("1 Python", "Lists"), tags=("python",))
    beta = add_questions(2, deck="beta", kind="trap", topic=("2 Threads",), tags=("gil", "x"))
    put(database, alpha[0], CardState.REVIEW, T0 - timedelta(days=1))
    put(database, beta[0], CardState.LEARNING, T0 - timedelta(minutes=1))
    expected = {"alpha": alpha, "beta": beta, "both": [beta[0], alpha[0], alpha[1], beta[1]]}
    assert set(ids(queue(database, filters=filters))) == set(expected.get(wanted or "", []))


def test_excluded_questions_are_left_out_and_the_page_size_holds(
    database: Database, add_questions: AddQuestions
) -> None:
    q = add_questions(6)
    put(database, q[0], CardState.LEARNING, T0 - timedelta(minutes=1))
    assert ids(queue(database, limit=3)) == q[:3]
    assert ids(queue(database, limit=3, exclude=frozenset({q[0], q[2]}))) == [q[1], q[3], q[4]]


def test_a_topic_filter_gives_the_same_queue_with_an_index_on_topics(
    database: Database, add_questions: AddQuestions
) -> None:
    alpha = add_questions(3, deck="alpha", topic=("1 Python", "Lists"))
    beta = add_questions(3, deck="beta", topic=("2 Threads",))
    put(database, alpha[1], CardState.REVIEW, T0 - timedelta(days=2))
    put(database, alpha[2], CardState.LEARNING, T0 - timedelta(minutes=2))
    put(database, beta[0], CardState.REVIEW, T0 - timedelta(days=3))
    python = QueueFilter(topics=("1 Python",))
    without_index = ids(queue(database, filters=python))
    with database.session() as session:
        session.execute(text("CREATE INDEX ix_test_topic ON questions (topic_id)"))
    assert ids(queue(database, filters=python)) == without_index == [alpha[2], alpha[1], alpha[0]]
