"""Reviews in the database: record one with its card change atomically, undo the latest one.

`record` writes the review row and the card row in one transaction and commits before it
returns (WAL, so a process that dies afterwards cannot take the review with it). It refuses to
write when the stored card is not the `card_before` the review was computed from, so two windows
answering the same question cannot silently overwrite each other's schedule.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop.core.grading.grades import KeyPointVerdict, Verdict
from desktop.core.review.cards import Rating, ReviewStatus
from desktop.core.review.review_store import (
    DailyCounts,
    NewReview,
    RatingHistoryEntry,
    StaleCardError,
    StoredReview,
)
from desktop.core.review.scheduler import snapshot_as_json, snapshot_from_json
from desktop.core.review.study_day import StudyDay
from desktop.storage.cards import card_from_row, remove_card, stored_time, write_card
from desktop.storage.database import Database
from desktop.storage.schema import CardRow, ReviewRow


def _row_from_review(review: NewReview) -> ReviewRow:
    return ReviewRow(
        question_id=review.question_id,
        session_id=review.session_id,
        reviewed_at=review.reviewed_at,
        answer_text=review.answer_text,
        duration_ms=review.duration_ms,
        grade_status=review.status.value,
        score=review.score,
        key_point_verdicts=[kp.as_json() for kp in review.key_points],
        feedback=review.feedback,
        grade_reason=review.grade_reason,
        flags=list(review.flags),
        model=review.model,
        grader_settings=dict(review.grader_settings),
        suggested_rating=None if review.suggested_rating is None else int(review.suggested_rating),
        rating=int(review.rating),
        overridden=review.overridden,
        counted=review.counted,
        card_before=None if review.card_before is None else snapshot_as_json(review.card_before),
        card_after=None if review.card_after is None else snapshot_as_json(review.card_after),
    )


def review_from_row(row: ReviewRow) -> StoredReview:
    verdicts = tuple(
        KeyPointVerdict(str(kp["text"]), Verdict(kp["verdict"]), str(kp.get("evidence", "")))
        for kp in row.key_point_verdicts
    )
    review = NewReview(
        question_id=row.question_id,
        reviewed_at=row.reviewed_at,
        rating=Rating(row.rating),
        status=ReviewStatus(row.grade_status),
        card_before=None if row.card_before is None else snapshot_from_json(row.card_before),
        card_after=None if row.card_after is None else snapshot_from_json(row.card_after),
        answer_text=row.answer_text,
        duration_ms=row.duration_ms,
        score=row.score,
        key_points=verdicts,
        feedback=row.feedback,
        grade_reason=row.grade_reason,
        flags=tuple(str(flag) for flag in row.flags),
        model=row.model,
        grader_settings=dict(row.grader_settings),
        suggested_rating=None if row.suggested_rating is None else Rating(row.suggested_rating),
        overridden=row.overridden,
        session_id=row.session_id,
    )
    return StoredReview(row.id, review)


def _check_not_stale(session: Session, review: NewReview) -> None:
    row = session.get(CardRow, review.question_id)
    stored = None if row is None else card_from_row(row)
    if stored != review.card_before:
        raise StaleCardError(
            f"Question {review.question_id} was reviewed or changed elsewhere since it was "
            "shown (is Viva open twice?). Your answer was not recorded."
        )


class ReviewRepository:
    """`core.review.review_store.ReviewStore` on the database."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def record(self, review: NewReview) -> StoredReview:
        with self._database.session() as session:
            if review.counted:
                _check_not_stale(session, review)
            row = _row_from_review(review)
            session.add(row)
            if review.card_after is not None:
                write_card(session, review.card_after)
            session.flush()
            return StoredReview(row.id, review)

    def undo_last(self) -> StoredReview | None:
        with self._database.session() as session:
            row = session.scalars(select(ReviewRow).order_by(ReviewRow.id.desc()).limit(1)).first()
            if row is None:
                return None
            undone = review_from_row(row)
            if undone.review.counted:
                before = undone.review.card_before
                if before is None:
                    remove_card(session, row.question_id)
                else:
                    write_card(session, before)
            session.delete(row)
            return undone

    def last_review(self) -> StoredReview | None:
        with self._database.reading() as session:
            row = session.scalars(select(ReviewRow).order_by(ReviewRow.id.desc()).limit(1)).first()
            return None if row is None else review_from_row(row)

    def reviews_of(self, question_id: int) -> list[StoredReview]:
        """Every review of one question, oldest first."""
        with self._database.reading() as session:
            rows = session.scalars(
                select(ReviewRow)
                .where(ReviewRow.question_id == question_id)
                .order_by(ReviewRow.reviewed_at, ReviewRow.id)
            )
            return [review_from_row(row) for row in rows]

    def review(self, review_id: int) -> StoredReview | None:
        with self._database.reading() as session:
            row = session.get(ReviewRow, review_id)
            return None if row is None else review_from_row(row)

    def daily_counts(self, day: StudyDay) -> DailyCounts:
        # A first answer is one whose card was new (or absent); a review answer is one whose
        # card was in review. Answers in (re)learning steps are not limited, as in Anki.
        sql = text(
            "SELECT coalesce(sum(card_before IS NULL OR json_extract(card_before, '$.state') "
            "= 'new'), 0), coalesce(sum(json_extract(card_before, '$.state') = 'review'), 0) "
            "FROM reviews WHERE reviewed_at >= :start AND reviewed_at < :end AND counted"
        )
        params: dict[str, Any] = {"start": stored_time(day.start), "end": stored_time(day.end)}
        with self._database.reading() as session:
            new, reviews = session.execute(sql, params).one()
        return DailyCounts(new=int(new), reviews=int(reviews))

    def rating_history(self) -> list[RatingHistoryEntry]:
        with self._database.reading() as session:
            rows = session.execute(
                select(
                    ReviewRow.question_id,
                    ReviewRow.rating,
                    ReviewRow.reviewed_at,
                    ReviewRow.duration_ms,
                )
                .where(ReviewRow.counted)
                .order_by(ReviewRow.reviewed_at)
            )
            return [
                RatingHistoryEntry(question_id, Rating(rating), reviewed_at, duration_ms)
                for question_id, rating, reviewed_at, duration_ms in rows
            ]
