"""The grade -> rating mapping, the learner's override, and `ungraded` answers."""

from __future__ import annotations

import pytest

from desktop.core.grading.grades import Grade, GradeStatus, KeyPointVerdict, Verdict
from desktop.core.review.cards import Rating, ReviewStatus
from desktop.core.review.rating import (
    RatingRequired,
    RatingThresholds,
    decide_rating,
    suggest_rating,
    suggestion_for,
)


def graded(score: float, *verdicts: Verdict, flags: tuple[str, ...] = ()) -> Grade:
    points = tuple(KeyPointVerdict(f"point {n}", v) for n, v in enumerate(verdicts))
    return Grade(GradeStatus.GRADED, score, key_points=points, flags=flags)


C, P, M = Verdict.COVERED, Verdict.PARTIAL, Verdict.MISSING


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        (graded(0.95, C, C, C, C), Rating.EASY),
        (graded(0.90, C, C, C, C), Rating.EASY),
        (graded(0.95, C, C, C, P), Rating.GOOD),  # a partial point keeps it from Easy
        (graded(0.80, C, C, C, M), Rating.GOOD),  # one of four missing: a quarter is tolerated
        (graded(0.80, C, C, M, M), Rating.AGAIN),  # half the points missing
        (graded(0.70, C, C, P, M, M), Rating.HARD),  # 2 of 5 missing: over a quarter
        (graded(0.64, C, C, C, C), Rating.HARD),
        (graded(0.39, C, C, C, C), Rating.AGAIN),
        (graded(0.40, C, C, C, P), Rating.HARD),
        (graded(0.75), Rating.GOOD),  # no key points: the score alone decides
        (graded(0.95), Rating.EASY),
        (graded(0.97, C, C, C, C, flags=("injection",)), Rating.AGAIN),
        (graded(0.97, C, C, C, C, flags=("contradicts_reference",)), Rating.AGAIN),
        (graded(0.97, C, C, C, C, flags=("keyword_list",)), Rating.HARD),
        # word matching alone cannot confirm the claims: never Easy
        (graded(0.97, C, C, C, C, flags=("evidence_only",)), Rating.GOOD),
    ],
)
def test_suggested_rating(grade: Grade, expected: Rating) -> None:
    suggestion = suggest_rating(grade)
    assert suggestion.rating is expected
    assert suggestion.reason


def test_the_reason_says_what_was_missing() -> None:
    assert "2 of 5 key points missing" in suggest_rating(graded(0.7, C, C, P, M, M)).reason


def test_thresholds_can_be_moved() -> None:
    lenient = RatingThresholds(again_below=0.2, hard_below=0.3)
    assert suggest_rating(graded(0.35, C, C), lenient).rating is Rating.GOOD


def test_ungraded_has_no_suggestion_and_asks_the_learner() -> None:
    suggestion = suggest_rating(Grade.ungraded("the model timed out"))
    assert suggestion.rating is None
    assert "the model timed out" in suggestion.reason
    assert "rate yourself" in suggestion.reason
    with pytest.raises(RatingRequired):
        decide_rating(suggestion, None)
    decision = decide_rating(suggestion, Rating.HARD)
    assert decision.rating is Rating.HARD
    assert decision.status is ReviewStatus.SELF_RATED
    assert decision.suggested is None
    assert not decision.overridden


def test_confirming_keeps_the_suggestion() -> None:
    decision = decide_rating(suggest_rating(graded(0.8, C, C, C, P)), None)
    assert decision.rating is Rating.GOOD
    assert decision.suggested is Rating.GOOD
    assert decision.status is ReviewStatus.GRADED
    assert not decision.overridden


def test_choosing_the_suggested_rating_is_not_an_override() -> None:
    decision = decide_rating(suggest_rating(graded(0.8, C, C, C, P)), Rating.GOOD)
    assert not decision.overridden


@pytest.mark.parametrize("chosen", [Rating.AGAIN, Rating.HARD, Rating.EASY])
def test_overriding_keeps_both_ratings(chosen: Rating) -> None:
    decision = decide_rating(suggest_rating(graded(0.8, C, C, C, P)), chosen)
    assert decision.rating is chosen
    assert decision.suggested is Rating.GOOD
    assert decision.overridden
    assert decision.status is ReviewStatus.GRADED


def test_rating_without_any_grade_is_self_rated() -> None:
    decision = decide_rating(suggestion_for(None), Rating.EASY)
    assert (decision.rating, decision.status, decision.suggested) == (
        Rating.EASY,
        ReviewStatus.SELF_RATED,
        None,
    )
