"""What the practice screen shows of a review session, taken on the session's lane: the
question with its Markdown rendered to HTML (highlighting a long reference takes longer than a
frame, so it never happens on the GUI thread) and the session's counts."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.grades import GradingTask
from desktop.core.practice import PracticeItem, ReviewSession
from desktop.ui.markdown_view import render_markdown


@dataclass(frozen=True)
class ShownQuestion:
    item: PracticeItem
    task: GradingTask
    prompt_html: str
    reference_html: str
    dark: bool


@dataclass(frozen=True)
class SessionSnapshot:
    question: ShownQuestion | None  # None: nothing left to ask
    answered: int
    upcoming: int


def snapshot(session: ReviewSession, *, dark: bool) -> SessionSnapshot:
    """Runs on the session's lane."""
    item = session.current
    shown = None
    if item is not None:
        question = item.question
        shown = ShownQuestion(
            item,
            session.grading_task(),
            render_markdown(question.prompt, dark=dark),
            render_markdown(question.reference, dark=dark),
            dark,
        )
    return SessionSnapshot(shown, session.answered, len(session.upcoming))
