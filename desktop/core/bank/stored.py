"""What an import reads of the bank, as plain values: the decks, their questions, the hash of
what a question says, and `BankReader`, the reads an import plans over (the storage layer
answers them from the database).

A retired question whose number a new question took keeps the identity
"retired:<id>:<its identity>" (`PARKED_PREFIX`; no notes or Anki identity starts so), so the
new question can take the number.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from desktop.core.bank.matching import StoredQuestion
from desktop.core.bank.questions import ParsedQuestion, QuestionStatus

PARKED_PREFIX = "retired:"


def content_hash(
    kind: str, prompt: str, reference: str, key_points: Sequence[str], wrong_answer: str | None
) -> str:
    """The hash of what a question says (not where it sits in the file)."""
    payload = json.dumps(
        [kind, prompt, reference, list(key_points), wrong_answer or ""],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def parsed_hash(question: ParsedQuestion) -> str:
    """The hash of what a notes question says."""
    return content_hash(
        question.kind.value,
        question.prompt,
        question.reference,
        question.key_points,
        question.wrong_answer,
    )


def parked_identity(question_id: int, identity: str) -> str:
    """The identity a retired question keeps once a new question took its number."""
    return f"{PARKED_PREFIX}{question_id}:{identity}"


def shown_identity(identity: str) -> str:
    """The identity as the notes had it (a parked identity without its prefix)."""
    if identity.startswith(PARKED_PREFIX):
        return identity.split(":", 2)[-1]
    return identity


@dataclass(frozen=True)
class StoredDeck:
    """A deck as an import sees it: where its notes were and what they held."""

    id: int
    name: str
    source_path: str
    title: str
    content_hash: str


@dataclass(frozen=True)
class LiveQuestion:
    """A question of a deck that is not retired, as finding a notes file's deck compares it."""

    identity: str
    source_hash: str


@dataclass(frozen=True)
class QuestionState:
    """A stored question's values that an import reads and may write; a planned update is the
    state the question has after the import."""

    id: int
    identity: str
    kind: str
    topic_path: str  # "" when the question has no topic
    prompt: str
    reference: str
    key_points: tuple[str, ...]
    wrong_answer: str | None
    source_file: str
    source_line: int
    source_hash: str
    edited: bool
    status: str
    position: int
    updated_at: datetime

    @property
    def retired(self) -> bool:
        return self.status == QuestionStatus.RETIRED.value

    def for_matching(self) -> StoredQuestion:
        return StoredQuestion(
            key=self.id,
            identity=self.identity,
            kind=self.kind,
            prompt=self.prompt,
            reference=self.reference,
            source_hash=self.source_hash,
            live=not self.retired,
        )


class BankReader(Protocol):
    """The reads an import plans over, answered from the bank as it stands (after the decks
    planned before were written)."""

    def decks(self) -> list[StoredDeck]:
        """Every deck, oldest first."""
        ...

    def live_questions(self, deck_id: int) -> list[LiveQuestion]:
        """The questions of a deck that are not retired."""
        ...

    def questions(self, deck_id: int) -> list[QuestionState]:
        """Every question of a deck, retired ones too, in bank order."""
        ...

    def decks_holding(self, hashes: Collection[str], other_than: int | None) -> dict[str, set[str]]:
        """By deck name, which of `hashes` the questions of that deck that are not retired
        have (every deck but `other_than`)."""
        ...

    def is_file(self, path: str) -> bool:
        """Whether a notes file is there now."""
        ...
