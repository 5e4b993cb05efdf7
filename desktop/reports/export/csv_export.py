"""The report as two CSV files: `reviews.csv` (one row per review in the period) and
`questions.csv` (one row per question in scope, with its card as it is now).

Timestamps are ISO 8601 in UTC; empty cells mean "none" (a self-rated answer has no score).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from desktop.core.reports.history import QuestionRecord, ReviewRecord
from desktop.core.reports.report import ProgressReport

REVIEW_COLUMNS = (
    "review_id",
    "question_id",
    "deck",
    "topic",
    "reviewed_at",
    "grade_status",
    "score",
    "rating",
    "suggested_rating",
    "override",
    "duration_ms",
    "model",
    "session_id",
)
QUESTION_COLUMNS = (
    "question_id",
    "deck",
    "topic",
    "kind",
    "status",
    "state",
    "due",
    "stability",
    "difficulty",
    "reps",
    "lapses",
    "last_review",
    "last_score",
    "prompt",
)
_OVERRIDE = {1: "up", -1: "down", 0: ""}


def _time(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).isoformat(timespec="seconds")


def _number(value: float | None) -> str:
    return "" if value is None else f"{round(value, 4):g}"


def _optional(value: int | None) -> str:
    return "" if value is None else str(value)


def review_rows(reviews: Iterable[ReviewRecord]) -> Iterable[Sequence[str]]:
    for review in reviews:
        yield (
            str(review.id),
            str(review.question_id),
            review.deck,
            review.topic,
            _time(review.reviewed_at),
            review.status.value,
            _number(review.score),
            str(int(review.rating)),
            _optional(None if review.suggested_rating is None else int(review.suggested_rating)),
            _OVERRIDE[review.override_direction],
            str(review.duration_ms),
            review.model,
            _optional(review.session_id),
        )


def question_rows(questions: Iterable[QuestionRecord]) -> Iterable[Sequence[str]]:
    for question in questions:
        card = question.card
        yield (
            str(question.id),
            question.deck,
            question.topic,
            question.kind.value,
            question.status.value,
            "new" if card is None else card.state.value,
            "" if card is None else _time(card.due),
            _number(None if card is None else card.stability),
            _number(None if card is None else card.difficulty),
            "0" if card is None else str(card.reps),
            "0" if card is None else str(card.lapses),
            _time(None if card is None else card.last_review),
            _number(question.last_score),
            question.prompt,
        )


def _table(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def render_csv(report: ProgressReport) -> dict[str, bytes]:
    """File name -> contents."""
    return {
        "reviews.csv": _table(REVIEW_COLUMNS, review_rows(report.history.reviews)),
        "questions.csv": _table(QUESTION_COLUMNS, question_rows(report.history.questions)),
    }
