"""From a grade to a spaced-repetition rating, and the learner's final say.

The suggested rating is derived from the grade's score (0..1) and its key-point verdicts
(`missing` share = missing points / all points; a `partial` point counts as half covered):

| rating | when (first rule that matches wins) |
| --- | --- |
| Again | a flag that voids the answer (`injection`, `contradicts_reference`, `scrambled`,
|       | `states_the_opposite`: the opposite of a claim in half or more of the key points);
|       | score below 0.40; or half or more of the key points missing |
| Hard  | score below 0.65; more than a quarter of the key points missing; or a bare keyword
|       | list (`keyword_list`) |
| Easy  | score 0.90 or more with every key point covered (none partial, none missing), and a
|       | model judged the answer (word matching alone never suggests Easy) |
| Good  | everything else |

An `ungraded` answer has no suggestion: the learner rates themselves and the review is stored as
`self-rated`. Whatever is suggested, the learner may choose another rating (one key in the UI);
the review then keeps both (`suggested_rating`, `rating`, `overridden`), which is what a
calibration of the grader can learn from later.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.errors import VivaError
from desktop.core.grading.grades import INJECTION, SCRAMBLED, Grade, Verdict
from desktop.core.review.cards import Rating, ReviewStatus

# The flags that make an answer wrong whatever its score, and how the suggestion says so.
VOIDING_FLAGS = {
    INJECTION: "it addresses the grader instead of the question",
    "contradicts_reference": "it sides with the common wrong answer",
    "states_the_opposite": "it states the opposite of most key points",
    SCRAMBLED: "it is the reference's words out of order",
}
HARD_CAP_FLAGS = frozenset({"keyword_list"})


class RatingRequired(VivaError):
    """The answer could not be graded, so the learner has to rate it."""


@dataclass(frozen=True)
class RatingThresholds:
    """The cut-offs of the mapping; a calibrated grader may move them."""

    again_below: float = 0.40
    hard_below: float = 0.65
    easy_from: float = 0.90
    again_missing_share: float = 0.50
    hard_missing_share: float = 0.25


@dataclass(frozen=True)
class RatingSuggestion:
    """What the grade suggests (`rating` None: ungraded, the learner decides) and why."""

    rating: Rating | None
    reason: str


@dataclass(frozen=True)
class RatingDecision:
    """The rating that will be applied, where it came from, and what was suggested."""

    rating: Rating
    status: ReviewStatus
    suggested: Rating | None
    overridden: bool


def _missing_share(grade: Grade) -> tuple[int, int]:
    missing = sum(1 for kp in grade.key_points if kp.verdict is Verdict.MISSING)
    return missing, len(grade.key_points)


def suggest_rating(grade: Grade, thresholds: RatingThresholds | None = None) -> RatingSuggestion:
    """The rating the grade suggests, with a one-line reason a learner can read."""
    limits = thresholds or RatingThresholds()
    if not grade.is_graded or grade.score is None:
        why = grade.reason or "the answer could not be graded"
        return RatingSuggestion(None, f"Ungraded ({why}): rate yourself.")
    score = grade.score
    missing, total = _missing_share(grade)
    share = missing / total if total else 0.0
    voiding = [why for flag, why in VOIDING_FLAGS.items() if flag in grade.flags]
    points = f"{missing} of {total} key points missing" if total else "no key points"
    if voiding:
        return RatingSuggestion(Rating.AGAIN, f"Wrong: {'; '.join(voiding)}.")
    if score < limits.again_below or (total and share >= limits.again_missing_share):
        return RatingSuggestion(Rating.AGAIN, f"Score {score:.0%}, {points}.")
    if score < limits.hard_below or share > limits.hard_missing_share:
        return RatingSuggestion(Rating.HARD, f"Score {score:.0%}, {points}.")
    if HARD_CAP_FLAGS.intersection(grade.flags):
        return RatingSuggestion(Rating.HARD, "A list of keywords, not an explanation.")
    complete = all(kp.verdict is Verdict.COVERED for kp in grade.key_points)
    if score >= limits.easy_from and complete:
        if grade.word_matching_only:
            return RatingSuggestion(
                Rating.GOOD,
                f"Score {score:.0%} by word matching, which cannot confirm the claims: Good, "
                "not Easy.",
            )
        return RatingSuggestion(Rating.EASY, f"Score {score:.0%}, every key point covered.")
    return RatingSuggestion(Rating.GOOD, f"Score {score:.0%}, {points}.")


def decide_rating(suggestion: RatingSuggestion, chosen: Rating | None) -> RatingDecision:
    """The learner's confirmation (`chosen` None) or override of a suggestion.

    Raises `RatingRequired` when there is no suggestion and no choice.
    """
    if suggestion.rating is None:
        if chosen is None:
            raise RatingRequired(
                "This answer could not be graded; rate it yourself (again, hard, good or easy)."
            )
        return RatingDecision(chosen, ReviewStatus.SELF_RATED, None, overridden=False)
    rating = suggestion.rating if chosen is None else chosen
    return RatingDecision(
        rating, ReviewStatus.GRADED, suggestion.rating, overridden=rating is not suggestion.rating
    )


NOT_GRADED = RatingSuggestion(None, "Not graded: rate how well you recalled the answer.")


def suggestion_for(grade: Grade | None) -> RatingSuggestion:
    """What to suggest for an answer: from its grade, or nothing (None: it was not graded, the
    learner rates it). The one suggestion step of a review session, a mock interview and the
    command line; `decide_rating` is the one decision step after it."""
    return NOT_GRADED if grade is None else suggest_rating(grade)
