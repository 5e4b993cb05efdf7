"""The question bank as the rest of the app sees it: a filter, topic summaries, and the
`QuestionBankStore` Protocol that the UI, the scheduler and the reports are typed against.

The concrete store is `desktop.storage.question_bank.QuestionBank`; tests may use any object
with the same methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from desktop.core.bank.questions import (
    Deck,
    ImportSummary,
    ParsedNotes,
    Question,
    QuestionKind,
    QuestionStatus,
)

LIVE_STATUSES: frozenset[QuestionStatus] = frozenset(
    {QuestionStatus.ACTIVE, QuestionStatus.SUSPENDED}
)
ALL_STATUSES: frozenset[QuestionStatus] = frozenset(QuestionStatus)


@dataclass(frozen=True)
class QuestionFilter:
    """Which questions to list. Every field narrows the list; the defaults list every question
    that is not retired, in bank order (decks in import order, then the order of the notes).

    - `topic`: a topic path; matches that topic and every topic below it
      ("13.1 PyTorch" matches "13.1 PyTorch > Autograd Mechanism").
    - `topic_contains`: case-insensitive text anywhere in the topic path.
    - `tag`: one tag, case-insensitive.
    - `statuses`: the statuses to include (`ALL_STATUSES` to include retired questions).
    - `search`: words that must all appear in the prompt or the reference answer
      (case-insensitive for ASCII letters; SQLite LIKE).
    """

    deck: str | None = None
    topic: str | None = None
    topic_contains: str | None = None
    tag: str | None = None
    kind: QuestionKind | None = None
    statuses: frozenset[QuestionStatus] = LIVE_STATUSES
    search: str | None = None
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class TopicSummary:
    """A topic of a deck and how many of its questions are not retired."""

    deck: str
    path: str
    questions: int


class QuestionBankStore(Protocol):
    """Reading, editing and importing the question bank. Every method is one transaction;
    what it returns are plain `core` dataclasses, safe to keep after the call."""

    def has_decks(self) -> bool:
        """Whether anything was ever imported."""
        ...

    def get(self, question_id: int) -> Question:
        """The question; raises `NotFoundError` when there is none with that id."""
        ...

    def questions(self, filters: QuestionFilter | None = None) -> list[Question]:
        """The questions matching `filters`, in bank order."""
        ...

    def count(self, filters: QuestionFilter | None = None) -> int:
        """How many questions match `filters` (ignoring its limit and offset)."""
        ...

    def search(self, text: str, filters: QuestionFilter | None = None) -> list[Question]:
        """`questions` with `filters.search` set to `text`."""
        ...

    def decks(self) -> list[Deck]:
        """Every imported notes file, in import order."""
        ...

    def topics(self, deck: str | None = None) -> list[TopicSummary]:
        """Topics with at least one question that is not retired, in bank order."""
        ...

    def update(
        self,
        question_id: int,
        *,
        prompt: str | None = None,
        reference: str | None = None,
        key_points: Sequence[str] | None = None,
        wrong_answer: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> Question:
        """Changes the given fields (None leaves a field alone; `wrong_answer=""` clears it).

        A change of prompt, reference, key points or wrong answer marks the question `edited`,
        so a re-import of unchanged notes keeps it. Tags belong to the learner and never
        conflict with the notes, so changing only tags does not mark it edited.
        """
        ...

    def set_status(self, question_id: int, status: QuestionStatus) -> Question:
        """Activates, suspends or retires a question (its history always stays)."""
        ...

    def apply_import(
        self,
        notes: Sequence[ParsedNotes],
        *,
        dry_run: bool = False,
        overwrite_edits: bool = False,
        allow_retire: bool = False,
    ) -> ImportSummary:
        """Brings the bank in line with parsed notes files, in one transaction.

        New questions are added; changed and renumbered ones are updated in place (same id,
        history kept: a notes question is found by its content, `core.bank.matching`);
        questions no longer in a file are retired; retired ones that reappear are reactivated.
        An import that would retire many questions (`core.bank.retiring`) raises
        `RetirementNotConfirmed` and writes nothing, unless `allow_retire`.
        A question edited in the app keeps the edit; when its notes changed too, the summary
        says so (`overwrite_edits=True` takes the notes' version instead). `dry_run` returns
        the same summary and writes nothing.
        """
        ...
