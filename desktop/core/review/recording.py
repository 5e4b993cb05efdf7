"""Turning a rated answer into a recorded review, and reviewing one question start to finish.

`record_answer` is the one path every review takes (review sessions, mock interviews, the
command line, a history brought from Anki): read the card, apply the rating with FSRS (unless
the answer does not count toward the schedule), and record review and card together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from desktop.core.bank.questions import Question
from desktop.core.grading.grades import STORED_ANSWER_CHARS, Grade, Grader, GradingTask
from desktop.core.review.cards import CardSnapshot, CardState, PastAnswer, Rating, ReviewStatus
from desktop.core.review.due_queue import CardStore
from desktop.core.review.rating import RatingDecision, decide_rating, suggestion_for
from desktop.core.review.review_store import (
    NewReview,
    ReviewStore,
    StaleCardError,
    StoredReview,
)
from desktop.core.review.scheduler import CardScheduler, new_card
from desktop.core.review.study_day import require_aware


def record_answer(
    *,
    cards: CardStore,
    reviews: ReviewStore,
    scheduler: CardScheduler,
    question_id: int,
    before: CardSnapshot | None,
    decision: RatingDecision,
    grade: Grade | None,
    answer: str,
    at: datetime,
    duration_ms: int = 0,
    session_id: int | None = None,
    counts: bool = True,
    grader_settings: dict[str, Any] | None = None,
    due: datetime | None = None,
) -> StoredReview:
    """Records one rated answer; the card moves only when it `counts`. Durable on return.
    At most `STORED_ANSWER_CHARS` of the answer are kept (the editor and the command line
    refuse a longer one before it gets here).

    `due`, when given (a schedule carried over from another app), is when the card comes due
    instead of when FSRS would have it.

    `before` is the card as it was when the question was shown (None: it had none): when the
    stored card has changed since (reviewed in another window), the store refuses the review
    with `StaleCardError` rather than overwrite that review's schedule."""
    at = require_aware(at)
    after = scheduler.review(before or new_card(question_id, at), decision.rating, at)
    if due is not None:
        after = replace(after, due=require_aware(due))
    review = NewReview.from_grade(
        grade=grade,
        decision=decision,
        answer_text=answer[:STORED_ANSWER_CHARS],
        reviewed_at=at,
        card_before=before,
        card_after=after if counts else None,
        question_id=question_id,
        duration_ms=duration_ms,
        session_id=session_id,
        grader_settings=grader_settings,
    )
    return reviews.record(review)


@dataclass(frozen=True)
class ReviewResult:
    """What reviewing one question did. `review_id` is None when nothing was recorded: the
    answer could not be graded and no rating was given, so the card is unchanged."""

    question_id: int
    status: ReviewStatus
    state: CardState
    due: datetime
    score: float | None
    rating: Rating | None
    suggested_rating: Rating | None
    overridden: bool
    reason: str
    review_id: int | None
    grade: Grade | None = None


# How often a one-shot review reschedules from the current card when another review of the
# same question was recorded between reading the card and recording its own.
_RECORD_ATTEMPTS = 5


def review_question(
    *,
    question: Question,
    cards: CardStore,
    reviews: ReviewStore,
    scheduler: CardScheduler,
    at: datetime,
    answer: str | None = None,
    rating: Rating | None = None,
    grader: Grader | None = None,
    duration_ms: int = 0,
) -> ReviewResult:
    """Grades `answer` (if given) and records it with the suggested rating or `rating`.

    Without an answer, `rating` is a self-rating. An answer that cannot be graded, with no
    `rating`, is not recorded: the result says `ungraded` and why. When the question is
    reviewed elsewhere meanwhile, this review is recorded after that one, from the card as
    that one left it (`StaleCardError` only after several such collisions in a row).
    """
    if answer is None and rating is None:
        raise ValueError("give an answer to grade, a rating, or both")
    grade: Grade | None = None
    if answer is not None:
        if grader is None:
            raise ValueError("grading an answer needs a grader")
        grade = grader.grade(GradingTask.from_question(question), answer)
    suggestion = suggestion_for(grade)
    card = cards.card(question.id)
    if suggestion.rating is None and rating is None:
        return ReviewResult(
            question_id=question.id,
            status=ReviewStatus.UNGRADED,
            state=CardState.NEW if card is None else card.state,
            due=require_aware(at) if card is None else card.due,
            score=None,
            rating=None,
            suggested_rating=None,
            overridden=False,
            reason=suggestion.reason,
            review_id=None,
            grade=grade,
        )
    decision = decide_rating(suggestion, rating)
    reason = suggestion.reason if grade is not None else "Rated by the learner."
    for attempt in range(1, _RECORD_ATTEMPTS + 1):
        try:
            stored = record_answer(
                grader_settings={"grader": grader.identity} if grader is not None else None,
                cards=cards,
                reviews=reviews,
                scheduler=scheduler,
                question_id=question.id,
                before=card,
                decision=decision,
                grade=grade,
                answer=answer or "",
                at=at,
                duration_ms=duration_ms,
            )
            break
        except StaleCardError:
            # Reviewed elsewhere meanwhile (another window, another command): this answer is
            # scheduled after that review, from the card as it is now.
            if attempt == _RECORD_ATTEMPTS:
                raise
            card = cards.card(question.id)
    after = stored.review.card_after
    assert after is not None
    return ReviewResult(
        question_id=question.id,
        status=decision.status,
        state=after.state,
        due=after.due,
        score=stored.review.score,
        rating=decision.rating,
        suggested_rating=decision.suggested,
        overridden=decision.overridden,
        reason=reason,
        review_id=stored.id,
        grade=grade,
    )


def record_history(
    *,
    cards: CardStore,
    reviews: ReviewStore,
    scheduler: CardScheduler,
    question_id: int,
    answers: Sequence[PastAnswer],
    source: str,
    due: datetime | None = None,
) -> CardSnapshot | None:
    """Replays `answers` (oldest first) as this question's reviews: each is recorded as the
    learner's own rating through FSRS, so the card's memory ends where that history leads;
    `due` (the other app's schedule) is when it then comes due. Returns the card after the last
    one (None when there was nothing to replay)."""
    card = cards.card(question_id)
    ordered = sorted(answers, key=lambda a: a.at)
    for number, answer in enumerate(ordered, start=1):
        stored = record_answer(
            cards=cards,
            reviews=reviews,
            scheduler=scheduler,
            question_id=question_id,
            before=card,
            decision=decide_rating(suggestion_for(None), answer.rating),
            grade=None,
            answer="",
            at=answer.at,
            duration_ms=answer.duration_ms,
            grader_settings={"imported_from": source},
            due=due if number == len(ordered) else None,
        )
        card = stored.review.card_after
    return card
