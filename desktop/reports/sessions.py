"""Mock interviews taken in the period, and who graded the answers (model, ungraded, self-rated)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from desktop.core.grading.grades import WORD_MATCHING_GRADER
from desktop.core.reports.history import HistoryScope, ReviewRecord, SessionRecord
from desktop.core.reports.report import GradingSummary, MockInterviewResult, ModelUsage
from desktop.core.review.cards import ReviewStatus
from desktop.reports.mastery import mean
from desktop.reports.quality import missed_key_points

UNKNOWN_MODEL = "(model not recorded)"
MOCK_MISSED_KEY_POINTS_SHOWN = 5


def mock_interviews(
    sessions: Sequence[SessionRecord], reviews: Sequence[ReviewRecord], scope: HistoryScope
) -> tuple[MockInterviewResult, ...]:
    """Each mock interview started in the period, oldest first.

    A report limited to some topics keeps only interviews with a question in those topics, and
    counts only those questions. The time is the time spent answering (the answers' own
    times), as the interview's summary in the app says.
    """
    answers: dict[int, list[ReviewRecord]] = defaultdict(list)
    for review in reviews:
        if review.session_id is not None:
            answers[review.session_id].append(review)
    interviews = []
    for session in sessions:
        if not session.is_mock:
            continue
        taken = answers.get(session.id, [])
        if not taken and not scope.is_everything:
            continue
        scores = [r.score for r in taken if r.score is not None]
        duration_ms = sum(r.duration_ms for r in taken)
        interviews.append(
            MockInterviewResult(
                session_id=session.id,
                started_at=session.started_at,
                finished_at=session.finished_at,
                questions=len(taken),
                graded=len(scores),
                average_score=mean(scores),
                duration_ms=max(duration_ms, 0),
                missed_key_points=missed_key_points(taken, MOCK_MISSED_KEY_POINTS_SHOWN),
            )
        )
    return tuple(interviews)


def grading_summary(reviews: Sequence[ReviewRecord]) -> GradingSummary:
    by_model: dict[str, list[float]] = defaultdict(list)
    ungraded = self_rated = word_matching = 0
    for review in reviews:
        if review.status is ReviewStatus.UNGRADED:
            ungraded += 1
        elif review.status is ReviewStatus.SELF_RATED:
            self_rated += 1
        elif review.model == WORD_MATCHING_GRADER:
            word_matching += 1  # scored, but no model judged it
        elif review.score is not None:
            by_model[review.model or UNKNOWN_MODEL].append(review.score)
    usage = sorted(
        (ModelUsage(model, len(scores), mean(scores)) for model, scores in by_model.items()),
        key=lambda m: (-m.graded, m.model),
    )
    return GradingSummary(
        reviews=len(reviews),
        graded=sum(m.graded for m in usage),
        ungraded=ungraded,
        self_rated=self_rated,
        by_model=tuple(usage),
        word_matching=word_matching,
    )
