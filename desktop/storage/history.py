"""Read-only queries behind progress reports: reviews, questions with cards, practice sessions.

Implements `desktop.core.reports.history.HistorySource`. A year of daily practice is about 20,000
reviews, so each table is read in one column-only query (no ORM objects, rows decoded in bulk by
`history_rows`), and the scope filter runs in Python against the few hundred questions, which
keeps the SQL free of long IN lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Text, func, select, type_coerce
from sqlalchemy.orm import Session

from desktop.core.bank.questions import QuestionKind, QuestionStatus
from desktop.core.reports.history import (
    UNSORTED_TOPIC,
    History,
    HistoryQuery,
    QuestionRecord,
    ReviewRecord,
    SessionRecord,
)
from desktop.core.review.cards import ReviewStatus
from desktop.storage.database import Database
from desktop.storage.history_rows import (
    RATINGS,
    STATUSES,
    VerdictReader,
    card_snapshot,
    utc_timestamp,
)
from desktop.storage.schema import (
    CardRow,
    DeckRow,
    PracticeSessionRow,
    QuestionRow,
    ReviewRow,
    TopicRow,
)

_GRADED = ReviewStatus.GRADED.value


def _in_range(statement: Select[Any], query: HistoryQuery) -> Select[Any]:
    if query.since is not None:
        statement = statement.where(ReviewRow.reviewed_at >= query.since)
    if query.until is not None:
        statement = statement.where(ReviewRow.reviewed_at < query.until)
    return statement


class HistoryRepository:
    """The learner's history, read from the database for reports."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def load_history(self, query: HistoryQuery) -> History:
        with self._database.reading() as session:
            places = self._places(session)
            in_scope = {
                question_id: (deck, topic)
                for question_id, (deck, title, topic) in places.items()
                if query.scope.includes(deck, topic, deck_title=title)
            }
            reviews = tuple(self._reviews(session, query, in_scope))
            if query.since is None:  # every earlier review is in `reviews` already
                activity_times = tuple(review.reviewed_at for review in reviews)
            else:
                activity_times = tuple(self._activity_times(session, query, in_scope))
            return History(
                reviews=reviews,
                questions=tuple(self._questions(session, in_scope)),
                sessions=tuple(self._sessions(session, query)),
                activity_times=activity_times,
                topics=tuple(sorted({(deck, topic) for deck, _, topic in places.values()})),
            )

    @staticmethod
    def _places(session: Session) -> dict[int, tuple[str, str, str]]:
        """question id -> (deck name, deck title, topic path)."""
        rows = session.execute(
            select(QuestionRow.id, DeckRow.name, DeckRow.title, TopicRow.path)
            .join(DeckRow, QuestionRow.deck_id == DeckRow.id)
            .outerjoin(TopicRow, QuestionRow.topic_id == TopicRow.id)
        )
        return {qid: (deck, title, topic or UNSORTED_TOPIC) for qid, deck, title, topic in rows}

    @staticmethod
    def _reviews(
        session: Session, query: HistoryQuery, in_scope: dict[int, tuple[str, str]]
    ) -> Iterable[ReviewRecord]:
        # Timestamps and verdicts come back as the stored text and are decoded in bulk.
        statement = select(
            ReviewRow.id,
            ReviewRow.question_id,
            type_coerce(ReviewRow.reviewed_at, Text),
            ReviewRow.duration_ms,
            ReviewRow.grade_status,
            ReviewRow.score,
            type_coerce(ReviewRow.key_point_verdicts, Text),
            ReviewRow.model,
            ReviewRow.suggested_rating,
            ReviewRow.rating,
            ReviewRow.overridden,
            ReviewRow.counted,
            ReviewRow.session_id,
        ).order_by(ReviewRow.reviewed_at, ReviewRow.id)
        verdicts = VerdictReader()
        for row in session.execute(_in_range(statement, query)).tuples():
            (review_id, question_id, reviewed_at, duration_ms, status, score, key_points) = row[:7]
            (model, suggested, rating, overridden, counted, session_id) = row[7:]
            place = in_scope.get(question_id)
            if place is None:
                continue
            yield ReviewRecord(
                id=review_id,
                question_id=question_id,
                deck=place[0],
                topic=place[1],
                reviewed_at=utc_timestamp(reviewed_at),
                duration_ms=duration_ms,
                status=STATUSES[status],
                score=score if status == _GRADED else None,
                key_points=verdicts.read(key_points),
                model=model,
                suggested_rating=None if suggested is None else RATINGS[suggested],
                rating=RATINGS[rating],
                overridden=overridden,
                counted=counted,
                session_id=session_id,
            )

    @staticmethod
    def _last_scores(session: Session) -> dict[int, float]:
        ranked = (
            select(
                ReviewRow.question_id,
                ReviewRow.score,
                func.row_number()
                .over(
                    partition_by=ReviewRow.question_id,
                    order_by=(ReviewRow.reviewed_at.desc(), ReviewRow.id.desc()),
                )
                .label("rank"),
            )
            .where(ReviewRow.grade_status == _GRADED, ReviewRow.score.is_not(None))
            .subquery()
        )
        rows = session.execute(
            select(ranked.c.question_id, ranked.c.score).where(ranked.c.rank == 1)
        )
        return {question_id: score for question_id, score in rows}

    @classmethod
    def _questions(
        cls, session: Session, in_scope: dict[int, tuple[str, str]]
    ) -> Iterable[QuestionRecord]:
        last_scores = cls._last_scores(session)
        rows = session.execute(
            select(
                QuestionRow.id,
                QuestionRow.kind,
                QuestionRow.status,
                QuestionRow.prompt,
                QuestionRow.reference,
                CardRow,
            )
            .outerjoin(CardRow, CardRow.question_id == QuestionRow.id)
            .order_by(QuestionRow.id)
        )
        for question_id, kind, status, prompt, reference, card in rows:
            place = in_scope.get(question_id)
            if place is None:
                continue
            yield QuestionRecord(
                id=question_id,
                deck=place[0],
                topic=place[1],
                kind=QuestionKind(kind),
                status=QuestionStatus(status),
                prompt=prompt,
                reference=reference,
                card=None if card is None else card_snapshot(card),
                last_score=last_scores.get(question_id),
            )

    @staticmethod
    def _sessions(session: Session, query: HistoryQuery) -> Iterable[SessionRecord]:
        statement = select(PracticeSessionRow).order_by(
            PracticeSessionRow.started_at, PracticeSessionRow.id
        )
        if query.since is not None:
            statement = statement.where(PracticeSessionRow.started_at >= query.since)
        if query.until is not None:
            statement = statement.where(PracticeSessionRow.started_at < query.until)
        for row in session.scalars(statement):
            yield SessionRecord(
                id=row.id,
                kind=row.kind,
                started_at=row.started_at,
                finished_at=row.finished_at,
                counts_toward_schedule=row.counts_toward_schedule,
            )

    @staticmethod
    def _activity_times(
        session: Session, query: HistoryQuery, in_scope: dict[int, tuple[str, str]]
    ) -> Iterable[datetime]:
        statement = _in_range(
            select(ReviewRow.question_id, type_coerce(ReviewRow.reviewed_at, Text)).order_by(
                ReviewRow.reviewed_at
            ),
            HistoryQuery(query.scope, None, query.until),
        )
        for question_id, reviewed_at in session.execute(statement).tuples():
            if question_id in in_scope:
                yield utc_timestamp(reviewed_at)
