"""The read-only history queries behind reports, on a real SQLite file with the scripted history."""

from __future__ import annotations

from datetime import timedelta

from desktop.core.grading.grades import Verdict
from desktop.core.reports.history import UNSORTED_TOPIC, HistoryQuery, HistoryScope
from desktop.core.review.cards import CardState, Rating, ReviewStatus
from desktop.storage.database import Database
from desktop.storage.history import HistoryRepository
from desktop.storage.schema import QuestionRow, ReviewRow
from tests.reports.scripted_history import DICTS, LISTS, SMOL, THREADS, at, write_history


def test_everything_is_read_when_nothing_limits_it(database: Database) -> None:
    write_history(database)
    history = HistoryRepository(database).load_history(HistoryQuery())
    assert [r.id for r in history.reviews] == list(range(1, 10))
    assert [q.id for q in history.questions] == [1, 2, 3, 4, 5, 6]
    assert [s.id for s in history.sessions] == [1, 2]
    assert history.topics == (
        ("python-notes", DICTS),
        ("python-notes", LISTS),
        ("python-notes", THREADS),
    )
    first = history.reviews[1]
    assert (first.question_id, first.topic, first.reviewed_at) == (1, LISTS, at(26))
    assert (first.status, first.score, first.rating, first.suggested_rating) == (
        ReviewStatus.GRADED,
        0.6,
        Rating.GOOD,
        Rating.GOOD,
    )
    assert (first.model, first.session_id, first.duration_ms) == (SMOL, 1, 60_000)
    assert [(k.text, k.verdict) for k in first.key_points] == [("filter clause", Verdict.MISSING)]
    never_seen = history.questions[4]
    assert never_seen.card is None and never_seen.last_score is None
    card = history.questions[2].card
    assert card is not None and (card.state, card.stability, card.lapses) == (
        CardState.RELEARNING,
        2.0,
        1,
    )


def test_the_interval_is_half_open_and_streak_times_reach_back(database: Database) -> None:
    write_history(database)
    query = HistoryQuery(since=at(28, 9, 5), until=at(30, 18))
    history = HistoryRepository(database).load_history(query)
    assert [r.id for r in history.reviews] == [5, 6, 7]  # 28 09:05 in, 30 18:00 out
    assert history.activity_times == (
        at(1),
        at(26),
        at(27),
        at(28, 9, 0),
        at(28, 9, 5),
        at(30, 10, 0),
        at(30, 10, 5),
    )
    assert [s.id for s in history.sessions] == [2]


def test_a_scope_keeps_its_questions_reviews_and_times(database: Database) -> None:
    write_history(database)
    scope = HistoryScope(topics=("Dicts",))
    history = HistoryRepository(database).load_history(HistoryQuery(scope=scope))
    assert {q.id for q in history.questions} == {3, 6}
    assert [r.id for r in history.reviews] == [4, 5, 7, 9]
    assert len(history.activity_times) == 4
    assert len(history.topics) == 3  # every topic of the bank, to explain an empty match
    none = HistoryRepository(database).load_history(
        HistoryQuery(scope=HistoryScope(decks=("other",)))
    )
    assert (none.questions, none.reviews) == ((), ())


def test_last_score_is_the_latest_graded_one(database: Database) -> None:
    write_history(database)
    with database.session() as session:
        # A later answer to question 1 that was not graded leaves its last score alone.
        session.add(
            ReviewRow(
                question_id=1,
                reviewed_at=at(31, 20),
                answer_text="",
                grade_status="ungraded",
                score=None,
                key_point_verdicts=[],
                model=SMOL,
                grader_settings={},
                rating=3,
                flags=[],
                card_before=None,
                card_after=None,
            )
        )
    questions = HistoryRepository(database).load_history(HistoryQuery()).questions
    assert [q.last_score for q in questions] == [0.8, 0.3, 0.9, 0.2, None, None]


def test_odd_rows_still_read(database: Database) -> None:
    write_history(database)
    with database.session() as session:
        question = session.get(QuestionRow, 5)
        assert question is not None
        question.topic_id = None
        session.add(
            ReviewRow(
                question_id=5,
                reviewed_at=at(31, 21),
                answer_text="",
                grade_status="graded",
                score=0.5,
                model="",
                grader_settings={},
                rating=3,
                flags=[],
                card_before=None,
                card_after=None,
                key_point_verdicts=[
                    {"text": "kept", "verdict": "partial"},
                    {"verdict": "unheard-of"},
                    "not an object",
                    {"text": "no verdict"},
                ],
            )
        )
    history = HistoryRepository(database).load_history(
        HistoryQuery(since=at(31, 21), until=at(31, 21) + timedelta(seconds=1))
    )
    (review,) = history.reviews
    assert review.topic == UNSORTED_TOPIC
    assert [(k.text, k.verdict) for k in review.key_points] == [("kept", Verdict.PARTIAL)]
