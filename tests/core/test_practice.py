"""A review session end to end on a real database, with a fixed clock and a scripted grader."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from desktop.core.grading.grades import (
    STORED_ANSWER_CHARS,
    Grade,
    GradeStatus,
    GradingTask,
    KeyPointVerdict,
    Verdict,
)
from desktop.core.review.cards import CardState, Rating, ReviewStatus
from desktop.core.review.rating import RatingRequired
from desktop.core.review.recording import ReviewResult, review_question
from desktop.core.review.review_store import StaleCardError
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.scheduler import CardScheduler
from desktop.core.review.session import PendingAnswer, ReviewSession
from desktop.core.review.session_records import SessionKind
from desktop.services.practice import Practice
from desktop.storage.cards import CardRepository
from desktop.storage.database import Database
from desktop.storage.practice_sessions import PracticeSessionRepository
from desktop.storage.reviews import ReviewRepository
from tests.fakes import ScriptedGrader

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
SETTINGS = ScheduleSettings(fuzz=False, timezone="UTC", day_starts_at_hour=4)
AddQuestions = Callable[..., list[int]]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def good_grade() -> Grade:
    points = (KeyPointVerdict("a", Verdict.COVERED), KeyPointVerdict("b", Verdict.PARTIAL))
    return Grade(GradeStatus.GRADED, 0.8, key_points=points, model="scripted")


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def new_session(database: Database, clock: Clock) -> Callable[[], ReviewSession]:
    practice = Practice.open(database)
    return lambda: practice.review_session(settings=SETTINGS, clock=clock)


def test_answer_grade_confirm_next(
    database: Database,
    add_questions: AddQuestions,
    new_session: Callable[[], ReviewSession],
    clock: Clock,
) -> None:
    q = add_questions(3)
    session = new_session()
    item = session.start()
    assert item is not None and item.question.id == q[0] and item.state is CardState.NEW
    assert [e.question_id for e in session.upcoming] == q[1:]

    grader = ScriptedGrader(grades=[good_grade()])
    clock.advance(seconds=42)
    grade = grader.grade(GradingTask.from_question(item.question), "my answer")
    assert grader.tasks[0].question_id == q[0]
    assert grader.tasks[0].reference == item.question.reference
    pending = session.submit("my answer", grade, grader=grader.identity)
    assert pending.suggestion.rating is Rating.GOOD
    assert pending.duration_ms == 42_000
    assert pending.next_due[Rating.AGAIN] < pending.next_due[Rating.EASY]

    stored = session.confirm()
    review = stored.review
    assert (review.rating, review.suggested_rating, review.overridden) == (Rating.GOOD,) * 2 + (
        False,
    )
    assert review.status is ReviewStatus.GRADED and review.score == 0.8
    assert review.session_id == session.session_id
    assert review.duration_ms == 42_000
    assert review.grader_settings == {"grader": ScriptedGrader.identity}
    assert CardRepository(database).card(q[0]) == review.card_after
    assert session.current is not None and session.current.question.id == q[1]
    assert session.answered == 1


def test_override_and_self_rating_for_an_ungraded_answer(
    database: Database, add_questions: AddQuestions, new_session: Callable[[], ReviewSession]
) -> None:
    add_questions(3)
    session = new_session()
    session.start()
    session.submit("answer", good_grade())
    overridden = session.confirm(Rating.EASY).review
    assert overridden.overridden and overridden.suggested_rating is Rating.GOOD

    pending = session.submit("answer", Grade.ungraded("the model is not loaded"))
    assert pending.suggestion.rating is None
    with pytest.raises(RatingRequired):
        session.confirm()
    assert session.pending is pending  # nothing lost: the learner can still rate it
    self_rated = session.confirm(Rating.HARD).review
    assert self_rated.status is ReviewStatus.SELF_RATED
    assert self_rated.score is None
    assert self_rated.grade_reason == "the model is not loaded"

    session.submit("", None)  # no model at all: rate without grading
    assert session.confirm(Rating.AGAIN).review.status is ReviewStatus.SELF_RATED


def test_skip_comes_back_after_the_rest(
    add_questions: AddQuestions, new_session: Callable[[], ReviewSession]
) -> None:
    q = add_questions(2)
    session = new_session()
    session.start()
    after_skip = session.skip()
    assert after_skip is not None and after_skip.question.id == q[1]
    session.submit("x", None)
    session.confirm(Rating.EASY)
    current = session.current
    assert current is not None and current.question.id == q[0]


def test_bury_hides_until_the_next_study_day(
    add_questions: AddQuestions, new_session: Callable[[], ReviewSession], clock: Clock
) -> None:
    q = add_questions(2)
    session = new_session()
    session.start()
    current = session.bury()
    assert current is not None and current.question.id == q[1]
    assert [e.question_id for e in session.upcoming] == []
    clock.now = datetime(2025, 3, 15, 4, 0, tzinfo=UTC)
    tomorrow = new_session()
    first = tomorrow.start()
    assert first is not None and first.question.id == q[0]


def test_a_learning_step_soon_is_shown_when_nothing_else_is_left(
    add_questions: AddQuestions, new_session: Callable[[], ReviewSession]
) -> None:
    (only,) = add_questions(1)
    session = new_session()
    session.start()
    session.submit("x", None)
    session.confirm(Rating.AGAIN)  # due again in a minute
    current = session.current
    assert current is not None and current.question.id == only
    assert current.state is CardState.LEARNING


def test_undo_shows_the_question_again_with_its_card_restored(
    database: Database, add_questions: AddQuestions, new_session: Callable[[], ReviewSession]
) -> None:
    q = add_questions(3)
    session = new_session()
    session.start()
    session.submit("x", None)
    session.confirm(Rating.GOOD)
    undone = session.undo()
    assert undone is not None and undone.review.question_id == q[0]
    assert CardRepository(database).card(q[0]) is None
    current = session.current
    assert current is not None and current.question.id == q[0]
    assert session.answered == 0
    assert session.undo() is None


def test_a_restarted_session_resumes_from_the_database(
    database: Database,
    add_questions: AddQuestions,
    new_session: Callable[[], ReviewSession],
    clock: Clock,
) -> None:
    q = add_questions(4)
    crashed = new_session()
    crashed.start()
    for _ in range(2):
        crashed.submit("x", None)
        crashed.confirm(Rating.EASY)
    # The process dies here: no finish(). A new session starts where the old one stood.
    clock.advance(minutes=5)
    resumed = new_session()
    current = resumed.start()
    assert current is not None and current.question.id == q[2]
    sessions = PracticeSessionRepository(database)
    assert crashed.session_id is not None
    assert [s.id for s in sessions.unfinished_sessions(SessionKind.REVIEW)] == [
        resumed.session_id,
        crashed.session_id,
    ]
    resumed.finish()
    assert resumed.session_id is not None
    finished = sessions.session(resumed.session_id)
    assert finished is not None and finished.finished_at == clock.now


def test_nothing_due_means_no_question(new_session: Callable[[], ReviewSession]) -> None:
    session = new_session()
    assert session.start() is None
    with pytest.raises(RuntimeError):
        session.submit("x", None)


def test_the_app_wiring_uses_the_saved_scheduling_settings(
    database: Database, add_questions: AddQuestions, clock: Clock
) -> None:
    q = add_questions(4)
    practice = Practice.open(database)
    practice.save_schedule_settings(SETTINGS.with_changes(new_per_day=2))
    assert [e.question_id for e in practice.due(T0)] == q[:2]
    session = practice.review_session(clock=clock)
    first = session.start()
    assert first is not None and first.question.id == q[0]
    assert [e.question_id for e in session.upcoming] == [q[1]]
    session.submit("x", None)
    session.confirm(Rating.EASY)
    assert practice.undo_last_review() is not None
    assert practice.reviews.last_review() is None


def test_one_off_review_of_an_ungraded_answer_records_nothing_without_a_rating(
    database: Database, add_questions: AddQuestions
) -> None:
    (question_id,) = add_questions(1)
    practice = Practice.open(database)
    question = practice.questions.get(question_id)

    def review(rating: Rating | None) -> ReviewResult:
        return review_question(
            question=question,
            cards=practice.cards,
            reviews=practice.reviews,
            scheduler=practice.scheduler(),
            at=T0,
            answer="my answer",
            rating=rating,
            grader=ScriptedGrader(grades=[Grade.ungraded("the server did not answer")]),
        )

    unrecorded = review(None)
    assert unrecorded.status is ReviewStatus.UNGRADED and unrecorded.review_id is None
    assert (unrecorded.score, unrecorded.rating, unrecorded.due) == (None, None, T0)
    assert "the server did not answer" in unrecorded.reason
    assert practice.reviews.last_review() is None

    rated = review(Rating.GOOD)
    assert rated.status is ReviewStatus.SELF_RATED and rated.review_id is not None
    assert rated.score is None and rated.rating is Rating.GOOD
    assert rated.due == T0 + timedelta(minutes=10)


def test_a_review_keeps_no_more_of_an_answer_than_the_stored_limit(
    database: Database, add_questions: AddQuestions
) -> None:
    (question_id,) = add_questions(1)
    practice = Practice.open(database)
    huge = "word " * (STORED_ANSWER_CHARS // 2)  # twice the limit, from a caller that let it by
    result = review_question(
        question=practice.questions.get(question_id),
        cards=practice.cards,
        reviews=practice.reviews,
        scheduler=practice.scheduler(),
        at=T0,
        answer=huge,
        rating=Rating.GOOD,
        grader=ScriptedGrader(grades=[good_grade()]),
    )
    stored = practice.reviews.last_review()
    assert stored is not None and stored.id == result.review_id
    assert stored.review.answer_text == huge[:STORED_ANSWER_CHARS]


def test_an_answer_to_a_question_reviewed_elsewhere_is_recorded_after_that_review(
    database: Database,
    add_questions: AddQuestions,
    new_session: Callable[[], ReviewSession],
    clock: Clock,
) -> None:
    (first, *_) = add_questions(2)
    window = new_session()
    item = window.start()
    assert item is not None and item.question.id == first
    held = PendingAnswer.of(item, "my answer", good_grade(), window.next_due(), 1000)
    # The same question, reviewed meanwhile from the command line.
    elsewhere = review_question(
        question=item.question,
        cards=CardRepository(database),
        reviews=ReviewRepository(database),
        scheduler=CardScheduler(SETTINGS),
        at=clock.now,
        rating=Rating.GOOD,
    )
    clock.advance(minutes=1)
    with pytest.raises(StaleCardError, match="rate again to record your answer after it"):
        window.confirm(Rating.GOOD, answer=held)
    assert window.current is not None and window.current.question.id == first
    stored = window.confirm(Rating.GOOD, answer=held)
    reviews = ReviewRepository(database).reviews_of(first)
    assert [r.id for r in reviews] == [elsewhere.review_id, stored.id]
    assert reviews[1].review.card_before == reviews[0].review.card_after
    card = CardRepository(database).card(first)
    assert card is not None and card.reps == 2
