"""What the practice screen shows of a review session: a snapshot taken on the session's lane
(the question and the counts), then the question's Markdown rendered to HTML on
the quick lane (highlighting a long reference takes longer than a frame, and it is no work for
the database lane to wait behind)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from desktop.core.grading.grades import GradingTask
from desktop.core.review.cards import Rating
from desktop.core.review.session import PendingAnswer, PracticeItem, ReviewSession
from desktop.markup.html import markdown_html


@dataclass(frozen=True)
class SessionSnapshot:
    item: PracticeItem | None  # None: nothing left to ask
    answered: int
    upcoming: int
    pending: PendingAnswer | None = None  # an undone review's answer, to be rated again
    # When the question would come back after each rating, answered now.
    next_due: dict[Rating, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class ShownQuestion:
    item: PracticeItem
    task: GradingTask
    prompt_html: str
    reference_html: str
    dark: bool


def snapshot(session: ReviewSession) -> SessionSnapshot:
    """Runs on the session's lane."""
    current = session.current
    return SessionSnapshot(
        current,
        session.answered,
        len(session.upcoming),
        session.pending,
        session.next_due() if current is not None else {},
    )


def render(item: PracticeItem, *, dark: bool) -> ShownQuestion:
    """Runs on the quick lane."""
    question = item.question
    return ShownQuestion(
        item,
        GradingTask.from_question(question),
        markdown_html(question.prompt, dark=dark),
        markdown_html(question.reference, dark=dark),
        dark,
    )
