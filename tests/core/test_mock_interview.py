"""Mock interviews: weighted reproducible choice, the caller's clock, summary, counting or not."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from desktop.core.errors import NotFoundError
from desktop.core.grading.grades import Grade, GradeStatus, KeyPointVerdict, Verdict
from desktop.core.mock.interview import MockConfig, MockInterview, MockStores
from desktop.core.mock.selection import MockCandidate, choose_questions
from desktop.core.review.cards import CardSnapshot, CardState, Rating, ReviewStatus
from desktop.core.review.rating import RatingRequired
from desktop.core.review.review_store import NewReview
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.core.review.scheduler import CardScheduler, new_card
from desktop.core.review.session_records import SessionKind
from desktop.storage.cards import CardRepository, write_card
from desktop.storage.database import Database
from desktop.storage.mock_candidates import MockCandidateRepository
from desktop.storage.practice_sessions import PracticeSessionRepository
from desktop.storage.question_bank import QuestionBank
from desktop.storage.reviews import ReviewRepository

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
SETTINGS = ScheduleSettings(fuzz=False, timezone="UTC")
AddQuestions = Callable[..., list[int]]


@pytest.fixture
def stores(database: Database) -> MockStores:
    return MockStores(
        cards=CardRepository(database),
        reviews=ReviewRepository(database),
        questions=QuestionBank(database),
        sessions=PracticeSessionRepository(database),
        candidates=MockCandidateRepository(database),
        settings=SETTINGS,
    )


def grade(score: float, *verdicts: Verdict) -> Grade:
    points = tuple(KeyPointVerdict(f"point {n}", v) for n, v in enumerate(verdicts))
    return Grade(GradeStatus.GRADED, score, key_points=points)


def test_weak_and_due_questions_are_drawn_more_often() -> None:
    scheduler = CardScheduler(SETTINGS)
    strong = CardSnapshot(
        1, CardState.REVIEW, T0 + timedelta(days=30), stability=90.0, difficulty=3.0,
        last_review=T0 - timedelta(days=1),
    )  # fmt: skip
    weak = CardSnapshot(
        2, CardState.REVIEW, T0 - timedelta(days=3), stability=2.0, difficulty=8.0,
        last_review=T0 - timedelta(days=10), lapses=4,
    )  # fmt: skip
    candidates = [MockCandidate(1, strong, 0.95), MockCandidate(2, weak, 0.2)]
    firsts = Counter(
        choose_questions(candidates, 1, scheduler=scheduler, now=T0, seed=seed)[0]
        for seed in range(400)
    )
    assert firsts[2] > 3 * firsts[1] > 0


def test_the_same_seed_gives_the_same_interview() -> None:
    scheduler = CardScheduler(SETTINGS)
    candidates = [MockCandidate(n, None, None) for n in range(50)]
    first = choose_questions(candidates, 5, scheduler=scheduler, now=T0, seed=11)
    assert first == choose_questions(candidates, 5, scheduler=scheduler, now=T0, seed=11)
    assert len(set(first)) == 5
    others = {
        tuple(choose_questions(candidates, 5, scheduler=scheduler, now=T0, seed=s))
        for s in range(5)
    }
    assert len(others) > 1


def test_questions_come_from_the_chosen_topics_and_kinds(
    stores: MockStores, add_questions: AddQuestions
) -> None:
    add_questions(6, deck="alpha", topic=("1 Python",))
    traps = add_questions(6, deck="beta", kind="trap", topic=("2 Threads",))
    config = MockConfig(question_count=4, kinds=("trap",), topics=("2 Threads",), seed=3)
    interview = MockInterview.start(config, stores, T0)
    assert len(interview.question_ids) == 4
    assert set(interview.question_ids) <= set(traps)


def test_a_full_interview_that_counts(
    database: Database, stores: MockStores, add_questions: AddQuestions
) -> None:
    add_questions(8)
    interview = MockInterview.start(MockConfig(time_limit_s=120, seed=5), stores, T0)
    assert len(interview.question_ids) == 5
    prompts = []
    now = T0
    scripted = [grade(0.95, Verdict.COVERED), grade(0.3, Verdict.MISSING, Verdict.COVERED)]
    for n in range(5):
        prompt = interview.current_prompt()
        assert prompt is not None
        prompts.append(prompt)
        assert interview.remaining(now) == timedelta(seconds=120)
        now += timedelta(seconds=30 + n)
        assert interview.tick(now, "draft") is None  # time is not up yet
        answer = interview.submit(f"answer {n}", now)
        assert answer.time_used_ms == (30 + n) * 1000 and not answer.timed_out
        if n < 2:
            interview.set_grade(n, scripted[n])
    assert interview.is_over and interview.current_prompt() is None
    assert interview.ungraded() == [2, 3, 4]
    for index in (2, 3, 4):
        interview.set_grade(index, Grade.ungraded("model timed out") if index == 4 else grade(0.8))

    before = interview.summary()
    assert not before.finished
    assert [q.question.prompt for q in before.questions] == prompts
    first, second = before.questions[0], before.questions[1]
    assert first.question.reference  # revealed only now, in the summary
    assert (first.score, first.suggested_rating) == (0.95, Rating.EASY)
    assert second.missed_key_points == ("point 0",)
    assert second.suggested_rating is Rating.AGAIN
    assert before.questions[4].needs_own_rating and before.questions[4].score is None
    assert before.average_score == pytest.approx((0.95 + 0.3 + 0.8 + 0.8) / 4)
    assert before.time_used_ms == sum(30_000 + n * 1000 for n in range(5))

    last = interview.question_ids[4]
    with pytest.raises(RatingRequired, match=str(last)):
        interview.finish(now)
    assert ReviewRepository(database).last_review() is None  # nothing recorded yet

    summary = interview.finish(
        now, ratings={last: Rating.HARD, interview.question_ids[0]: Rating.GOOD}
    )
    assert summary.finished and summary.counts_toward_schedule
    assert [q.rating for q in summary.questions] == [
        Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.GOOD, Rating.HARD,
    ]  # fmt: skip
    cards = CardRepository(database)
    for item in summary.questions:
        card = cards.card(item.question.id)
        assert card is not None and item.next_due == card.due
    reviews = PracticeSessionRepository(database).reviews_in_session(interview.session_id)
    assert len(reviews) == 5 and all(r.review.counted for r in reviews)
    assert reviews[0].review.overridden and reviews[0].review.suggested_rating is Rating.EASY
    assert reviews[4].review.status is ReviewStatus.SELF_RATED
    assert reviews[4].review.score is None


def test_time_runs_out_and_the_draft_is_submitted(
    stores: MockStores, add_questions: AddQuestions
) -> None:
    add_questions(3)
    interview = MockInterview.start(
        MockConfig(question_count=2, time_limit_s=60, seed=1), stores, T0
    )
    assert interview.remaining(T0 + timedelta(seconds=45)) == timedelta(seconds=15)
    late = T0 + timedelta(seconds=75)
    assert interview.remaining(late) == timedelta(0)
    answer = interview.tick(late, "half an answer")
    assert answer is not None and answer.timed_out and answer.text == "half an answer"
    assert answer.time_used_ms == 60_000  # capped at the limit
    assert interview.index == 1
    assert interview.remaining(late) == timedelta(seconds=60)  # the next question's clock started


def test_an_interview_that_does_not_count_leaves_the_schedule_alone(
    database: Database, stores: MockStores, add_questions: AddQuestions
) -> None:
    q = add_questions(2)
    held = CardSnapshot(
        q[0], CardState.REVIEW, T0 + timedelta(days=9), stability=20.0, difficulty=5.0,
        last_review=T0 - timedelta(days=11), reps=4,
    )  # fmt: skip
    with database.session() as session:
        write_card(session, held)
    config = MockConfig(question_count=2, counts_toward_schedule=False, seed=2)
    interview = MockInterview.start(config, stores, T0)
    for n in range(2):
        interview.submit("answer", T0 + timedelta(seconds=10))
        interview.set_grade(n, grade(0.2, Verdict.MISSING))
    summary = interview.finish(T0 + timedelta(minutes=1))
    assert not summary.counts_toward_schedule
    assert all(item.next_due is None for item in summary.questions)
    assert CardRepository(database).card(q[0]) == held
    assert CardRepository(database).card(q[1]) is None
    reviews = PracticeSessionRepository(database).reviews_in_session(interview.session_id)
    assert [r.review.counted for r in reviews] == [False, False]
    assert all(r.review.rating is Rating.AGAIN for r in reviews)


def test_an_interrupted_interview_resumes_with_its_answers(
    database: Database, stores: MockStores, add_questions: AddQuestions
) -> None:
    add_questions(6)
    interview = MockInterview.start(MockConfig(question_count=3, seed=9), stores, T0)
    interview.submit("first answer", T0 + timedelta(seconds=20))
    interview.set_grade(0, grade(0.7))
    # The process dies; a new one finds the unfinished interview and resumes it.
    unfinished = stores.sessions.unfinished_sessions(SessionKind.MOCK)
    assert [s.id for s in unfinished] == [interview.session_id]
    later = T0 + timedelta(minutes=30)
    resumed = MockInterview.resume(interview.session_id, stores, later)
    assert resumed.question_ids == interview.question_ids
    assert resumed.index == 1
    assert resumed.answers[0].text == "first answer"
    assert resumed.answers[0].grade == grade(0.7)
    assert resumed.remaining(later) == resumed.time_limit


def test_no_matching_question_is_a_clear_error(
    stores: MockStores, add_questions: AddQuestions
) -> None:
    add_questions(2)
    with pytest.raises(NotFoundError, match="No active question"):
        MockInterview.start(MockConfig(kinds=("story",)), stores, T0)


def test_a_finish_cut_short_records_only_what_is_missing(
    database: Database, stores: MockStores, add_questions: AddQuestions
) -> None:
    add_questions(4)
    interview = MockInterview.start(MockConfig(question_count=2, seed=4), stores, T0)
    for n in range(2):
        interview.submit("answer", T0 + timedelta(seconds=10 * (n + 1)))
        interview.set_grade(n, grade(0.8))
    first = interview.question_ids[0]
    # A crash during an earlier finish: the first review was recorded, the second was not.
    before = stores.cards.card(first)
    after = CardScheduler(SETTINGS).review(before or new_card(first, T0), Rating.GOOD, T0)
    stores.reviews.record(
        NewReview(first, T0, Rating.GOOD, ReviewStatus.GRADED, before, after,
                  session_id=interview.session_id)
    )  # fmt: skip
    resumed = MockInterview.resume(interview.session_id, stores, T0 + timedelta(minutes=1))
    summary = resumed.finish(T0 + timedelta(minutes=1))
    reviews = stores.sessions.reviews_in_session(interview.session_id)
    assert sorted(r.review.question_id for r in reviews) == sorted(interview.question_ids)
    assert summary.finished and all(item.next_due is not None for item in summary.questions)
