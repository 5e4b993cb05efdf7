"""A question ready to be shown: its Markdown rendered to HTML in a worker thread, because
highlighting a long reference answer takes longer than a frame and the window must not
freeze while it happens."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.practice import PracticeItem
from desktop.ui.markdown_view import render_markdown


@dataclass(frozen=True)
class ShownQuestion:
    item: PracticeItem
    prompt_html: str
    reference_html: str
    dark: bool


def prepare_shown(item: PracticeItem | None, *, dark: bool) -> ShownQuestion | None:
    """Runs off the GUI thread."""
    if item is None:
        return None
    question = item.question
    return ShownQuestion(
        item,
        render_markdown(question.prompt, dark=dark),
        render_markdown(question.reference, dark=dark),
        dark,
    )
