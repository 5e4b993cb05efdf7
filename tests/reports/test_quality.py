"""Which topics a report calls strong, and how it counts who graded the answers."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.core.grading.grades import WORD_MATCHING_GRADER
from desktop.core.reports.history import ReviewRecord
from desktop.core.reports.report import TopicStanding
from desktop.core.review.cards import Rating, ReviewStatus
from desktop.reports.quality import strongest_topics
from desktop.reports.sessions import grading_summary


def _topic(name: str, graded: int, average: float) -> TopicStanding:
    return TopicStanding(name, 5, graded, graded, 1.0, graded, average, 0.9)


def test_only_topics_graded_good_or_better_are_strong() -> None:
    topics = [
        _topic("weak", 10, 0.27),
        _topic("good", 3, 0.70),
        _topic("best", 4, 0.91),
        _topic("too few answers", 2, 0.99),
    ]
    assert [t.topic for t in strongest_topics(topics)] == ["best", "good"]


def test_a_grade_made_by_word_matching_alone_is_not_counted_as_a_models() -> None:
    def review(number: int, model: str) -> ReviewRecord:
        return ReviewRecord(
            number,
            number,
            "d",
            "t",
            datetime(2026, 1, 1, tzinfo=UTC),
            1000,
            ReviewStatus.GRADED,
            0.5,
            (),
            model,
            Rating.GOOD,
            Rating.GOOD,
            False,
            True,
            None,
        )

    summary = grading_summary(
        [review(1, "qwen + key-point evidence")]
        + [review(n, WORD_MATCHING_GRADER) for n in range(2, 16)]
    )
    assert (summary.graded, summary.word_matching) == (1, 14)
    assert [m.model for m in summary.by_model] == ["qwen + key-point evidence"]
