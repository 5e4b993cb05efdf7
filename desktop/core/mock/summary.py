"""Building a mock interview's summary from its answers, grades and recorded reviews."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from desktop.core.grading.grades import Verdict
from desktop.core.mock.answers import MockAnswer, MockQuestionSummary, MockSummary
from desktop.core.review.cards import Rating
from desktop.core.review.rating import suggest_rating
from desktop.core.review.review_store import NewReview
from desktop.core.review.session_records import QuestionLookup


def summarise(
    *,
    session_id: int,
    question_ids: Sequence[int],
    answers: Sequence[MockAnswer],
    recorded: Sequence[NewReview],
    questions: QuestionLookup,
    chosen: Mapping[int, Rating],
    counts_toward_schedule: bool,
    finished: bool,
) -> MockSummary:
    """The summary of the interview as it stands: `recorded` are its reviews (after `finish`),
    `chosen` the ratings the learner picked so far."""
    by_question = {answer.question_id: answer for answer in answers}
    reviews = {review.question_id: review for review in recorded}
    items = []
    for question_id in question_ids:
        answer = by_question.get(question_id)
        grade = answer.grade if answer else None
        verdicts = grade.key_points if grade else ()
        suggested = suggest_rating(grade).rating if grade else None
        review = reviews.get(question_id)
        items.append(
            MockQuestionSummary(
                question=questions.get(question_id),
                answer=answer,
                missed_key_points=tuple(
                    kp.text for kp in verdicts if kp.verdict is Verdict.MISSING
                ),
                partial_key_points=tuple(
                    kp.text for kp in verdicts if kp.verdict is Verdict.PARTIAL
                ),
                suggested_rating=suggested,
                rating=review.rating if review else chosen.get(question_id, suggested),
                next_due=review.card_after.due if review and review.card_after else None,
            )
        )
    return MockSummary(session_id, tuple(items), counts_toward_schedule, finished)
